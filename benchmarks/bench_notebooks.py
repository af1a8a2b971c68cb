"""Execution time and peak memory of the chapter notebooks, each in a fresh kernel as nbval runs it,
one after another, against the course's budgets: 60 s a chapter and 300 s for the course on the
slowest course machine (a 2-core AVX2 AMD EPYC), under 2 GiB of resident memory a kernel."""

import os
import statistics
import threading
import time

import nbformat
import psutil
from nbclient import NotebookClient

from . import common

CHAPTERS = common.ROOT / "chapters"
CHAPTER_BUDGET_S, COURSE_BUDGET_S, MEMORY_BUDGET = 60, 300, 2 * 1024**3


def execute(path):
    """Seconds to run notebook `path` in a fresh kernel, and the kernel's peak resident memory
    (its child processes included), sampled every 50 ms."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=900, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    peak, done = [0], threading.Event()

    def sample():
        while not done.wait(0.05):
            try:
                process = psutil.Process(client.km.provisioner.process.pid)
                peak[0] = max(peak[0], sum(p.memory_info().rss for p in
                                           [process, *process.children(recursive=True)]))
            except (AttributeError, psutil.Error):
                pass

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    start = time.perf_counter()
    try:
        client.execute()
    finally:
        done.set()
        thread.join()
    return time.perf_counter() - start, peak[0]


def run(repeats=1, chapters=()):
    """Each chapter (or those whose number is in `chapters`) `repeats` times, in rounds."""
    os.environ["COURSE_PROGRESS"] = "0"
    paths = [p for p in sorted(CHAPTERS.glob("*.ipynb")) if not chapters or p.name[:2] in chapters]
    seconds, peaks = {p: [] for p in paths}, dict.fromkeys(paths, 0)
    for _ in range(repeats):
        for path in paths:
            time_s, peak = execute(path)
            seconds[path].append(time_s)
            peaks[path] = max(peaks[path], peak)
            print(f"{path.name:<34} {time_s:6.1f} s  peak RSS {peak / 2**20:6,.0f} MiB", flush=True)
    lines = [f"Seconds, median (min-max) of {repeats} run(s) in fresh kernels; peak resident memory, the "
             "highest of the runs.", "",
             f"| notebook | seconds (budget {CHAPTER_BUDGET_S}) | peak RSS (budget 2 GiB) | within budget |",
             "|---|---:|---:|---|"]
    for path in paths:
        ok = statistics.median(seconds[path]) <= CHAPTER_BUDGET_S and peaks[path] <= MEMORY_BUDGET
        lines.append(f"| {path.name} | {common.spread(seconds[path])} | {peaks[path] / 2**20:,.0f} MiB | "
                     f"{'yes' if ok else '**no**'} |")
    totals = [sum(times) for times in zip(*seconds.values())]
    if not chapters:  # the course's budget applies to all of them
        ok = statistics.median(totals) <= COURSE_BUDGET_S
        lines.append(f"| **the course** (budget {COURSE_BUDGET_S}) | **{common.spread(totals)}** | | "
                     f"{'yes' if ok else '**no**'} |")
    return "\n".join(lines)
