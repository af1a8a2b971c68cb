"""Opened in JupyterLab or Colab, a chapter shows its lesson: set-up, check and solution cells are
collapsed, and every chapter has exercises in the flow of the lesson, each with a stub cell that
calls a checker, and a solution behind a toggle."""

import json
import re
from pathlib import Path

import pytest

CHAPTERS = sorted((Path(__file__).resolve().parent.parent / "chapters").glob("*.ipynb"))
LESSONS = [path for path in CHAPTERS if not path.name.startswith("00_")]
EXERCISE = re.compile(r"^:::\{exercise\}.*\n:label: (\S+)", re.MULTILINE)
SOLUTION_START = re.compile(r"^:::\{solution-start\} (\S+)", re.MULTILINE)


def cells(path):
    return json.loads(path.read_text())["cells"]


def source(cell):
    return "".join(cell["source"])


def collapsed(cell):
    return cell["metadata"].get("jupyter", {}).get("source_hidden", False)


def solution_cells(path):
    """The code cells between each `solution-start` and its `solution-end`."""
    inside, found = False, []
    for cell in cells(path):
        text = source(cell)
        if cell["cell_type"] == "markdown" and SOLUTION_START.search(text):
            inside = True
        elif cell["cell_type"] == "markdown" and ":::{solution-end}" in text:
            inside = False
        elif inside and cell["cell_type"] == "code":
            found.append(cell)
    return found


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda path: path.stem)
def test_set_up_and_check_cells_are_collapsed(path):
    tags_of = [(index, cell["metadata"].get("tags", [])) for index, cell in enumerate(cells(path))]
    open_cells = [index for (index, tags), cell in zip(tags_of, cells(path))
                  if ("remove-cell" in tags or "course-setup" in tags) and "slider" not in tags
                  and not collapsed(cell)]
    assert open_cells == [], f"set-up or check cells left open in the notebook: {open_cells}"


@pytest.mark.parametrize("path", LESSONS, ids=lambda path: path.stem)
def test_every_solution_cell_is_collapsed(path):
    assert all(collapsed(cell) for cell in solution_cells(path))


@pytest.mark.parametrize("path", LESSONS, ids=lambda path: path.stem)
def test_every_exercise_has_a_solution_behind_a_toggle(path):
    markdown = "\n".join(source(cell) for cell in cells(path) if cell["cell_type"] == "markdown")
    exercises = EXERCISE.findall(markdown)
    solutions = SOLUTION_START.findall(markdown)
    assert exercises, "no exercises"
    assert sorted(exercises) == sorted(solutions)
    assert markdown.count(":::{solution-start}") == markdown.count(":::{solution-end}")
    assert markdown.count(":class: dropdown") >= len(solutions)


@pytest.mark.parametrize("path", LESSONS, ids=lambda path: path.stem)
def test_two_exercises_in_the_flow_each_with_a_stub_that_calls_a_checker(path):
    in_flow, notebook = 0, cells(path)
    for index, cell in enumerate(notebook):
        if cell["cell_type"] == "markdown" and re.search(r"^#+ Exercises", source(cell), re.MULTILINE):
            break
        if cell["cell_type"] == "markdown" and EXERCISE.search(source(cell)):
            stub = next(c for c in notebook[index + 1:] if c["cell_type"] == "code")
            assert "check." in source(stub), f"the exercise in cell {index} has no stub calling a checker"
            assert not collapsed(stub), f"the stub after cell {index} is collapsed"
            in_flow += 1
    assert in_flow >= 2, f"{in_flow} exercises before the end-of-chapter exercises"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda path: path.stem)
def test_at_most_one_check_cell_per_section(path):
    section, seen = "(top)", {}
    for cell in cells(path):
        tags = cell["metadata"].get("tags", [])
        if cell["cell_type"] == "markdown":
            headings = re.findall(r"^#{2,3} (.+)$", source(cell), re.MULTILINE)
            section = headings[-1] if headings else section
        elif "remove-cell" in tags and "slider" not in tags:
            seen[section] = seen.get(section, 0) + 1
    assert {name: n for name, n in seen.items() if n > 1} == {}
