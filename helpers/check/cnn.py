"""Checkers for chapter 9 (convolutional networks): output sizes, parameter and multiply-add counts,
and the convolution as one matrix product, each checked against PyTorch's own layers."""

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from helpers.check.verdict import Wrong, call, checker, expect_close, expect_shape

META = torch.device("meta")  # reference layers for shapes and counts only: no memory, no random draws

# (n, k, s, p) cases that tell the usual mistakes apart: odd and even remainders, with and without padding
SIZE_CASES = [(28, 5, 1, 0), (28, 5, 1, 2), (28, 5, 2, 2), (14, 5, 2, 2), (24, 2, 2, 0), (9, 3, 2, 1),
              (10, 4, 3, 0)]
SIZE_MISTAKES = [
    (lambda n, k, s, p: (n + 2 * p - k) // s, "forgot the +1: the window's first position counts too"),
    (lambda n, k, s, p: (n + 2 * p - k) / s + 1, "forgot the floor: a window that would stick out of the "
                                                 "padded input does not count (use //)"),
    (lambda n, k, s, p: -(-(n + 2 * p - k) // s) + 1, "rounded up where the formula rounds down (floor)"),
    (lambda n, k, s, p: (n + p - k) // s + 1, "padding counted once: it is added on both sides, 2p"),
    (lambda n, k, s, p: (n - k) // s + 1, "padding ignored: the padded input has n + 2p pixels"),
    (lambda n, k, s, p: n + 2 * p - k + 1, "stride ignored: the window moves s pixels at a time"),
]

PARAM_CASES = [(1, 32, 5), (32, 64, 5), (3, 8, 3), (16, 4, 1)]  # (c_in, c_out, k)
PARAM_MISTAKES = [
    (lambda c_in, c_out, k: c_out * c_in * k * k, "bias forgotten: each output channel has one bias"),
    (lambda c_in, c_out, k: c_in * (c_out * k * k + 1), "in and out channels swapped: the biases go "
                                                        "with the output channels, C_out (C_in k^2 + 1)"),
    (lambda c_in, c_out, k: c_out * (c_in * k + 1), "k where k^2 belongs: the kernel is k x k"),
    (lambda c_in, c_out, k: c_out * (k * k + 1), "input channels forgotten: each filter spans all C_in "
                                                 "input channels"),
    (lambda c_in, c_out, k: c_in * k * k + 1, "one filter counted: there are C_out of them"),
]


def _first_mistake(answer, cases, mistakes):
    """The hint of the first mistake that gives the learner's answers on every case, or None."""
    for mistake, hint in mistakes:
        if all(np.isclose(float(answer[case]), float(mistake(*case))) for case in cases):
            return hint
    return None


def _conv_out_reference(n, k, s, p):
    """The output size PyTorch's own convolution produces."""
    return F.conv2d(torch.zeros(1, 1, n, n), torch.zeros(1, 1, k, k), stride=s, padding=p).shape[-1]


@checker
def conv_out(function):
    """`function(n, k, s, p)`: the output size along one axis, eq. (eq-conv-out), as an int."""
    answers = {case: call(function, *case) for case in SIZE_CASES}
    for case, got in answers.items():
        if not isinstance(got, (int, float, np.integer, np.floating)):
            raise Wrong(f"conv_out{case} returned {got!r} where a single number was expected")
        expected = _conv_out_reference(*case)
        if got != expected:
            hint = _first_mistake(answers, SIZE_CASES, SIZE_MISTAKES)
            n, k, s, p = case
            raise Wrong(f"conv_out(n={n}, k={k}, s={s}, p={p}): expected {expected}, got {got}"
                        + (f": {hint}" if hint else ""))
    if not all(isinstance(got, (int, np.integer)) for got in answers.values()):
        raise Wrong("the sizes are right but come back as floats: a size is an int (use //)")
    return f"{len(SIZE_CASES)} cases match PyTorch's output shapes"


@checker
def conv_params(function):
    """`function(c_in, c_out, k)`: the parameter count of a k x k convolution, as nn.Conv2d has it."""
    answers = {case: call(function, *case) for case in PARAM_CASES}
    for case, got in answers.items():
        expected = sum(p.numel() for p in nn.Conv2d(*case, device=META).parameters())
        if float(got) != expected:
            hint = _first_mistake(answers, PARAM_CASES, PARAM_MISTAKES)
            c_in, c_out, k = case
            raise Wrong(f"conv_params(c_in={c_in}, c_out={c_out}, k={k}): expected {expected:,}, got {got:,}"
                        + (f": {hint}" if hint else ""))
    return f"{len(PARAM_CASES)} layers match nn.Conv2d's parameter count"


@checker
def dense_params(answer):
    """The parameters of a dense layer mapping the (1, 28, 28) digit to the (32, 24, 24) outputs of the
    buffed CNN's first convolution."""
    fan_in = 1 * 28 * 28
    with torch.no_grad():
        fan_out = nn.Conv2d(1, 32, 5, device=META)(torch.zeros(1, 1, 28, 28, device=META))[0].numel()
    expected = (fan_in + 1) * fan_out
    mistakes = {
        fan_in * fan_out: "bias forgotten: a dense layer has one bias per output value",
        fan_in * fan_out + 32: "one bias per channel is the convolution's count: a dense layer has one "
                               "per output value, 32 x 24 x 24 of them",
        (fan_in + 1) * 32: "the outputs counted as 32 channels: there are 32 x 24 x 24 output values",
        (fan_in + 1) * 32 * 28 * 28: "the output counted as 28 x 28: without padding a 5 x 5 window fits "
                                     "24 times along each axis",
        32 * (25 + 1): "that is the convolution's own count; the question asks for the dense layer",
    }
    if float(answer) != expected:
        hint = mistakes.get(answer)
        raise Wrong(f"expected {expected:,}, got {answer:,}" + (f": {hint}" if hint else ""))
    return f"{expected:,} weights and biases, against the convolution's 832"


def _conv_sizes(p):
    """Output sizes of the buffed CNN's two convolutions padded by p, from PyTorch's layers."""
    with torch.no_grad():
        y1 = nn.Conv2d(1, 32, 5, padding=p, device=META)(torch.zeros(1, 1, 28, 28, device=META))
        y2 = nn.Conv2d(32, 64, 5, padding=p, device=META)(F.max_pool2d(y1, 2))
    return y1.shape[-1], y2.shape[-1]


@checker
def macs_per_image(macs_valid, macs_same):
    """The multiply-adds per image of the buffed CNN's two convolutions, unpadded and with padding 2."""
    for name, got, p in (("macs_valid", macs_valid, 0), ("macs_same", macs_same, 2)):
        n1, n2 = _conv_sizes(p)
        conv1, conv2 = 32 * n1 * n1 * 1 * 25, 64 * n2 * n2 * 32 * 25
        expected = conv1 + conv2
        if float(got) == expected:
            continue
        no_pool = n1 + 2 * p - 4  # the second convolution's size had there been no pooling
        hints = {
            conv2: "only the second convolution counted: add the first one's",
            conv1: "only the first convolution counted: add the second one's",
            conv1 + 64 * no_pool * no_pool * 32 * 25: "the pooling between the convolutions is missing: the "
                                                     "second convolution sees a map half as wide",
            expected // 25: "k^2 forgotten: each output does C_in x 5 x 5 multiply-adds",
            conv1 + conv2 // 32: "C_in forgotten in the second convolution: its filters span all 32 input "
                                 "channels",
            832 + 51_264: "that is the parameter count: a weight is used at every output position",
        }
        hint = hints.get(got)
        raise Wrong(f"{name}: expected {expected:,}, got {got:,}" + (f": {hint}" if hint else ""))
    valid, same = _conv_sizes(0)[1], _conv_sizes(2)[1]
    return f"padding 2 costs {same * same / (valid * valid):.2f}x the multiply-adds in the second convolution"


@checker
def conv2d_matmul(function):
    """`function(X, K, b, stride, padding)`: a convolution as one matrix product, compared with F.conv2d."""
    rng = np.random.default_rng(8)
    for stride, padding in ((1, 0), (2, 1)):
        X = rng.standard_normal((2, 3, 9, 9))  # (N, C_in, H, W)
        K = rng.standard_normal((4, 3, 3, 3))  # (C_out, C_in, k, k)
        b = rng.standard_normal(4)
        got = np.asarray(call(function, X, K, b, stride, padding), dtype=float)
        expected = _torch_conv(X, K, b, stride, padding)
        what = f"stride {stride}, padding {padding}"
        N, C_out, H_out, W_out = expected.shape
        if got.shape == (N, H_out, W_out, C_out):
            raise Wrong(f"{what}: shape {got.shape} is (N, H_out, W_out, C_out): transpose the result back "
                        "to (N, C_out, H_out, W_out)")
        if got.ndim == 4 and got.shape[:2] == (N, C_out) and got.shape != expected.shape:
            for s, p, hint in ((1, padding, "stride ignored"), (stride, 0, "padding ignored")):
                if got.shape == _torch_conv(X, K, b, s, p).shape:
                    raise Wrong(f"{what}: shape {got.shape} where {expected.shape} was expected: {hint}")
        expect_shape(got, expected.shape, f"{what}: the output")
        C_in, k = K.shape[1], K.shape[2]
        wrong_answers = {
            "bias forgotten: add b, one value per output channel": expected - b[:, None, None],
            "kernel flipped: deep-learning convolutions do not flip the kernel":
                _torch_conv(X, K[:, :, ::-1, ::-1], b, stride, padding),
            "the kernel was reshaped straight to (C_in k^2, C_out): reshape it to (C_out, C_in k^2), then "
            "transpose": _torch_conv(X, K.reshape(C_in * k * k, -1).T.reshape(K.shape), b, stride, padding),
            "window columns ordered (u, v, c) but kernel rows (c, u, v): order both the same way":
                _torch_conv(X, K.reshape(-1, k, k, C_in).transpose(0, 3, 1, 2), b, stride, padding),
        }
        for hint, wrong in wrong_answers.items():
            if np.allclose(got, wrong, atol=1e-9):
                raise Wrong(f"{what}: {hint}")
        expect_close(got, expected, f"{what}: the output", rtol=1e-9, atol=1e-9)
    return "matches F.conv2d at stride 1 and 2, with and without padding"


def _torch_conv(X, K, b, stride, padding):
    return F.conv2d(torch.from_numpy(np.ascontiguousarray(X)), torch.from_numpy(np.ascontiguousarray(K)),
                    torch.from_numpy(b), stride=stride, padding=padding).numpy()


@checker
def same_padded_params(answer):
    """The parameter count of the buffed CNN with padding 2 in both convolutions (and the dense layer
    resized to fit)."""
    def count(p1, p2):
        with torch.no_grad():
            y = nn.Conv2d(1, 32, 5, padding=p1, device=META)(torch.zeros(1, 1, 28, 28, device=META))
            y = F.max_pool2d(y, 2)
            y = F.max_pool2d(nn.Conv2d(32, 64, 5, padding=p2, device=META)(y), 2)
        flat = y[0].numel()
        return 832 + 51_264 + (flat + 1) * 64 + 650

    expected = count(2, 2)
    hints = {
        count(0, 0): "that is the unpadded network: with padding the flattened map is 64 x 7 x 7, so the "
                     "dense layer grows",
        count(2, 0): "only the first convolution padded: pad the second one too",
        count(0, 2): "only the second convolution padded: pad the first one too",
        expected - 64: "the dense layer's 64 biases forgotten",
        expected - 832 - 51_264: "the convolutions left out: their counts do not change, but they count",
    }
    if float(answer) != expected:
        hint = hints.get(answer)
        raise Wrong(f"expected {expected:,}, got {answer:,}" + (f": {hint}" if hint else ""))
    return f"{expected:,}: only the first dense layer changed"
