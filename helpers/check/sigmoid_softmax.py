"""Checkers for chapter 1's exercises (sigmoid and softmax), each against helpers.backprop; a wrong
answer that matches a common mistake is named as that mistake."""

import numpy as np

from helpers import backprop
from helpers.check.verdict import Wrong, _short, call, checker, expect_close


def _same(got, expected):
    """True when `got` has `expected`'s shape and values (nan where `expected` has nan)."""
    got, expected = np.asarray(got, dtype=float), np.asarray(expected, dtype=float)
    return got.shape == expected.shape and np.allclose(got, expected, rtol=1e-6, atol=1e-9, equal_nan=True)


def _judge(got, expected, what, mistakes=()):
    """Pass if `got` matches `expected`; else name the first mistake it matches, else say how it differs."""
    if _same(got, expected):
        return
    for mistaken, hint in mistakes:
        if _same(got, mistaken):
            raise Wrong(f"{what}: expected {_short(expected)}, got {_short(got)}: {hint}")
    expect_close(got, expected, what, rtol=1e-6, atol=1e-9)


def _call_quietly(function, *args):
    """The learner's function(*args) without NumPy's overflow warnings; a broadcasting error named."""
    try:
        with np.errstate(all="ignore"):
            return call(function, *args)
    except ValueError as error:
        if "broadcast" in str(error):
            raise Wrong("shapes do not broadcast: keep the reduced axis with keepdims=True") from None
        raise


@checker
def sigmoid_prime(answer):
    """Your sigmoid_prime(z) against helpers.backprop.sigmoid_prime on a few z."""
    z = np.array([-4.0, -1.0, 0.0, 0.5, 3.0])
    got = _call_quietly(answer, z.copy())
    s = backprop.sigmoid(z)
    expected = backprop.sigmoid_prime(z)
    _judge(got, expected, f"sigmoid_prime({_short(z)})", [
        (z * (1 - z), "z (1 - z): sigmoid_prime takes the pre-activation z, so compute s = sigmoid(z) first"),
        (backprop.sigmoid_prime(s), "the sigmoid is applied twice: use s = sigmoid(z) once"),
        (1 - s**2, "1 - s^2 is the form of tanh's derivative; the sigmoid's is s (1 - s)"),
        (s * (1 + s), "s (1 + s): the bracket is 1 - s"),
        (-expected, "off by the sign: s (1 - s) is positive"),
        (s, "that is the sigmoid itself, not its slope"),
        (1 - s, "1 - s: the factor s = sigmoid(z) is missing"),
    ])
    return "equals s (1 - s) with s = sigmoid(z)"


@checker
def stable_softmax(answer):
    """Your softmax(z, axis=-1) on a batch (rows), on one vector, and on logits near +-1000."""
    Z = np.array([[1.0, 2.0, 3.0], [2.0, 0.0, -1.0]])  # (2 samples, 3 classes), softmax along axis=1
    got = _call_quietly(answer, Z.copy(), 1)
    e_rows = np.exp(Z - Z.max(axis=1, keepdims=True))
    e_cols = np.exp(Z - Z.max(axis=0, keepdims=True))
    _judge(got, backprop.softmax(Z, axis=1), "softmax([[1, 2, 3], [2, 0, -1]], axis=1)", [
        (e_rows, "not normalised: divide by the sum along axis, so that each row sums to 1"),
        (np.exp(Z), "not normalised: divide by the sum along axis, so that each row sums to 1"),
        (backprop.softmax(Z, axis=0),
         "computed along axis 0: each class is normalised over the batch; use the axis argument"),
        (e_rows / e_rows.sum(axis=0, keepdims=True),
         "normalised along the wrong axis: each column sums to 1 instead of each row"),
        (e_cols / e_cols.sum(axis=1, keepdims=True),
         "the maximum is subtracted along the wrong axis: subtract each row's own maximum (keepdims=True)"),
    ])

    v = np.array([2.0, 4.0, 6.0, 8.0])
    got = _call_quietly(answer, v.copy())
    _judge(got, backprop.softmax(v), "softmax([2, 4, 6, 8]) with the default axis")

    Z_big = np.array([[1000.0, 1001.0, 1002.0], [-1000.0, -999.0, -998.0]])
    got = _call_quietly(answer, Z_big.copy(), 1)
    with np.errstate(all="ignore"):
        naive = np.exp(Z_big) / np.exp(Z_big).sum(axis=1, keepdims=True)
        e_all = np.exp(Z_big - Z_big.max())
        global_max = e_all / e_all.sum(axis=1, keepdims=True)
    what = "softmax([[1000, 1001, 1002], [-1000, -999, -998]], axis=1)"
    _judge(got, backprop.softmax(Z_big, axis=1), what, [
        (naive, "no max subtracted: exp overflows at z = 1000 (inf / inf = nan)"),
        (global_max, "the maximum of the whole array is subtracted, not each row's: the row near -1000 "
                     "underflows to 0 / 0"),
    ])
    return "stable at z = 1000, normalised along the axis asked for"


