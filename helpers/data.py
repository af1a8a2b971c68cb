"""Datasets for the course: MNIST from IDX files, plus the tiny toy sets of Part I.

MNIST is read from the bundled ``data/mnist/`` folder (``helpers/mnist/`` when installed by pip),
checked against the published checksums, and cached as decompressed ``.npy`` arrays so that a
second load takes a fraction of a second.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

import numpy as np

# The bundled MNIST files: data/mnist/ in a clone of the repository, helpers/mnist/ in an install.
_REPO_DIR = Path(__file__).resolve().parent.parent / "data" / "mnist"
BUNDLED_DIR = _REPO_DIR if _REPO_DIR.is_dir() else Path(__file__).resolve().parent / "mnist"

# SHA-256 of the *decompressed* files: the .gz bytes differ between mirrors, the content does not.
MNIST_FILES = {
    "train-images-idx3-ubyte": "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    "train-labels-idx1-ubyte": "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
    "t10k-images-idx3-ubyte": "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    "t10k-labels-idx1-ubyte": "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
}
SPLITS = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}
MIRRORS = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
)

# IDX type codes (third header byte) and the big-endian NumPy dtypes they declare.
IDX_DTYPES = {
    0x08: np.dtype(">u1"),
    0x09: np.dtype(">i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}
GZIP_MAGIC = b"\x1f\x8b"


# --------------------------------------------------------------------------------------------
# IDX parsing
# --------------------------------------------------------------------------------------------
def _read_bytes(path: Path) -> bytes:
    """The file's content, decompressed when its name ends in ``.gz``."""
    raw = path.read_bytes()
    if path.suffix != ".gz":
        return raw
    if raw[:2] != GZIP_MAGIC:
        raise ValueError(f"{path}: the name ends in .gz but the content is not gzip data")
    try:
        return gzip.decompress(raw)
    except (OSError, EOFError) as exc:
        raise ValueError(f"{path}: corrupt gzip data ({exc})") from exc


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
    if type_code not in IDX_DTYPES:
        known = ", ".join(f"0x{c:02X}" for c in IDX_DTYPES)
        raise ValueError(f"{name}: unknown IDX type code 0x{type_code:02X}, expected one of {known}")
    header_size = 4 + 4 * ndim
    if len(data) < header_size:
        raise ValueError(f"{name}: truncated header, {ndim} dimensions need {header_size} bytes")
    shape = tuple(int(d) for d in np.frombuffer(data, dtype=">u4", count=ndim, offset=4))
    dtype = IDX_DTYPES[type_code]
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


def read_idx(path) -> np.ndarray:
    """Read an IDX file (plain or gzip) into an array of its declared dtype and shape."""
    path = Path(path)
    return parse_idx(_read_bytes(path), str(path))


# --------------------------------------------------------------------------------------------
# Finding, verifying, downloading and caching MNIST
# --------------------------------------------------------------------------------------------
def _candidate_dirs(data_dir) -> list[Path]:
    dirs = [Path(data_dir)] if data_dir is not None else []
    if os.environ.get("MNIST_DIR"):
        dirs.append(Path(os.environ["MNIST_DIR"]))
    dirs.append(BUNDLED_DIR)
    return dirs


def _find(name: str, dirs: list[Path]) -> Path | None:
    for d in dirs:
        for candidate in (d / name, d / f"{name}.gz"):
            if candidate.is_file():
                return candidate
    return None


def _verify(data: bytes, name: str, path) -> None:
    digest = hashlib.sha256(data).hexdigest()
    if digest != MNIST_FILES[name]:
        raise ValueError(
            f"{path}: checksum mismatch (SHA-256 of the decompressed content is {digest[:16]}..., "
            f"expected {MNIST_FILES[name][:16]}...). The file is corrupt or not the canonical "
            f"MNIST release: delete it and restore it with `git checkout -- data/mnist` "
            f"(or copy a fresh one from a mirror: {MIRRORS[0]}{name}.gz)."
        )


