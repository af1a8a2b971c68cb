"""The machinery behind ``helpers.data.load_mnist``, kept out of the lesson: where the MNIST files
are looked for, their checksums, the download from a mirror when they are missing, and the caches
that make a second load fast. Files are written atomically; nothing downloaded is unpickled.
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
MIRRORS = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
)

GZIP_MAGIC = b"\x1f\x8b"


def read_bytes(path: Path) -> bytes:
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


MEMORY_CACHE: dict[tuple, np.ndarray] = {}


def _cache_path(path: Path) -> Path:
    """Where the decompressed array of ``path`` is cached; the name records the source's size and
    modification time, so an edited (or corrupted) source is re-read and re-verified."""
    stat = path.stat()
    stem = path.name.removesuffix(".gz")
    return path.parent / ".cache" / f"{stem}-{stat.st_size}-{stat.st_mtime_ns}.npy"


def _load_verified(name: str, path: Path, parse) -> np.ndarray:
    """The array stored in ``path``, checksum-verified, from the fastest cache available."""
    cache = _cache_path(path)
    key = (str(cache),)
    if key in MEMORY_CACHE:
        return MEMORY_CACHE[key]
    if cache.is_file():
        array = np.load(cache, allow_pickle=False)
    else:
        data = read_bytes(path)
        _verify(data, name, path)
        array = parse(data, str(path))
        try:
            cache.parent.mkdir(exist_ok=True)
            for stale in cache.parent.glob(f"{name}-*.npy"):
                stale.unlink()
            _atomic_write(cache, lambda f: np.save(f, array, allow_pickle=False))
        except OSError:
            pass  # a read-only data folder: no disk cache, the in-memory one still helps
    array.flags.writeable = False
    MEMORY_CACHE[key] = array
    return array


def mnist_array(name: str, data_dir, parse) -> np.ndarray:
    """The verified, read-only array of MNIST file ``name`` (``parse`` turns its bytes into an
    array), found in ``data_dir``, $MNIST_DIR or the bundled folder, else downloaded."""
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
    return _load_verified(name, path, parse)
