"""Data situations: what a model trains on, with its loss, split and shapes, behind one name.

`tutorial` is the seed page's exact setting: one random 1x1x32x32 input and the target 1..10 under
MSELoss. `digits` is the UCI handwritten digits (resources/digits.npz, see DATA-LICENSES.md), brought
to 1x32x32 so that the tutorial's Net takes them unchanged. `mnist:DIR` reads MNIST-format IDX files
(idx_format.py) and `folder:DIR` an image folder with one subfolder per class (image_folder.py).

Images are brought to the model's input shape when the caller knows it (`input_shape`, one sample):
grey to RGB by repeating the channel, RGB to grey by ITU-R 601 luma; MNIST's 28x28 to a larger size with
an even margin by padding the background (28x28 -> 32x32 pads 2 pixels each side, as LeNet-5 did), any
other size by bilinear interpolation; a one-dimensional shape flattens each image. Pixel values go to
[0, 1], then to mean 0 and standard deviation 1 with the training split's own statistics.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Callable

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor

from explorer.core.data.errors import DatasetError
from explorer.core.models import primary_output
from explorer.core.seeding import generator
from explorer.core.wording import dims

DATASETS = ("tutorial", "digits")  # names that load as they are
FOLDER_DATASETS = ("mnist", "folder")  # kinds that read a folder: "mnist:DIR", "folder:DIR"
DEFAULT_INPUT_SHAPE = (1, 32, 32)  # the tutorial's Net's, for tutorial and digits when the model's is not known
LUMA = (0.299, 0.587, 0.114)  # ITU-R 601 weights of R, G, B in grey (what Pillow's convert("L") uses)


@dataclass(frozen=True)
class DataSituation:
    """Training (and optional test) tensors with the loss that fits them."""

    name: str
    task: str  # "classification" (y holds int64 class indices) or "regression" (y holds float targets)
    train_x: Tensor
    train_y: Tensor
    test_x: Tensor | None
    test_y: Tensor | None
    loss_fn: nn.Module
    class_names: tuple[str, ...]  # empty for regression
    input_shape: tuple[int, ...]  # one sample, without the batch dimension

    @property
    def train_size(self) -> int:
        return self.train_x.shape[0]

    def sample_batch(self, indices: Tensor | list[int] | slice) -> tuple[Tensor, Tensor]:
        """The training samples at `indices`, as one batch."""
        return self.train_x[indices], self.train_y[indices]

    def __repr__(self) -> str:
        test = f"test {self.test_x.shape[0]}" if self.test_x is not None else "no test split"
        classes = f", {len(self.class_names)} classes" if self.class_names else ""
        return (
            f"DataSituation({self.name!r}, {self.task}, train {self.train_size}x{self.input_shape}, "
            f"{test}, loss={type(self.loss_fn).__name__}{classes})"
        )


def load_dataset(name: str, seed: int = 0, input_shape: tuple[int, ...] | None = None) -> DataSituation:
    """Load a data set by name: one of DATASETS, or "mnist:DIR" / "folder:DIR".

    `seed` draws whatever is random in it (the tutorial's input); the others have fixed splits, so their
    tensors do not depend on the seed. `input_shape` is one sample's shape as the model wants it; None
    keeps the data's own (1x32x32 for tutorial and digits)."""
    kind, sep, argument = name.partition(":")
    if kind in DATASETS:
        if sep:
            raise DatasetError(f"dataset {kind!r} takes no argument, got {name!r}")
        return _LOADERS[kind](seed, input_shape)
    if kind in FOLDER_DATASETS and argument:
        return _FOLDER_LOADERS[kind](name, Path(argument).expanduser(), input_shape)
    raise DatasetError(
        f"unknown dataset {name!r}; choose one of {', '.join(DATASETS)}, "
        f"{', '.join(k + ':DIR' for k in FOLDER_DATASETS)}"
    )


def _load_tutorial(seed: int, input_shape: tuple[int, ...] | None) -> DataSituation:
    shape = tuple(input_shape or DEFAULT_INPUT_SHAPE)
    x = torch.randn(1, *shape, generator=generator(seed))
    target = torch.arange(1, 11).float().view(1, 10)
    return DataSituation(
        name="tutorial", task="regression", train_x=x, train_y=target, test_x=None, test_y=None,
        loss_fn=nn.MSELoss(), class_names=(), input_shape=shape,
    )


def _load_digits(seed: int, input_shape: tuple[int, ...] | None) -> DataSituation:
    del seed  # the split is fixed in the file, so every run compares on the same test set
    images, labels, train_index, test_index = _read_digits_file()
    # value/16 to [0, 1], then bilinear 8x8 -> 32x32: the size the tutorial's Net expects
    x = torch.from_numpy(images).float().div_(16).unsqueeze(1)
    x = fit_images(x, input_shape or DEFAULT_INPUT_SHAPE, pad=False, source="digits")
    train_x, test_x = _normalised(x[train_index], x[test_index])
    y = torch.from_numpy(labels)
    return DataSituation(
        name="digits", task="classification", train_x=train_x, train_y=y[train_index], test_x=test_x,
        test_y=y[test_index], loss_fn=nn.CrossEntropyLoss(), class_names=tuple(str(d) for d in range(10)),
        input_shape=tuple(train_x.shape[1:]),
    )


def _load_mnist(name: str, folder: Path, input_shape: tuple[int, ...] | None) -> DataSituation:
    from explorer.core.data.idx import read_mnist_folder  # only when asked for: keeps start-up lean

    train, test = read_mnist_folder(folder)

    def images(split) -> Tensor:
        x = torch.from_numpy(split.images).unsqueeze(1).float().div_(255)
        return fit_images(x, input_shape, pad=True, source=str(split.images_file))

    train_x, test_x = _normalised(images(train), images(test) if test else None)
    labels = [train.labels] + ([test.labels] if test else [])
    classes = int(max(int(y.max()) for y in labels)) + 1
    return DataSituation(
        name=name, task="classification", train_x=train_x, train_y=torch.from_numpy(train.labels),
        test_x=test_x, test_y=torch.from_numpy(test.labels) if test else None, loss_fn=nn.CrossEntropyLoss(),
        class_names=tuple(str(c) for c in range(classes)), input_shape=tuple(train_x.shape[1:]),
    )


def _load_image_folder(name: str, folder: Path, input_shape: tuple[int, ...] | None) -> DataSituation:
    from explorer.core.data.image_folder import index_image_folder, natural_shape, read_images  # imports Pillow

    index = index_image_folder(folder)
    read_shape = input_shape if input_shape is not None and len(input_shape) == 3 else natural_shape(index.train[0][0])

    def images(pairs) -> tuple[Tensor, Tensor]:
        x = torch.from_numpy(read_images([p for p, _ in pairs], read_shape)).float().div_(255)
        y = torch.tensor([label for _, label in pairs], dtype=torch.int64)
        return fit_images(x, input_shape, pad=False, source=str(folder)), y

    (train_x, train_y), test = images(index.train), (images(index.test) if index.test else None)
    train_x, test_x = _normalised(train_x, test[0] if test else None)
    return DataSituation(
        name=name, task="classification", train_x=train_x, train_y=train_y, test_x=test_x,
        test_y=test[1] if test else None, loss_fn=nn.CrossEntropyLoss(), class_names=index.classes,
        input_shape=tuple(train_x.shape[1:]),
    )


def fit_images(x: Tensor, shape: tuple[int, ...] | None, *, pad: bool, source: str) -> Tensor:
    """Bring images (N x C x H x W floats) to one sample's `shape`: (C, H, W), or (D,) for flat
    vectors of D = C*H*W values; None keeps them as they are. `pad` allows padding the border when
    the target is larger by an even margin (the background must be 0 for that, as in MNIST)."""
    if shape is None:
        return x
    if len(shape) == 1:
        if shape[0] != x[0].numel():
            raise DatasetError(f"{source}: images of {dims(x.shape[1:])} cannot be flattened to {shape[0]} values")
        return x.flatten(1)
    if len(shape) != 3:
        raise DatasetError(f"{source}: images need an input shape C,H,W (or one number to flatten), got {shape}")
    channels, height, width = shape
    x = _with_channels(x, channels, source)
    h, w = x.shape[-2:]
    if (h, w) == (height, width):
        return x
    dh, dw = height - h, width - w
    if pad and dh >= 0 and dw >= 0 and dh % 2 == 0 and dw % 2 == 0:
        return F.pad(x, (dw // 2, dw // 2, dh // 2, dh // 2))
    shrinking = height < h or width < w
    return F.interpolate(x, size=(height, width), mode="bilinear", align_corners=False, antialias=shrinking)


def _with_channels(x: Tensor, channels: int, source: str) -> Tensor:
    have = x.shape[1]
    if have == channels:
        return x
    if have == 1 and channels == 3:
        return x.expand(-1, 3, -1, -1).contiguous()
    if have == 3 and channels == 1:
        return torch.einsum("nchw,c->nhw", x, torch.tensor(LUMA)).unsqueeze(1)
    raise DatasetError(f"{source}: cannot bring images with {have} channels to {channels} channels")


def _normalised(train_x: Tensor, test_x: Tensor | None) -> tuple[Tensor, Tensor | None]:
    """Mean 0 and standard deviation 1 by the training split's statistics (the test set stays unseen).
    In place: the callers hand over tensors of their own, and MNIST's would otherwise be copied twice."""
    mean, std = train_x.mean(), train_x.std()
    std = std if std > 0 else torch.ones(())
    return train_x.sub_(mean).div_(std), None if test_x is None else test_x.sub_(mean).div_(std)


def _read_digits_file() -> tuple[np.ndarray, np.ndarray, Tensor, Tensor]:
    resource = files("explorer.resources") / "digits.npz"
    try:
        with resource.open("rb") as f, np.load(f, allow_pickle=False) as npz:
            images, labels = npz["images"], npz["labels"]
            train_index, test_index = npz["train_index"], npz["test_index"]
    except (OSError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise DatasetError(f"{resource}: cannot read the digits data: {exc}") from None
    if images.shape[1:] != (8, 8) or len(labels) != len(images):
        raise DatasetError(f"{resource}: expected N 8x8 images with N labels, got {images.shape}, {labels.shape}")
    return images, labels.astype(np.int64), torch.from_numpy(train_index), torch.from_numpy(test_index)


_LOADERS: dict[str, Callable[[int, tuple[int, ...] | None], DataSituation]] = {
    "tutorial": _load_tutorial, "digits": _load_digits,
}
_FOLDER_LOADERS: dict[str, Callable[[str, Path, tuple[int, ...] | None], DataSituation]] = {
    "mnist": _load_mnist, "folder": _load_image_folder,
}


class BatchStream:
    """Endless seeded mini-batches: each epoch is a fresh permutation of the training set, cut into
    full batches (a remainder smaller than a batch is left out of that epoch, so every batch has the
    same shape). A batch size above the training set's size is cut down to it."""

    def __init__(self, data: DataSituation, batch_size: int, seed: int):
        if batch_size < 1:
            raise ValueError(f"batch size must be at least 1, got {batch_size}")
        self.data = data
        self.batch_size = min(batch_size, data.train_size)
        self.batches_per_epoch = data.train_size // self.batch_size
        self.epoch = 0  # completed epochs
        self.position = 0  # batches drawn from the current epoch
        self._generator = generator(seed)
        self._order = self._new_order()

    def next(self) -> tuple[Tensor, Tensor]:
        start = self.position * self.batch_size
        indices = self._order[start : start + self.batch_size]
        self.skip(1)
        return self.data.sample_batch(indices)

    def skip(self, batches: int) -> None:
        """Move on as if `batches` batches had been drawn (resuming a run at a later step)."""
        self.position += batches
        while self.position >= self.batches_per_epoch:
            self.position -= self.batches_per_epoch
            self.epoch += 1
            self._order = self._new_order()

    def _new_order(self) -> Tensor:
        return torch.randperm(self.data.train_size, generator=self._generator)

    def __repr__(self) -> str:
        return (
            f"BatchStream({self.data.name!r}, batch_size={self.batch_size}, epoch={self.epoch}, "
            f"position={self.position}/{self.batches_per_epoch})"
        )


def accuracy(model: nn.Module, x: Tensor, y: Tensor, batch_size: int = 512, output: str = "") -> float:
    """The fraction of samples whose highest output is their label, in eval mode, without gradients."""
    was_training = model.training
    model.eval()
    correct = 0
    try:
        with torch.no_grad():
            for start in range(0, len(x), batch_size):
                # a copy: a forward that changes its input in place must not change the data set
                out = primary_output(model(x[start : start + batch_size].clone()), output)
                correct += int((out.argmax(dim=1) == y[start : start + batch_size]).sum())
    finally:
        model.train(was_training)
    return correct / max(1, len(x))
