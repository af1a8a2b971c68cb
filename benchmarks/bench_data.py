"""Loading all 70,000 MNIST images and labels as float32: cold (decompress, verify, parse, as the
first load in a process), warm (the same process again: memory), and a plain gzip + np.frombuffer
read of the same files for comparison. Budget: a cold load within 0.5 s."""

import gzip
import statistics

import numpy as np

from helpers import _mnist_files
from helpers.data import load_mnist

from . import common

BUDGET_S = 0.5


def load_all():
    load_mnist("train")
    load_mnist("test")


def plain_gzip_read():
    """The simplest correct loader: decompress and reinterpret, no checks, no cache."""
    for name in _mnist_files.MNIST_FILES:
        raw = gzip.decompress((_mnist_files.BUNDLED_DIR / f"{name}.gz").read_bytes())
        array = np.frombuffer(raw, dtype=np.uint8, offset=16 if "images" in name else 8)
        if "images" in name:
            array.reshape(-1, 784).astype(np.float32) / 255


def run(repeats=5):
    cold = common.repeat(load_all, repeats, setup=_mnist_files.mnist_array.cache_clear)
    rows = [("`load_mnist`, cold (decompress + verify + parse)", cold),
            ("`load_mnist`, warm (same process: memory)", common.repeat(load_all, repeats)),
            ("plain gzip + `np.frombuffer` (no checks)", common.repeat(plain_gzip_read, repeats))]
    verdict = "within" if statistics.median(cold) <= BUDGET_S else "**over**"
    return "\n".join([f"Seconds, median (min-max) of {repeats} loads.", "",
                      "| loader | seconds |", "|---|---:|",
                      *(f"| {name} | {common.spread(values)} |" for name, values in rows), "",
                      f"A cold load is {verdict} the budget of {BUDGET_S} s."])
