"""The dry run of a live model: one forward, the loss and one backward on the user's first batch, under the
hooks the stepping session uses, so that whatever would fail on the first step fails in `explorer.session()`
instead, with an error that names the argument at fault and the user's line.

The model is left as it was: buffers (batch norm's running statistics), gradients, train/eval mode and
torch's random streams (dropout draws no number the user's own next forward would have drawn).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import torch.nn as nn
from torch import Tensor

from explorer.core.autograd.backward_recorder import run_recorded_backward
from explorer.core.autograd.forward_recorder import ForwardRecorder
from explorer.core.autograd.graph import trace_graph
from explorer.core.autograd.module_attribution import record_node_modules
from explorer.core.data.batches import Batch
from explorer.core.live.errors import ArgumentError, user_lines
from explorer.core.live.losses import default_loss, task_of
from explorer.core.model_kept import model_kept
from explorer.core.outputs import OutputError, select_output


@dataclass(frozen=True)
class CheckedLoss:
    loss_fn: Callable  # the user's, or the default the target implies
    task: str  # "classification", "regression", "tokens" or "custom"


def check_live(model: nn.Module, batch: Batch, loss_fn: Callable | None, output: str | None) -> CheckedLoss:
    """Raise ArgumentError when `model` cannot take one step on `batch`; the loss to use otherwise."""
    with model_kept(model):
        return _dry_run(model, batch, loss_fn, output)


def _dry_run(model: nn.Module, batch: Batch, loss_fn: Callable | None, output: str | None) -> CheckedLoss:
    try:
        with record_node_modules(model) as node_modules, ForwardRecorder(model):
            raw = batch.clone().call(model)
    except Exception as exc:  # the user's forward may raise anything
        raise ArgumentError("batch", f"the model's forward failed on {batch.describe()}: "
                                     f"{type(exc).__name__}: {exc}", user_lines(exc)) from exc
    try:
        prediction = select_output(raw, output)
    except OutputError as exc:
        raise ArgumentError("output", str(exc)) from None
    target = batch.target
    if loss_fn is None:
        loss_fn, task = default_loss(prediction, target)
    else:
        task = task_of(prediction, target)
    try:
        loss = loss_fn(prediction, target)
    except Exception as exc:
        raise ArgumentError("loss_fn", f"raised {type(exc).__name__}: {exc} (called as loss_fn(prediction of shape "
                                       f"{list(prediction.shape)}, target))", user_lines(exc)) from exc
    _check_loss(loss)
    try:
        run_recorded_backward(trace_graph(loss, model=model, node_modules=node_modules), loss)
    except Exception as exc:
        raise ArgumentError("model", f"backward failed: {type(exc).__name__}: {exc}", user_lines(exc)) from exc
    return CheckedLoss(loss_fn, task)


def _check_loss(loss: object) -> None:
    if not isinstance(loss, Tensor):
        raise ArgumentError("loss_fn", f"returned {type(loss).__name__}; it must return a scalar tensor")
    if loss.numel() != 1:
        raise ArgumentError("loss_fn", f"returned a tensor of shape {list(loss.shape)}; it must return one number "
                                       "(reduce it, e.g. with .mean())")
    if not loss.is_floating_point():
        raise ArgumentError("loss_fn", f"returned {loss.dtype}; a loss must be floating point")
    if loss.grad_fn is None:
        raise ArgumentError("loss_fn", "the loss does not depend on any parameter, so there is nothing to step "
                                       "(is the model frozen, or does forward run under torch.no_grad()?)")
