"""Where the stepping session's batches come from, and the loss that fits them.

Two sources: one of explorer's data sets (`DatasetSource`, seeded shuffled mini-batches of images with their
targets) and a user's own batches (`IterableSource`: the batch they passed, then whatever their `data`
iterable yields, such as a DataLoader over token ids). The session asks a source only for what is common to
both: the next batch, the loss, the task and its class names, and to move to a device.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, Callable, Protocol

import torch
from torch import Tensor

from explorer.core.data.batches import Batch, split_item
from explorer.core.data.datasets import BatchStream, DataSituation

LossFn = Callable[[Tensor, Any], Tensor]


class BatchSource(Protocol):
    name: str
    task: str  # "classification", "regression" or "custom" (the user's own loss)
    class_names: tuple[str, ...]
    loss_fn: LossFn
    data: DataSituation | None  # explorer's data set, when the batches come from one (training, accuracy)

    def next(self) -> Batch: ...

    def to(self, device: torch.device) -> None: ...

    @property
    def loss_name(self) -> str: ...


def loss_name(fn: Callable) -> str:
    """What a status line calls the loss: a module's class (MSELoss), a function's name, else its type."""
    if isinstance(fn, torch.nn.Module):
        return type(fn).__name__
    name = getattr(fn, "__name__", None) or getattr(fn, "name", None)
    return name if isinstance(name, str) and name != "<lambda>" else "loss_fn"


class DatasetSource:
    """Shuffled mini-batches of one of explorer's data sets (explorer.core.data.datasets)."""

    def __init__(self, data: DataSituation, batch_size: int, seed: int):
        self.data = data
        self.stream = BatchStream(data, batch_size=batch_size, seed=seed)

    name = property(lambda self: self.data.name)
    task = property(lambda self: self.data.task)
    class_names = property(lambda self: self.data.class_names)
    loss_fn = property(lambda self: self.data.loss_fn)
    loss_name = property(lambda self: loss_name(self.data.loss_fn))

    def next(self) -> Batch:
        x, y = self.stream.next()
        return Batch(x, y)

    def to(self, device: torch.device) -> None:
        from explorer.core.training.loop import data_on  # the loop imports the data sets: import on use

        self.data = data_on(self.data, device)
        self.stream.data = self.data


class IterableSource:
    """The user's batch first, then the items of their `data` iterable, started again when it runs out
    (a DataLoader reshuffles each time it is iterated). Without `data`, every batch is the first one.
    `first_from_data`: the first batch was the iterable's first item, so the next one is its second."""

    data = None

    def __init__(self, first: Batch, loss_fn: LossFn, task: str, data: Iterable | None = None,
                 name: str = "your batch", device: torch.device | None = None, first_from_data: bool = False):
        self.first = first
        self.loss_fn = loss_fn
        self.task = task
        self.class_names: tuple[str, ...] = ()
        self.iterable = data
        self.name = name if data is None else type(data).__name__
        self.device = device
        self.epoch = 0  # times `data` was iterated to its end
        self.position = 0  # batches drawn from `data` in this epoch (a training loop's "end of an epoch" is 0)
        self.first_from_data = first_from_data
        self._items: Iterator | None = None
        self._first_pending = True

    def rewind(self) -> None:
        """Start again from the first batch (the session's Reset)."""
        self._items, self._first_pending, self.epoch, self.position = None, True, 0, 0

    def fresh(self) -> "IterableSource":
        """The same batches from the start, for a training run beside the stepping session's own stream."""
        return IterableSource(self.first, self.loss_fn, self.task, self.iterable, self.name, self.device,
                              self.first_from_data)

    @property
    def batches_per_epoch(self) -> int:
        """len(data) when the iterable knows it (a DataLoader does); 1 for the one batch; 0 when unknown."""
        if self.iterable is None:
            return 1
        try:
            return len(self.iterable)
        except TypeError:
            return 0

    def skip(self, batches: int) -> None:
        for _ in range(batches):
            self.next()

    @property
    def loss_name(self) -> str:
        return loss_name(self.loss_fn)

    def next(self) -> Batch:
        if self._first_pending or self.iterable is None:
            self._first_pending = False
            self.position = 1 if self.first_from_data else 0  # a batch given apart from `data` counts in no epoch
            return self._placed(self.first)
        if self._items is None:
            self._items = iter(self.iterable)
            if self.first_from_data:
                next(self._items, None)
        item = next(self._items, _END)
        if item is _END:
            self.epoch += 1
            self.position = 0
            self._items = iter(self.iterable)
            item = next(self._items, _END)
            if item is _END:
                raise ValueError("data: the iterable yields no batches")
        self.position += 1
        if self.position == self.batches_per_epoch:  # the epoch's last batch: the loop's test comes now
            self.epoch, self.position, self._items = self.epoch + 1, 0, iter(self.iterable)
        return self._placed(split_item(item, self.first))

    def to(self, device: torch.device) -> None:
        self.device = device

    def _placed(self, batch: Batch) -> Batch:
        return batch if self.device is None else batch.to(self.device)


_END = object()
