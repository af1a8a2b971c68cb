"""Specifications of helpers.backprop: activations, losses, numerical gradient and the MLP."""

import numpy as np
import pytest
import torch

from helpers.backprop import (
    MLP,
    cross_entropy,
    log_softmax,
    numerical_gradient,
    one_hot,
    relative_error,
    relu,
    relu_prime,
    sigmoid,
    sigmoid_prime,
    softmax,
)


def test_sigmoid_of_zero_is_one_half():
    assert sigmoid(0.0) == 0.5


def test_sigmoid_equals_its_definition_to_rounding_where_the_definition_is_finite():
    z = np.linspace(-700, 700, 14_001)  # exp(700) is still finite in float64
    assert np.abs(sigmoid(z) - 1 / (1 + np.exp(-z))).max() < 1e-15


def test_sigmoid_is_symmetric_and_stays_in_float32():
    z = np.linspace(-30, 30, 601, dtype=np.float32)
    out = sigmoid(z)
    assert out.dtype == np.float32
    np.testing.assert_allclose(out + sigmoid(-z), 1.0, atol=1e-7)


def test_sigmoid_prime_takes_the_pre_activation_and_peaks_at_one_quarter():
    z = np.linspace(-5, 5, 101)
    assert sigmoid_prime(0.0) == 0.25
    assert sigmoid_prime(z).argmax() == 50


def test_sigmoid_prime_matches_central_differences():
    z = np.linspace(-6, 6, 25)
    numeric = (sigmoid(z + 1e-6) - sigmoid(z - 1e-6)) / 2e-6
    np.testing.assert_allclose(sigmoid_prime(z), numeric, atol=1e-9)


def test_relu_and_relu_prime():
    z = np.array([-2.0, 0.0, 3.0])
    np.testing.assert_array_equal(relu(z), [0.0, 0.0, 3.0])
    np.testing.assert_array_equal(relu_prime(z), [0.0, 0.0, 1.0])


def test_softmax_of_reference_input():
    np.testing.assert_allclose(softmax(np.array([2.0, 4.0, 6.0, 8.0])),
                               [0.00214401, 0.0158422, 0.11705891, 0.86495488], atol=1e-8)


def test_softmax_rows_sum_to_one_and_ignore_a_constant_shift():
    z = np.random.default_rng(0).normal(size=(5, 7))
    np.testing.assert_allclose(softmax(z, axis=1).sum(axis=1), np.ones(5))
    np.testing.assert_allclose(softmax(z + 100.0, axis=1), softmax(z, axis=1))


def test_cross_entropy_of_uniform_logits_is_log_num_classes():
    assert cross_entropy(np.zeros((3, 10)), np.array([0, 4, 9])) == pytest.approx(np.log(10))


def test_cross_entropy_equals_torch():
    rng = np.random.default_rng(1)
    logits, y = rng.normal(size=(6, 4)), rng.integers(0, 4, 6)
    expected = torch.nn.functional.cross_entropy(torch.tensor(logits), torch.tensor(y)).item()
    assert cross_entropy(logits, y) == pytest.approx(expected, rel=1e-12)


def test_numerical_gradient_of_sum_of_squares_is_twice_x():
    x = np.array([[1.0, -2.0], [0.5, 3.0]])
    np.testing.assert_allclose(numerical_gradient(lambda: (x**2).sum(), x), 2 * x, atol=1e-6)


def test_numerical_gradient_restores_its_input():
    x = np.array([1.0, 2.0, 3.0])
    numerical_gradient(lambda: x.sum(), x)
    np.testing.assert_array_equal(x, [1.0, 2.0, 3.0])


def test_mlp_weights_are_fan_in_by_fan_out_and_forward_gives_logits():
    net = MLP([5, 4, 3])
    assert [(W.shape, b.shape) for W, b in net.params] == [((5, 4), (4,)), ((4, 3), (3,))]
    assert net.forward(np.zeros((7, 5))).shape == (7, 3)


def test_mlp_rejects_an_unknown_activation():
    with pytest.raises(ValueError, match="activation"):
        MLP([2, 2], activation="tanh")


@pytest.mark.parametrize("activation", ["sigmoid", "relu"])
@pytest.mark.parametrize("sizes", [[3, 4, 2], [5, 6, 4, 3]])
def test_mlp_backward_equals_numerical_gradient(activation, sizes):
    rng = np.random.default_rng(42)
    net = MLP(sizes, activation=activation, seed=7)
    for _, b in net.params:  # non-zero biases keep relu away from its kink at exactly 0
        b[:] = rng.normal(scale=0.5, size=b.shape)
    X, y = rng.normal(size=(8, sizes[0])), rng.integers(0, sizes[-1], 8)
    for (W, b), (grad_W, grad_b) in zip(net.params, net.backward(X, y)):
        assert relative_error(grad_W, numerical_gradient(lambda: net.loss(X, y), W)) < 1e-6
        assert relative_error(grad_b, numerical_gradient(lambda: net.loss(X, y), b)) < 1e-6


