"""Checkers for chapter 2's exercises (gradient descent on one parameter): gradients against central
differences, training loops against the update rule; a common mistake is named as such."""

import numpy as np

from helpers.backprop import sigmoid
from helpers.check.verdict import Wrong, _short, call, checker, expect_close

# A small regression like the chapter's: inputs near 1, every target 10.
X = np.array([0.9, 1.1, 1.0, 1.2])
T = np.full(4, 10.0)


def _same(got, expected):
    """True when `got` has `expected`'s shape and values."""
    got, expected = np.asarray(got, dtype=float), np.asarray(expected, dtype=float)
    return got.shape == expected.shape and np.allclose(got, expected, rtol=1e-9, atol=1e-12)


def _judge(got, expected, what, mistakes=(), rtol=1e-9, atol=1e-12):
    """Pass if `got` matches `expected`; else name the first mistake it matches, else say how it differs."""
    if np.shape(got) == np.shape(expected) and np.allclose(np.asarray(got, dtype=float), expected,
                                                            rtol=rtol, atol=atol):
        return
    for mistaken, hint in mistakes:
        if _same(got, mistaken):
            raise Wrong(f"{what}: expected {_short(expected)}, got {_short(got)}: {hint}")
    expect_close(got, expected, what, rtol=rtol, atol=atol)


def _call_on_arrays(function, *args):
    """The learner's function(*args), with an `if` on an array named as the likely mistake."""
    try:
        return call(function, *args)
    except ValueError as error:
        if "ambiguous" in str(error):
            raise Wrong("an `if` on an array is ambiguous: use np.sign or np.where, which work "
                        "element-wise") from None
        raise


def _central_difference(loss, A, eps=1e-6):
    return (loss(A + eps) - loss(A - eps)) / (2 * eps)


@checker
def l1_grad(answer):
    """Your l1_grad(x, t, A), dL/dA of |xA - t|, against central differences, on four samples at once."""
    A = 9.5  # residuals x A - t of both signs
    got = _call_on_arrays(answer, X.copy(), T.copy(), A)
    expected = _central_difference(lambda a: np.abs(X * a - T), A)
    r = X * A - T
    _judge(got, expected, f"l1_grad(x={_short(X)}, t=10, A={A})", [
        (np.sign(r), "the factor x is missing: dp/dA = x (chain rule)"),
        (-np.sign(r) * X, "off by the sign: the residual is xA - t, and d|r|/dr = sign(r)"),
        (2 * X * r, "that is the L2 gradient 2x(xA - t); for |r| the local derivative is sign(r)"),
        (np.abs(r) * X, "|r| x: the local derivative of |r| is sign(r), not |r|"),
        (X, "the sign of the residual is missing: sign(xA - t) x"),
    ], rtol=1e-6, atol=1e-8)
    return "sign(xA - t) x, on arrays too"


def _sgd_reference(grad, x, t, A0, lr, order):
    history = [A0]
    for i in order:
        history.append(history[-1] - lr * grad(x[i], t[i], history[-1]))
    return np.array(history)


def _l2_grad(x, t, A):
    return 2 * x * (x * A - t)


@checker
def sgd(answer):
    """Your sgd(grad, x, t, A0, lr, order) against the update rule A <- A - lr * grad, on four steps."""
    A0, lr, order = 1.0, 0.1, np.array([2, 0, 3, 3])
    got = call(answer, _l2_grad, X.copy(), T.copy(), A0, lr, order.copy())
    expected = _sgd_reference(_l2_grad, X, T, A0, lr, order)
    full_batch = [A0]
    for _ in order:
        full_batch.append(full_batch[-1] - lr * _l2_grad(X, T, full_batch[-1]).mean())
    if np.ndim(got) == 0:
        raise Wrong("returns one number: return the history of A, A0 first, then A after every step "
                    f"({len(order) + 1} values)")
    _judge(got, expected, "sgd(l2_grad, x, t, A0=1, lr=0.1, order=[2, 0, 3, 3])", [
        (_sgd_reference(lambda *a: -_l2_grad(*a), X, T, A0, lr, order),
         "the step goes uphill: A - lr * grad, not A + lr * grad"),
        (_sgd_reference(_l2_grad, X, T, A0, 1.0, order), "the learning rate is missing: A - lr * grad"),
        (_sgd_reference(_l2_grad, X, T, A0, lr, np.arange(len(order))),
         "samples taken as 0, 1, 2, ...: at step k use sample order[k]"),
        (expected[1:], "A0 is missing: the history starts with A0, then A after every step"),
        (np.concatenate([[A0], expected[:-1]]),
         "A is recorded before each update: the value after the last step is missing"),
        (full_batch, "that is full-batch gradient descent (the mean gradient); SGD uses one sample "
                     "x[i], t[i] per step"),
    ])
    return "A0, then A - lr * grad(x[i], t[i], A) for each i in order"