def _atomic_write(path: Path, write) -> None:
    """Write through a temporary file in the same folder, then rename: never a half-written file."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _urlopen(url: str, timeout: float = 30):
    """Indirection so tests can simulate a network failure without touching the network."""
    return urllib.request.urlopen(url, timeout=timeout)


def _download(name: str, target_dir: Path) -> Path:
    """Fetch ``name.gz`` from the first mirror that serves it with the right content."""
    errors = []
    for mirror in MIRRORS:
        url = f"{mirror}{name}.gz"
        try:
            with _urlopen(url) as response:
                raw = response.read()
            _verify(gzip.decompress(raw), name, url)
        except (urllib.error.URLError, OSError, ValueError, EOFError) as exc:
            errors.append(f"{url}: {exc}")
            continue
        target_dir.mkdir(parents=True, exist_ok=True)
        path = target_dir / f"{name}.gz"
        _atomic_write(path, lambda f, raw=raw: f.write(raw))
        return path
    raise FileNotFoundError(
        f"MNIST file {name} was not found and could not be downloaded.\n"
        + "\n".join(f"  - {e}" for e in errors)
    )


_MEMORY_CACHE: dict[tuple, np.ndarray] = {}


def _cache_path(path: Path) -> Path:
    """Where the decompressed array of ``path`` is cached; the name records the source's size and
    modification time, so an edited (or corrupted) source is re-read and re-verified."""
    stat = path.stat()
    stem = path.name.removesuffix(".gz")
    return path.parent / ".cache" / f"{stem}-{stat.st_size}-{stat.st_mtime_ns}.npy"


def _load_verified(name: str, path: Path) -> np.ndarray:
    """The array stored in ``path``, checksum-verified, from the fastest cache available."""
    cache = _cache_path(path)
    key = (str(cache),)
    if key in _MEMORY_CACHE:
        return _MEMORY_CACHE[key]
    if cache.is_file():
        array = np.load(cache, allow_pickle=False)
    else:
        data = _read_bytes(path)
        _verify(data, name, path)
        array = parse_idx(data, str(path))
        try:
            cache.parent.mkdir(exist_ok=True)
            for stale in cache.parent.glob(f"{name}-*.npy"):
                stale.unlink()
            _atomic_write(cache, lambda f: np.save(f, array, allow_pickle=False))
        except OSError:
            pass  # a read-only data folder: no disk cache, the in-memory one still helps
    array.flags.writeable = False
    _MEMORY_CACHE[key] = array
    return array


def _mnist_array(name: str, data_dir) -> np.ndarray:
    dirs = _candidate_dirs(data_dir)
    path = _find(name, dirs)
    if path is None:
        try:
            path = _download(name, dirs[0])
        except OSError as exc:  # FileNotFoundError included
            searched = ", ".join(str(d) for d in dirs)
            raise FileNotFoundError(
                f"MNIST file {name}(.gz) is not in any of: {searched}; and the download failed "
                f"(no network?). Put the four MNIST IDX files (train-images-idx3-ubyte.gz, "
                f"train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz) "
                f"into {BUNDLED_DIR} or a folder named by $MNIST_DIR or data_dir=.\n{exc}"
            ) from None
    return _load_verified(name, path)


def load_mnist(split: str = "train", *, flatten: bool = True, normalize: bool = True,
               data_dir=None) -> tuple[np.ndarray, np.ndarray]:
    """MNIST as ``(X, y)``: X float32 in [0, 1] of shape (N, 784) (or (N, 28, 28) with
    ``flatten=False``; uint8 0..255 with ``normalize=False``), y int64 of shape (N,)."""
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; valid splits are {sorted(SPLITS)}")
    images_name, labels_name = SPLITS[split]
    images = _mnist_array(images_name, data_dir)  # (N, 28, 28) uint8, read-only
    labels = _mnist_array(labels_name, data_dir)  # (N,) uint8, read-only
    X = images.reshape(len(images), -1) if flatten else images
    X = X.astype(np.float32) / np.float32(255) if normalize else X.copy()
    return X, labels.astype(np.int64)


# --------------------------------------------------------------------------------------------
# Small utilities used throughout the course
# --------------------------------------------------------------------------------------------
def one_hot(y, num_classes: int) -> np.ndarray:
    """Integer labels (N,) -> float rows (N, num_classes) with a single 1 per row."""
    y = np.asarray(y)
    if y.size and (y.min() < 0 or y.max() >= num_classes):
        raise ValueError(f"labels must lie in [0, {num_classes}); got min {y.min()}, max {y.max()}")
    return np.eye(num_classes)[y]


def minibatches(X, y, batch_size: int, *, shuffle: bool = True, rng=None):
    """Yield ``(X_batch, y_batch)`` pairs covering the data once (the last batch may be smaller).
    With ``shuffle`` the order comes from ``rng`` (a seeded ``np.random.Generator``)."""
    if len(X) != len(y):
        raise ValueError(f"X and y differ in length: {len(X)} != {len(y)}")
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    n = len(X)
    if shuffle:
        rng = np.random.default_rng() if rng is None else rng
        order = rng.permutation(n)
    else:
        order = np.arange(n)
    for start in range(0, n, batch_size):
        idx = order[start:start + batch_size]
        yield X[idx], y[idx]


def train_val_split(X, y, n_val: int, *, rng):
    """Shuffle once with ``rng`` and hold out ``n_val`` rows: ``X_train, X_val, y_train, y_val``."""
    if not 0 < n_val < len(X):
        raise ValueError(f"n_val must lie in (0, {len(X)}), got {n_val}")
    order = rng.permutation(len(X))
    val, train = order[:n_val], order[n_val:]
    return X[train], X[val], y[train], y[val]


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
