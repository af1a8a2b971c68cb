"""pytest set-up for the whole repository: the notebooks run in parallel, one kernel per CPU core.

`pytest` (see `addopts` in pyproject.toml) starts pytest-xdist workers with `-n auto --dist loadfile`:
each notebook runs whole in one worker, in its own kernel, and the workers share the cores. On a
2-core machine two notebooks run at once, each on one thread, instead of one notebook on two
threads that it can rarely keep busy. `pytest -n 0` runs everything in this process, serially.
"""

import os
from pathlib import Path

# Kernels inherit this environment: no live progress lines in the outputs nbval compares.
os.environ["COURSE_PROGRESS"] = "0"

THREAD_VARIABLES = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")
GIB_PER_WORKER = 4  # a chapter's kernel peaks at 1.9 GiB (benchmarks/results.md), plus the worker


def usable_cpus():
    """CPU cores this process may run on (the container's share, not the host's)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def memory_gib():
    """Physical memory in GiB, or None where the OS does not say."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError, AttributeError):
        return None


def pytest_xdist_auto_num_workers(config):
    """`-n auto`: one worker per core, no more than memory allows, and no more than files named."""
    workers = usable_cpus()
    memory = memory_gib()
    if memory is not None:
        workers = min(workers, max(1, int(memory // GIB_PER_WORKER)))
    paths = [Path(arg.split("::")[0]) for arg in config.args]
    if paths and all(path.is_file() for path in paths):  # `pytest chapters/08_cnn.ipynb`: one worker
        workers = min(workers, len(set(paths)))
    return workers


if "PYTEST_XDIST_WORKER_COUNT" in os.environ:
    # A worker: share the cores among the workers, so that kernels do not spin against each other
    # (set before anything imports NumPy or PyTorch; a value set by the caller wins).
    threads = max(1, usable_cpus() // int(os.environ["PYTEST_XDIST_WORKER_COUNT"]))
    for name in THREAD_VARIABLES:
        os.environ.setdefault(name, str(threads))