@checker
def bce_grad(answer):
    """Your bce_grad(x, y, A), dL/dA of the sigmoid cross-entropy on z = x + A, against central
    differences."""
    x, y, A = np.array([-2.0, 0.5, 3.0, 1.0]), np.array([0, 1, 1, 0]), 0.3
    got = call(answer, x.copy(), y.copy(), A)
    expected = _central_difference(lambda a: np.logaddexp(0, x + a) - y * (x + a), A)
    p = sigmoid(x + A)
    _judge(got, expected, f"bce_grad(x={_short(x)}, y={_short(y)}, A={A})", [
        (y - p, "off by the sign: p - y, not y - p"),
        (p, "p instead of p - y: the label is missing"),
        (p * (1 - p), "that is dp/dz = p(1 - p); the loss's gradient is p - y"),
        (x + A - y, "z - y: apply the sigmoid to the logit, p = sigmoid(x + A)"),
        (sigmoid(x * A) - y, "the logit is z = x + A, not x A"),
        ((p - y) * x, "a stray factor x: dz/dA = 1 for z = x + A"),
    ], rtol=1e-6, atol=1e-8)
    return "p - y with p = sigmoid(x + A)"


@checker
def l1_resting_point(answer, x):
    """Your resting point of L1 SGD for the data x (targets 10): the x-weighted median of 10/x."""
    x = np.asarray(x, dtype=float)
    targets = 10 / x
    by_size = np.argsort(targets)
    cumulative = np.cumsum(x[by_size]) / x.sum()
    k = np.searchsorted(cumulative, 0.5)  # the first 10/x at which half the weight is reached
    median = targets[by_size][k]
    # where the half is reached exactly, every value up to the next 10/x is a weighted median
    low, high = median, targets[by_size][min(k + 1, len(x) - 1)] if np.isclose(cumulative[k], 0.5) else median
    got = float(answer)
    if low - 1e-6 <= got <= high + 1e-6:
        return f"{got:.3f}, the weighted median of 10/x"
    for mistaken, hint in [
        (np.median(targets), "the plain median of 10/x: weight each 10/x_i by x_i"),
        (np.mean(x * 10) / np.mean(x**2), "that is A*, the optimum of the L2 loss"),
        (np.mean(targets), "the mean of 10/x: L1 rests at a (weighted) median, not a mean"),
        (10 / np.median(x), "10 over the median of x: take the median of the values 10/x_i, weighted by x_i"),
    ]:
        if abs(got - mistaken) < 1e-6:
            raise Wrong(f"expected {median:.4f}, got {got:.4f}: {hint}")
    raise Wrong(f"expected the x-weighted median of 10/x, {median:.4f}, got {got:.4f}")


@checker
def full_batch_gd(answer):
    """Your full_batch_gd(x, t, A0, lr, n_steps) against the exact path
    A* + (A0 - A*)(1 - 2 lr mean(x^2))^k."""
    A0, lr, n_steps = 1.0, 0.1, 5
    got = call(answer, X.copy(), T.copy(), A0, lr, n_steps)
    A_star = np.mean(X * T) / np.mean(X**2)
    expected = A_star + (A0 - A_star) * (1 - 2 * lr * np.mean(X**2)) ** np.arange(n_steps + 1)

    def path(step):
        history = [A0]
        for _ in range(n_steps):
            history.append(step(history[-1]))
        return np.array(history)

    if np.ndim(got) == 0:
        raise Wrong(f"returns one number: return the history of A, A0 first ({n_steps + 1} values)")
    _judge(got, expected, "full_batch_gd(x, t, A0=1, lr=0.1, n_steps=5)", [
        (path(lambda A: A - lr * _l2_grad(X, T, A).sum()),
         f"the gradients are summed, not averaged: each step is n = {len(X)} times too large"),
        (path(lambda A: A + lr * _l2_grad(X, T, A).mean()), "the step goes uphill: A - lr * grad, not +"),
        (path(lambda A: A - lr * _l2_grad(X.mean(), 10.0, A)),
         "the gradient at the mean input, not the mean of the gradients"),
        (expected[1:], "A0 is missing: the history starts with A0"),
    ])
    return "follows A* + (A0 - A*)(1 - 2 lr mean(x^2))^k exactly"


@checker
def moved_threshold(answer):
    """Your prediction of the final A when the classes are centred at 0 and 4."""
    got = float(answer)
    if abs(got - -2.0) < 1e-9:
        return "A = -(0 + 4) / 2 = -2"
    for mistaken, hint in [
        (2.0, "2 is the threshold x = -A; A itself is -(m1 + m2) / 2"),
        (-1.0, "that is where A went for the old classes at -1 and 3"),
        (-4.0, "-(m1 + m2) without the halving: the threshold is at the midpoint"),
    ]:
        if abs(got - mistaken) < 1e-9:
            raise Wrong(f"expected -2, got {got:g}: {hint}")
    raise Wrong(f"expected -2, got {got:g}: the threshold x = -A goes to the midpoint of the class means")
