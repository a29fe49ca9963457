"""What a session's weights have been through: how many optimizer steps, by which optimizer (with its state)
and settings, on which data, with which last loss and metrics. An exported checkpoint records this.

The session owns one WeightsHistory and replaces it whenever its weights start afresh (Reset, a new model or
data set). Every move that changes the weights tells it: a stepped update (StepSession.update), each applied
step of a training run (TrainingRun.next), a checkpoint applied over the weights (`restored`). Stopping a run
changes nothing here: the weights keep what it trained, and the run's optimizer is still the one whose state
belongs to them. Touched only on the thread that owns the model (the engine thread in the window).
"""

from __future__ import annotations

import dataclasses

import torch


class WeightsHistory:
    def __init__(self):
        self.steps = 0  # optimizer steps applied to these weights, a checkpoint's included
        self.optimizer: torch.optim.Optimizer | None = None  # the one that made the last step: its state is theirs
        self.hyperparameters: dict = {}  # the settings of the last step (optimizer, lr, batch size, ...)
        self.dataset = ""  # the data of the last step
        self.loss: float | None = None  # the loss of the last step, measured before its update
        self.metrics: dict = {}  # the last measured ones (test_accuracy, ...) and measured_at_step: when
        self._run = None
        self._config = None  # the followed run's config (frozen) that `hyperparameters` was read from
        self._run_base = 0  # steps before the followed run's first step

    @property
    def fresh(self) -> bool:
        return self.steps == 0 and self._run is None

    def stepped(self, optimizer: torch.optim.Optimizer, hyperparameters: dict, dataset: str,
                loss: float | None) -> None:
        """One stepping update (Update weights): by the stepping optimizer, with the session's settings."""
        self._run, self._config = None, None
        self.steps += 1
        self.optimizer, self.hyperparameters, self.dataset = optimizer, dict(hyperparameters), dataset
        self.loss = loss

    def follow(self, run) -> None:
        """A training run starts (or carries on) on these weights: its steps count on from here."""
        self._run = run
        self._run_base = self.steps - run.step
        self.optimizer = run.optimizer
        self._config, self.hyperparameters = run.config, dataclasses.asdict(run.config)
        self.dataset = run.data.name

    def run_stepped(self, run, metrics) -> None:
        """A run's step `metrics` was applied (its loss and gradients were finite)."""
        if run is not self._run:
            self.follow(run)
        self.steps = self._run_base + run.step
        if run.config is not self._config:  # a learning rate changed while paused shows; asdict each step cost 0.5%
            self._config, self.hyperparameters = run.config, dataclasses.asdict(run.config)
        self.loss = metrics.loss
        if metrics.test_accuracy is not None or metrics.train_accuracy is not None:
            self.metrics = {}
            self.measured(test_accuracy=metrics.test_accuracy, train_accuracy=metrics.train_accuracy)

    def measured(self, **metrics: float | None) -> None:
        """Metrics measured on the weights as they are now (e.g. the test accuracy when a run pauses); kept
        with the step they were measured at, which later steps leave behind."""
        found = {key: value for key, value in metrics.items() if value is not None}
        if found:
            if self.metrics.get("measured_at_step") != self.steps:
                self.metrics = {}
            self.metrics.update(found, measured_at_step=self.steps)

    def restored(self, step: int, optimizer: torch.optim.Optimizer | None, metadata: dict,
                 loss: float | None, run=None) -> None:
        """A checkpoint's weights replaced these: its history is theirs now. `optimizer` is the one its state
        was loaded into (None when it held none that fits); `run` is a paused run that goes on from them."""
        self.steps = step
        self.optimizer = optimizer
        hyperparameters = metadata.get("hyperparameters")
        self.hyperparameters = dict(hyperparameters) if isinstance(hyperparameters, dict) else {}
        dataset = metadata.get("dataset")
        self.dataset = dataset if isinstance(dataset, str) else ""
        self.loss = loss
        metrics = metadata.get("metrics")
        self.metrics = {k: v for k, v in metrics.items() if k != "loss"} if isinstance(metrics, dict) else {}
        self._run = run
        self._run_base = step - (run.step if run is not None else 0)

    def __repr__(self) -> str:
        name = type(self.optimizer).__name__ if self.optimizer is not None else "no optimizer"
        return (f"WeightsHistory({self.steps} steps, {name}, {self.hyperparameters.get('optimizer', '-')}, "
                f"batch {self.hyperparameters.get('batch_size', '-')}, {self.dataset or '-'}, loss {self.loss})")
