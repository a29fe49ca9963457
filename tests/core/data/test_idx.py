"""IDX files the tests write byte by byte: they load back exactly, MNIST folders become data sets, and every
kind of damage is rejected with a message naming the file."""

import gzip
import struct

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from explorer.core.data.datasets import DatasetError, load_dataset
from explorer.core.data.idx import read_idx
from explorer.core.session import SessionConfig, StepSession

CODES = {np.uint8: 0x08, np.int8: 0x09, np.int16: 0x0B, np.int32: 0x0C, np.float32: 0x0D, np.float64: 0x0E}


def idx_bytes(array: np.ndarray, code: int | None = None) -> bytes:
    """The IDX encoding, written out by hand from the format's description (not by the code under test)."""
    code = CODES[array.dtype.type] if code is None else code
    header = bytes([0, 0, code, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    return header + array.astype(array.dtype.newbyteorder(">")).tobytes()


def write(path, data: bytes):
    if path.suffix == ".gz":
        data = gzip.compress(data)
    path.write_bytes(data)
    return path


def mnist_folder(folder, train=30, test=12, gz=False, size=28, seed=0):
    """A small MNIST-format folder; returns the arrays written."""
    rng = np.random.default_rng(seed)
    arrays = {}
    suffix = ".gz" if gz else ""
    for split, count in (("train", train), ("t10k", test)):
        if not count:
            continue
        images = rng.integers(0, 256, size=(count, size, size), dtype=np.uint8)
        labels = (np.arange(count) % 10).astype(np.uint8)
        write(folder / f"{split}-images-idx3-ubyte{suffix}", idx_bytes(images))
        write(folder / f"{split}-labels-idx1-ubyte{suffix}", idx_bytes(labels))
        arrays[split] = (images, labels)
    return arrays


@pytest.mark.parametrize("dtype", list(CODES))
@pytest.mark.parametrize("suffix", ["", ".gz"])
def test_every_idx_type_loads_back_exactly(tmp_path, dtype, suffix):
    rng = np.random.default_rng(1)
    array = (rng.standard_normal((3, 4, 5)) * 100).astype(dtype)
    path = write(tmp_path / f"values.idx{suffix}", idx_bytes(array))
    back = read_idx(path)
    assert back.dtype == np.dtype(dtype) and back.dtype.isnative and back.flags.writeable
    assert np.array_equal(back, array)


def test_an_mnist_folder_is_a_classification_data_set(tmp_path):
    arrays = mnist_folder(tmp_path, gz=True)
    data = load_dataset(f"mnist:{tmp_path}")
    assert data.name == f"mnist:{tmp_path}" and data.task == "classification"
    assert data.class_names == tuple("0123456789") and data.input_shape == (1, 28, 28)
    train_images, train_labels = arrays["train"]
    test_images, test_labels = arrays["t10k"]
    raw_train = torch.from_numpy(train_images).float().div(255).unsqueeze(1)
    raw_test = torch.from_numpy(test_images).float().div(255).unsqueeze(1)
    mean, std = raw_train.mean(), raw_train.std()
    torch.testing.assert_close(data.train_x, (raw_train - mean) / std)
    torch.testing.assert_close(data.test_x, (raw_test - mean) / std)
    assert torch.equal(data.train_y, torch.from_numpy(train_labels).long())
    assert torch.equal(data.test_y, torch.from_numpy(test_labels).long())


def test_28_pixels_are_padded_to_32_like_lenet5(tmp_path):
    arrays = mnist_folder(tmp_path)
    padded = load_dataset(f"mnist:{tmp_path}", input_shape=(1, 32, 32))
    assert padded.train_x.shape == (30, 1, 32, 32) and padded.input_shape == (1, 32, 32)
    # 2 background (0) pixels on every side, then normalised with the padded images' statistics
    expected = F.pad(torch.from_numpy(arrays["train"][0]).float().div(255).unsqueeze(1), (2, 2, 2, 2))
    torch.testing.assert_close(padded.train_x, (expected - expected.mean()) / expected.std())


def test_other_input_shapes_interpolate_repeat_channels_or_flatten(tmp_path):
    arrays = mnist_folder(tmp_path, test=0)
    raw = torch.from_numpy(arrays["train"][0]).float().div(255).unsqueeze(1)
    small = load_dataset(f"mnist:{tmp_path}", input_shape=(1, 14, 14))
    expected = F.interpolate(raw, size=(14, 14), mode="bilinear", align_corners=False, antialias=True)
    torch.testing.assert_close(small.train_x, (expected - expected.mean()) / expected.std())
    assert small.test_x is None and small.test_y is None  # no t10k files: no test split
    rgb = load_dataset(f"mnist:{tmp_path}", input_shape=(3, 28, 28))
    assert rgb.train_x.shape == (30, 3, 28, 28) and torch.equal(rgb.train_x[:, 0], rgb.train_x[:, 2])
    flat = load_dataset(f"mnist:{tmp_path}", input_shape=(784,))
    assert flat.train_x.shape == (30, 784) and flat.input_shape == (784,)
    with pytest.raises(DatasetError, match="cannot be flattened to 100 values"):
        load_dataset(f"mnist:{tmp_path}", input_shape=(100,))


def test_the_dotted_file_names_load_too(tmp_path):
    images = np.zeros((2, 28, 28), np.uint8)
    images[1] = 255
    write(tmp_path / "train-images.idx3-ubyte", idx_bytes(images))
    write(tmp_path / "train-labels.idx1-ubyte", idx_bytes(np.array([3, 7], np.uint8)))
    data = load_dataset(f"mnist:{tmp_path}")
    assert data.train_y.tolist() == [3, 7] and data.class_names == tuple("01234567")


def test_the_seed_net_steps_on_mnist_files(tmp_path):
    mnist_folder(tmp_path)
    s = StepSession(SessionConfig(model="seed", dataset=f"mnist:{tmp_path}", batch_size=4))
    assert s.inputs.shape == (4, 1, 32, 32)
    s.run_forward()
    s.compute_loss()
    s.run_backward()
    assert s.model.conv1.weight.grad is not None


# ----- damage ---------------------------------------------------------------------------------------------
def corrupt(tmp_path, case):
    """Write a good folder, then damage it as `case` says; return the file the message must name."""
    mnist_folder(tmp_path)
    images, labels = tmp_path / "train-images-idx3-ubyte", tmp_path / "train-labels-idx1-ubyte"
    good = images.read_bytes()
    if case == "labels_as_images":
        images.write_bytes(labels.read_bytes())
    elif case == "not_idx":
        images.write_bytes(b"\x89PNG\r\n\x1a\n" + good[8:])
    elif case == "unknown_type":
        images.write_bytes(good[:2] + b"\x0a" + good[3:])
    elif case == "truncated":
        images.write_bytes(good[:-10])
    elif case == "too_long":
        images.write_bytes(good + b"\0")
    elif case == "truncated_header":
        images.write_bytes(good[:9])
    elif case == "empty":
        images.write_bytes(b"")
    elif case == "count_mismatch":
        labels.write_bytes(idx_bytes(np.zeros(29, np.uint8)))
        return labels
    elif case == "bad_gzip":
        images.unlink()
        images = tmp_path / "train-images-idx3-ubyte.gz"
        images.write_bytes(gzip.compress(good)[:-20])
    elif case == "missing_labels":
        labels.unlink()
        return tmp_path
    elif case == "zero_dimensions":
        images.write_bytes(b"\0\0\x08\0")
    return images


DAMAGE = {
    "labels_as_images": r"magic number 0x00000801, expected 0x00000803 \(unsigned byte values in 3 dimensions\)",
    "not_idx": "not an IDX file: magic number 0x89504e47",
    "unknown_type": "magic number 0x00000a03, expected 0x00000803",
    "truncated": r"truncated: the header says 30 x 28 x 28 unsigned byte values \(23536 bytes with the header\), "
                 "the file has 23526 bytes",
    "too_long": "longer than its header says",
    "truncated_header": "truncated: 9 bytes, but a 3-dimensional IDX header needs 16",
    "empty": "0 bytes is too short for an IDX header",
    "count_mismatch": "29 labels for the 30 images of train-images-idx3-ubyte",
    "bad_gzip": "damaged gzip file",
    "missing_labels": "found train-images-idx3-ubyte but no train-labels file beside it",
    "zero_dimensions": "magic number 0x00000800, expected 0x00000803",
}


@pytest.mark.parametrize("case", sorted(DAMAGE))
def test_damaged_mnist_files_are_rejected_naming_the_file(tmp_path, case):
    named = corrupt(tmp_path, case)
    with pytest.raises(DatasetError, match=DAMAGE[case]) as err:
        load_dataset(f"mnist:{tmp_path}")
    assert str(err.value).startswith(f"{named}: "), str(err.value)
    assert "\n" not in str(err.value)


@pytest.mark.parametrize("data, message", [
    (b"\0\0\x0a\x01\0\0\0\0", "unknown IDX data type code 0x0a"),
    (b"\0\0\x08\0", "the IDX header says 0 dimensions"),
])
def test_any_idx_file_is_checked_without_an_expected_magic_number(tmp_path, data, message):
    path = write(tmp_path / "x.idx", data)
    with pytest.raises(DatasetError, match=f"{path}: {message}"):
        read_idx(path)


def test_missing_folders_and_files(tmp_path):
    with pytest.raises(DatasetError, match=f"{tmp_path / 'absent'}: no such folder"):
        load_dataset(f"mnist:{tmp_path / 'absent'}")
    with pytest.raises(DatasetError, match="no MNIST training files"):
        load_dataset(f"mnist:{tmp_path}")
    with pytest.raises(DatasetError, match="unknown dataset 'mnist:'; choose one of tutorial, digits, mnist:DIR"):
        load_dataset("mnist:")
