"""The notebooks as a learner opens them with `make lab`: JupyterLab with jupyterlab-myst, in headless
Chromium.

JupyterLab is started from this Python environment (the .venv of `make lab`) on a free loopback
port, with a token and no browser of its own, serving a temporary folder that holds copies of the
notebooks under test (so that nothing JupyterLab writes, autosaves or checkpoints, can touch the
repository). Each test opens one notebook, waits until its markdown cells are rendered, and checks
what the learner sees:

- chapter 02: no raw MyST in the rendered markdown (no `(ch-...)=` label, no literal `{term}`,
  `{eq}`, `{numref}` or `:::{exercise}` text), no MyST error boxes, and the set-up cell's source
  collapsed;
- a small notebook written here in the exercise format every chapter uses (sphinx-exercise's
  `:::{exercise}` with `:label:`, and the gated `:::{solution-start}` / `:::{solution-end}` in
  markdown cells of their own around a collapsed solution cell): rendered as an exercise box and
  a solution, with no raw directive text and no error box.

A screenshot of each notebook goes to `tests/screenshots/` (git-ignored). Needs Debian's
`chromium` on PATH and the `playwright` package; without either the test skips locally, and fails
under CI (`CI` set).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
CHAPTER = ROOT / "chapters" / "02_gradient_descent.ipynb"

# Raw MyST that must not be visible once jupyterlab-myst has rendered a markdown cell.
RAW_MYST = ("(ch-", ")=", "{term}", "{eq}", "{numref}", "{ref}", "{cite}", "{glue", ":::{", "```{",
            ":label:", ":class:", "solution-start", "solution-end")

# User settings for the temporary JupyterLab: every cell rendered at once (no windowing, so that
# the whole notebook is in the page), and no pop-up asking about news.
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false"},
}

# Visible text of the rendered markdown cells (not of code or outputs), one string per cell.
RENDERED_MARKDOWN_JS = """() => Array.from(document.querySelectorAll('.jp-MarkdownCell')).map(cell => {
  const parts = [];
  const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || el.closest('.jp-InputPrompt, .cm-editor, pre, code, script, style, .katex-mathml')
        || !el.checkVisibility()) continue;
    parts.push(node.textContent);
  }
  return parts.join(' ');
})"""

# What jupyterlab-myst draws for MyST it cannot handle: an unknown directive becomes a red box titled
# "<name> - Unknown Directive" (with its body as raw text), a reference it cannot resolve a yellow
# "Cross Reference Not Found" span showing the raw label. Returns (kind, text) of each one visible.
# Not counted: "Citation Not Found" ({cite} keys: JupyterLab has no bibliography, so every citation
# shows its key with a warning icon; the book resolves them), and {term} links, which point nowhere in
# JupyterLab but read as the word itself.
MYST_ERRORS_JS = """() => {
  const found = [];
  for (const el of document.querySelectorAll('.jp-MarkdownCell .myst *')) {
    if (!el.checkVisibility()) continue;
    const cls = typeof el.className === 'string' ? el.className : '';
    if (el.classList.contains('myst-exercise-title') && el.textContent.includes('Unknown Directive'))
      found.push(['unknown directive', el.textContent.trim()]);
    else if (el.title === 'Cross Reference Not Found')
      found.push(['unresolved reference', el.textContent.trim()]);
    else if (/\\b(bg|border)-red-/.test(cls) && !el.closest('.myst-exercise'))
      found.push(['error box', el.textContent.trim().slice(0, 80)]);
  }
  return found;
}"""


@pytest.fixture
def jupyterlab(jupyter_lab: Path, tmp_path: Path):
    """A function that starts JupyterLab on the given notebooks and returns its base URL and token;
    it stops when the test ends, after the pages' screenshots (fixtures end in reverse order)."""
    with contextlib.ExitStack() as stack:
        yield lambda notebooks: stack.enter_context(_lab(jupyter_lab, notebooks, tmp_path))


