"""Run every benchmark and write benchmarks/results.md (machine, versions, date, one section each).

Run: make bench   (or python benchmarks/run_all.py; --skip-notebooks for a quicker run)
"""

from __future__ import annotations

import datetime
import os
import platform
import sys
import time
from pathlib import Path

import matplotlib
import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_cnn  # noqa: E402
import bench_data  # noqa: E402
import bench_notebooks  # noqa: E402
import bench_training  # noqa: E402
import speedrun  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results.md"


def cpu_model():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def main():
    start = time.perf_counter()
    sections = []
    print("== 1. MNIST loading", flush=True)
    table, _ = bench_data.run()
    sections.append(("1. Loading MNIST (all 70,000 images and labels, float32)", table))
    print("\n== 2. Training throughput", flush=True)
    table, _ = bench_training.run()
    sections.append(("2. Training throughput of a 784-H-10 sigmoid MLP (samples per second, float32)",
                     table))
    if "--skip-notebooks" not in sys.argv:
        print("\n== 3 and 5. Notebook execution time and peak memory", flush=True)
        table, _ = bench_notebooks.run()
        sections.append(("3 and 5. Chapter notebooks: execution time and peak memory "
                         "(fresh kernel each)", table))
    print("\n== 4. CNN speed and time to 99.0%", flush=True)
    table, _ = bench_cnn.run()
    sections.append(("4. The chapter-8 CNN on the CPU", table))
    print("\n== 6. The speed run (chapter 11): the recipe over 5 seeds, each trick removed in turn",
          flush=True)
    table, recipe = speedrun.run(seeds=5, ablation=True)
    sections.append(("6. The speed run of chapter 11 (training seconds and test accuracy, mean of 5 "
                     "seeds)", table + "\n\n`" + speedrun.summary_line(recipe) + "`"))

    header = [
        "# Benchmark results",
        "",
        f"Written by `benchmarks/run_all.py` on {datetime.date.today().isoformat()} "
        f"in {time.perf_counter() - start:.0f} s.",
        "",
        f"- CPU: {cpu_model()}, {os.cpu_count()} cores; torch threads: {torch.get_num_threads()}",
        f"- Python {platform.python_version()}, NumPy {np.__version__}, PyTorch {torch.__version__}, "
        f"Matplotlib {matplotlib.__version__}",
        "- Each figure is the median of several runs unless stated otherwise.",
    ]
    body = [f"\n## {title}\n\n{table}" for title, table in sections]
    RESULTS.write_text("\n".join(header + body) + "\n")
    print(f"\nwrote {RESULTS.relative_to(RESULTS.parent.parent)} "
          f"({time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main()
