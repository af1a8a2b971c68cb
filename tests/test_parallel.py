"""The repository's conftest.py: how many pytest-xdist workers `-n auto` starts, and in what order
the notebooks are handed out."""

import importlib.util
import json
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


def notebook_taking(tmp_path, name, seconds):
    """A notebook with one cell whose stored execution took `seconds` (at most 59)."""
    cell = {"cell_type": "code", "source": "", "outputs": [], "execution_count": 1, "metadata": {
        "execution": {"iopub.execute_input": "2026-12-01T10:00:00.000000Z",
                      "shell.execute_reply": f"2026-12-01T10:00:{seconds:02d}.500000Z"}}}
    path = tmp_path / name
    path.write_text(json.dumps({"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    return path


def test_stored_seconds_add_up_the_cells_execution_times(tmp_path):
    assert repository_conftest.stored_seconds(notebook_taking(tmp_path, "a.ipynb", 12)) == 12.5


def test_stored_seconds_are_zero_for_unreadable_notebooks_and_other_files(tmp_path):
    (tmp_path / "broken.ipynb").write_text("{not json")
    (tmp_path / "test_x.py").write_text("")
    assert repository_conftest.stored_seconds(tmp_path / "broken.ipynb") == 0.0
    assert repository_conftest.stored_seconds(tmp_path / "test_x.py") == 0.0


def test_unit_tests_run_first_then_notebooks_longest_first_cells_in_order(tmp_path):
    short, long = notebook_taking(tmp_path, "short.ipynb", 3), notebook_taking(tmp_path, "long.ipynb", 40)
    unit = tmp_path / "test_unit.py"
    items = [SimpleNamespace(path=path, name=name) for path, name in
             [(short, "short 1"), (short, "short 2"), (unit, "unit"), (long, "long 1"), (long, "long 2")]]
    repository_conftest.pytest_collection_modifyitems(None, items)
    assert [item.name for item in items] == ["unit", "long 1", "long 2", "short 1", "short 2"]
