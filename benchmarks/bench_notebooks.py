"""Execution time and peak memory of every chapter notebook, each in a fresh kernel as nbval
runs it, against the course budgets on a 2-core CPU (60 s a chapter, 3 min in all; under 2 GiB of
resident memory per kernel). Run: python benchmarks/bench_notebooks.py
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import nbformat
import psutil
from nbclient import NotebookClient

CHAPTERS = Path(__file__).resolve().parent.parent / "chapters"
CHAPTER_BUDGET_S = 60
COURSE_BUDGET_S = 180
MEMORY_BUDGET = 2 * 1024**3


def peak_rss_while(client, run):
    """Run ``run()`` while sampling the kernel's resident set size (children included)."""
    peak, done = [0], threading.Event()

    def sample():
        while not done.wait(0.05):
            try:
                pid = client.km.provisioner.process.pid
                process = psutil.Process(pid)
                rss = process.memory_info().rss + sum(
                    c.memory_info().rss for c in process.children(recursive=True))
                peak[0] = max(peak[0], rss)
            except (AttributeError, psutil.Error):
                pass

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        run()
    finally:
        done.set()
        thread.join()
    return peak[0]


def execute(path):
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=900, kernel_name="python3", resources={
        "metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    peak = peak_rss_while(client, client.execute)
    return time.perf_counter() - start, peak


def run():
    os.environ["COURSE_PROGRESS"] = "0"
    lines = ["| notebook | seconds | budget | peak RSS | within budget |", "|---|---:|---:|---:|---|"]
    total = 0.0
    for path in sorted(CHAPTERS.glob("*.ipynb")):
        seconds, peak = execute(path)
        total += seconds
        budget = CHAPTER_BUDGET_S
        ok = seconds <= budget and peak <= MEMORY_BUDGET
        print(f"{path.name:<32} {seconds:6.1f} s (budget {budget} s)  peak RSS {peak / 2**20:6.0f} MiB",
              flush=True)
        lines.append(f"| {path.name} | {seconds:.1f} | {budget} | {peak / 2**20:,.0f} MiB | "
                     f"{'yes' if ok else '**no**'} |")
    lines.append(f"| **all chapters** | **{total:.1f}** | {COURSE_BUDGET_S} | | "
                 f"{'yes' if total <= COURSE_BUDGET_S else '**no**'} |")
    print(f"total {total:.1f} s (budget {COURSE_BUDGET_S} s)")
    return "\n".join(lines), total


if __name__ == "__main__":
    print(run()[0])
