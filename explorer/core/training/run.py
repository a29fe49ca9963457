"""A training run that stops between any two steps and goes on later where it stood (the GUI's engine)."""

from __future__ import annotations

from dataclasses import replace
from typing import Iterator

import torch
import torch.nn as nn

from explorer.core.batch_rule import training_batch
from explorer.core.data.datasets import BatchStream, DataSituation
from explorer.core.training.diagnostics import DiagnosticsProbe
from explorer.core.training.history import WeightsHistory
from explorer.core.optim import make_optimizer
from explorer.core.training.schedule import BudgetSchedule, Schedule
from explorer.core.training.loop import StepMetrics, TrainConfig, train


class TrainingRun:
    """Keeps the generator, optimizer, batch stream, diagnostics probe and schedule between slices of work.

    A caller iterates with `next()` for as long as it likes (the engine thread returns to its event loop
    between slices). A step whose loss or gradients were not finite ends the generator without applying its
    update; the next `next()` carries on after the last good step with the same optimizer and stream, e.g.
    after the learning rate was lowered with `set_lr`.
    """

    def __init__(self, model: nn.Module, data: DataSituation, config: TrainConfig,
                 schedule: Schedule | None = None, diagnostics: bool = True, *, stream=None,
                 optimizer: torch.optim.Optimizer | None = None, output: str = "",
                 history: WeightsHistory | None = None):
        """`stream`, `optimizer`, `output`: a user's own batches, optimizer and prediction name (explorer.show);
        by default a seeded stream over `data`, a fresh optimizer from the config, and the output rule's choice.
        `history`: the session's record of its weights, written at each applied step."""
        self.model = model
        self.output = output  # the output entry that is the prediction (explorer.core.outputs)
        self.data = data
        self.config = config
        self.schedule = schedule if schedule is not None else BudgetSchedule()
        self.optimizer = optimizer if optimizer is not None else make_optimizer(
            config.optimizer, model.parameters(), config.lr, config.momentum)
        self.stream = stream if stream is not None else BatchStream(data, config.batch_size, config.seed)
        self.probe = DiagnosticsProbe(model) if diagnostics else None
        self.notices: list = []  # settings the run took otherwise than asked (Phrases; see session_run)
        self.step = 0  # the last step whose update was applied
        self.history = history  # the weights' record (the session's): each applied step is written to it
        if history is not None:
            history.follow(self)
        self._steps = self._generator()

    def _generator(self) -> Iterator[StepMetrics]:
        return train(self.model, self.data, self.config, self.optimizer, start_step=self.step,
                     stream=self.stream, probe=self.probe, schedule=self.schedule, output=self.output)

    @property
    def finished(self) -> bool:
        return self.step >= self.config.steps

    @property
    def steps_per_epoch(self) -> int:
        return self.stream.batches_per_epoch

    def next(self) -> StepMetrics | None:
        """The next step's metrics, or None once the run has reached config.steps."""
        if self.finished:
            return None
        if not self.model.training:  # between slices the session steps in its own mode, maybe eval: training trains
            self.model.train()
        metrics = next(self._steps, None)
        if metrics is None:  # the generator ended after a non-finite step: go on after the last good one
            self._steps = self._generator()
            metrics = next(self._steps)
        if metrics.nonfinite is None:
            self.step = metrics.step
            if self.history is not None:
                self.history.run_stepped(self, metrics)
        return metrics

    def set_lr(self, lr: float) -> None:
        """Use `lr` from the next step on; the optimizer keeps its state (momentum, Adam's averages)."""
        self.config = replace(self.config, lr=lr)  # validates lr
        for group in self.optimizer.param_groups:
            group["lr"] = lr

    def __repr__(self) -> str:
        c = self.config
        return (f"TrainingRun(step {self.step}/{c.steps}, {c.optimizer}, lr={c.lr:g}, batch {c.batch_size}, "
                f"{self.data.name})")


def session_run(session, config: TrainConfig, **options) -> TrainingRun:
    """A training run on a StepSession's model and data, with its prediction output, recorded in its history, at a
    batch that trains (explorer.core.batch_rule.training_batch: its notice goes in the run's `notices`)."""
    batch, notices = training_batch(session.model, session.data, config.batch_size, session.spec.output)
    run = TrainingRun(session.model, session.data, replace(config, batch_size=batch), output=session.spec.output,
                      history=session.history, **options)
    run.notices = notices
    return run
