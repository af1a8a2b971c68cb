"""The CPU a chapter runs on, as chapters 10 and 11 and the benchmarks name it: model, cores, vector
width, clock and bfloat16 instructions, the facts a peak FLOP rate is derived from."""

from __future__ import annotations

import os
import platform
from functools import cache
from pathlib import Path


@cache
def _cpuinfo() -> dict[str, str]:
    """The first processor's fields in /proc/cpuinfo (Linux); empty elsewhere."""
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return {}
    first = text.split("\n\n", 1)[0]
    return {key.strip(): value.strip() for key, _, value in
            (line.partition(":") for line in first.splitlines()) if key.strip()}


def cpu_model() -> str:
    """The CPU's model name as the operating system reports it."""
    return _cpuinfo().get("model name") or platform.processor() or platform.machine() or "unknown CPU"


def cpu_flags() -> set[str]:
    """The instruction-set extensions the CPU reports (Linux), such as avx2, fma, avx512f."""
    return set(_cpuinfo().get("flags", "").split())


def float32_lanes() -> int:
    """How many float32 numbers one vector instruction works on: 16 with AVX-512, 8 with AVX2,
    4 with SSE or ARM's NEON."""
    flags = cpu_flags()
    return 16 if "avx512f" in flags else 8 if "avx2" in flags else 4


def vector_extension() -> str:
    """The widest vector extension: "AVX-512", "AVX2", or the machine type where neither is reported."""
    flags = cpu_flags()
    return "AVX-512" if "avx512f" in flags else "AVX2" if "avx2" in flags else platform.machine()


def clock_ghz() -> float | None:
    """The clock in GHz: the highest the kernel reports, else the current one; None where unknown."""
    try:
        khz = Path("/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq").read_text()
        return int(khz) / 1e6
    except (OSError, ValueError):
        pass
    mhz = _cpuinfo().get("cpu MHz")
    return float(mhz) / 1e3 if mhz else None


def bf16_instructions() -> bool:
    """Whether the CPU has bfloat16 instructions (AVX512-BF16 or AMX), as PyTorch detects them.
    Without them autocast to bfloat16 is emulated: correct, but slower than float32."""
    import torch

    try:
        return bool(torch.cpu._is_avx512_bf16_supported() or torch.cpu._is_amx_tile_supported())
    except AttributeError:  # an older PyTorch, or a CPU other than x86
        return False


def peak_gflops(cores: int, ghz: float, lanes: int, fma_units: int) -> float:
    """The float32 peak: every core issuing `fma_units` fused multiply-adds (2 FLOPs on each of
    `lanes` numbers) every cycle."""
    return cores * ghz * lanes * 2 * fma_units


def describe() -> str:
    """One line naming the machine: model, cores, clock, vector extension, bfloat16 instructions."""
    ghz = clock_ghz()
    clock = f"{ghz:.1f} GHz" if ghz else "clock unknown"
    return (f"{cpu_model()}, {os.cpu_count()} logical cores, {clock}, {vector_extension()} "
            f"({float32_lanes()} float32 lanes), bfloat16 instructions: "
            f"{'yes' if bf16_instructions() else 'no'}")
