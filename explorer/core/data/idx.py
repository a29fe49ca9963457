"""IDX files, the format MNIST (and Fashion-MNIST, KMNIST, EMNIST) ship in, read with the format's own checks.

An IDX file is a 4-byte magic number (two zero bytes, a data type code, the number of dimensions), one
big-endian 32-bit size per dimension, then the values in C order, big-endian. MNIST's images are
0x00000803 (unsigned bytes, 3 dimensions: count x rows x columns) and its labels 0x00000801 (unsigned
bytes, 1 dimension). A file may be gzip-compressed (name ending in .gz), as MNIST is distributed.
"""

from __future__ import annotations

import gzip
import math
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from explorer.core.data.errors import DatasetError

# IDX data type code -> (name, big-endian numpy dtype)
IDX_TYPES = {
    0x08: ("unsigned byte", np.dtype(">u1")),
    0x09: ("signed byte", np.dtype(">i1")),
    0x0B: ("short", np.dtype(">i2")),
    0x0C: ("int", np.dtype(">i4")),
    0x0D: ("float", np.dtype(">f4")),
    0x0E: ("double", np.dtype(">f8")),
}
MNIST_IMAGES_MAGIC = 0x00000803
MNIST_LABELS_MAGIC = 0x00000801


def read_idx(path: Path, magic: int | None = None) -> np.ndarray:
    """The array an IDX file holds, in native byte order. With `magic`, the file must have that magic
    number. Any damage (bad magic number, unknown type, sizes that do not match the file's length, a
    broken gzip stream) raises DatasetError naming the file."""
    path = Path(path)
    raw = _read_bytes(path)
    if len(raw) < 4:
        raise DatasetError(f"{path}: {len(raw)} bytes is too short for an IDX header (4 bytes at least)")
    file_magic = int.from_bytes(raw[:4], "big")
    if raw[0] or raw[1]:
        raise DatasetError(f"{path}: not an IDX file: magic number 0x{file_magic:08x} does not start with two zero bytes")
    if magic is not None and file_magic != magic:
        raise DatasetError(f"{path}: magic number 0x{file_magic:08x}, expected 0x{magic:08x} ({describe_magic(magic)})")
    code, ndim = raw[2], raw[3]
    if code not in IDX_TYPES:
        raise DatasetError(f"{path}: unknown IDX data type code 0x{code:02x}")
    if ndim == 0:
        raise DatasetError(f"{path}: the IDX header says 0 dimensions")
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise DatasetError(f"{path}: truncated: {len(raw)} bytes, but a {ndim}-dimensional IDX header needs {header}")
    dims = struct.unpack(f">{ndim}I", raw[4:header])
    type_name, dtype = IDX_TYPES[code]
    expected = header + math.prod(dims) * dtype.itemsize
    if len(raw) != expected:
        what = "truncated" if len(raw) < expected else "longer than its header says"
        raise DatasetError(
            f"{path}: {what}: the header says {' x '.join(map(str, dims))} {type_name} values "
            f"({expected} bytes with the header), the file has {len(raw)} bytes"
        )
    array = np.frombuffer(raw, dtype=dtype, count=math.prod(dims), offset=header).reshape(dims)
    return array.astype(dtype.newbyteorder("="))  # a writable copy in native byte order


def describe_magic(magic: int) -> str:
    code, ndim = (magic >> 8) & 0xFF, magic & 0xFF
    type_name = IDX_TYPES.get(code, (f"type 0x{code:02x}",))[0]
    return f"{type_name} values in {ndim} dimension{'s' if ndim != 1 else ''}"


def _read_bytes(path: Path) -> bytes:
    try:
        if path.suffix == ".gz":
            with gzip.open(path, "rb") as f:
                return f.read()
        return path.read_bytes()
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        raise DatasetError(f"{path}: damaged gzip file: {exc}") from None
    except OSError as exc:
        raise DatasetError(f"{path}: cannot read: {exc.strerror or exc}") from None


@dataclass(frozen=True)
class MnistSplit:
    """Images (count x rows x columns, uint8) and their labels (int64), as read from one pair of files."""

    images: np.ndarray
    labels: np.ndarray
    images_file: Path
    labels_file: Path

    def __repr__(self) -> str:
        return f"MnistSplit({self.images_file.name}: {self.images.shape}, {self.labels_file.name}: {self.labels.shape})"


def mnist_files(folder: Path, split: str) -> tuple[Path, Path] | None:
    """The images and labels files of one split ('train' or 't10k') in an MNIST folder, or None if the
    folder has neither. Accepts the original names (train-images-idx3-ubyte), the variant with a dot
    (train-images.idx3-ubyte), each optionally gzipped."""
    found = []
    for kind, ndim in (("images", 3), ("labels", 1)):
        names = [f"{split}-{kind}{sep}idx{ndim}-ubyte{gz}" for gz in ("", ".gz") for sep in ("-", ".")]
        found.append(next((folder / n for n in names if (folder / n).is_file()), None))
    images, labels = found
    if images is None and labels is None:
        return None
    if images is None or labels is None:
        have, missing = (images, "labels") if labels is None else (labels, "images")
        raise DatasetError(f"{folder}: found {have.name} but no {split}-{missing} file beside it")
    return images, labels


def read_mnist_split(images_file: Path, labels_file: Path) -> MnistSplit:
    images = read_idx(images_file, MNIST_IMAGES_MAGIC)
    labels = read_idx(labels_file, MNIST_LABELS_MAGIC)
    if len(images) != len(labels):
        raise DatasetError(f"{labels_file}: {len(labels)} labels for the {len(images)} images of {images_file.name}")
    if len(images) == 0:
        raise DatasetError(f"{images_file}: holds no images")
    return MnistSplit(images, labels.astype(np.int64), images_file, labels_file)


def read_mnist_folder(folder: Path) -> tuple[MnistSplit, MnistSplit | None]:
    """The training split (train-*) and, if present, the test split (t10k-*) of an MNIST-format folder."""
    folder = Path(folder)
    if not folder.is_dir():
        raise DatasetError(f"{folder}: no such folder")
    train = mnist_files(folder, "train")
    if train is None:
        raise DatasetError(
            f"{folder}: no MNIST training files (train-images-idx3-ubyte and train-labels-idx1-ubyte, "
            "optionally .gz)"
        )
    test = mnist_files(folder, "t10k")
    return read_mnist_split(*train), (read_mnist_split(*test) if test else None)
