"""What every benchmark shares: the machine it ran on, timings over repeats (min, median, max) and
files written atomically, so that a stopped benchmark never leaves half a file."""

from __future__ import annotations

import datetime
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `python -m benchmarks` from anywhere imports the course package
    sys.path.insert(0, str(ROOT))

from helpers import machine  # noqa: E402


def machine_lines() -> list[str]:
    """Markdown bullet lines naming the machine, the date and the library versions."""
    import matplotlib
    import numpy as np
    import torch

    return [f"- Machine: {machine.describe()}; PyTorch threads: {torch.get_num_threads()}",
            f"- Python {platform.python_version()}, NumPy {np.__version__}, PyTorch {torch.__version__}, "
            f"Matplotlib {matplotlib.__version__}",
            f"- Date: {datetime.date.today().isoformat()}"]


def repeat(fn, repeats: int = 5, setup=None) -> list[float]:
    """Seconds taken by each of `repeats` calls of `fn()`, each after an untimed `setup()` if given."""
    seconds = []
    for _ in range(repeats):
        if setup:
            setup()
        start = time.perf_counter()
        fn()
        seconds.append(time.perf_counter() - start)
    return seconds


def spread(values, fmt: str = "{:.3g}") -> str:
    """'median (min-max)' of a list of measurements, as every table in results.md shows a timing."""
    values = sorted(values)
    if len(values) == 1:
        return fmt.format(values[0])
    return (f"{fmt.format(statistics.median(values))} "
            f"({fmt.format(values[0])}-{fmt.format(values[-1])})")


def write_atomically(path: Path, text: str) -> None:
    """Write `text` to `path` through a temporary file in the same folder and a rename."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    with os.fdopen(fd, "w") as f:
        f.write(text)
    os.replace(tmp, path)
