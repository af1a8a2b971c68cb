"""A chapter copied alone into an empty folder runs top to bottom, as on Colab or from a download.

The environment is new: a virtual environment that has numpy, torch, matplotlib, a kernel and pip
(with the packages they need), taken from this checkout's .venv by symbolic links so that nothing is
downloaded, and neither `helpers` nor `myst_nb`. The chapter's set-up cell must install the course
package from `COURSE_PACKAGE` (this checkout) with pip, which is barred from every index: no
network. Chapter 01 checks its formulas against PyTorch; chapter 05 also loads MNIST, from the
installed package's data. Both glue numbers, through glue's fallback (`name = value` printed where
myst_nb is absent). Cost: about 30 s on the 2-core course machine (a venv, one pip build, the two
chapters).
"""

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from importlib import metadata
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
RUNTIME = ["numpy", "torch", "matplotlib", "ipywidgets", "ipykernel", "pip", "setuptools"]
# The set-up cell installs from this checkout (COURSE_PACKAGE), with pip barred from every index.
OFFLINE_INSTALL = {"COURSE_PACKAGE": str(ROOT), "PIP_NO_INDEX": "1", "PIP_NO_BUILD_ISOLATION": "0",
                   "PIP_CONFIG_FILE": os.devnull, "PYTHONPATH": ""}


def closure(names):
    """The installed distributions `names` need, with everything they require, recursively."""
    seen, todo = {}, list(names)
    while todo:
        name = re.split(r"[ ;<>=!~\[(]", todo.pop())[0].lower().replace("_", "-")
        if name in seen:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue  # an optional requirement this environment does not have
        seen[name] = dist
        todo += [r for r in dist.requires or [] if "extra ==" not in r]
    return seen.values()


def link_runtime(site_packages: Path):
    """Link every top-level file and folder of the runtime's distributions into site_packages."""
    source = Path(sysconfig.get_paths()["purelib"])
    for dist in closure(RUNTIME):
        tops = {Path(f).parts[0] for f in dist.files or [] if not str(f).startswith("..")}
        for top in tops:
            target = site_packages / top
            if (source / top).exists() and not target.exists():
                target.symlink_to(source / top)


@pytest.fixture
def lone_env(tmp_path_factory):
    """A fresh venv (no pip of its own) whose site-packages links the runtime, and a kernelspec for
    it: (its folder, its python, its site-packages)."""
    base = tmp_path_factory.mktemp("lone")
    env = base / "env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env)], check=True)
    python = env / "bin" / "python"
    site_packages = Path(subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True).stdout.strip())
    link_runtime(site_packages)
    kernels = base / "jupyter" / "kernels" / "lone"
    kernels.mkdir(parents=True)
    (kernels / "kernel.json").write_text(json.dumps({
        "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "lone", "language": "python"}))
    return base, python, site_packages


def test_the_lone_environment_has_the_runtime_but_not_the_course_package(lone_env):
    base, python, _ = lone_env
    probe = ("import importlib.util as u; "
             "print([m for m in ('numpy', 'torch', 'matplotlib', 'helpers', 'myst_nb') if u.find_spec(m)])")
    found = subprocess.run([str(python), "-c", probe], check=True, capture_output=True, text=True,
                           cwd=base).stdout.strip()
    assert found == "['numpy', 'torch', 'matplotlib']"


@pytest.mark.parametrize("chapter", ["01_sigmoid_softmax", "05_autograd_from_scratch"])
def test_a_chapter_copied_alone_runs_after_its_set_up_cell_installs_the_package(lone_env, chapter,
                                                                                 monkeypatch):
    base, python, _ = lone_env
    work = base / chapter
    work.mkdir()
    shutil.copy(ROOT / "chapters" / f"{chapter}.ipynb", work)
    nb = nbformat.read(work / f"{chapter}.ipynb", as_version=4)
    for name, value in {**OFFLINE_INSTALL, "JUPYTER_PATH": str(base / "jupyter")}.items():
        monkeypatch.setenv(name, value)
    NotebookClient(nb, kernel_name="lone", timeout=300,
                   resources={"metadata": {"path": str(work)}}).execute()  # raises on any error
    setup = next(c for c in nb.cells if "course-setup" in c.metadata.get("tags", []))
    setup_output = "".join(o.get("text", "") for o in setup.get("outputs", []))
    assert "installed the course package from" in setup_output


def test_uninstalling_the_package_leaves_nothing_and_the_set_up_cell_installs_it_again(lone_env,
                                                                                      monkeypatch):
    """After a chapter ran (and loaded MNIST), `pip uninstall` removes every file of the package, so
    that a later set-up cell finds the course package missing and installs it again."""
    base, python, site_packages = lone_env
    for name, value in OFFLINE_INSTALL.items():
        monkeypatch.setenv(name, value)
    setup = next(c for c in nbformat.read(ROOT / "chapters" / "05_autograd_from_scratch.ipynb",
                                          as_version=4).cells
                 if "course-setup" in c.metadata.get("tags", []))
    run = [str(python), "-c", setup.source + "\nfrom helpers.data import load_mnist; load_mnist('test')"]
    first = subprocess.run(run, check=True, capture_output=True, text=True, cwd=base)
    assert "installed the course package from" in first.stdout
    pip = subprocess.run([str(python), "-m", "pip", "uninstall", "--yes", "nn-from-scratch-to-pytorch"],
                         capture_output=True, text=True, cwd=base)
    assert pip.returncode == 0, pip.stderr
    left = sorted(str(path) for path in (site_packages / "helpers").rglob("*"))
    assert not (site_packages / "helpers").exists(), left
    again = subprocess.run(run, check=True, capture_output=True, text=True, cwd=base)
    assert "installed the course package from" in again.stdout
