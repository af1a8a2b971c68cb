"""Shared test set-up: a non-interactive matplotlib backend (the repository's conftest.py sets up the
notebooks' kernels and the parallel workers)."""

import matplotlib

matplotlib.use("Agg")