@contextlib.contextmanager
def _lab(jupyter_lab: Path, notebooks: dict[str, str | Path], workdir: Path):
    """JupyterLab serving `workdir/notebooks`, which holds the given notebooks (name -> source path
    or JSON text); yields the base URL and the token."""
    served = workdir / "notebooks"
    served.mkdir(parents=True)
    for name, source in notebooks.items():
        if isinstance(source, Path):
            shutil.copyfile(source, served / name)
        else:
            (served / name).write_text(source, encoding="utf-8")
    settings = workdir / "settings"
    for name, values in LAB_SETTINGS.items():
        path = settings / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values), encoding="utf-8")
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    token = secrets.token_hex(16)
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(workdir / "config"),
               JUPYTER_RUNTIME_DIR=str(workdir / "runtime"))
    cmd = [str(jupyter_lab), "--no-browser", "--ip=127.0.0.1",
           f"--port={port}", "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
           f"--ServerApp.root_dir={served}", f"--LabApp.user_settings_dir={settings}",
           f"--LabApp.workspaces_dir={workdir / 'workspaces'}",
           "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
           "--LabApp.extension_manager=readonly"]  # no queries to a package index
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # containers, CI
        cmd.append("--allow-root")
    log = (workdir / "lab.log").open("w")
    process = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=served)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"JupyterLab did not start:\n{(workdir / 'lab.log').read_text()[-3000:]}")
                time.sleep(0.5)
        yield base, token
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def open_notebook(open_page, base: str, token: str, name: str, n_markdown: int):
    """A page showing notebook `name` in JupyterLab, once all its `n_markdown` markdown cells are
    rendered (MyST done) and the page is quiet."""
    page = open_page(f"lab__{Path(name).stem}", height=1000)
    page.goto(f"{base}/lab/tree/{name}?token={token}", wait_until="load")
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
    page.wait_for_function(
        "n => document.querySelectorAll('.jp-MarkdownCell.jp-mod-rendered .myst').length >= n",
        arg=n_markdown, timeout=60_000)
    with contextlib.suppress(Exception):
        page.wait_for_load_state("networkidle", timeout=15_000)
    page.wait_for_timeout(1500)  # MyST renders each cell asynchronously (React)
    return page


def raw_myst_in(texts: list[str], sources: list[str] = ()) -> list[tuple[int, str]]:
    """(markdown cell index, context) of every raw MyST token in the rendered texts. jupyterlab-myst
    does not know myst-nb's `{glue:text}` role and shows its content, `key:format`, as plain text:
    those keys, taken from the cells' sources, count as raw too."""
    found = []
    for index, text in enumerate(texts):
        glued = re.findall(r"\{glue(?::\w+)?\}`([^`]+)`", sources[index]) if sources else []
        for token in (*RAW_MYST, *glued):
            at = text.find(token)
            if at >= 0:
                found.append((index, text[max(0, at - 40):at + 40]))
    return found


def test_chapter_renders_without_raw_myst_and_with_the_setup_cell_collapsed(jupyterlab, open_page):
    cells = json.loads(CHAPTER.read_text(encoding="utf-8"))["cells"]
    n_markdown = sum(cell["cell_type"] == "markdown" for cell in cells)
    setup = next(i for i, cell in enumerate(cells) if "course-setup" in cell["metadata"].get("tags", []))
    page = open_notebook(open_page, *jupyterlab({CHAPTER.name: CHAPTER}), CHAPTER.name, n_markdown)
    texts = page.evaluate(RENDERED_MARKDOWN_JS)
    assert len(texts) == n_markdown
    sources = ["".join(cell["source"]) for cell in cells if cell["cell_type"] == "markdown"]
    raw = raw_myst_in(texts, sources)
    assert raw == [], f"raw MyST visible in JupyterLab (markdown cell, context): {raw}"
    errors = page.evaluate(MYST_ERRORS_JS)
    assert errors == [], (f"MyST that JupyterLab could not render (for a {{ref}} or {{numref}} to "
                          f"another page, a markdown link [text](#label) reads as text): {errors}")
    # The title is rendered as a heading, the label above it is not text.
    assert page.locator(".jp-MarkdownCell h1").first.is_visible()
    # The set-up cell: its source collapsed (JupyterLab shows a placeholder bar instead).
    setup_cell = page.locator(".jp-Notebook .jp-Cell").nth(setup)
    assert not setup_cell.locator(".jp-InputArea-editor").is_visible(), (
        "the set-up cell's source is open: set its metadata jupyter.source_hidden = true")
    assert setup_cell.locator(".jp-InputPlaceholder").is_visible()


