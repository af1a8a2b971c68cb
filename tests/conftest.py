"""Shared test set-up: a non-interactive matplotlib backend, and no live progress lines in the
notebooks nbval executes (their kernels inherit this environment)."""

import os

import matplotlib

matplotlib.use("Agg")
os.environ["COURSE_PROGRESS"] = "0"
