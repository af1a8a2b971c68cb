"""How long does loading MNIST take? Cold (first load: decompress, verify, cache) and warm (from
the cache), against a plain gzip + np.frombuffer read of the same files.

Run: python benchmarks/bench_data.py      Budget: warm load of all 70,000 images <= 0.5 s.
"""

import gzip
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

import helpers._mnist_files as _mnist_files  # the loader's caches, cleared between timings
from helpers._mnist_files import MNIST_FILES
from helpers.data import BUNDLED_DIR, load_mnist

REPEATS = 5


def load_all(data_dir=None):
    load_mnist("train", data_dir=data_dir)
    load_mnist("test", data_dir=data_dir)


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
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)

        def fresh_copy():  # no disk cache, no memory cache: a first-ever load
            shutil.rmtree(folder / ".cache", ignore_errors=True)
            for path in BUNDLED_DIR.glob("*.gz"):
                shutil.copy(path, folder / path.name)
            _mnist_files.MEMORY_CACHE.clear()

        cold = timed(lambda: load_all(folder), fresh_copy)
        warm_disk = timed(lambda: load_all(folder), _mnist_files.MEMORY_CACHE.clear)
        warm_memory = timed(lambda: load_all(folder))
    plain = timed(plain_gzip_read)

    rows = [
        ("load_mnist, cold (decompress + verify + write cache)", cold),
        ("load_mnist, warm (new process: .npy disk cache)", warm_disk),
        ("load_mnist, warm (same process: memory cache)", warm_memory),
        ("plain gzip + np.frombuffer (no checks, no cache)", plain),
    ]
    print(f"Loading all 70,000 MNIST images and labels as float32 (median of {REPEATS} runs)\n")
    width = max(len(name) for name, _ in rows)
    for name, seconds in rows:
        print(f"{name:<{width}}  {seconds:6.3f} s")
    verdict = "within" if warm_disk <= 0.5 else "OVER"
    print(f"\nbudget: warm load <= 0.500 s -> {warm_disk:.3f} s, {verdict} budget")
    table = ["| loader | seconds |", "|---|---:|"] + [f"| {name} | {sec:.3f} |" for name, sec in rows]
    return "\n".join(table), warm_disk


if __name__ == "__main__":
    run()