def _markdown(text: str) -> dict:
    return {"cell_type": "markdown", "metadata": {}, "source": text}


def _code(text: str, hidden: bool = False) -> dict:
    metadata = {"jupyter": {"source_hidden": True}} if hidden else {}
    return {"cell_type": "code", "metadata": metadata, "source": text, "execution_count": None, "outputs": []}


# A notebook in the exercise format of the chapters (tests/test_notebook_layout.py checks the chapters).
EXERCISE_NOTEBOOK = {
    "nbformat": 4, "nbformat_minor": 5,
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    "cells": [
        _markdown("(ch-lab-exercise)=\n# Exercise format\n\nSee {term}`softmax` and {eq}`eq-x`.\n\n"
                  "$$\ny = 2x\n$$ (eq-x)"),
        _markdown(":::{exercise} Write the stable softmax\n:label: ex-00-stable-softmax\n\n"
                  "Write `stable_softmax(z)` for rows of logits, without overflow.\n:::"),
        _code("def stable_softmax(z):\n    ...  # your code here"),
        _markdown(":::{solution-start} ex-00-stable-softmax\n:class: dropdown\n:::"),
        _code("def stable_softmax(z):\n    e = np.exp(z - z.max(axis=1, keepdims=True))\n"
              "    return e / e.sum(axis=1, keepdims=True)", hidden=True),
        _markdown(":::{solution-end}\n:::"),
        _markdown("Read [exercise 1](#ex-00-stable-softmax) again."),
    ],
}


def test_exercise_format_renders_in_jupyterlab(jupyterlab, open_page):
    """The gated sphinx-exercise syntax, as jupyterlab-myst shows it: the exercise as a titled box,
    the solution markers as solution headings, no directive text and no error box."""
    name = "exercise_format.ipynb"
    n_markdown = sum(cell["cell_type"] == "markdown" for cell in EXERCISE_NOTEBOOK["cells"])
    page = open_notebook(open_page, *jupyterlab({name: json.dumps(EXERCISE_NOTEBOOK)}), name, n_markdown)
    texts = [" ".join(text.split()) for text in page.evaluate(RENDERED_MARKDOWN_JS)]
    assert raw_myst_in(texts) == [], "raw MyST visible in JupyterLab (markdown cell, context)"
    assert page.evaluate(MYST_ERRORS_JS) == [], "MyST error boxes in the rendered markdown"
    # The exercise: a box titled "Exercise 1 (Write the stable softmax)", with its text.
    assert "Exercise 1" in texts[1] and "Write the stable softmax" in texts[1], texts[1]
    assert "without overflow" in texts[1], texts[1]
    # solution-start: a closed box titled "Start of Solution to Exercise 1" (empty: the
    # solution is the next cell, collapsed); solution-end: an empty box, no text.
    assert "Solution to Exercise 1" in texts[2], texts[2]
    assert texts[3] == "", texts[3]
    solution_cell = page.locator(".jp-Notebook .jp-Cell").nth(4)  # cell 4, the second code cell
    assert solution_cell.locator(".jp-InputPlaceholder").is_visible()
    # The link to the exercise reads as its text.
    assert texts[4] == "Read exercise 1 again.", texts[4]
