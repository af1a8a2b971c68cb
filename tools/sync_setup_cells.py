"""Write the set-up cell at the top of every chapter, and pyproject's URL, from _config.yml.

The repository URL lives in one place, `repository.url` in _config.yml. After a fork changes that
line, `make sync-url` (this script) rewrites the copies; tests/test_packaging.py fails until it has.
"""

import re
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parent.parent
SETUP_TAG = "course-setup"


def repository_url() -> str:
    return yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"]


def setup_cell_source(url: str) -> str:
    """The first cell of every chapter: installs the course package only where it is missing."""
    return f'''# Set-up for Colab, Binder or a downloaded notebook: install the course package if missing
import importlib.metadata
import os
import subprocess
import sys

REPOSITORY = "git+{url}"
try:
    importlib.metadata.distribution("nn-from-scratch-to-pytorch")
except importlib.metadata.PackageNotFoundError:
    source = os.environ.get("COURSE_PACKAGE", REPOSITORY)  # any pip requirement: path, wheel, URL
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", source], check=True)
    importlib.invalidate_caches()
    print(f"installed the course package from {{source}}")'''


def sync(chapters=None):
    """Give every chapter the set-up cell as its first code cell (replacing an older one)."""
    source = setup_cell_source(repository_url())
    for path in chapters or sorted((ROOT / "chapters").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        first = next((c for c in nb.cells if SETUP_TAG in c.metadata.get("tags", [])), None)
        if first is None:
            first = nbformat.v4.new_code_cell(metadata={"tags": [SETUP_TAG, "hide-cell"]})
            nb.cells.insert(next(i for i, c in enumerate(nb.cells) if c.cell_type == "code"), first)
        collapsed = {"source_hidden": True}  # in JupyterLab and Colab: the lesson comes first
        if first.source != source or first.metadata.get("jupyter") != collapsed:
            first.metadata["jupyter"] = collapsed
            if first.source != source:
                first.source, first.outputs, first.execution_count = source, [], None
            nbformat.write(nb, path)
    pyproject = ROOT / "pyproject.toml"
    text = pyproject.read_text()
    pyproject.write_text(re.sub(r'(?m)^Repository = ".*"$', f'Repository = "{repository_url()}"', text))


if __name__ == "__main__":
    sync()
