"""The lessons speak to the learner: how the book is tested (seed studies, bands, hidden checks, the
test runner, time budgets, the CPUs it was tried on) is told once, on the appendix page
`testing.md`, and the reference results' forensics on `reference_results.md`, not in the chapters."""

import json
import re
from pathlib import Path

import pytest

CHAPTERS = sorted((Path(__file__).resolve().parent.parent / "chapters").glob("*.ipynb"))
HARNESS_WORDS = re.compile(r"seed[- ]stud(y|ies)|hidden checks?|\bbands?\b|\bsd\b|nbval|budgets?\b"
                           r"|re-?execut|test-portable|make test", re.IGNORECASE)
CPU_NAMES = re.compile(r"Xeon|EPYC|Ryzen|Core i[3579]|AVX", re.IGNORECASE)
UNLINKED_R = re.compile(r"(?<![\[#\w-])R[1-7]\b(?!\]\(#ref-r[1-7]\))")
CPU_CHAPTERS = ("11_", "12_", "13_")  # where the CPU is the subject of the lesson


def lesson_markdown(path):
    cells = json.loads(path.read_text())["cells"]
    return [("".join(cell["source"]), index) for index, cell in enumerate(cells)
            if cell["cell_type"] == "markdown"]


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda path: path.stem)
def test_lesson_prose_has_no_test_harness_words(path):
    found = [(index, match.group()) for text, index in lesson_markdown(path)
             for match in HARNESS_WORDS.finditer(text)]
    assert found == [], f"harness words in lesson prose (cell, word): {found}"


@pytest.mark.parametrize("path", [p for p in CHAPTERS if not p.name.startswith(CPU_CHAPTERS)],
                         ids=lambda path: path.stem)
def test_lesson_prose_names_no_cpu_model(path):
    found = [(index, match.group()) for text, index in lesson_markdown(path)
             for match in CPU_NAMES.finditer(text)]
    assert found == [], f"CPU model names in lesson prose (cell, word): {found}"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda path: path.stem)
def test_every_reference_result_named_links_to_its_row(path):
    """R1-R7 are the published set-ups on the page reference_results.md: each mention links there."""
    unlinked = [(index, text[max(0, match.start() - 30):match.end() + 10])
                for text, index in lesson_markdown(path) for match in UNLINKED_R.finditer(text)]
    assert unlinked == [], f"R-numbers not written as [R5](#ref-r5) (cell, context): {unlinked}"
