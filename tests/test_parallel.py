"""The repository's conftest.py: how many pytest-xdist workers `-n auto` starts."""

import importlib.util
from pathlib import Path
from types import SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("repository_conftest", ROOT / "conftest.py")
repository_conftest = importlib.util.module_from_spec(spec)
spec.loader.exec_module(repository_conftest)


@pytest.fixture
def machine(monkeypatch):
    """Pretend to be a machine with the given cores and memory."""
    def set_machine(cpus, gib):
        monkeypatch.setattr(repository_conftest, "usable_cpus", lambda: cpus)
        monkeypatch.setattr(repository_conftest, "memory_gib", lambda: gib)
    return set_machine


def workers(*args):
    return repository_conftest.pytest_xdist_auto_num_workers(SimpleNamespace(args=list(args)))


def test_auto_starts_one_worker_per_core(machine):
    machine(cpus=2, gib=24)
    assert workers() == 2


def test_auto_starts_no_more_workers_than_4_gib_each(machine):
    machine(cpus=16, gib=16)
    assert workers("chapters") == 4


def test_auto_starts_one_worker_on_a_machine_with_under_8_gib(machine):
    machine(cpus=2, gib=7.5)
    assert workers() == 1


def test_auto_uses_every_core_where_the_memory_is_unknown(machine):
    machine(cpus=2, gib=None)
    assert workers() == 2


def test_auto_starts_one_worker_per_file_named(machine):
    machine(cpus=16, gib=64)
    assert workers(str(ROOT / "chapters" / "08_cnn.ipynb")) == 1
    assert workers(str(ROOT / "chapters" / "08_cnn.ipynb") + "::Cell 3",
                   str(ROOT / "chapters" / "07_mlp_pytorch.ipynb")) == 2

