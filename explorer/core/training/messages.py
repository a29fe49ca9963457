"""What the GUI and the engine thread say to each other about training: plain data, no torch, no Qt.

The GUI sends TrainSettings; the engine answers with TrainingUpdate batches (every ~30 ms while a run goes)
and a TrainingState whenever the run starts, pauses, finishes or stops.
"""

from __future__ import annotations

import collections
import math
from dataclasses import dataclass
from typing import Any

from explorer.core.wording import Phrase

UNITS = ("steps", "epochs")


@dataclass(frozen=True)
class TrainSettings:
    """The Training panel's hyperparameters; `length` counts `unit`s (steps, or epochs of the training set)."""

    optimizer: str = "sgd"
    lr: float = 0.01
    batch_size: int = 32
    length: int = 1000
    unit: str = "steps"
    seed: int = 0

    def steps(self, train_size: int) -> int:
        """The run's length in optimizer steps for a training set of `train_size` samples."""
        if self.unit == "steps":
            return self.length
        if self.unit == "epochs":
            return self.length * max(1, train_size // max(1, min(self.batch_size, train_size)))
        raise ValueError(f"unknown unit {self.unit!r}; choose one of {', '.join(UNITS)}")


@dataclass(frozen=True)
class TrainingUpdate:
    """The steps taken since the last update (StepMetrics, oldest first), with where the run stands."""

    metrics: tuple[Any, ...]
    step: int  # the last step taken
    total: int  # the step the run trains up to
    steps_per_s: float  # over the last second or so; NaN until measured
    seconds_left: float  # NaN until measured


@dataclass(frozen=True)
class TrainingState:
    """phase: "idle" (no run), "running", or "paused" (the run can resume); `message` says why, for people."""

    phase: str
    step: int = 0
    total: int = 0
    message: str = ""
    nonfinite_step: int | None = None  # set when the NaN guard paused the run
    nonfinite_origin: str = ""
    steps_per_epoch: int = 0
    slice_steps: int = 0  # steps taken since the run last started or resumed (0 while running)
    slice_seconds: float = 0.0  # and the time they took on the engine thread
    test_accuracy: float | None = None  # measured when a run pauses (classification with a test split)
    error: bool = False  # the run ended because a step raised; `message` names what failed
    # `message` as untranslated Phrases (explorer.core.wording), so that a window in another language says it again
    message_parts: tuple[Phrase, ...] = ()
    optimizer: str = ""  # the run's own settings (the stepping session's may differ), "" / 0 without a run
    lr: float = 0.0
    batch_size: int = 0

    @property
    def has_run(self) -> bool:
        return self.phase in ("running", "paused")


class RateMeter:
    """Steps per second over a sliding window of about `window` seconds, and the time left at that rate."""

    def __init__(self, window: float = 1.0):
        self.window = window
        self._marks: collections.deque[tuple[float, int]] = collections.deque()

    def mark(self, seconds: float, step: int) -> None:
        self._marks.append((seconds, step))
        while len(self._marks) > 2 and seconds - self._marks[1][0] >= self.window:
            self._marks.popleft()

    def restart(self) -> None:
        """Forget the marks (after a pause: idle time is not training time)."""
        self._marks.clear()

    @property
    def steps_per_s(self) -> float:
        if len(self._marks) < 2:
            return math.nan
        (t0, s0), (t1, s1) = self._marks[0], self._marks[-1]
        return (s1 - s0) / (t1 - t0) if t1 > t0 else math.nan

    def seconds_left(self, step: int, total: int) -> float:
        rate = self.steps_per_s
        return (total - step) / rate if rate > 0 else math.nan

    def __repr__(self) -> str:
        return f"RateMeter({self.steps_per_s:.1f} steps/s over {len(self._marks)} marks)"
