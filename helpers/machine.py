"""The CPU a chapter runs on, as chapters 11 and 12 and the benchmarks name it: model, cores, vector
width, clock, FMA units and bfloat16 instructions, the facts a peak FLOP rate is derived from, and
the threads NumPy's and PyTorch's matrix products use."""

from __future__ import annotations

import ctypes
import os
import platform
from dataclasses import dataclass
from functools import cache
from pathlib import Path


@cache
def _cpuinfo_text() -> str:
    try:
        return Path("/proc/cpuinfo").read_text()
    except OSError:  # not Linux
        return ""


@cache
def _cpuinfo() -> dict[str, str]:
    """The first processor's fields in /proc/cpuinfo (Linux); empty elsewhere."""
    first = _cpuinfo_text().split("\n\n", 1)[0]
    return {key.strip(): value.strip() for key, _, value in
            (line.partition(":") for line in first.splitlines()) if key.strip()}


def cpu_model() -> str:
    """The CPU's model name as the operating system reports it."""
    return _cpuinfo().get("model name") or platform.processor() or platform.machine() or "unknown CPU"


def cpu_flags() -> set[str]:
    """The instruction-set extensions the CPU reports (Linux), such as avx2, fma, avx512f."""
    return set(_cpuinfo().get("flags", "").split())


def physical_cores() -> int:
    """Cores that each have their own FMA units: logical cores that are hyperthreads of one core
    count once (Linux reports which core each logical one sits on); os.cpu_count() elsewhere."""
    cores = set()
    for block in _cpuinfo_text().split("\n\n"):
        fields = dict((key.strip(), value.strip()) for key, _, value in
                      (line.partition(":") for line in block.splitlines()))
        if "core id" in fields:
            cores.add((fields.get("physical id"), fields["core id"]))
    return len(cores) or os.cpu_count() or 1


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
    """The clock in GHz: the highest the kernel reports, else the current one; None where unknown.
    A virtual machine often reports only its base clock, and its cores may run faster (boost)."""
    try:
        khz = Path("/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq").read_text()
        return int(khz) / 1e6
    except (OSError, ValueError):
        pass
    mhz = _cpuinfo().get("cpu MHz")
    return float(mhz) / 1e3 if mhz else None


@dataclass(frozen=True)
class Family:
    """A CPU family as the peak formula needs it: its widest float32 vector and how many FMAs of
    that width a core starts per cycle, with the reason."""

    name: str
    lanes: int
    fma_units: int
    why: str

    @property
    def flops_per_cycle(self) -> int:
        """Float32 FLOPs one core can do per cycle: lanes x 2 (a multiply-add) x FMA units."""
        return self.lanes * 2 * self.fma_units


# The FMA units are an assumption per family, from the vendors' and testers' descriptions of the
# cores: the CPU does not report them.
FAMILIES = {
    "xeon-avx512": Family("Intel Xeon with AVX-512 (Skylake-SP and later)", 16, 2,
                          "two 512-bit FMA units per core (a few low-end models have one)"),
    "intel-avx512": Family("Intel laptop or desktop CPU with AVX-512", 16, 1,
                           "one 512-bit FMA unit per core"),
    "intel-avx2": Family("Intel CPU with AVX2 (Haswell and later)", 8, 2, "two 256-bit FMA units per core"),
    "zen5": Family("AMD Zen 5 (EPYC 9005)", 16, 2,
                   "two 512-bit FMA units per core (laptop parts split them like Zen 4)"),
    "zen4": Family("AMD Zen 4 (EPYC 9004)", 16, 1,
                   "two 256-bit FMA units; a 512-bit FMA is split into two halves, one 512-bit "
                   "FMA per cycle: with AVX-512 or AVX2 the same 32 FLOPs per cycle"),
    "zen2-3": Family("AMD Zen 2 or Zen 3 (EPYC 7002, 7003), AVX2", 8, 2, "two 256-bit FMA units per core"),
    "zen1": Family("AMD Zen (EPYC 7001), AVX2", 8, 1, "two 128-bit FMA units: one 256-bit FMA per cycle"),
}


