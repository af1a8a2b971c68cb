"""Shared test set-up: a non-interactive matplotlib backend, and the headless Chromium (with the
screenshots) that the browser tests drive. The repository's conftest.py sets up the notebooks' kernels."""

import contextlib
import os
import shutil
import sys
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")


def missing(reason: str) -> None:
    """Skip locally; under CI a missing browser is a failure, not a silent skip."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set: .ci/run installs Chromium, requirements.txt playwright)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, through playwright (which never downloads a browser of its own here)."""
    path = shutil.which("chromium") or missing("no `chromium` on PATH (Debian: apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("playwright is not installed (pip install -r requirements.txt)")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=path, headless=True)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def jupyter_lab() -> Path:
    """The jupyter-lab beside this Python (make lab installs it)."""
    path = Path(sys.executable).with_name("jupyter-lab")
    return path if path.exists() else missing(f"no jupyter-lab beside {sys.executable} (make lab)")


def screenshot(page, name: str) -> None:
    """The whole page into tests/screenshots/ (git-ignored), also after a failed check, to see why."""
    folder = Path(__file__).resolve().parent / "screenshots"
    folder.mkdir(exist_ok=True)
    with contextlib.suppress(Exception):
        page.screenshot(path=str(folder / f"{name.replace('/', '__')}.png"), full_page=True)


@pytest.fixture
def open_page(browser):
    """A function that opens a new page in the browser; each page is screenshot under its name and closed
    when the test ends."""
    pages = []

    def open_page(name: str, height: int = 900):
        pages.append((browser.new_page(viewport={"width": 1280, "height": height}), name))
        return pages[-1][0]

    yield open_page
    for page, name in pages:
        screenshot(page, name)
        page.close()
