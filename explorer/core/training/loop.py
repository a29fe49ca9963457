"""The training loop: a Qt-free generator shared by the CLI, the GUI's engine thread and benchmarks.

Each step is the tutorial's zero_grad, forward, loss, backward, optimizer.step. The instrumentation
is kept to one batched norm over the gradients and one .tolist() per step, so the loop stays close
to a bare PyTorch loop's speed.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass, replace
from typing import Iterator, NamedTuple

import torch
import torch.nn as nn

from explorer.core.data.batches import Batch, call_model
from explorer.core.data.datasets import BatchStream, DataSituation, accuracy
from explorer.core.training.diagnostics import Diagnostics, DiagnosticsProbe, locate_nonfinite
from explorer.core.models import primary_output
from explorer.core.optim import OPTIMIZERS, make_optimizer
from explorer.core.training.schedule import Schedule


@dataclass(frozen=True)
class TrainConfig:
    """Hyperparameters. The defaults train the seed Net on digits to about 98% test accuracy."""

    optimizer: str = "sgd"
    lr: float = 0.01
    momentum: float = 0.9  # used by "sgd" only
    batch_size: int = 32
    steps: int = 1000  # the step number to train up to; a resumed run counts on from start_step
    seed: int = 0  # shuffles the batches
    eval_every: int = 0  # steps between accuracy evaluations; 0 = only at the last step

    def __post_init__(self):
        if self.optimizer not in OPTIMIZERS:
            raise ValueError(f"unknown optimizer {self.optimizer!r}; choose one of {', '.join(OPTIMIZERS)}")
        if not (math.isfinite(self.lr) and self.lr > 0):
            raise ValueError(f"learning rate must be a positive number, got {self.lr}")
        if not math.isfinite(self.momentum) or self.momentum < 0:
            raise ValueError(f"momentum must be zero or positive, got {self.momentum}")
        if self.batch_size < 1:
            raise ValueError(f"batch size must be at least 1, got {self.batch_size}")
        if self.steps < 0 or self.eval_every < 0:
            raise ValueError(f"steps and eval_every must not be negative, got {self.steps}, {self.eval_every}")


class StepMetrics(NamedTuple):
    """What one step measured. Accuracies are None where they do not apply or were not evaluated.

    A NamedTuple, not a frozen dataclass: one is made every step, and a frozen dataclass's __init__ (one
    object.__setattr__ per field) cost about 1% of a batch-1 step of the seed Net (measured against a bare loop).
    """

    step: int  # 1 for the first update
    epoch: int  # completed epochs after this step's batch
    loss: float
    batch_accuracy: float | None  # classification only, on steps with statistics
    grad_norms: tuple[float, ...]  # one per parameter tensor, in named_parameters() order; () if not measured
    test_accuracy: float | None = None  # filled on eval steps when there is a test split
    train_accuracy: float | None = None  # filled on eval steps
    nonfinite: str | None = None  # "loss" or the first parameter whose gradient went NaN/Inf
    nonfinite_origin: str | None = None  # for people: where the first non-finite value is, e.g. "output of fc1"
    diagnostics: Diagnostics | None = None  # on the steps a DiagnosticsProbe sampled

    def __repr__(self) -> str:
        parts = [f"step={self.step}", f"epoch={self.epoch}", f"loss={self.loss:.6g}"]
        for label, value in (
            ("batch_accuracy", self.batch_accuracy),
            ("train_accuracy", self.train_accuracy),
            ("test_accuracy", self.test_accuracy),
        ):
            if value is not None:
                parts.append(f"{label}={value:.4f}")
        if self.grad_norms:
            parts.append(f"max_grad_norm={max(self.grad_norms):.4g}")
        if self.nonfinite:
            parts.append(f"nonfinite={self.nonfinite!r}")
        if self.diagnostics is not None:
            parts.append("diagnostics")
        return f"StepMetrics({', '.join(parts)})"


def train(
    model: nn.Module,
    data: DataSituation,
    config: TrainConfig,
    optimizer: torch.optim.Optimizer | None = None,
    *,
    start_step: int = 0,
    stop: threading.Event | None = None,
    stream: BatchStream | None = None,
    probe: DiagnosticsProbe | None = None,
    schedule: Schedule | None = None,
    output: str = "",
) -> Iterator[StepMetrics]:
    """Train from step `start_step` up to `config.steps`, yielding each step's metrics.

    Pass the optimizer (with its state) and start_step to resume: the batches continue where a run
    from step 0 would have reached (or where `stream` stands, when given). Stops early, between steps,
    when `stop` is set, or after a step whose loss or gradients are not finite (that step's update is
    not applied). `schedule` says on which steps to measure gradient norms and batch accuracy (default:
    every step; on other steps they are () and None, and only a non-finite loss is caught), to run the
    `probe`'s diagnostics, and to measure test accuracy at an epoch's end. `output` names the entry of a
    structured output that is the prediction (explorer.core.outputs; "" or None lets its rule decide).

    `data` may also be a batch source of the user's own (explorer.core.data.batch_source.IterableSource, with its
    `stream`): its batches are whatever the model takes (a dict of token ids, a tuple), its loss is the user's,
    and it has no test split.
    """
    if optimizer is None:
        optimizer = make_optimizer(config.optimizer, model.parameters(), config.lr, config.momentum)
    schedule = schedule if schedule is not None else Schedule()
    named = list(model.named_parameters())
    names, params = tuple(n for n, _ in named), tuple(p for _, p in named)
    classification = data.task == "classification"
    loss_fn = data.loss_fn
    if stream is None:
        stream = BatchStream(data, config.batch_size, config.seed)
        stream.skip(start_step)
    model.train()
    clock = time.perf_counter
    plain_forward = math.inf  # a recent unwatched forward pass's time (an EMA), to price a watched one

    # Each step is kept lean where nothing is measured: at batch 1 a step of the seed Net takes ~1.3 ms, and every
    # microsecond of Python here is ~0.1% of speed against a bare loop (bench/training.py).
    for step in range(start_step + 1, config.steps + 1):
        if stop is not None and stop.is_set():
            return
        began = clock()
        sample = probe.sample(step) if probe is not None and schedule.diagnostics_due(step) else None
        drawn = stream.next()
        x, y = (drawn.inputs, drawn.target) if isinstance(drawn, Batch) else drawn
        optimizer.zero_grad(set_to_none=True)
        if sample is None:
            forward_began = clock()
            out = model(x) if isinstance(x, torch.Tensor) else call_model(model, x)
            took = clock() - forward_began
            plain_forward = took if plain_forward == math.inf else 0.9 * plain_forward + 0.1 * took
        else:
            with sample.watch_forward():
                out = call_model(model, x)
        if output or not isinstance(out, torch.Tensor):
            out = primary_output(out, output)  # the one output rule: explorer.core.outputs
        loss = loss_fn(out, y)
        loss.backward()

        # The statistics, when due: every gradient norm in one batched op, the batch's accuracy, one .tolist().
        # Otherwise only the loss: reading every gradient costs ~5% of a batch-1 step of the seed Net.
        if schedule.stats_due(step):
            measured = clock()
            grads = [p.grad if p.grad is not None else torch.zeros((), dtype=p.dtype, device=p.device) for p in params]
            scalars = [loss.detach(), *torch._foreach_norm(grads)]
            if classification:
                scalars.append((out.detach().argmax(dim=1) == y).sum())
            values = torch.stack(scalars).tolist()  # stack promotes the int count to the loss's float type
            loss_value, norms = values[0], safe_norms(values[1 : 1 + len(params)], grads)
            batch_accuracy = values[-1] / len(y) if classification else None
            nonfinite = _first_nonfinite(loss_value, norms, names)
            schedule.spent("stats", clock() - measured)
        else:
            loss_value, norms, batch_accuracy = loss.item(), (), None
            nonfinite = None if math.isfinite(loss_value) else "loss"

        if sample is None:
            if nonfinite is None:
                optimizer.step()
            metrics = StepMetrics(step, stream.epoch, loss_value, batch_accuracy, norms, nonfinite=nonfinite)
        else:
            metrics = _sampled_update(sample, params, optimizer, nonfinite,
                                      StepMetrics(step, stream.epoch, loss_value, batch_accuracy, norms, nonfinite=nonfinite))
            # What the sample added: the step would have run a plain forward anyway.
            schedule.spent("diagnostics", sample.seconds - min(plain_forward, sample.forward_seconds))
        if nonfinite is not None:
            metrics = metrics._replace(nonfinite_origin=locate_nonfinite(model, x, nonfinite))
        elif _is_eval_step(step, config):
            metrics = _with_accuracies(metrics, model, data, output)
        elif stream.position == 0 and schedule.test_due(step):  # position 0: this batch ended an epoch
            tested = clock()
            metrics = metrics._replace(test_accuracy=test_accuracy(model, data, output))
            schedule.spent("test", clock() - tested)
        schedule.spent("step", clock() - began)
        yield metrics
        if nonfinite is not None:
            return


def _sampled_update(sample, params, optimizer, nonfinite: str | None, metrics: StepMetrics) -> StepMetrics:
    """The rest of a step the probe samples: gradients read, the update (when finite) with the weights' norms
    around it, and the sample's diagnostics in the metrics."""
    sample.after_backward([p.grad for p in params])
    if nonfinite is None:
        sample.before_update(params, optimizer)
        optimizer.step()
        sample.after_update(params, optimizer)
    return metrics._replace(diagnostics=sample.result())


