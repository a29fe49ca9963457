"""`explorer.session(model, batch, ...)`: the stepping session around a model object the user already has.

No file, no class name: the model, the batch it takes (a tensor, a tuple of tensors, or a dict of tensors
passed as keyword arguments), the target and loss, and optionally the user's DataLoader and optimizer. A dry
run on the first batch checks all of it before the session exists; a problem raises ArgumentError naming the
argument and the user's own line. The session steps the user's own object: what it trains shows in their
model, and close() (or leaving a `with` block) gives the model back in its own mode and on its own device.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Callable

import torch
import torch.nn as nn

from explorer.core.data.batch_source import IterableSource
from explorer.core.data.batches import Batch, BatchError, make_batch, split_item
from explorer.core.live.check import check_live
from explorer.core.live.errors import ArgumentError, caller_line
from explorer.core.live.ownership import model_device
from explorer.core.session import SessionConfig, StepSession

# SessionConfig.model of a session around a user's object, e.g. "GPT2LMHeadModel (your object)": a name no
# model spec parses as (not a built-in, a file or a module), so a checkpoint saved from it never builds anything.
LIVE_MODEL = "{0} (your object)"


def session(model: nn.Module, batch: Any = None, *, target: torch.Tensor | None = None,
            loss_fn: Callable | None = None, data: Iterable | None = None, output: str | None = None,
            optimizer: torch.optim.Optimizer | None = None, lr: float = 0.01, seed: int = 0,
            _called_at: str | None = None) -> StepSession:
    """A StepSession over `model` itself; see the module's docstring. `lr` is the learning rate of the
    tutorial's update rule when no optimizer is given; `seed` draws the random gradient of 'backward from
    the output'. (`_called_at`: explorer.show's caller, when the session is built on the engine thread.)"""
    where = _called_at if _called_at is not None else caller_line(2)
    try:
        first = _first_batch(model, batch, target, data, output, optimizer)
        first = first.to(model_device(model))
        checked = check_live(model, first, loss_fn, output)
    except ArgumentError as exc:
        raise ArgumentError(exc.argument, str(exc).split(": ", 1)[1], where) from exc.__cause__
    except BatchError as exc:
        argument, _, message = str(exc).partition(": ")
        raise ArgumentError(argument, message, where) from None
    source = IterableSource(first, checked.loss_fn, checked.task, data, device=model_device(model),
                            first_from_data=batch is None)
    optimizer_name = type(optimizer).__name__ if optimizer is not None else "manual-sgd"
    config = SessionConfig(model=LIVE_MODEL.format(type(model).__name__), dataset=source.name, batch_size=first.size,
                           optimizer=optimizer_name, lr=lr, seed=seed)
    return StepSession(config, model=model, source=source, output=output, optimizer=optimizer)


def _first_batch(model, batch, target, data, output, optimizer) -> Batch:
    if not isinstance(model, nn.Module):
        raise ArgumentError("model", f"expected a torch.nn.Module, got {type(model).__name__}")
    if not any(p.requires_grad for p in model.parameters()):
        raise ArgumentError("model", f"{type(model).__name__} has no trainable parameters, so there is nothing to step")
    if output is not None and not isinstance(output, (str, int)):
        raise ArgumentError("output", f"expected the name (or index) of the prediction in the model's output, "
                                      f"got {type(output).__name__}")
    if optimizer is not None:
        _check_optimizer(model, optimizer)
    if data is not None and not isinstance(data, Iterable):
        raise ArgumentError("data", f"expected an iterable of batches such as a DataLoader, got {type(data).__name__}")
    if batch is not None:
        return make_batch(batch, target)
    if data is None:
        raise ArgumentError("batch", "give a batch (what the model takes), or data= to draw the first one from")
    if target is not None:
        raise ArgumentError("target", "without a batch, the target comes with each item of data")
    item = next(iter(data), None)
    if item is None:
        raise ArgumentError("data", "the iterable yields no batches")
    return _first_of(item)


def _first_of(item: Any) -> Batch:
    """The first item of `data` read on its own: a dict (its "labels" are the target), an (inputs, target)
    pair, or the inputs alone."""
    if isinstance(item, (tuple, list)) and len(item) == 2 and isinstance(item[1], torch.Tensor):
        return make_batch(item[0], item[1], argument="data")
    return split_item(item, Batch({}, None)) if isinstance(item, dict) else make_batch(item, None, argument="data")


def _check_optimizer(model: nn.Module, optimizer: torch.optim.Optimizer) -> None:
    if not isinstance(optimizer, torch.optim.Optimizer):
        raise ArgumentError("optimizer", f"expected a torch.optim.Optimizer, got {type(optimizer).__name__}")
    own = {id(p) for p in model.parameters()}
    stepped = [p for group in optimizer.param_groups for p in group["params"]]
    if not any(id(p) in own for p in stepped):
        raise ArgumentError("optimizer", "it steps none of this model's parameters (was it made for another model?)")
