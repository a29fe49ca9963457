"""A batch as a model takes it: one tensor, a tuple of tensors (positional arguments) or a dict of tensors
(keyword arguments, such as a tokenizer's input_ids and attention_mask), with the target the loss compares
the prediction to (None when the loss needs none).

Every place that feeds a model (the stepping session, the dry run, training) calls it through `Batch.call`,
so the three shapes of input behave the same everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import torch
from torch import Tensor
from torch.utils._pytree import tree_map

TARGET_KEYS = ("labels", "label")  # a dict item's target, as Hugging Face's Trainer reads it


class BatchError(ValueError):
    """A batch that is not a tensor, a tuple of tensors or a dict of tensors; the message says what it was."""


@dataclass(frozen=True)
class Batch:
    inputs: Any  # Tensor | tuple[Tensor, ...] | dict[str, Tensor]
    target: Tensor | None = None

    def call(self, model) -> Any:
        """model(inputs): a dict as keyword arguments, a tuple as positional ones, a tensor as the one argument."""
        return call_model(model, self.inputs)

    def clone(self) -> "Batch":
        """Copies of every tensor: a forward that changes its input in place must not change the batch."""
        return Batch(_map_tensors(lambda t: t.clone(), self.inputs), self.target)

    def to(self, device: torch.device | str) -> "Batch":
        move = lambda t: t.to(device)  # noqa: E731
        return Batch(_map_tensors(move, self.inputs), None if self.target is None else self.target.to(device))

    def with_floats_as(self, dtype: torch.dtype) -> "Batch":
        """Floating-point inputs and target in `dtype`; token ids and other integer tensors stay as they are."""
        cast = lambda t: t.to(dtype) if t.is_floating_point() else t  # noqa: E731
        return Batch(_map_tensors(cast, self.inputs), None if self.target is None else cast(self.target))

    def tensors(self) -> list[tuple[str, Tensor]]:
        """The input tensors with their names: a dict's keys, a tuple's positions, or "input"."""
        if isinstance(self.inputs, Tensor):
            return [("input", self.inputs)]
        if isinstance(self.inputs, Mapping):
            return [(str(k), v) for k, v in self.inputs.items() if isinstance(v, Tensor)]
        return [(f"input {i}", v) for i, v in enumerate(self.inputs) if isinstance(v, Tensor)]

    @property
    def first_tensor(self) -> Tensor:
        """The tensor that stands for the input in pictures and exports (a dict's first entry: input_ids)."""
        return self.tensors()[0][1]

    @property
    def size(self) -> int:
        t = self.first_tensor
        return int(t.shape[0]) if t.dim() else 1

    def describe(self) -> str:
        """e.g. "dict {input_ids: [2, 8] int64, attention_mask: [2, 8] int64}"."""
        parts = [f"{name}: {list(t.shape)} {str(t.dtype).removeprefix('torch.')}" for name, t in self.tensors()]
        if isinstance(self.inputs, Tensor):
            return f"tensor {parts[0].removeprefix('input: ')}"
        return f"{type(self.inputs).__name__} {{{', '.join(parts)}}}"


def call_model(model, inputs: Any) -> Any:
    if isinstance(inputs, Mapping):
        return model(**inputs)
    if isinstance(inputs, (tuple, list)):
        return model(*inputs)
    return model(inputs)


def make_batch(inputs: Any, target: Any = None, *, argument: str = "batch") -> Batch:
    """A Batch from what the user passed; BatchError naming `argument` when it is not a model input."""
    _check_inputs(inputs, argument)
    if target is not None and not isinstance(target, Tensor):
        raise BatchError(f"target: expected a tensor or None, got {type(target).__name__}")
    if isinstance(inputs, Mapping):
        inputs = dict(inputs)  # a tokenizer's BatchEncoding is a Mapping; a plain dict keeps the keys' order
    elif isinstance(inputs, list):
        inputs = tuple(inputs)
    return Batch(inputs, target)


def split_item(item: Any, like: Batch) -> Batch:
    """One item of the user's `data` as a Batch, read by the shape of the first batch `like`.

    An item is what `batch` and `target` are together: `(inputs, target)` when the first batch had a target
    (a DataLoader over (x, y) pairs), the inputs alone otherwise; a dict item's "labels" entry is its target
    when the first batch's inputs had no such key (a Hugging Face data collator's output).
    """
    if isinstance(item, Mapping):
        item = dict(item)
        if isinstance(like.inputs, Mapping):
            for key in TARGET_KEYS:
                if key in item and key not in like.inputs:
                    target = item.pop(key)
                    return make_batch(item, target, argument="data")
        return make_batch(item, None, argument="data")
    if like.target is not None:
        if isinstance(item, (tuple, list)) and len(item) == 2:
            return make_batch(item[0], item[1], argument="data")
        raise BatchError(f"data: an item is {_kind(item)}; with a target, each item must be a pair (inputs, target)")
    if isinstance(like.inputs, Tensor) and isinstance(item, (tuple, list)) and len(item) == 2:
        return make_batch(item[0], item[1], argument="data")  # (x, y) pairs though the first batch had no target
    return make_batch(item, None, argument="data")


def _check_inputs(inputs: Any, argument: str) -> None:
    if isinstance(inputs, Tensor):
        return
    if isinstance(inputs, Mapping):
        if not inputs:
            raise BatchError(f"{argument}: the dict is empty")
        bad = [str(k) for k, v in inputs.items() if not isinstance(k, str)]
        if bad:
            raise BatchError(f"{argument}: dict keys must be argument names (strings), got {', '.join(bad)}")
        if not any(isinstance(v, Tensor) for v in inputs.values()):
            raise BatchError(f"{argument}: the dict holds no tensor")
        return
    if isinstance(inputs, (tuple, list)):
        if not any(isinstance(v, Tensor) for v in inputs):
            raise BatchError(f"{argument}: the {type(inputs).__name__} holds no tensor")
        return
    raise BatchError(f"{argument}: expected a tensor, a tuple of tensors or a dict of tensors, got {_kind(inputs)}")


def _kind(value: Any) -> str:
    if isinstance(value, (tuple, list)):
        return f"a {type(value).__name__} of {len(value)}"
    return f"a {type(value).__name__}"


def _map_tensors(fn, inputs: Any) -> Any:
    return tree_map(lambda v: fn(v) if isinstance(v, Tensor) else v, inputs)
