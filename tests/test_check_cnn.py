"""The chapter-8 checkers: each passes the right answer, names each typical mistake, and says "not
attempted yet" to an untouched stub."""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from helpers.check import cnn as check


def stub(*args):
    ...


# conv_out ------------------------------------------------------------------------------------------

def test_conv_out_passes_the_formula():
    assert check.conv_out(lambda n, k, s=1, p=0: (n + 2 * p - k) // s + 1)


def test_conv_out_says_not_attempted_to_the_stub():
    assert "not attempted yet" in str(check.conv_out(stub))


def test_conv_out_catches_the_missing_plus_one():
    verdict = check.conv_out(lambda n, k, s=1, p=0: (n + 2 * p - k) // s)
    assert str(verdict) == ("✘ conv_out: wrong: conv_out(n=28, k=5, s=1, p=0): expected 24, got 23: "
                            "forgot the +1: the window's first position counts too")


def test_conv_out_catches_the_missing_floor():
    verdict = check.conv_out(lambda n, k, s=1, p=0: (n + 2 * p - k) / s + 1)
    assert "expected 14, got 14.5: forgot the floor" in str(verdict)


def test_conv_out_catches_padding_counted_once():
    verdict = check.conv_out(lambda n, k, s=1, p=0: (n + p - k) // s + 1)
    assert "expected 28, got 26: padding counted once: it is added on both sides, 2p" in str(verdict)


def test_conv_out_catches_rounding_up():
    verdict = check.conv_out(lambda n, k, s=1, p=0: -(-(n + 2 * p - k) // s) + 1)
    assert "expected 14, got 15: rounded up" in str(verdict)


def test_conv_out_catches_ignored_padding_and_stride():
    assert "padding ignored" in str(check.conv_out(lambda n, k, s=1, p=0: (n - k) // s + 1))
    assert "stride ignored" in str(check.conv_out(lambda n, k, s=1, p=0: n + 2 * p - k + 1))


def test_conv_out_wants_ints():
    verdict = check.conv_out(lambda n, k, s=1, p=0: float((n + 2 * p - k) // s + 1))
    assert "come back as floats" in str(verdict)


# conv_params ---------------------------------------------------------------------------------------

def test_conv_params_passes_the_formula():
    assert check.conv_params(lambda c_in, c_out, k: c_out * (c_in * k * k + 1))


def test_conv_params_says_not_attempted_to_the_stub():
    assert "not attempted yet" in str(check.conv_params(stub))


def test_conv_params_catches_the_forgotten_bias():
    verdict = check.conv_params(lambda c_in, c_out, k: c_out * c_in * k * k)
    assert str(verdict) == ("✘ conv_params: wrong: conv_params(c_in=1, c_out=32, k=5): expected 832, "
                            "got 800: bias forgotten: each output channel has one bias")


def test_conv_params_catches_swapped_channels():
    verdict = check.conv_params(lambda c_in, c_out, k: c_in * (c_out * k * k + 1))
    assert "expected 832, got 801: in and out channels swapped" in str(verdict)


def test_conv_params_catches_k_instead_of_k_squared():
    verdict = check.conv_params(lambda c_in, c_out, k: c_out * (c_in * k + 1))
    assert "expected 832, got 192: k where k^2 belongs" in str(verdict)


def test_conv_params_catches_the_forgotten_input_channels():
    verdict = check.conv_params(lambda c_in, c_out, k: c_out * (k * k + 1))
    assert "expected 51,264, got 1,664: input channels forgotten" in str(verdict)


# dense_params --------------------------------------------------------------------------------------

def test_dense_params_passes_785_times_18432():
    assert check.dense_params(785 * 32 * 24 * 24)


def test_dense_params_says_not_attempted_to_the_stub():
    assert "not attempted yet" in str(check.dense_params(...))


def test_dense_params_catches_the_forgotten_bias():
    verdict = check.dense_params(784 * 18432)
    assert str(verdict) == ("✘ dense_params: wrong: expected 14,469,120, got 14,450,688: bias forgotten: "
                            "a dense layer has one bias per output value")


def test_dense_params_catches_outputs_counted_as_channels():
    assert "the outputs counted as 32 channels" in str(check.dense_params(785 * 32))


def test_dense_params_catches_the_unshrunk_output():
    assert "the output counted as 28 x 28" in str(check.dense_params(785 * 32 * 28 * 28))


def test_dense_params_catches_the_convolutions_own_count():
    assert "that is the convolution's own count" in str(check.dense_params(832))


# conv2d_matmul -------------------------------------------------------------------------------------

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


def test_conv2d_matmul_passes_im2col():
    assert check.conv2d_matmul(im2col())


def test_conv2d_matmul_says_not_attempted_to_the_stub():
    assert "not attempted yet" in str(check.conv2d_matmul(stub))


def test_conv2d_matmul_catches_the_output_left_channels_last():
    verdict = check.conv2d_matmul(im2col(back_to_nchw=False))
    assert str(verdict) == ("✘ conv2d_matmul: wrong: stride 1, padding 0: shape (2, 7, 7, 4) is (N, H_out, "
                            "W_out, C_out): transpose the result back to (N, C_out, H_out, W_out)")


def test_conv2d_matmul_catches_the_forgotten_bias():
    assert "bias forgotten" in str(check.conv2d_matmul(im2col(bias=False)))


def test_conv2d_matmul_catches_the_flipped_kernel():
    assert "kernel flipped" in str(check.conv2d_matmul(im2col(flip=True)))


def test_conv2d_matmul_catches_the_kernel_reshaped_without_transpose():
    verdict = check.conv2d_matmul(im2col(reshape_kernel_straight=True))
    assert "reshaped straight to (C_in k^2, C_out)" in str(verdict)


def test_conv2d_matmul_catches_mismatched_column_order():
    assert "ordered (u, v, c) but kernel rows (c, u, v)" in str(check.conv2d_matmul(im2col(order="uvc")))


# macs_per_image ------------------------------------------------------------------------------------

def test_macs_per_image_passes_the_counts():
    verdict = check.macs_per_image(3_737_600, 10_662_400)
    assert str(verdict) == ("✔ macs_per_image: passed: padding 2 costs 3.06x the multiply-adds in the second "
                            "convolution")


def test_macs_per_image_says_not_attempted_to_the_stub():
    assert "not attempted yet" in str(check.macs_per_image(..., ...))


def test_macs_per_image_catches_one_convolution_counted():
    assert "only the second convolution counted" in str(check.macs_per_image(3_276_800, 10_662_400))
    assert "only the first convolution counted" in str(check.macs_per_image(3_737_600, 627_200))


def test_macs_per_image_catches_the_missing_pooling():
    verdict = check.macs_per_image(460_800 + 64 * 20 * 20 * 32 * 25, 10_662_400)
    assert "the pooling between the convolutions is missing" in str(verdict)


def test_macs_per_image_catches_the_forgotten_input_channels():
    assert "C_in forgotten" in str(check.macs_per_image(460_800 + 3_276_800 // 32, 10_662_400))


# same_padded_params --------------------------------------------------------------------------------

def test_same_padded_params_passes_253514():
    assert check.same_padded_params(253_514)


def test_same_padded_params_says_not_attempted_to_the_stub():
    assert "not attempted yet" in str(check.same_padded_params(...))


def test_same_padded_params_catches_the_unpadded_network():
    assert "that is the unpadded network" in str(check.same_padded_params(118_346))


def test_same_padded_params_catches_one_convolution_padded():
    verdict = check.same_padded_params(832 + 51_264 + 1601 * 64 + 650)
    assert "only the first convolution padded" in str(verdict)
