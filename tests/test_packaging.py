"""The course package installs on its own (Colab, Binder, a downloaded notebook), and the repository
URL is written in one place, _config.yml; every copy of it is checked here."""

import re
import socket
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: pytest itself requires tomli there
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from sync_setup_cells import SETUP_TAG, repository_url, setup_cell_source  # noqa: E402

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))


def test_every_chapter_starts_with_the_same_set_up_cell_naming_the_repository():
    expected = setup_cell_source(repository_url())
    for path in CHAPTERS:
        nb = nbformat.read(path, as_version=4)
        first_code = next(c for c in nb.cells if c.cell_type == "code")
        assert SETUP_TAG in first_code.metadata.get("tags", []), f"{path.name}: run `make sync-url`"
        assert first_code.source == expected, f"{path.name}: run `make sync-url`"


def test_pyproject_names_the_repository_of_config_yml():
    assert PYPROJECT["project"]["urls"]["Repository"] == repository_url()


def test_the_package_pins_no_dependency_so_colab_keeps_its_own_torch():
    assert all(re.fullmatch(r"[A-Za-z0-9_-]+", dep) for dep in PYPROJECT["project"]["dependencies"])


def test_binder_pins_the_cpu_build_of_the_torch_that_requirements_txt_pins():
    pinned = re.search(r"(?m)^torch==(\S+)$", (ROOT / "requirements.txt").read_text()).group(1)
    binder = (ROOT / "binder" / "requirements.txt").read_text()
    assert f"torch=={pinned}+cpu" in binder.splitlines()
    assert "--extra-index-url https://download.pytorch.org/whl/cpu" in binder.splitlines()


def test_the_wheel_carries_helpers_and_the_four_mnist_files(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "--wheel-dir", str(tmp_path), str(ROOT)], check=True, cwd=tmp_path)
    wheel = next(tmp_path.glob("*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"helpers/__init__.py", "helpers/data.py", "helpers/book.py"} <= names
    assert {f"helpers/mnist/{n}.gz" for n in ("train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                                              "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")} <= names


def test_torch_resolves_to_the_cpu_build_even_when_an_index_hangs(tmp_path):
    """requirements.txt's torch line with its CPU index, plus an index that accepts connections and
    never answers: pip gives up on that one within its timeout and still picks the +cpu build."""
    lines = (ROOT / "requirements.txt").read_text().splitlines()
    torch_line = next(line for line in lines if line.startswith("torch"))
    index_options = [word for line in lines if line.startswith("--") for word in line.split()]
    with socket.socket() as silent_index:
        silent_index.bind(("127.0.0.1", 0))
        silent_index.listen()
        port = silent_index.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--no-deps",
             "--timeout", "3", "--retries", "0", *index_options,
             "--extra-index-url", f"http://127.0.0.1:{port}/simple", torch_line],
            capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    assert re.search(r"Would install torch-\S+\+cpu", result.stdout), result.stdout[-2000:]
