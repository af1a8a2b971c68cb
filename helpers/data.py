"""Datasets for the course: MNIST from its IDX files, and the tiny toy sets of Part I.

``load_mnist`` reads the bundled MNIST files with ``parse_idx``. Checking them against the published
checksums and keeping the parsed arrays in memory is machinery, not lesson: it lives in
``helpers/_mnist_files.py``.
"""

from __future__ import annotations

import numpy as np

from . import _mnist_files
from ._mnist_files import BUNDLED_DIR  # noqa: F401  (where the bundled files are)

_SPLITS = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}

# IDX type codes (third header byte) and the big-endian NumPy dtypes they declare.
_IDX_DTYPES = {
    0x08: np.dtype(">u1"),
    0x09: np.dtype(">i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}


def parse_idx(data: bytes, name: str = "<bytes>") -> np.ndarray:
    """Parse IDX bytes: 2 zero bytes, a type code, the number of dimensions, each dimension as a
    big-endian uint32, then the values in C order."""
    if len(data) == 0:
        raise ValueError(f"{name}: empty file, expected an IDX header")
    if len(data) < 4:
        raise ValueError(f"{name}: truncated header ({len(data)} bytes, expected at least 4)")
    if data[0] != 0 or data[1] != 0:
        raise ValueError(f"{name}: wrong magic number {data[:4].hex()}, expected 0000TTDD")
    type_code, ndim = data[2], data[3]
    if type_code not in _IDX_DTYPES:
        known = ", ".join(f"0x{c:02X}" for c in _IDX_DTYPES)
        raise ValueError(f"{name}: unknown IDX type code 0x{type_code:02X}, expected one of {known}")
    header_size = 4 + 4 * ndim
    if len(data) < header_size:
        raise ValueError(f"{name}: truncated header, {ndim} dimensions need {header_size} bytes")
    shape = tuple(int(d) for d in np.frombuffer(data, dtype=">u4", count=ndim, offset=4))
    dtype = _IDX_DTYPES[type_code]
    expected = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    payload = len(data) - header_size
    if payload < expected:
        raise ValueError(f"{name}: truncated payload, {payload} bytes for shape {shape} "
                         f"which needs {expected}")
    if payload > expected:
        raise ValueError(f"{name}: over-long payload, {payload} bytes for shape {shape} "
                         f"which needs {expected}")
    array = np.frombuffer(data, dtype=dtype, offset=header_size).reshape(shape)
    return array.astype(dtype.newbyteorder("="))  # native byte order, and a writable copy


def load_mnist(split: str = "train", *, flatten: bool = True,
               normalize: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """MNIST as ``(X, y)``: X float32 in [0, 1] of shape (N, 784) (or (N, 28, 28) with
    ``flatten=False``; uint8 0..255 with ``normalize=False``), y int64 of shape (N,)."""
    if split not in _SPLITS:
        raise ValueError(f"unknown split {split!r}; valid splits are {sorted(_SPLITS)}")
    images_name, labels_name = _SPLITS[split]
    images = _mnist_files.mnist_array(images_name, parse_idx)  # (N, 28, 28) uint8, read-only
    labels = _mnist_files.mnist_array(labels_name, parse_idx)  # (N,) uint8, read-only
    X = images.reshape(len(images), -1) if flatten else images
    if normalize:
        X = X.astype(np.float32)  # a new array: dividing it in place spares a second copy
        X /= np.float32(255)
    else:
        X = X.copy()  # writable, unlike the cached array
    return X, labels.astype(np.int64)


def train_val_split(X, y, n_val: int, *, rng):
    """Shuffle once with ``rng`` and hold out ``n_val`` rows: ``X_train, X_val, y_train, y_val``."""
    if not 0 < n_val < len(X):
        raise ValueError(f"n_val must lie in (0, {len(X)}), got {n_val}")
    order = rng.permutation(len(X))
    val, train = order[:n_val], order[n_val:]
    return X[train], X[val], y[train], y[val]


def standardize(X_fit, *arrays):
    """Subtract the mean image of X_fit and divide by the standard deviation of all its pixels
    (chapter 4): training statistics only, applied to each of ``arrays``."""
    mean, std = X_fit.mean(axis=0), X_fit.std()  # (784,) and one number
    standardized = [X - mean for X in arrays]     # new arrays: divide them in place
    for X in standardized:
        X /= std
    return standardized


def xor_data() -> tuple[np.ndarray, np.ndarray]:
    """The XOR truth table: X of shape (4, 2), y of shape (4,) = [0, 1, 1, 0]."""
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64)
    y = np.array([0, 1, 1, 0], dtype=np.int64)
    return X, y


def two_gaussians(n_per_class: int, means=(-1.0, 3.0), std: float = 1.0, *, rng):
    """1-D two-class data: ``n_per_class`` points from Normal(means[0], std) labelled 0, then as
    many from Normal(means[1], std) labelled 1. Returns x (2n,) float64 and y (2n,) int64."""
    x = np.concatenate([rng.normal(m, std, n_per_class) for m in means])
    y = np.repeat(np.arange(len(means), dtype=np.int64), n_per_class)
    return x, y