def data_on(data: DataSituation, device: torch.device | str) -> DataSituation:
    """The same data situation with every tensor on `device` (the loss function has no state to move)."""
    def move(t):
        return None if t is None else t.to(device)

    return replace(data, train_x=move(data.train_x), train_y=move(data.train_y),
                   test_x=move(data.test_x), test_y=move(data.test_y))


def safe_norms(norms: list[float], grads: list[torch.Tensor]) -> tuple[float, ...]:
    """The gradients' norms, with each one that came out NaN/Inf computed again in float64. A float32 norm
    overflows once the sum of squares passes 3.4e38 (a gradient of 4.9e28 squared does), though every value
    is finite: in float64 it is finite again, and only a gradient that really holds a NaN or Inf stays so."""
    return tuple(n if math.isfinite(n) else torch.linalg.vector_norm(g.detach().double()).item()
                 for n, g in zip(norms, grads))


def _first_nonfinite(loss: float, norms: tuple[float, ...], names: tuple[str, ...]) -> str | None:
    if not math.isfinite(loss):
        return "loss"
    # A float64 norm (safe_norms) is NaN/Inf exactly when one of the gradient's elements is.
    return next((name for name, norm in zip(names, norms) if not math.isfinite(norm)), None)


def _is_eval_step(step: int, config: TrainConfig) -> bool:
    return step == config.steps or (config.eval_every > 0 and step % config.eval_every == 0)


def test_accuracy(model: nn.Module, data: DataSituation, output: str = "") -> float | None:
    """The accuracy on the test split; None for regression or without a test split (a user's own batches)."""
    if data.task != "classification" or getattr(data, "test_x", None) is None:
        return None
    return accuracy(model, data.test_x, data.test_y, output=output)


def _with_accuracies(metrics: StepMetrics, model: nn.Module, data: DataSituation, output: str) -> StepMetrics:
    if data.task != "classification" or not isinstance(data, DataSituation):
        return metrics
    test = accuracy(model, data.test_x, data.test_y, output=output) if data.test_x is not None else None
    return metrics._replace(test_accuracy=test, train_accuracy=accuracy(model, data.train_x, data.train_y, output=output))
