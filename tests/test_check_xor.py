"""The chapter 3 checkers pass the right answer, name each typical mistake, and call a stub
"not attempted yet"."""

import numpy as np

from helpers.backprop import sigmoid, sigmoid_prime
from helpers.check import xor as check


def backward(slope="z1", divide=True, transpose_W1=False, sum_b1=True, mean_b1=False):
    """The XOR backward pass with biases, or one of its typical mistakes."""
    def answer(X, Y, W1, b1, W2, b2):
        n = len(X) if divide else 1
        z1 = X @ W1 + b1
        a1 = sigmoid(z1)
        delta2 = (sigmoid(a1 @ W2 + b2) - Y) / n
        delta1 = (delta2 @ W2.T) * sigmoid_prime(z1 if slope == "z1" else a1)
        grad_W1 = delta1.T @ X if transpose_W1 else X.T @ delta1
        grad_b1 = delta1.mean(axis=0) if mean_b1 else delta1.sum(axis=0) if sum_b1 else delta1
        return grad_W1, grad_b1, a1.T @ delta2, delta2.sum(axis=0)
    return answer


def xor_backward_stub(X, Y, W1, b1, W2, b2):
    grad_W1 = grad_b1 = grad_W2 = grad_b2 = ...
    return grad_W1, grad_b1, grad_W2, grad_b2


def test_xor_backward_passes_the_right_answer():
    assert str(check.xor_backward(backward())) == (
        "✔ xor_backward: passed: all four gradients match central differences")


def test_xor_backward_names_sigmoid_prime_of_the_activation_as_R3s_bug():
    verdict = check.xor_backward(backward(slope="a1"))
    assert not verdict
    assert "grad_W1 uses sigmoid_prime(a1), the slope at the activation (R3's bug)" in str(verdict)


def test_xor_backward_names_a_transposed_weight_gradient():
    assert "grad_W1 has shape (3, 2) where (2, 3) was expected: transposed" in str(
        check.xor_backward(backward(transpose_W1=True)))


def test_xor_backward_names_a_bias_gradient_not_summed_over_the_batch():
    assert "grad_b1 has shape (4, 3) where (3,) was expected: sum the deltas over the batch" in str(
        check.xor_backward(backward(sum_b1=False)))


def test_xor_backward_names_a_bias_gradient_averaged_instead_of_summed():
    assert "grad_b1 is off by a factor of 0.25: divided by n = 4 once too often" in str(
        check.xor_backward(backward(mean_b1=True)))


def test_xor_backward_names_a_delta_not_divided_by_the_batch_size():
    assert "grad_W1 is off by a factor of 4: delta2 is not divided by n = 4" in str(
        check.xor_backward(backward(divide=False)))


def test_xor_backward_calls_the_untouched_stub_not_attempted():
    assert str(check.xor_backward(xor_backward_stub)).startswith("… xor_backward: not attempted yet")


def test_sigmoid_slope_passes_a_times_one_minus_a():
    assert str(check.sigmoid_slope(lambda a: a * (1 - a))) == "✔ sigmoid_slope: passed"


def test_sigmoid_slope_names_sigmoid_prime_of_the_activation():
    assert "that is sigmoid_prime(a), the slope at the activation (R3's bug)" in str(
        check.sigmoid_slope(sigmoid_prime))


def test_sigmoid_slope_names_the_tanh_slope():
    assert "1 - a**2 is the slope of tanh, not of the sigmoid" in str(check.sigmoid_slope(lambda a: 1 - a**2))


def test_sigmoid_slope_calls_the_untouched_stub_not_attempted():
    assert str(check.sigmoid_slope(lambda a: ...)).startswith("… sigmoid_slope: not attempted yet")


def test_tanh_prime_passes_one_minus_tanh_squared():
    assert str(check.tanh_prime(lambda z: 1 - np.tanh(z) ** 2)) == "✔ tanh_prime: passed"


def test_tanh_prime_names_z_taken_for_tanh_z():
    assert "1 - z**2 takes z for tanh(z)" in str(check.tanh_prime(lambda z: 1 - z**2))


def test_tanh_prime_names_the_sigmoids_pattern():
    assert "tanh(z) * (1 - tanh(z)) is the sigmoid's pattern" in str(
        check.tanh_prime(lambda z: np.tanh(z) * (1 - np.tanh(z))))


def test_tanh_prime_calls_the_untouched_stub_not_attempted():
    assert str(check.tanh_prime(lambda z: ...)).startswith("… tanh_prime: not attempted yet")
