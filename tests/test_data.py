"""Specifications of helpers.data (IDX parsing, MNIST loading, the split and toy data) and of the
machinery behind it in helpers._mnist_files (the bundled files' checksums and clear errors)."""

import gzip
import hashlib
import struct

import numpy as np
import pytest

import helpers._mnist_files as files
from helpers._mnist_files import MNIST_FILES
from helpers.data import (
    BUNDLED_DIR,
    load_mnist,
    parse_idx,
    standardize,
    train_val_split,
    two_gaussians,
    xor_data,
)


def idx_bytes(array, type_code=0x08):
    header = bytes([0, 0, type_code, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    return header + array.tobytes()


# ---------------------------------------------------------------- parse_idx
def test_parse_idx_reads_uint8_values_in_their_declared_shape():
    out = parse_idx(idx_bytes(np.arange(6, dtype=np.uint8).reshape(2, 3)))
    assert out.dtype == np.uint8 and out.shape == (2, 3)
    np.testing.assert_array_equal(out, [[0, 1, 2], [3, 4, 5]])


def test_parse_idx_reads_big_endian_int32_into_native_order():
    out = parse_idx(idx_bytes(np.array([1, -2, 70000], dtype=">i4"), 0x0C))
    assert out.dtype == np.int32 and out.dtype.isnative
    np.testing.assert_array_equal(out, [1, -2, 70000])


@pytest.mark.parametrize("content, message", [
    (b"", "empty file"),
    (b"\x00\x00", "truncated header"),
    (b"\x01\x02\x08\x01\x00\x00\x00\x01\x05", "wrong magic"),
    (b"\x00\x00\x07\x01\x00\x00\x00\x01\x05", "unknown IDX type code 0x07"),
    (b"\x00\x00\x08\x02\x00\x00\x00\x02", "truncated header"),
    (b"\x00\x00\x08\x01\x00\x00\x00\x03\x05\x06", "truncated payload"),
    (b"\x00\x00\x08\x01\x00\x00\x00\x01\x05\x06", "over-long payload"),
])
def test_parse_idx_rejects_malformed_data_naming_file_and_problem(content, message):
    with pytest.raises(ValueError, match=message) as err:
        parse_idx(content, "bad-idx")
    assert "bad-idx" in str(err.value)


# ---------------------------------------------------------------- bundled MNIST
@pytest.mark.parametrize("name", sorted(MNIST_FILES))
def test_bundled_file_matches_the_published_checksum(name):
    content = gzip.decompress((BUNDLED_DIR / f"{name}.gz").read_bytes())
    assert hashlib.sha256(content).hexdigest() == MNIST_FILES[name]


def test_train_split_shapes_dtypes_and_range():
    X, y = load_mnist("train")
    assert X.shape == (60000, 784) and X.dtype == np.float32
    assert y.shape == (60000,) and y.dtype == np.int64
    assert X.min() == 0.0 and X.max() == 1.0


@pytest.mark.parametrize("split, first_ten, counts", [
    ("train", [5, 0, 4, 1, 9, 2, 1, 3, 1, 4], [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]),
    ("test", [7, 2, 1, 0, 4, 1, 4, 9, 5, 9], [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]),
])
def test_first_ten_labels_and_label_counts_match_the_dataset_readme(split, first_ten, counts):
    _, y = load_mnist(split)
    assert y[:10].tolist() == first_ten and np.bincount(y).tolist() == counts


def test_unflattened_raw_images_are_uint8_28_by_28():
    X, _ = load_mnist("test", flatten=False, normalize=False)
    assert X.shape == (10000, 28, 28) and X.dtype == np.uint8 and X.max() == 255


def test_returned_arrays_are_the_callers_to_modify():
    X, y = load_mnist("test")
    X[0] = 7.0
    y[0] = 3
    X2, y2 = load_mnist("test")
    assert X2[0].max() <= 1.0 and y2[0] == 7


def test_unknown_split_lists_the_valid_ones():
    with pytest.raises(ValueError, match=r"'validation'.*\['test', 'train'\]"):
        load_mnist("validation")


def flip_a_byte(gz: bytes) -> bytes:
    content = bytearray(gzip.decompress(gz))
    content[100] ^= 0xFF
    return gzip.compress(bytes(content))


@pytest.mark.parametrize("damage, error, message", [
    (None, FileNotFoundError, "t10k-labels-idx1-ubyte.gz is missing; restore it"),
    (flip_a_byte, ValueError, "t10k-labels-idx1-ubyte.gz: checksum mismatch.*corrupt; restore it"),
    (lambda gz: b"not gzip", ValueError, "t10k-labels-idx1-ubyte.gz: not readable gzip data"),
], ids=["missing", "a-flipped-byte", "not-gzip"])
def test_a_damaged_bundled_file_is_named_with_what_to_do(tmp_path, monkeypatch, damage, error, message):
    name = "t10k-labels-idx1-ubyte.gz"
    if damage:
        (tmp_path / name).write_bytes(damage((BUNDLED_DIR / name).read_bytes()))
    monkeypatch.setattr(files, "BUNDLED_DIR", tmp_path)
    with pytest.raises(error, match=message):
        files.read_verified("t10k-labels-idx1-ubyte")


def test_loading_writes_nothing_next_to_the_bundled_files():
    before = sorted(path.name for path in BUNDLED_DIR.iterdir())
    load_mnist("test")
    assert sorted(path.name for path in BUNDLED_DIR.iterdir()) == before


# ---------------------------------------------------------------- the split and the toy data
def test_train_val_split_holds_out_n_val_rows_without_overlap():
    X, y = np.arange(20)[:, None], np.arange(20)
    X_tr, X_val, y_tr, y_val = train_val_split(X, y, 5, rng=np.random.default_rng(0))
    assert len(y_val) == 5 and len(y_tr) == 15
    assert sorted(y_tr.tolist() + y_val.tolist()) == list(range(20))
    np.testing.assert_array_equal(X_val[:, 0], y_val)


def test_xor_data_is_the_truth_table():
    X, y = xor_data()
    np.testing.assert_array_equal(X, [[0, 0], [0, 1], [1, 0], [1, 1]])
    np.testing.assert_array_equal(y, [0, 1, 1, 0])


def test_two_gaussians_labels_and_means():
    x, y = two_gaussians(5000, (-1.0, 3.0), 1.0, rng=np.random.default_rng(0))
    assert x.shape == y.shape == (10000,)
    assert y[:5000].max() == 0 and y[5000:].min() == 1
    assert abs(x[y == 0].mean() - (-1.0)) < 0.05 and abs(x[y == 1].mean() - 3.0) < 0.05


def test_standardize_uses_the_statistics_of_x_fit_only():
    X_fit = np.array([[0.0, 2.0], [2.0, 4.0]])  # mean image (1, 3), std of all pixels sqrt(2)
    fit_std, other_std = standardize(X_fit, X_fit, np.array([[1.0, 3.0]]))
    np.testing.assert_allclose(fit_std, [[-1 / 2**0.5, -1 / 2**0.5], [1 / 2**0.5, 1 / 2**0.5]])
    np.testing.assert_allclose(other_std, [[0.0, 0.0]])