@pytest.mark.parametrize("activation", ["sigmoid", "relu"])
def test_mlp_backward_equals_torch_autograd(activation):
    rng = np.random.default_rng(3)
    net = MLP([6, 5, 4], activation=activation, seed=1)
    X, y = rng.normal(size=(10, 6)), rng.integers(0, 4, 10)
    params = [(torch.tensor(W, requires_grad=True), torch.tensor(b, requires_grad=True))
              for W, b in net.params]
    act = torch.sigmoid if activation == "sigmoid" else torch.relu
    h = act(torch.tensor(X) @ params[0][0] + params[0][1])
    loss = torch.nn.functional.cross_entropy(h @ params[1][0] + params[1][1], torch.tensor(y))
    loss.backward()
    assert net.loss(X, y) == pytest.approx(loss.item(), rel=1e-12)
    for (W, b), (grad_W, grad_b) in zip(params, net.backward(X, y)):
        np.testing.assert_allclose(grad_W, W.grad.numpy(), rtol=1e-10, atol=1e-14)
        np.testing.assert_allclose(grad_b, b.grad.numpy(), rtol=1e-10, atol=1e-14)


def test_mlp_works_in_float32():
    net = MLP([4, 3, 2], dtype=np.float32)
    X, y = np.ones((2, 4), dtype=np.float32), np.array([0, 1])
    assert net.forward(X).dtype == np.float32
    assert all(g.dtype == np.float32 for pair in net.backward(X, y) for g in pair)


def test_mlp_step_lowers_the_loss_on_a_small_batch():
    rng = np.random.default_rng(0)
    net = MLP([4, 8, 3], seed=0)
    X, y = rng.normal(size=(16, 4)), rng.integers(0, 3, 16)
    before = net.loss(X, y)
    net.step(net.backward(X, y), lr=0.5)
    assert net.loss(X, y) < before


def test_mlp_predict_is_argmax_of_logits():
    net = MLP([3, 2], seed=0)
    X = np.random.default_rng(0).normal(size=(5, 3))
    np.testing.assert_array_equal(net.predict(X), net.forward(X).argmax(axis=1))


def test_one_hot_puts_a_single_one_per_row():
    np.testing.assert_array_equal(one_hot([0, 2], 3), [[1, 0, 0], [0, 0, 1]])


@pytest.mark.parametrize("labels", [[0, 3], [-1, 0]])
def test_one_hot_rejects_labels_outside_the_range(labels):
    with pytest.raises(ValueError, match=r"\[0, 3\)"):
        one_hot(labels, 3)


EXTREMES = {  # id: (function, input, its exact value): no overflow, no nan
    "sigmoid-saturates": (sigmoid, np.array([-1000.0, 1000.0]), [0.0, 1.0]),
    "softmax": (softmax, np.array([[1e4, 0.0, -1e4]]), [[1.0, 0.0, 0.0]]),
    "log_softmax": (log_softmax, np.array([[1e4, 0.0, -1e4]]), [[0.0, -1e4, -2e4]]),
    "cross_entropy": (lambda logits: cross_entropy(logits, np.array([0, 1])),
                      np.array([[1e4, -1e4], [1e4, -1e4]]), 1e4),  # (0 + 2e4) / 2
}


@pytest.mark.parametrize("f, z, expected", EXTREMES.values(), ids=EXTREMES)
def test_extreme_inputs_give_exact_finite_values(f, z, expected):
    with np.errstate(over="raise", invalid="raise"):
        np.testing.assert_array_equal(f(z), expected)


@pytest.mark.parametrize("a, b, expected", [
    ([3.0, -4.0], [3.0, -4.0], 0.0),
    ([3.0, -4.0], [-3.0, 4.0], 1.0),
    ([1.0, 1.0], [1.0, -1.0], 2 ** -0.5),  # ||[0, 2]|| / (||[1, 1]|| + ||[1, -1]||) = 2 / (2 sqrt(2))
    ([0.0, 0.0], [0.0, 0.0], 0.0),
], ids=["equal", "opposite", "l2-norms-over-all-entries", "both-zero"])
def test_relative_error_is_the_norm_of_the_difference_over_the_sum_of_the_norms(a, b, expected):
    assert relative_error(np.array(a), np.array(b)) == pytest.approx(expected, rel=1e-12)
