"""helpers.machine names the CPU and derives its peak from what /proc/cpuinfo reports: here the CPU is
whatever each test says it is (monkeypatched /proc/cpuinfo fields), so the tests hold on any machine."""

import os
import subprocess
import sys

import pytest

from helpers import machine


def pretend(monkeypatch, **fields):
    """Make helpers.machine see a CPU with these /proc/cpuinfo fields (model_name for "model name")."""
    info = {key if key == "vendor_id" else key.replace("_", " "): value for key, value in fields.items()}
    monkeypatch.setattr(machine, "_cpuinfo", lambda: info)


@pytest.mark.parametrize("flags, lanes, extension", [("fma avx2 avx512f", 16, "AVX-512"),
                                                     ("fma avx2", 8, "AVX2"), ("sse2", 4, None)])
def test_float32_lanes_follow_the_widest_vector_flag(monkeypatch, flags, lanes, extension):
    pretend(monkeypatch, flags=flags)
    assert machine.float32_lanes() == lanes
    if extension:
        assert machine.vector_extension() == extension


@pytest.mark.parametrize("vendor, family, model, name, flags, expected", [
    ("AuthenticAMD", "25", "17", "AMD EPYC 9R14", "fma avx2 avx512f", "zen4"),
    ("AuthenticAMD", "25", "1", "AMD EPYC 7R13", "fma avx2", "zen2-3"),
    ("AuthenticAMD", "23", "49", "AMD EPYC 7R32", "fma avx2", "zen2-3"),
    ("GenuineIntel", "6", "143", "Intel(R) Xeon(R) Platinum 8488C", "fma avx2 avx512f", "xeon-avx512"),
    ("GenuineIntel", "6", "158", "Intel(R) Core(TM) i7-8700", "fma avx2", "intel-avx2"),
])
def test_the_family_decides_the_fma_units(monkeypatch, vendor, family, model, name, flags, expected):
    pretend(monkeypatch, vendor_id=vendor, cpu_family=family, model=model, model_name=name, flags=flags)
    assert machine.cpu_family() == machine.FAMILIES[expected]
    assert machine.fma_units() == machine.FAMILIES[expected].fma_units


def test_zen_4_with_avx512_peaks_per_cycle_as_zen_3_with_avx2():
    assert machine.FAMILIES["zen4"].flops_per_cycle == machine.FAMILIES["zen2-3"].flops_per_cycle == 32
    assert machine.FAMILIES["xeon-avx512"].flops_per_cycle == 64


def test_an_unknown_cpu_gets_its_lanes_and_two_fma_units_assumed(monkeypatch):
    pretend(monkeypatch, model_name="Some ARM core", flags="")
    family = machine.cpu_family()
    assert (family.lanes, family.fma_units) == (4, 2) and "assumed" in family.why


def test_peak_is_cores_times_clock_times_lanes_times_2_times_fma_units():
    assert machine.peak_gflops(2, 2.5, 8, 2) == 2 * 2.5 * 8 * 2 * 2 == 160
    assert machine.peak_gflops(2, 3.0, 16, 1) == 192


def test_describe_names_the_model_the_vector_width_and_bfloat16(monkeypatch):
    pretend(monkeypatch, model_name="Test CPU 9000", flags="fma avx2")
    monkeypatch.setattr(machine, "bf16_instructions", lambda: False)
    line = machine.describe()
    assert line.startswith("Test CPU 9000, ")
    assert "AVX2 (8 float32 lanes)" in line and line.endswith("bfloat16 instructions: no")


def test_numpy_threads_is_a_count_or_unknown():
    threads = machine.numpy_threads()
    assert threads is None or threads >= 1


def test_bfloat16_is_not_offered_when_pytorch_runs_at_the_avx2_level():
    code = "from helpers import machine; print(machine.bf16_instructions())"
    env = {**os.environ, "ATEN_CPU_CAPABILITY": "avx2"}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