@checker
def layer_shapes(W_shape, Z_shape):
    """The shapes of W and Z = X @ W + b for a layer from 784 pixels to 10 classes, batch of 64."""
    W_shape, Z_shape = tuple(W_shape), tuple(Z_shape)
    if W_shape == (10, 784):
        raise Wrong("W: (10, 784) where (784, 10) was expected: W is (fan_in, fan_out), so X @ W needs no "
                    "transpose")
    if W_shape != (784, 10):
        raise Wrong(f"W: {W_shape} where (784, 10) was expected: W maps 784 features to 10 classes")
    if Z_shape == (10, 64):
        raise Wrong("Z: (10, 64) where (64, 10) was expected (transposed?): rows are samples")
    if Z_shape == (64, 784):
        raise Wrong("Z: (64, 784) is the shape of X; Z holds 10 class scores per sample")
    if Z_shape != (64, 10):
        raise Wrong(f"Z: {Z_shape} where (64, 10) was expected: (64, 784) @ (784, 10) gives (64, 10)")
    return "W (784, 10), Z (64, 10)"


@checker
def tanh_prime(answer):
    """Your tanh_prime(z) against a central difference of np.tanh."""
    z = np.array([-3.0, -0.5, 0.0, 1.0, 2.5])
    got = _call_quietly(answer, z.copy())
    expected = (np.tanh(z + 1e-6) - np.tanh(z - 1e-6)) / 2e-6
    th = np.tanh(z)
    what = f"tanh_prime({_short(z)})"
    if _same(got, 1 - th**2):
        return "equals 1 - tanh(z)^2"
    for mistaken, hint in [
        (1 - th, "1 - tanh(z): the tanh must be squared"),
        (th * (1 - th), "tanh (1 - tanh) copies the sigmoid's form s (1 - s); for tanh it is 1 - tanh^2"),
        (1 + th**2, "1 + tanh^2: the sign, 1 - tanh^2"),
        (backprop.sigmoid_prime(z), "that is the sigmoid's derivative"),
    ]:
        if _same(got, mistaken):
            raise Wrong(f"{what}: expected {_short(expected)}, got {_short(got)}: {hint}")
    expect_close(got, expected, what, rtol=1e-6, atol=1e-8)
    return "matches the central difference"


@checker
def stable_sigmoid(answer):
    """Your stable_sigmoid(z) at z = +-1000 with overflow turned into an error, against helpers.backprop."""
    z = np.array([-1000.0, -50.0, 0.0, 50.0, 1000.0])
    try:
        with np.errstate(over="raise"):
            got = call(answer, z.copy())
    except FloatingPointError:
        raise Wrong("overflow at z = -1000 or 1000: the exponential of a large positive number was computed "
                    "(np.where evaluates both branches for every z: exponentiate -|z|)") from None
    e = np.exp(-np.abs(z))
    _judge(got, backprop.sigmoid(z), f"stable_sigmoid({_short(z)})", [
        (np.where(z >= 0, e / (1 + e), 1 / (1 + e)),
         "the two branches are swapped: for z >= 0 use 1 / (1 + e^-z)"),
        (1 - backprop.sigmoid(z), "that is sigmoid(-z) = 1 - sigmoid(z): a sign in the exponent"),
    ])
    return "no overflow at z = +-1000, agrees with helpers.backprop.sigmoid"


@checker
def uniform_loss(answer):
    """Your uniform_loss(C), the cross-entropy of C equal logits, against helpers.backprop.cross_entropy."""
    for C in (2, 10, 1000):
        expected = backprop.cross_entropy(np.zeros((1, C)), np.array([0]))
        got = call(answer, C)
        _judge(got, expected, f"uniform_loss({C})", [
            (1 / C, "1/C is the probability each class gets; the loss is -log(1/C)"),
            (np.log10(C), "log base 10: the cross-entropy uses the natural log, np.log"),
            (-np.log(C), "off by the sign: -log(1/C) = +log C"),
        ])
    return "log C for C = 2, 10, 1000"
