"""A dry run that says, before a model replaces the one in use, whether it works with the data.

One forward pass, the loss and one backward pass on a two-sample batch, under the same hooks the stepping
session uses and in the mode it steps in (training, or eval: batch norm on its running statistics), so whatever
would fail on the first step fails here instead, with a message that names
the model's file and keeps the user's own traceback lines. The model is left as it was: buffers (batch
norm's running statistics), gradients, train/eval mode and torch's random stream.
"""

from __future__ import annotations

import re
import sys
import warnings
from pathlib import Path

import torch
import torch.nn as nn

from explorer.core.autograd.graph import trace_graph
from explorer.core.autograd.backward_recorder import run_recorded_backward
from explorer.core.data.datasets import DataSituation
from explorer.core.autograd.forward_recorder import ForwardRecorder
from explorer.core.model_kept import model_kept
from explorer.core.models import ModelSpecError, primary_output, user_traceback
from explorer.core.autograd.module_attribution import record_node_modules

# One frame of the forward call's stack that anomaly mode prints when a backward node fails.
_FRAME = re.compile(r'  File "(?P<file>[^"]+)", line (?P<line>\d+), in (?P<func>\S+)\n    (?P<code>.*)')


def check_model(model: nn.Module, data: DataSituation, batch_size: int = 2, output: str = "",
                training: bool = True) -> None:
    """Raise ModelSpecError when `model` cannot take one step on `data` in training mode (or, with
    training=False, in eval mode); do nothing otherwise."""
    x, y = data.sample_batch(slice(0, min(batch_size, data.train_size)))
    with model_kept(model):
        _dry_run(model, x.clone(), y, data, output, training)


def _dry_run(model: nn.Module, x: torch.Tensor, y: torch.Tensor, data: DataSituation, output_name: str,
             training: bool) -> None:
    source = model_source_file(model)
    name = f"{source}: {type(model).__name__}" if source else type(model).__name__
    sample = f"{_samples(len(x))} of shape {tuple(x.shape[1:])} from {data.name!r}"
    model.train(training)
    try:
        with record_node_modules(model) as node_modules, ForwardRecorder(model):
            output = primary_output(model(x), output_name)
    except ModelSpecError as exc:
        raise ModelSpecError(f"{name}: {exc}") from None
    except Exception as exc:  # the user's forward may raise anything
        hint = ""
        if re.search(r"shape|size", str(exc)):
            hint = ("\nIf the model expects samples of another shape, give its input shape "
                    "(e.g. 1,28,28): the data is then brought to it.")
        raise ModelSpecError(f"{name}: forward failed on {sample}: {user_traceback(exc, source)}{hint}") from None

    problem = _output_mismatch(output, y, data)
    if problem:
        raise ModelSpecError(f"{name}: {problem}")
    try:
        loss = data.loss_fn(output, y)
    except Exception as exc:
        raise ModelSpecError(f"{name}: {type(data.loss_fn).__name__} failed on the output: {exc}") from None
    if loss.grad_fn is None:
        raise ModelSpecError(
            f"{name}: the loss does not depend on any parameter, so there is nothing to train "
            "(does forward detach its result or run under torch.no_grad()?)"
        )
    try:
        run_recorded_backward(trace_graph(loss, model=model, node_modules=node_modules), loss)
    except Exception as exc:
        raise ModelSpecError(f"{name}: backward failed: {_backward_explanation(exc, model, x, y, data, source, output_name)}") from None


def _samples(n: int) -> str:
    return f"{n} sample{'s' if n != 1 else ''}"


def _output_mismatch(output: torch.Tensor, y: torch.Tensor, data: DataSituation) -> str | None:
    """Shapes the loss would reject or, worse, silently broadcast."""
    shape = list(output.shape)
    if not output.is_floating_point():
        return f"returned {output.dtype} values; the loss needs floating point"
    if data.task == "classification":
        classes = len(data.class_names)
        if output.dim() != 2 or output.shape[0] != len(y):
            return (f"returned shape {shape} for {_samples(len(y))}; {data.name!r} needs one score per class "
                    f"for each sample: shape [{len(y)}, {classes}]")
        if output.shape[1] < classes:
            return f"returned {output.shape[1]} scores per sample, but {data.name!r} has {classes} classes"
        return None
    if output.shape != y.shape:
        return f"returned shape {shape}, but the targets of {data.name!r} have shape {list(y.shape)}"
    return None


def _backward_explanation(exc: Exception, model: nn.Module, x, y, data: DataSituation, source: Path | None,
                          output_name: str = "") -> str:
    """The error, with the user's forward lines that made the failing node.

    Backward errors point into torch, not into the user's file. Anomaly mode records, for every node,
    the stack of the forward call that made it, and prints it when that node fails: run the step once
    more that way, without explorer's hooks, and keep the frames in the user's file. If that run passes,
    only explorer's hooks failed, and the message says so.
    """
    message = f"{type(exc).__name__}: {exc}"
    in_place = "modified by an inplace operation" in message
    if in_place:  # torch's hint is to turn on anomaly mode, which is what happens next
        message = message.split(" Hint: ")[0]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            with torch.autograd.detect_anomaly(check_nan=False):
                data.loss_fn(primary_output(model(x.clone()), output_name), y).backward()
        except Exception:
            pass
        else:
            return f"{message}\n(the same step passes in plain PyTorch: this model breaks explorer's hooks)"
    frames = [
        f'  File "{m["file"]}", line {m["line"]}, in {m["func"]}\n    {m["code"]}'
        for w in caught
        for m in _FRAME.finditer(str(w.message))
        if source is not None and Path(m["file"]) == source
    ]
    if frames:
        heading = ("a tensor this operation saved for backward was changed in place later in forward "
                   "(write h = h * 2 rather than h.mul_(2) or h *= 2):" if in_place
                   else "the forward call that made the failing node:")
        message += f"\n{heading}\n" + "\n".join(frames)
    return message


def model_source_file(model: nn.Module) -> Path | None:
    """The file the model's class was defined in, if it has one."""
    module = sys.modules.get(type(model).__module__)
    file = getattr(module, "__file__", None)
    return Path(file) if file else None
