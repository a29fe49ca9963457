"""Data situations: what a model trains on, with its loss, split and shapes, behind one name.

`tutorial` is the seed page's exact setting: one random 1x1x32x32 input and the target 1..10 under
MSELoss. `digits` is the UCI handwritten digits (resources/digits.npz, see DATA-LICENSES.md), brought
to 1x32x32 so that the tutorial's Net takes them unchanged.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from importlib.resources import files
from typing import Callable

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor

from explorer.core.seeding import generator

DATASETS = ("tutorial", "digits")


class DatasetError(Exception):
    """A data set that cannot be loaded; the message names the file or name and the problem."""


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


def load_dataset(name: str, seed: int = 0) -> DataSituation:
    """Load a data set by name. `seed` draws whatever is random in it (the tutorial's input);
    digits has a fixed split, so its tensors do not depend on the seed."""
    kind, sep, argument = name.partition(":")  # "kind:ARGUMENT" leaves room for e.g. "folder:DIR"
    loader = _LOADERS.get(kind)
    if loader is None:
        raise DatasetError(f"unknown dataset {name!r}; choose one of {', '.join(DATASETS)}")
    if sep:
        raise DatasetError(f"dataset {kind!r} takes no argument, got {name!r}")
    return loader(seed)


def _load_tutorial(seed: int) -> DataSituation:
    x = torch.randn(1, 1, 32, 32, generator=generator(seed))
    target = torch.arange(1, 11).float().view(1, 10)
    return DataSituation(
        name="tutorial", task="regression", train_x=x, train_y=target, test_x=None, test_y=None,
        loss_fn=nn.MSELoss(), class_names=(), input_shape=(1, 32, 32),
    )


def _load_digits(seed: int) -> DataSituation:
    del seed  # the split is fixed in the file, so every run compares on the same test set
    images, labels, train_index, test_index = _read_digits_file()
    # value/16 to [0, 1], then bilinear 8x8 -> 32x32: the size the tutorial's Net expects
    x = torch.from_numpy(images).float().div_(16).unsqueeze(1)
    x = F.interpolate(x, size=(32, 32), mode="bilinear", align_corners=False)
    train_x, test_x = x[train_index], x[test_index]
    mean, std = train_x.mean(), train_x.std()  # train-set statistics only: the test set stays unseen
    y = torch.from_numpy(labels)
    return DataSituation(
        name="digits", task="classification",
        train_x=(train_x - mean) / std, train_y=y[train_index],
        test_x=(test_x - mean) / std, test_y=y[test_index],
        loss_fn=nn.CrossEntropyLoss(), class_names=tuple(str(d) for d in range(10)),
        input_shape=(1, 32, 32),
    )


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


_LOADERS: dict[str, Callable[[int], DataSituation]] = {"tutorial": _load_tutorial, "digits": _load_digits}


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
        self._advance(1)
        return self.data.sample_batch(indices)

    def skip(self, batches: int) -> None:
        """Move on as if `batches` batches had been drawn (resuming a run at a later step)."""
        self._advance(batches)

    def _advance(self, batches: int) -> None:
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


def accuracy(model: nn.Module, x: Tensor, y: Tensor, batch_size: int = 512) -> float:
    """The fraction of samples whose highest output is their label, in eval mode, without gradients."""
    was_training = model.training
    model.eval()
    correct = 0
    try:
        with torch.no_grad():
            for start in range(0, len(x), batch_size):
                out = model(x[start : start + batch_size])
                correct += int((out.argmax(dim=1) == y[start : start + batch_size]).sum())
    finally:
        model.train(was_training)
    return correct / max(1, len(x))
