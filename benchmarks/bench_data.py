"""How long does loading MNIST take? Cold (first load in a process: decompress, verify, parse) and
warm (the same process again: memory), against a plain gzip + np.frombuffer read of the same files.

Run: python benchmarks/bench_data.py      Budget: a cold load of all 70,000 images <= 0.5 s.
"""

import gzip
import statistics
import time

import numpy as np

import helpers._mnist_files as _mnist_files  # the loader's memory cache, cleared between timings
from helpers._mnist_files import MNIST_FILES
from helpers.data import BUNDLED_DIR, load_mnist

REPEATS = 5


def load_all():
    load_mnist("train")
    load_mnist("test")


def plain_gzip_read():
    """The simplest correct loader: decompress and reinterpret, no checks, no cache."""
    for name in MNIST_FILES:
        raw = gzip.decompress((BUNDLED_DIR / f"{name}.gz").read_bytes())
        offset = 16 if "images" in name else 8
        array = np.frombuffer(raw, dtype=np.uint8, offset=offset)
        if "images" in name:
            array.reshape(-1, 784).astype(np.float32) / 255


def timed(fn, setup=lambda: None):
    times = []
    for _ in range(REPEATS):
        setup()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run():
    cold = timed(load_all, _mnist_files.mnist_array.cache_clear)
    warm = timed(load_all)
    plain = timed(plain_gzip_read)
    rows = [
        ("load_mnist, cold (decompress + verify + parse)", cold),
        ("load_mnist, warm (same process: memory)", warm),
        ("plain gzip + np.frombuffer (no checks)", plain),
    ]
    print(f"Loading all 70,000 MNIST images and labels as float32 (median of {REPEATS} runs)\n")
    width = max(len(name) for name, _ in rows)
    for name, seconds in rows:
        print(f"{name:<{width}}  {seconds:6.3f} s")
    verdict = "within" if cold <= 0.5 else "OVER"
    print(f"\nbudget: cold load <= 0.500 s -> {cold:.3f} s, {verdict} budget")
    table = ["| loader | seconds |", "|---|---:|"] + [f"| {name} | {sec:.3f} |" for name, sec in rows]
    return "\n".join(table), cold


if __name__ == "__main__":
    run()
