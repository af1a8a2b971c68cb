"""pytest set-up for the notebooks' kernels, which inherit this environment: no live progress lines
in the outputs that nbval compares, and pytest-xdist's workers (`-n auto --dist loadfile` in
pyproject.toml: one worker per core, each notebook whole in one worker) share the cores' threads
instead of each spinning up one thread per core."""

import os

os.environ["COURSE_PROGRESS"] = "0"
if "PYTEST_XDIST_WORKER_COUNT" in os.environ:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    threads = max(1, cores // int(os.environ["PYTEST_XDIST_WORKER_COUNT"]))
    for name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ.setdefault(name, str(threads))  # a value set by the caller wins
