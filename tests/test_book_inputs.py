"""The book's stored tables are inputs of the book, not outputs of the benchmarks: chapters read them
from chapters/tables/, which only `make tables` rewrites, and no benchmark writes outside
benchmarks/, so `make bench` never changes a file a chapter reads or nbval compares."""

import json
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))


def code(path):
    cells = json.loads(path.read_text())["cells"]
    return "\n".join("".join(cell["source"]) for cell in cells if cell["cell_type"] == "code")


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda path: path.stem)
def test_a_chapter_reads_no_file_the_benchmarks_write(path):
    files_named = re.findall(r"benchmarks\W+[\w./\"' ]*?\.(?:json|md|csv)", code(path))  # a data file in it
    assert files_named == []


@pytest.mark.parametrize("path", sorted((ROOT / "benchmarks").glob("*.py")), ids=lambda path: path.name)
def test_a_benchmark_writes_nothing_a_chapter_reads(path):
    assert "chapters/tables" not in path.read_text() and '"tables"' not in path.read_text()


def test_the_stored_tables_are_what_make_tables_copies_from_the_benchmarks():
    commands = subprocess.run(["make", "-n", "tables"], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout
    copies = [line.split()[1:] for line in commands.splitlines() if line.startswith("cp ")]
    assert all(source.startswith("benchmarks/") for source, _ in copies)
    assert sorted(Path(target).name for _, target in copies) == sorted(
        path.name for path in (ROOT / "chapters" / "tables").iterdir())
