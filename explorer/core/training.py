"""The training loop: a Qt-free generator shared by the CLI, the GUI's engine thread and benchmarks.

Each step is the tutorial's zero_grad, forward, loss, backward, optimizer.step. The instrumentation
is kept to one batched norm over the gradients and one .tolist() per step, so the loop stays close
to a bare PyTorch loop's speed.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass, replace
from typing import Iterator

import torch
import torch.nn as nn

from explorer.core.datasets import BatchStream, DataSituation, accuracy
from explorer.core.optim import OPTIMIZERS, make_optimizer


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


@dataclass(frozen=True)
class StepMetrics:
    """What one step measured. Accuracies are None where they do not apply or were not evaluated."""

    step: int  # 1 for the first update
    epoch: int  # completed epochs after this step's batch
    loss: float
    batch_accuracy: float | None  # classification only
    grad_norms: tuple[float, ...]  # one per parameter tensor, in named_parameters() order
    test_accuracy: float | None = None  # filled on eval steps when there is a test split
    train_accuracy: float | None = None  # filled on eval steps
    nonfinite: str | None = None  # "loss" or the first parameter whose gradient went NaN/Inf

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
        return f"StepMetrics({', '.join(parts)})"


def train(
    model: nn.Module,
    data: DataSituation,
    config: TrainConfig,
    optimizer: torch.optim.Optimizer | None = None,
    *,
    start_step: int = 0,
    stop: threading.Event | None = None,
) -> Iterator[StepMetrics]:
    """Train from step `start_step` up to `config.steps`, yielding each step's metrics.

    Pass the optimizer (with its state) and start_step to resume: the batches continue where a run
    from step 0 would have reached. Stops early, between steps, when `stop` is set, or after a step
    whose loss or gradients are not finite (that step's update is not applied).
    """
    if optimizer is None:
        optimizer = make_optimizer(config.optimizer, model.parameters(), config.lr, config.momentum)
    named = list(model.named_parameters())
    names, params = tuple(n for n, _ in named), tuple(p for _, p in named)
    classification = data.task == "classification"
    loss_fn = data.loss_fn
    stream = BatchStream(data, config.batch_size, config.seed)
    stream.skip(start_step)
    model.train()

    for step in range(start_step + 1, config.steps + 1):
        if stop is not None and stop.is_set():
            return
        x, y = stream.next()
        optimizer.zero_grad(set_to_none=True)
        out = model(x)
        loss = loss_fn(out, y)
        loss.backward()

        # One batched op for all gradient norms and one .tolist() for every per-step scalar.
        grads = [p.grad if p.grad is not None else torch.zeros((), dtype=p.dtype) for p in params]
        scalars = [loss.detach(), *torch._foreach_norm(grads)]
        if classification:
            scalars.append((out.detach().argmax(dim=1) == y).sum())
        values = torch.stack(scalars).tolist()  # stack promotes the int count to the loss's float type
        loss_value, norms = values[0], tuple(values[1 : 1 + len(params)])
        batch_accuracy = values[-1] / len(y) if classification else None

        nonfinite = _first_nonfinite(loss_value, norms, names)
        if nonfinite is None:
            optimizer.step()
        metrics = StepMetrics(step, stream.epoch, loss_value, batch_accuracy, norms, nonfinite=nonfinite)
        if nonfinite is None and _is_eval_step(step, config):
            metrics = _with_accuracies(metrics, model, data)
        yield metrics
        if nonfinite is not None:
            return


def _first_nonfinite(loss: float, norms: tuple[float, ...], names: tuple[str, ...]) -> str | None:
    if not math.isfinite(loss):
        return "loss"
    # A gradient's norm is NaN/Inf exactly when one of its elements is (barring float overflow).
    return next((name for name, norm in zip(names, norms) if not math.isfinite(norm)), None)


def _is_eval_step(step: int, config: TrainConfig) -> bool:
    return step == config.steps or (config.eval_every > 0 and step % config.eval_every == 0)


def _with_accuracies(metrics: StepMetrics, model: nn.Module, data: DataSituation) -> StepMetrics:
    if data.task != "classification":
        return metrics
    test = accuracy(model, data.test_x, data.test_y) if data.test_x is not None else None
    return replace(metrics, test_accuracy=test, train_accuracy=accuracy(model, data.train_x, data.train_y))
