"""Chapter 1's checkers: the right answer passes, each common mistake is named, a stub is not attempted."""

import numpy as np

from helpers.check import sigmoid_softmax as check


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def stub(*args):
    ...  # the exercise's stub, untouched


# sigmoid_prime

def test_sigmoid_prime_passes_s_times_one_minus_s():
    assert check.sigmoid_prime(lambda z: sigmoid(z) * (1 - sigmoid(z)))


def test_sigmoid_prime_names_the_activated_input_mistake():
    verdict = check.sigmoid_prime(lambda z: z * (1 - z))
    assert not verdict and "takes the pre-activation z" in str(verdict)


def test_sigmoid_prime_names_the_tanh_form():
    assert "tanh's derivative" in str(check.sigmoid_prime(lambda z: 1 - sigmoid(z) ** 2))


def test_sigmoid_prime_names_the_missing_factor_s():
    assert "the factor s = sigmoid(z) is missing" in str(check.sigmoid_prime(lambda z: 1 - sigmoid(z)))


def test_sigmoid_prime_names_the_sign():
    assert "off by the sign" in str(check.sigmoid_prime(lambda z: -sigmoid(z) * (1 - sigmoid(z))))


def test_sigmoid_prime_stub_is_not_attempted():
    assert str(check.sigmoid_prime(stub)).startswith("… sigmoid_prime: not attempted yet")


# stable_softmax

def softmax(z, axis=-1):
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def test_stable_softmax_passes_the_shifted_softmax():
    verdict = check.stable_softmax(softmax)
    assert str(verdict) == "✔ stable_softmax: passed: stable at z = 1000, normalised along the axis asked for"


def test_stable_softmax_names_the_missing_max():
    def naive(z, axis=-1):
        return np.exp(z) / np.exp(z).sum(axis=axis, keepdims=True)
    assert "no max subtracted: exp overflows at z = 1000" in str(check.stable_softmax(naive))


def test_stable_softmax_names_the_max_of_the_whole_array():
    def global_max(z, axis=-1):
        e = np.exp(z - z.max())
        return e / e.sum(axis=axis, keepdims=True)
    assert "the maximum of the whole array is subtracted" in str(check.stable_softmax(global_max))


def test_stable_softmax_names_the_max_along_the_wrong_axis():
    def wrong_shift(z, axis=-1):
        e = np.exp(z - z.max(axis=0, keepdims=True))
        return e / e.sum(axis=axis, keepdims=True)
    assert "the maximum is subtracted along the wrong axis" in str(check.stable_softmax(wrong_shift))


def test_stable_softmax_names_the_missing_normalisation():
    def unnormalised(z, axis=-1):
        return np.exp(z - z.max(axis=axis, keepdims=True))
    assert "not normalised" in str(check.stable_softmax(unnormalised))


def test_stable_softmax_names_the_wrong_normalisation_axis():
    def columns(z, axis=-1):
        e = np.exp(z - z.max(axis=axis, keepdims=True))
        return e / e.sum(axis=0, keepdims=True)
    assert "normalised along the wrong axis" in str(check.stable_softmax(columns))


def test_stable_softmax_names_the_ignored_axis():
    assert "computed along axis 0" in str(check.stable_softmax(lambda z, axis=-1: softmax(z, axis=0)))


def test_stable_softmax_names_the_missing_keepdims():
    def no_keepdims(z, axis=-1):
        e = np.exp(z - z.max(axis=axis))
        return e / e.sum(axis=axis)
    assert "keepdims=True" in str(check.stable_softmax(no_keepdims))


def test_stable_softmax_stub_is_not_attempted():
    assert str(check.stable_softmax(stub)).startswith("… stable_softmax: not attempted yet")


# layer_shapes

def test_layer_shapes_passes_batch_first_shapes():
    assert check.layer_shapes((784, 10), (64, 10))


def test_layer_shapes_names_a_transposed_weight_matrix():
    assert "(10, 784) where (784, 10) was expected" in str(check.layer_shapes((10, 784), (64, 10)))


def test_layer_shapes_names_transposed_scores():
    verdict = check.layer_shapes((784, 10), (10, 64))
    assert "(10, 64) where (64, 10) was expected (transposed?)" in str(verdict)


def test_layer_shapes_names_the_input_shape():
    assert "is the shape of X" in str(check.layer_shapes((784, 10), (64, 784)))


def test_layer_shapes_stub_is_not_attempted():
    assert str(check.layer_shapes(..., ...)).startswith("… layer_shapes: not attempted yet")


# tanh_prime

def test_tanh_prime_passes_one_minus_tanh_squared():
    assert check.tanh_prime(lambda z: 1 - np.tanh(z) ** 2)


def test_tanh_prime_names_the_missing_square():
    assert "the tanh must be squared" in str(check.tanh_prime(lambda z: 1 - np.tanh(z)))


def test_tanh_prime_names_the_sigmoid_form():
    assert "copies the sigmoid's form" in str(check.tanh_prime(lambda z: np.tanh(z) * (1 - np.tanh(z))))


def test_tanh_prime_stub_is_not_attempted():
    assert str(check.tanh_prime(stub)).startswith("… tanh_prime: not attempted yet")


# stable_sigmoid

def stable(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def test_stable_sigmoid_passes_the_exp_of_minus_abs_z():
    assert check.stable_sigmoid(stable)


def test_stable_sigmoid_names_the_overflow_of_np_where():
    def both_branches(z):
        return np.where(z >= 0, 1 / (1 + np.exp(-z)), np.exp(z) / (1 + np.exp(z)))
    assert "np.where evaluates both branches" in str(check.stable_sigmoid(both_branches))


def test_stable_sigmoid_names_swapped_branches():
    def swapped(z):
        e = np.exp(-np.abs(z))
        return np.where(z >= 0, e / (1 + e), 1 / (1 + e))
    assert "the two branches are swapped" in str(check.stable_sigmoid(swapped))


def test_stable_sigmoid_stub_is_not_attempted():
    assert str(check.stable_sigmoid(stub)).startswith("… stable_sigmoid: not attempted yet")


# uniform_loss

def test_uniform_loss_passes_log_c():
    assert check.uniform_loss(np.log)


def test_uniform_loss_names_the_probability():
    assert "1/C is the probability" in str(check.uniform_loss(lambda C: 1 / C))


def test_uniform_loss_names_log_base_10():
    assert "log base 10" in str(check.uniform_loss(np.log10))


def test_uniform_loss_stub_is_not_attempted():
    assert str(check.uniform_loss(stub)).startswith("… uniform_loss: not attempted yet")
