"""Checkers for the exercises of chapter 11 (making your training fast): counting the FLOPs of a training
step and of a convolution, the peak rate of a CPU, and the arithmetic intensity of a matrix product."""

import numpy as np

from helpers.check.verdict import Wrong, call, checker, name_the_mistake


def _step_flops(n, sizes):
    """Forward products of every layer, weight gradients of every layer, input gradients of every
    layer but the first (no gradient flows back into the pixels): 2nkm FLOPs per (n,k) @ (k,m)."""
    layers = [2 * n * k * m for k, m in zip(sizes[:-1], sizes[1:])]
    return 3 * sum(layers) - layers[0]


def _mistakes(n, sizes):
    """What the usual slips give, each with its hint."""
    layers = [2 * n * k * m for k, m in zip(sizes[:-1], sizes[1:])]
    forward = sum(layers)
    return [
        (_step_flops(n, sizes) / 2, "off by a factor of 2: a multiply-add is 2 FLOPs"),
        (forward, "forward pass only: the backward pass's products are missing"),
        (forward / 2, "forward pass only, and a multiply-add counted as 1 FLOP"),
        (3 * forward, "counted an input gradient for the first layer too: no gradient flows back "
                      "into the pixels, so that layer needs only its weight gradient"),
        (2 * forward, "one backward product per layer: each layer needs its weight gradient and, "
                      "except the first, the gradient flowing back"),
        (_step_flops(1, sizes), "the FLOPs of one image: multiply by the batch size n"),
    ]


@checker
def mlp_step_flops(step_flops_of):
    """`step_flops_of(n, sizes)`: FLOPs of one SGD step of a dense network with layer sizes `sizes`
    (input first) on a batch of n, counting only the matrix products."""
    for n, sizes in ((64, (784, 128, 10)), (1, (784, 128, 10)), (32, (784, 256, 64, 10))):
        got, expected = call(step_flops_of, n, sizes), _step_flops(n, sizes)
        if np.isclose(got, expected, rtol=1e-9):
            continue
        where = f"n = {n}, sizes = {sizes}: expected {expected:,}, got {got:,.0f}"
        name_the_mistake(got, where, _mistakes(n, sizes))
    return "784-128-10 at batch 64: 26,181,632 FLOPs"


@checker
def peak_gflops(peak_of):
    """`peak_of(cores, ghz, lanes, fma_units)`: the peak float32 GFLOP/s of a CPU with that many cores
    at that clock, `lanes` float32 numbers per vector, and `fma_units` fused multiply-add units per core."""
    for cores, ghz, lanes, units in ((4, 3.0, 16, 1), (2, 2.5, 8, 2), (1, 2.0, 16, 2)):
        got = call(peak_of, cores, ghz, lanes, units)
        expected = cores * ghz * lanes * 2 * units
        if np.isclose(got, expected, rtol=1e-9):
            continue
        where = (f"{cores} cores at {ghz} GHz, {lanes} lanes, {units} FMA unit{'s' * (units > 1)}: "
                 f"expected {expected:g} GFLOP/s, got {float(got):g}")
        hints = [(expected / units, f"forgot the {units} FMA units: each core issues that many "
                                     "vector multiply-adds per cycle")] if units > 1 else []
        hints += [(expected / 2, "off by a factor of 2: a fused multiply-add is 2 FLOPs"),
                 (expected * 1e9, "in FLOP/s: divide by 10^9 for GFLOP/s"),
                 (expected / cores, "the peak of one core: multiply by the number of cores"),
                 (expected / lanes, "forgot the vector lanes: one instruction works on `lanes` numbers"),
                 (expected / 2 / lanes, "forgot the vector lanes and the 2 FLOPs of a multiply-add")]
        name_the_mistake(got, where, hints)
    return "2 cores x 2.5 GHz x 8 lanes x 2 FLOPs x 2 FMA units = 160 GFLOP/s"


@checker
def intensity(intensity_of):
    """`intensity_of(n, k, m)`: FLOPs per byte of the float32 product (n, k) @ (k, m), counting the
    bytes of both inputs read and of the output written."""
    for n, k, m in ((1, 784, 128), (64, 784, 128), (1024, 1024, 1024), (3, 5, 7)):
        got = call(intensity_of, n, k, m)
        flops, numbers = 2 * n * k * m, n * k + k * m + n * m
        expected = flops / (4 * numbers)
        if np.isclose(got, expected, rtol=1e-9):
            continue
        where = f"({n}, {k}) @ ({k}, {m}): expected {expected:.4g} FLOPs per byte, got {float(got):.4g}"
        hints = [(expected / 2, "off by a factor of 2: a multiply-add is 2 FLOPs"),
                 (flops / numbers, "FLOPs per number, not per byte: a float32 is 4 bytes"),
                 (1 / expected, "bytes per FLOP: the other way round"),
                 (flops / (4 * (n * k + k * m)), "count the output's n*m numbers too: they are written"),
                 (flops / (4 * n * k * m), "bytes counted as n*k*m: each input number is read once")]
        name_the_mistake(got, where, hints)
    return "batch 1: 0.50 FLOPs per byte; 1024 x 1024: 171"


def _number(x):
    """A count with thousands separators, a small number as it is."""
    return f"{float(x):,.0f}" if abs(float(x)) >= 1000 else f"{float(x):g}"


@checker
def conv1_flops(answer):
    """FLOPs of the forward pass of 32 filters of 5 x 5 over one 28 x 28 image, stride 1, no padding."""
    expected = 2 * 25 * 32 * 24 * 24  # 921,600
    if np.isclose(answer, expected, rtol=1e-9):
        return "921,600 FLOPs per image"
    hints = [(expected / 2, "off by a factor of 2: a multiply-add is 2 FLOPs"),
             (2 * 25 * 32 * 28 * 28, "28 x 28 outputs: without padding a 5 x 5 filter fits 24 x 24 "
                                     "positions"),
             (2 * 25 * 32 * 23 * 23, "23 x 23 outputs: 28 - 5 + 1 = 24 positions along each axis"),
             (2 * 25 * 24 * 24, "one filter's FLOPs: there are 32 filters")]
    if np.isclose(answer, expected / 1e6, rtol=0.01):
        raise Wrong(f"expected {expected:,}, got {_number(answer)}: in MFLOP: give the answer in FLOPs")
    for value, hint in hints:
        if np.isclose(answer, value, rtol=1e-9):
            raise Wrong(f"expected {expected:,}, got {_number(answer)}: {hint}")
    raise Wrong(f"expected {expected:,}, got {_number(answer)}")
