"""Chapter 9's checkers: the right answer passes, each typical mistake is named, a stub is not attempted."""

import numpy as np
import pytest
from numpy.lib.stride_tricks import sliding_window_view

from helpers.check import cnn as check


def stub(*args):
    ...


def im2col(order="cuv", reshape_kernel_straight=False, back_to_nchw=True, bias=True, flip=False):
    """A matrix-product convolution, right by default, with one typical mistake switched on."""
    def conv(X, K, b, stride=1, padding=0):
        C_out, C_in, k, _ = K.shape
        K = K[:, :, ::-1, ::-1] if flip else K
        X_pad = np.pad(X, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
        windows = sliding_window_view(X_pad, (k, k), axis=(2, 3))[:, :, ::stride, ::stride]
        N, _, H, W = windows.shape[:4]
        axes = (0, 2, 3, 1, 4, 5) if order == "cuv" else (0, 2, 3, 4, 5, 1)
        rows = windows.transpose(axes).reshape(N * H * W, C_in * k * k)
        weights = K.reshape(C_in * k * k, C_out) if reshape_kernel_straight else K.reshape(C_out, -1).T
        Z = (rows @ weights + (b if bias else 0)).reshape(N, H, W, C_out)
        return Z.transpose(0, 3, 1, 2) if back_to_nchw else Z
    return conv


def verdict_of(name, answer):
    """Checker `name`'s verdict on an answer (a tuple holds the two numbers macs_per_image takes)."""
    return getattr(check, name)(*answer) if isinstance(answer, tuple) else getattr(check, name)(answer)


STUB = "your function is still the stub: write its body in place of the ..."


VERDICTS = {  # id: (checker, the answer, its verdict's mark: ✔ passed, ✘ wrong, … not attempted, words in it)
    "conv_out-right": ("conv_out", lambda n, k, s=1, p=0: (n + 2 * p - k) // s + 1, "✔",
                       "7 cases match PyTorch's output shapes"),
    "conv_out-stub": ("conv_out", stub, "…", STUB),
    "conv_out-no-plus-one": ("conv_out", lambda n, k, s=1, p=0: (n + 2 * p - k) // s, "✘",
                             "conv_out(n=28, k=5, s=1, p=0): expected 24, got 23: forgot the +1: "
                             "the window's first position counts too"),
    "conv_out-no-floor": ("conv_out", lambda n, k, s=1, p=0: (n + 2 * p - k) / s + 1, "✘",
                          "expected 14, got 14.5: forgot the floor"),
    "conv_out-padding-once": ("conv_out", lambda n, k, s=1, p=0: (n + p - k) // s + 1, "✘",
                              "expected 28, got 26: padding counted once: it is added on both sides, 2p"),
    "conv_out-rounded-up": ("conv_out", lambda n, k, s=1, p=0: -(-(n + 2 * p - k) // s) + 1, "✘",
                            "expected 14, got 15: rounded up"),
    "conv_out-padding-ignored": ("conv_out", lambda n, k, s=1, p=0: (n - k) // s + 1, "✘", "padding ignored"),
    "conv_out-stride-ignored": ("conv_out", lambda n, k, s=1, p=0: n + 2 * p - k + 1, "✘", "stride ignored"),
    "conv_out-floats": ("conv_out", lambda n, k, s=1, p=0: float((n + 2 * p - k) // s + 1), "✘",
                        "come back as floats"),

    "conv_params-right": ("conv_params", lambda c_in, c_out, k: c_out * (c_in * k * k + 1), "✔",
                          "4 layers match nn.Conv2d's parameter count"),
    "conv_params-stub": ("conv_params", stub, "…", STUB),
    "conv_params-no-bias": ("conv_params", lambda c_in, c_out, k: c_out * c_in * k * k, "✘",
                            "conv_params(c_in=1, c_out=32, k=5): expected 832, got 800: bias forgotten: "
                            "each output channel has one bias"),
    "conv_params-channels-swapped": ("conv_params", lambda c_in, c_out, k: c_in * (c_out * k * k + 1), "✘",
                                     "expected 832, got 801: in and out channels swapped"),
    "conv_params-k-for-k-squared": ("conv_params", lambda c_in, c_out, k: c_out * (c_in * k + 1), "✘",
                                    "expected 832, got 192: k where k^2 belongs"),
    "conv_params-no-input-channels": ("conv_params", lambda c_in, c_out, k: c_out * (k * k + 1), "✘",
                                      "expected 51,264, got 1,664: input channels forgotten"),

    "dense_params-right": ("dense_params", 785 * 32 * 24 * 24, "✔",
                           "14,469,120 weights and biases, against the convolution's 832"),
    "dense_params-stub": ("dense_params", ..., "…", "replace the ... with your answer"),
    "dense_params-no-bias": ("dense_params", 784 * 18432, "✘",
                             "expected 14,469,120, got 14,450,688: bias forgotten: "
                             "a dense layer has one bias per output value"),
    "dense_params-outputs-as-channels": ("dense_params", 785 * 32, "✘", "the outputs counted as 32 channels"),
    "dense_params-unshrunk-output": ("dense_params", 785 * 32 * 28 * 28, "✘",
                                     "the output counted as 28 x 28"),
    "dense_params-the-convolutions-count": ("dense_params", 832, "✘", "that is the convolution's own count"),

    "conv2d_matmul-right": ("conv2d_matmul", im2col(), "✔",
                            "matches F.conv2d at stride 1 and 2, with and without padding"),
    "conv2d_matmul-stub": ("conv2d_matmul", stub, "…", STUB),
    "conv2d_matmul-channels-last": (
        "conv2d_matmul", im2col(back_to_nchw=False), "✘", "stride 1, padding 0: shape (2, 7, 7, 4) is "
        "(N, H_out, W_out, C_out): transpose the result back to (N, C_out, H_out, W_out)"),
    "conv2d_matmul-no-bias": ("conv2d_matmul", im2col(bias=False), "✘", "bias forgotten"),
    "conv2d_matmul-kernel-flipped": ("conv2d_matmul", im2col(flip=True), "✘", "kernel flipped"),
    "conv2d_matmul-kernel-not-transposed": ("conv2d_matmul", im2col(reshape_kernel_straight=True), "✘",
                                            "reshaped straight to (C_in k^2, C_out)"),
    "conv2d_matmul-column-order": ("conv2d_matmul", im2col(order="uvc"), "✘",
                                   "ordered (u, v, c) but kernel rows (c, u, v)"),

    "macs_per_image-right": ("macs_per_image", (3_737_600, 10_662_400), "✔",
                             "padding 2 costs 3.06x the multiply-adds in the second convolution"),
    "macs_per_image-stub": ("macs_per_image", (..., ...), "…", "replace the ... with your answer"),
    "macs_per_image-second-only": ("macs_per_image", (3_276_800, 10_662_400), "✘",
                                   "only the second convolution counted"),
    "macs_per_image-first-only": ("macs_per_image", (3_737_600, 627_200), "✘",
                                  "only the first convolution counted"),
    "macs_per_image-no-pooling": ("macs_per_image", (460_800 + 64 * 20 * 20 * 32 * 25, 10_662_400), "✘",
                                  "the pooling between the convolutions is missing"),
    "macs_per_image-no-input-channels": ("macs_per_image", (460_800 + 3_276_800 // 32, 10_662_400), "✘",
                                         "C_in forgotten"),

    "same_padded_params-right": ("same_padded_params", 253_514, "✔",
                                 "253,514: only the first dense layer changed"),
    "same_padded_params-stub": ("same_padded_params", ..., "…", "replace the ... with your answer"),
    "same_padded_params-unpadded": ("same_padded_params", 118_346, "✘", "that is the unpadded network"),
    "same_padded_params-first-padded-only": ("same_padded_params", 832 + 51_264 + 1601 * 64 + 650, "✘",
                                             "only the first convolution padded"),
}


@pytest.mark.parametrize("name, answer, mark, words", VERDICTS.values(), ids=VERDICTS)
def test_each_answer_gets_its_verdict(name, answer, mark, words):
    verdict = str(verdict_of(name, answer))
    assert verdict.startswith(f"{mark} {name}: ") and words in verdict, verdict
