"""Shared test set-up: a non-interactive matplotlib backend, and the headless Chromium that the
browser tests drive (the repository's conftest.py sets up the notebooks' kernels and the workers)."""

import os
import shutil

import matplotlib
import pytest

matplotlib.use("Agg")


def browser_missing(reason: str) -> None:
    """Skip locally; under CI a missing browser is a failure, not a silent skip."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set: .ci/run installs Chromium, requirements.txt playwright)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Debian's Chromium, for playwright (which never downloads a browser of its own here)."""
    path = shutil.which("chromium")
    if path is None:
        browser_missing("no `chromium` on PATH (Debian: apt-get install chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        browser_missing("playwright is not installed (pip install -r requirements.txt)")
    return path
