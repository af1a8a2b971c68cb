"""The checkers of chapter 11: the right answer passes, each usual slip is named, a stub is not attempted."""

from helpers.check import performance as check


def step_flops(n, sizes):
    forward = [2 * n * k * m for k, m in zip(sizes[:-1], sizes[1:])]
    return 2 * sum(forward) + sum(forward[1:])


def stub(*args):
    ...


# mlp_step_flops

def test_mlp_step_flops_passes_the_count_of_the_chapter():
    verdict = check.mlp_step_flops(step_flops)
    assert verdict and str(verdict) == "✔ mlp_step_flops: passed: 784-128-10 at batch 64: 26,181,632 FLOPs"


def test_mlp_step_flops_names_a_missing_factor_of_2():
    verdict = check.mlp_step_flops(lambda n, sizes: step_flops(n, sizes) / 2)
    assert not verdict
    assert "expected 26,181,632, got 13,090,816: off by a factor of 2: a multiply-add is 2" in str(verdict)


def test_mlp_step_flops_names_a_forgotten_backward_pass():
    verdict = check.mlp_step_flops(lambda n, sizes: sum(2 * n * k * m for k, m in zip(sizes[:-1], sizes[1:])))
    assert "got 13,008,896: forward pass only: the backward pass's products are missing" in str(verdict)


def test_mlp_step_flops_names_an_input_gradient_for_the_first_layer():
    verdict = check.mlp_step_flops(
        lambda n, sizes: 3 * sum(2 * n * k * m for k, m in zip(sizes[:-1], sizes[1:])))
    assert "counted an input gradient for the first layer too" in str(verdict)


def test_mlp_step_flops_names_a_count_per_image():
    verdict = check.mlp_step_flops(lambda n, sizes: step_flops(1, sizes))
    assert "the FLOPs of one image: multiply by the batch size n" in str(verdict)


def test_mlp_step_flops_stub_is_not_attempted():
    assert str(check.mlp_step_flops(stub)).startswith("… mlp_step_flops: not attempted yet")


# peak_gflops

def test_peak_gflops_passes_cores_clock_lanes_fma():
    verdict = check.peak_gflops(lambda cores, ghz, lanes, units: cores * ghz * lanes * 2 * units)
    assert verdict and "160 GFLOP/s" in str(verdict)


def test_peak_gflops_names_the_missing_2_of_a_multiply_add():
    verdict = check.peak_gflops(lambda cores, ghz, lanes, units: cores * ghz * lanes * units)
    assert str(verdict) == ("✘ peak_gflops: wrong: 4 cores at 3.0 GHz, 16 lanes, 1 FMA unit: expected 384 "
                            "GFLOP/s, got 192: off by a factor of 2: a fused multiply-add is 2 FLOPs")


def test_peak_gflops_names_forgotten_fma_units():
    verdict = check.peak_gflops(lambda cores, ghz, lanes, units: cores * ghz * lanes * 2)
    assert "expected 160 GFLOP/s, got 80: forgot the 2 FMA units" in str(verdict)


def test_peak_gflops_names_a_per_core_peak():
    verdict = check.peak_gflops(lambda cores, ghz, lanes, units: ghz * lanes * 2 * units)
    assert "the peak of one core: multiply by the number of cores" in str(verdict)


def test_peak_gflops_names_flop_per_second_instead_of_gflop():
    verdict = check.peak_gflops(lambda cores, ghz, lanes, units: cores * ghz * 1e9 * lanes * 2 * units)
    assert "in FLOP/s: divide by 10^9 for GFLOP/s" in str(verdict)


def test_peak_gflops_stub_is_not_attempted():
    assert not check.peak_gflops(stub) and "not attempted yet" in str(check.peak_gflops(stub))


# intensity

def test_intensity_passes_flops_over_bytes_moved():
    verdict = check.intensity(lambda n, k, m: 2 * n * k * m / (4 * (n * k + k * m + n * m)))
    assert verdict and str(verdict).endswith("batch 1: 0.50 FLOPs per byte; 1024 x 1024: 171")


def test_intensity_names_a_forgotten_output():
    verdict = check.intensity(lambda n, k, m: 2 * n * k * m / (4 * (n * k + k * m)))
    assert str(verdict) == ("✘ intensity: wrong: (1, 784) @ (784, 128): expected 0.4955 FLOPs per byte, got "
                            "0.4961: count the output's n*m numbers too: they are written")


def test_intensity_names_numbers_instead_of_bytes():
    verdict = check.intensity(lambda n, k, m: 2 * n * k * m / (n * k + k * m + n * m))
    assert "FLOPs per number, not per byte: a float32 is 4 bytes" in str(verdict)


def test_intensity_names_bytes_per_flop():
    verdict = check.intensity(lambda n, k, m: 4 * (n * k + k * m + n * m) / (2 * n * k * m))
    assert "bytes per FLOP: the other way round" in str(verdict)


def test_intensity_stub_is_not_attempted():
    assert "not attempted yet" in str(check.intensity(stub))


# conv1_flops

def test_conv1_flops_passes_921600():
    assert str(check.conv1_flops(921_600)) == "✔ conv1_flops: passed: 921,600 FLOPs per image"


def test_conv1_flops_names_28_by_28_outputs():
    verdict = check.conv1_flops(2 * 25 * 32 * 28 * 28)
    assert "expected 921,600, got 1,254,400: 28 x 28 outputs" in str(verdict)


def test_conv1_flops_names_multiply_adds_counted_once():
    assert "off by a factor of 2" in str(check.conv1_flops(460_800))


def test_conv1_flops_names_one_filter():
    assert "one filter's FLOPs: there are 32 filters" in str(check.conv1_flops(28_800))


def test_conv1_flops_names_an_answer_in_mflop():
    assert "in MFLOP: give the answer in FLOPs" in str(check.conv1_flops(0.92))


def test_conv1_flops_untouched_stub_is_not_attempted():
    assert str(check.conv1_flops(...)) == ("… conv1_flops: not attempted yet: replace the ... "
                                           "with your answer")
