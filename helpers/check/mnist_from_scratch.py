"""Checkers for chapter 4 (an MNIST network in NumPy): the gradient with respect to the logits, the
output layer's weight gradient with its L2 term, inverted dropout, and the softmax-of-sigmoids bound."""

import numpy as np

from helpers.backprop import cross_entropy, numerical_gradient, one_hot, relative_error, softmax
from helpers.check.verdict import Wrong, _short, call, checker, expect_close, expect_shape


def _factor(got, expected):
    """The number c with got = c * expected, or None if got is not a multiple of expected."""
    c = float(np.sum(got * expected) / np.sum(expected * expected))
    return c if relative_error(got, c * expected) < 1e-6 else None


@checker
def logits_gradient(function):
    """`function(logits, y)` returns d(mean cross-entropy)/d(logits), shape (n, classes); compared with
    central differences on n = 5 rows of 10 classes."""
    rng = np.random.default_rng(0)
    n, classes = 5, 10
    logits, y = rng.normal(size=(n, classes)), np.array([3, 0, 7, 3, 9])
    try:
        got = call(function, logits.copy(), y.copy())
    except ValueError as error:
        raise Wrong(f"your answer raised ValueError ({error}): subtract the one-hot labels "
                    f"Y = np.eye(10)[y], shape (n, 10), not the integer labels y") from None
    got = np.asarray(got, dtype=float)
    expected = numerical_gradient(lambda: cross_entropy(logits, y), logits)
    expect_shape(got, expected.shape, "the gradient")
    if relative_error(got, expected) < 1e-6:
        return "matches central differences"
    P = softmax(logits, axis=1)
    if np.allclose(got, P - y[:, None]) or np.allclose(got, (P - y[:, None]) / n):
        raise Wrong("subtracted the integer label from every column: subtract the one-hot Y, "
                    "a 1 in the true class's column only (np.eye(10)[y])")
    if np.allclose(got, P) or np.allclose(got, P / n):
        raise Wrong("the one-hot labels are missing: the gradient is (P - Y) / n, not P / n")
    c = _factor(got, expected)
    if c is not None and abs(c - n) < 1e-6:
        raise Wrong(f"off by a factor of {n} = the batch size: the loss is the mean over the batch, "
                    f"so divide P - Y by n")
    if c is not None and abs(c + 1) < 1e-6:
        raise Wrong("the sign is flipped: the gradient is (P - Y) / n, not (Y - P) / n")
    if c is not None:
        raise Wrong(f"off by a factor of {c:.3g}: the gradient is (P - Y) / n")
    expect_close(got, expected, "the gradient (against central differences)", rtol=1e-5, atol=1e-8)


@checker
def weight_gradient(function):
    """`function(h, grad_logits, W2, l2)` returns dL/dW2 = h.T @ grad_logits + l2 * W2, the shape of
    W2, for h (n, hidden) = (6, 4) and 10 classes."""
    rng = np.random.default_rng(1)
    h, grad_logits = rng.random((6, 4)), rng.normal(size=(6, 10)) / 6
    W2, l2 = rng.normal(size=(4, 10)), 0.3
    got = np.asarray(call(function, h.copy(), grad_logits.copy(), W2.copy(), l2), dtype=float)

    def loss():  # a loss with this gradient: the logits' term linearised, plus the L2 penalty
        return np.sum(grad_logits * (h @ W2)) + l2 / 2 * np.sum(W2**2)

    expected = numerical_gradient(loss, W2)
    if got.shape == expected.shape[::-1]:
        raise Wrong(f"shape {got.shape} where {expected.shape} was expected: transposed; a weight "
                    f"gradient has its weight's shape, (hidden, 10): h.T @ grad_logits")
    expect_shape(got, expected.shape, "the weight gradient")
    if relative_error(got, expected) < 1e-6:
        return "matches central differences"
    data_term = h.T @ grad_logits
    if np.allclose(got, data_term + 2 * l2 * W2):
        raise Wrong("the penalty's gradient is off by a factor of 2: the derivative of "
                    "(l2 / 2) * ||W||^2 is l2 * W")
    if np.allclose(got, data_term):
        raise Wrong("the L2 term l2 * W2 is missing")
    if np.allclose(got, data_term / 6 + l2 * W2):
        raise Wrong("divided by the batch size once too often: grad_logits already carries the 1/n")
    if np.allclose(got, data_term - l2 * W2):
        raise Wrong("the L2 term has the wrong sign: it adds + l2 * W2")
    expect_close(got, expected, "the weight gradient (against central differences)", rtol=1e-5)


@checker
def inverted_dropout(function):
    """`function(a, p, rng)` returns a with each entry dropped (set to 0) with probability p and the
    others divided by 1 - p; checked on 100,000 activations with p = 0.3."""
    p = 0.3
    a = np.random.default_rng(2).uniform(0.5, 1.5, (400, 250))
    got = np.asarray(call(function, a.copy(), p, np.random.default_rng(3)), dtype=float)
    expect_shape(got, a.shape, "the result")
    scale = got / a
    dropped = float(np.mean(scale == 0))
    kept = scale[scale != 0]
    if kept.size == 0:
        raise Wrong("every activation was dropped")
    factor = float(np.median(kept))
    if not np.allclose(kept, factor):
        raise Wrong(f"the kept activations are not all scaled by one factor: {_short(np.unique(kept)[:4])}")
    if abs(dropped - (1 - p)) < 0.02 and abs(dropped - p) > 0.02:
        raise Wrong(f"drops {dropped:.0%} of the activations where p = {p} means 30%: "
                    f"p is the probability of dropping, not of keeping")
    if abs(dropped - p) > 0.02:
        raise Wrong(f"drops {dropped:.1%} of the activations where p = {p} means about 30%")
    for wrong_factor, hint in [(1.0, "the kept activations are not scaled: divide them by 1 - p, so that "
                                     "each activation keeps its expected value"),
                               (1 / p, "scaled by 1 / p where 1 / (1 - p) was expected"),
                               (1 - p, "multiplied by 1 - p: inverted dropout divides by 1 - p during "
                                       "training (and leaves the network alone when predicting)")]:
        if np.isclose(factor, wrong_factor):
            raise Wrong(hint)
    if not np.isclose(factor, 1 / (1 - p)):
        raise Wrong(f"the kept activations are scaled by {factor:.4g} where 1 / (1 - p) = {1 / (1 - p):.4g}")
    return f"drops {dropped:.1%}, scales the rest by 1 / (1 - p)"


@checker
def softmax_bound(function):
    """`function(C)` returns the largest value a softmax of C numbers in [0, 1] can take."""
    for C in (2, 10, 100):
        got = float(call(function, C))
        expected = float(softmax(one_hot([0], C)[0]).max())  # one input at 1, the others at 0
        if np.isclose(got, expected, rtol=1e-9):
            continue
        if np.isclose(got, np.e / (np.e + C)):
            raise Wrong(f"C = {C}: e / (e + C) counts the top input twice: "
                        f"there are C - 1 others, each e^0 = 1")
        if np.isclose(got, 1 / C):
            raise Wrong(f"C = {C}: 1 / C is the share when all inputs are equal, the smallest top share")
        if np.isclose(got, np.e / (np.e + 9)) and C != 10:
            raise Wrong(f"C = {C}: e / (e + 9) is the bound for ten classes only: write it with C")
        raise Wrong(f"C = {C}: expected {expected:.6g}, got {got:.6g}")
    return None
