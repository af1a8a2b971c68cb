"""Where ``helpers.data.load_mnist`` gets MNIST, kept out of the lesson: the four files bundled with
the course (data/mnist/ in a clone, helpers/mnist/ in an installed package), checked against their
published checksums and decoded once per process. Nothing is downloaded and nothing is written."""

import functools
import gzip
import hashlib
from pathlib import Path

_REPO_DIR = Path(__file__).resolve().parent.parent / "data" / "mnist"
BUNDLED_DIR = _REPO_DIR if _REPO_DIR.is_dir() else Path(__file__).resolve().parent / "mnist"

# SHA-256 of the decompressed files of the canonical MNIST release.
MNIST_FILES = {
    "train-images-idx3-ubyte": "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    "train-labels-idx1-ubyte": "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
    "t10k-images-idx3-ubyte": "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    "t10k-labels-idx1-ubyte": "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
}
RESTORE = "restore it with `git checkout -- data/mnist` in a clone, or reinstall the course package"


def read_verified(name):
    """The decompressed bytes of bundled file ``name``.gz, or a clear error if it is missing or not
    the canonical file."""
    path = BUNDLED_DIR / f"{name}.gz"
    if not path.is_file():
        raise FileNotFoundError(f"MNIST file {path} is missing; {RESTORE}")
    try:
        data = gzip.decompress(path.read_bytes())
    except (OSError, EOFError) as exc:
        raise ValueError(f"{path}: not readable gzip data ({exc}); {RESTORE}") from None
    digest = hashlib.sha256(data).hexdigest()
    if digest != MNIST_FILES[name]:
        raise ValueError(f"{path}: checksum mismatch (SHA-256 of the content {digest[:16]}..., expected "
                         f"{MNIST_FILES[name][:16]}...): the file is corrupt; {RESTORE}")
    return data


@functools.cache
def mnist_array(name, parse):
    """The read-only array of bundled file ``name``, parsed by ``parse(bytes, name)``; decoded once
    per process (about 0.4 s for all four files on a 2-core laptop CPU)."""
    array = parse(read_verified(name), name)
    array.flags.writeable = False
    return array