def cpu_family() -> Family:
    """The family of this CPU from its vendor, family number and flags; for a CPU not listed in
    FAMILIES, its vector width and two FMA units, as most recent cores have."""
    info, flags = _cpuinfo(), cpu_flags()
    vendor, wide = info.get("vendor_id", ""), "avx512f" in flags
    try:
        number, model = int(info.get("cpu family", "0")), int(info.get("model", "0"))
    except ValueError:
        number, model = 0, 0
    key = None
    if vendor == "GenuineIntel" and "fma" in flags:
        key = ("xeon-avx512" if "Xeon" in cpu_model() else "intel-avx512") if wide else "intel-avx2"
    elif vendor == "AuthenticAMD" and "fma" in flags:
        if number >= 0x1A:
            key = "zen5" if wide else "zen2-3"
        elif number == 0x19:
            key = "zen4" if wide else "zen2-3"  # Zen 3 has no AVX-512
        elif number == 0x17:
            key = "zen2-3" if model >= 0x30 else "zen1"
    if key:
        return FAMILIES[key]
    return Family(cpu_model(), float32_lanes(), 2,
                  "not known for this CPU: two FMA units assumed, as most recent cores have")


def fma_units() -> int:
    """FMA units per core at this CPU's widest vector width, as assumed for its family."""
    return cpu_family().fma_units


def bf16_instructions() -> bool:
    """Whether PyTorch can use bfloat16 instructions here: the CPU has them (AVX512-BF16 or AMX) and
    PyTorch's kernels run at the AVX-512 level (ATEN_CPU_CAPABILITY=avx2 narrows them). Without
    them autocast to bfloat16 is emulated: correct, but slower than float32."""
    import torch

    try:
        on_cpu = torch.cpu._is_avx512_bf16_supported() or torch.cpu._is_amx_tile_supported()
        return bool(on_cpu) and torch.backends.cpu.get_cpu_capability().startswith("AVX512")
    except AttributeError:  # an older PyTorch, or a CPU other than x86
        return False


def peak_gflops(cores: int, ghz: float, lanes: int, fma_units: int) -> float:
    """The float32 peak: every core issuing `fma_units` fused multiply-adds (2 FLOPs on each of
    `lanes` numbers) every cycle."""
    return cores * ghz * lanes * 2 * fma_units


def numpy_blas() -> str:
    """The BLAS library NumPy's matrix products call, with its version."""
    import numpy as np

    try:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        return f"{blas['name']} {blas.get('version', '')}".strip()
    except (KeyError, TypeError):
        return "an unknown BLAS"


def numpy_threads() -> int | None:
    """Threads NumPy's BLAS (OpenBLAS, in the wheels from PyPI) uses for a matrix product, asked of
    the library itself; None where it is not OpenBLAS or cannot be asked."""
    import numpy  # noqa: F401  (loads the library)

    try:
        maps = Path("/proc/self/maps").read_text()
    except OSError:
        return None
    paths = {line.split()[-1] for line in maps.splitlines() if "openblas" in line.lower()}
    for path in sorted(paths):
        library = ctypes.CDLL(path)
        for symbol in ("scipy_openblas_get_num_threads64_", "scipy_openblas_get_num_threads",
                       "openblas_get_num_threads64_", "openblas_get_num_threads"):
            if hasattr(library, symbol):
                return int(getattr(library, symbol)())
    return None


def describe() -> str:
    """One line naming the machine: model, cores, clock, vector extension, bfloat16 instructions."""
    ghz = clock_ghz()
    clock = f"{ghz:.1f} GHz" if ghz else "clock unknown"
    logical, physical = os.cpu_count(), physical_cores()
    cores = (f"{logical} logical cores" if physical == logical
             else f"{physical} cores ({logical} logical)")
    return (f"{cpu_model()}, {cores}, {clock}, {vector_extension()} "
            f"({float32_lanes()} float32 lanes), bfloat16 instructions: "
            f"{'yes' if bf16_instructions() else 'no'}")
