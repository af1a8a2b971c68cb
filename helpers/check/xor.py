"""Checkers for chapter 3 (XOR from scratch): the backward pass of the 2-H-1 network with biases,
checked against finite differences, and the sigmoid's slope written with the activation."""

import numpy as np

from helpers.backprop import numerical_gradient, relative_error, sigmoid, sigmoid_prime
from helpers.check.verdict import NotAttempted, Wrong, call, checker, expect_close, expect_shape

_NAMES = ("grad_W1", "grad_b1", "grad_W2", "grad_b2")


def _xor_problem(H=3, seed=0):
    """The four XOR points, their targets as a column, and random weights and biases (float64)."""
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    Y = np.array([[0.0], [1.0], [1.0], [0.0]])
    rng = np.random.default_rng(seed)
    params = [rng.normal(size=(2, H)), 0.5 * rng.normal(size=H), rng.normal(size=(H, 1)),
              0.5 * rng.normal(size=1)]
    return X, Y, params


def _loss(X, Y, W1, b1, W2, b2):
    """The mean binary cross-entropy of the chapter (eq-xor-loss), from the logits."""
    z2 = sigmoid(X @ W1 + b1) @ W2 + b2
    return np.mean(np.logaddexp(0, z2) - Y * z2)


def _backward(X, Y, W1, b1, W2, b2, slope="z1", n=None):
    """The backward pass, or one of its typical mistakes: slope "a1" is R3's sigmoid_prime(a1)."""
    n = len(X) if n is None else n
    z1 = X @ W1 + b1
    a1 = sigmoid(z1)
    delta2 = (sigmoid(a1 @ W2 + b2) - Y) / n
    delta1 = (delta2 @ W2.T) * sigmoid_prime(z1 if slope == "z1" else a1)
    return [X.T @ delta1, delta1.sum(axis=0), a1.T @ delta2, delta2.sum(axis=0)]


@checker
def xor_backward(function):
    """`function(X, Y, W1, b1, W2, b2)` returns grad_W1, grad_b1, grad_W2, grad_b2 of the mean
    binary cross-entropy; compared with central differences at random weights and biases."""
    X, Y, params = _xor_problem()
    got = call(function, X.copy(), Y.copy(), *(p.copy() for p in params))
    if isinstance(got, dict):
        got = [got.get(name[5:], got.get(name)) for name in _NAMES]
    got = list(got) if isinstance(got, (list, tuple)) else [got]
    if any(g is None or g is Ellipsis for g in got):
        raise NotAttempted
    if len(got) != 4:
        raise Wrong(f"returned {len(got)} values where 4 were expected: grad_W1, grad_b1, grad_W2, grad_b2")
    expected = [numerical_gradient(lambda: _loss(X, Y, *params), p) for p in params]
    bug = _backward(X, Y, *params, slope="a1")
    for name, g, e, b in zip(_NAMES, got, expected, bug):
        g = np.asarray(g, dtype=float)
        if name.startswith("grad_b") and g.shape == (len(X), e.size):
            raise Wrong(f"{name} has shape {g.shape} where {e.shape} was expected: "
                        f"sum the deltas over the batch (axis=0), one number per unit")
        if name.startswith("grad_W") and g.shape == e.shape[::-1] and e.shape[0] != e.shape[1]:
            raise Wrong(f"{name} has shape {g.shape} where {e.shape} was expected: transposed; "
                        f"a weight gradient is (layer input).T @ delta, the shape of its weight")
        expect_shape(g, e.shape, name)
        if relative_error(g, e) < 1e-6:
            continue
        if name in ("grad_W1", "grad_b1") and relative_error(g, b) < 1e-6:
            raise Wrong(f"{name} uses sigmoid_prime(a1), the slope at the activation (R3's bug): "
                        f"the slope is sigmoid_prime(z1) = a1 * (1 - a1)")
        ratio = float(np.sum(g * e) / np.sum(e * e))
        if relative_error(g, ratio * e) < 1e-6:
            hint = {4: "delta2 is not divided by n = 4: the loss is a mean over the batch",
                    0.25: "divided by n = 4 once too often: delta2 already carries the 1/n of the mean "
                          "(sum over the batch, do not average)",
                    -1: "the sign is flipped: delta2 = (y_hat - Y) / n"}
            key = min(hint, key=lambda k: abs(ratio - k))
            raise Wrong(f"{name} is off by a factor of {ratio:.3g}: "
                        + (hint[key] if abs(ratio - key) < 1e-6 * abs(key) else "check its factors"))
        expect_close(g, e, f"{name} (against central differences)", rtol=1e-5, atol=1e-8)
    return "all four gradients match central differences"


@checker
def sigmoid_slope(function):
    """`function(a)` returns the sigmoid's slope sigma'(z) from the activation a = sigmoid(z)."""
    z = np.linspace(-6, 6, 13)
    a = sigmoid(z)
    got = np.asarray(call(function, a.copy()), dtype=float)
    expected = sigmoid_prime(z)
    expect_shape(got, expected.shape, "the slope")
    if np.allclose(got, expected, rtol=1e-9, atol=1e-12):
        return None
    if np.allclose(got, sigmoid_prime(a)):
        raise Wrong("that is sigmoid_prime(a), the slope at the activation (R3's bug): "
                    "written with a = sigmoid(z), sigma'(z) = a * (1 - a)")
    if np.allclose(got, 1 - a**2):
        raise Wrong("1 - a**2 is the slope of tanh, not of the sigmoid")
    if np.allclose(got, a):
        raise Wrong("returned the activation itself, not its slope")
    at = int(np.argmax(np.abs(got - expected)))
    raise Wrong(f"at a = {a[at]:.4f} (z = {z[at]:g}) expected {expected[at]:.6g}, got {got[at]:.6g}")


@checker
def tanh_prime(function):
    """`function(z)` returns d tanh(z) / dz at the pre-activation z."""
    z = np.linspace(-3, 3, 13)
    got = np.asarray(call(function, z.copy()), dtype=float)
    expected = 1 - np.tanh(z) ** 2
    expect_shape(got, expected.shape, "tanh_prime(z)")
    if np.allclose(got, expected, rtol=1e-9, atol=1e-12):
        return None
    if np.allclose(got, 1 - z**2):
        raise Wrong("1 - z**2 takes z for tanh(z): the slope is 1 - tanh(z)**2")
    if np.allclose(got, np.tanh(z) * (1 - np.tanh(z))):
        raise Wrong("tanh(z) * (1 - tanh(z)) is the sigmoid's pattern: tanh's slope is 1 - tanh(z)**2")
    if np.allclose(got, 1 - np.tanh(np.tanh(z)) ** 2):
        raise Wrong("applied to the activation tanh(z) (R3's bug, for tanh): pass the pre-activation z")
    at = int(np.argmax(np.abs(got - expected)))
    raise Wrong(f"at z = {z[at]:g} expected {expected[at]:.6g}, got {got[at]:.6g}")
