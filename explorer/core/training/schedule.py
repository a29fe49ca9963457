"""When a training step does its optional work: statistics, diagnostics, a test evaluation.

Each piece of work has a price that does not shrink with the step: the statistics (ten gradient norms and
the batch's accuracy) read every gradient once (5-10% of a batch-1 step of the seed Net), a diagnostics
sample costs a few steps, testing costs a forward pass over the test split. BudgetSchedule keeps each
within a share of the training time it measures as the run goes, so a big batch gets statistics on every
step and a tiny one on every few, and training stays within a few percent of a bare loop either way.

A share alone leaves a curve unreadable when a sample costs many steps: at 0.4% a diagnostics sample that
cost two steps came once every ~500 steps, about one a second. So each work also has a rate it is owed,
RATE samples per second of training time (every step when steps are slower than that), as long as its
time stays under CEILING of the training time; a work whose sample costs more than that gets fewer.
"""

from __future__ import annotations

import math


class Schedule:
    """Statistics on every step, no diagnostics, no testing at epoch ends: what plain `train` does."""

    def stats_due(self, step: int) -> bool:
        """Gradient norms and batch accuracy (and so a check of every gradient for NaN/Inf)."""
        return True

    def diagnostics_due(self, step: int) -> bool:
        return False

    def test_due(self, step: int) -> bool:
        """Asked at the end of each epoch."""
        return False

    def spent(self, work: str, seconds: float) -> None:
        """The loop reports each step's time as "step" and each optional work's time under its own name."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class EverySchedule(Schedule):
    """Fixed intervals: statistics every step, diagnostics on step 1 and every `diagnostics_every`-th step,
    test accuracy at every epoch's end. Deterministic, for tests and the command line."""

    def __init__(self, diagnostics_every: int = 25, test_at_epoch_end: bool = True):
        if diagnostics_every < 1:
            raise ValueError(f"diagnostics_every must be at least 1, got {diagnostics_every}")
        self.diagnostics_every = diagnostics_every
        self.test_at_epoch_end = test_at_epoch_end

    def diagnostics_due(self, step: int) -> bool:
        return step == 1 or step % self.diagnostics_every == 0

    def test_due(self, step: int) -> bool:
        return self.test_at_epoch_end

    def __repr__(self) -> str:
        return f"EverySchedule(diagnostics_every={self.diagnostics_every}, test_at_epoch_end={self.test_at_epoch_end})"


class BudgetSchedule(Schedule):
    """Each optional work runs whenever the time it has taken so far is within its share of the time the
    steps have taken (a paused run's idle time is not counted). Step 1 always gets statistics and diagnostics.
    The first run of each work is not charged: it carries one-time costs (the first watched forward pass
    took 0.7 s once, a hundred times a later one)."""

    WORKS = ("stats", "diagnostics", "test")
    RATE = 5.5  # samples per second of training owed to stats and diagnostics (the goal is 5; a sample costs
    # ~1.8 ms at batch 1 of the seed Net, so every 0.5 a second is ~0.1% of the speed)
    CEILING = {"stats": 0.012, "diagnostics": 0.02}  # the most of the training time the rate may take

    # The statistics' own share is what large batches get beyond the rate (at batch 64 the rate alone is a
    # norm every ~18 steps); 0.3% gave batch 1 twice the rate, for 0.15% of its speed.
    def __init__(self, stats: float = 0.0015, diagnostics: float = 0.004, test: float = 0.002,
                 rate: float = RATE):
        self.shares = {"stats": stats, "diagnostics": diagnostics, "test": test}
        self.rate = rate
        self.seconds = dict.fromkeys(("step", *self.WORKS), 0.0)
        self.counts = dict.fromkeys(("step", *self.WORKS), 0)
        self._last = dict.fromkeys(self.WORKS, -math.inf)  # training time at each work's last sample

    def _within(self, work: str) -> bool:
        return self.seconds[work] <= self.shares[work] * self.seconds["step"]

    def _owed(self, work: str) -> bool:
        """A sample is owed when 1/rate seconds of training passed since the last, and the ceiling allows."""
        return (self.seconds["step"] - self._last[work] >= 1.0 / self.rate
                and self.seconds[work] <= self.CEILING[work] * self.seconds["step"])

    def _due(self, work: str, step: int) -> bool:
        if step == 1 or self._within(work) or self._owed(work):
            self._last[work] = self.seconds["step"]
            return True
        return False

    def stats_due(self, step: int) -> bool:
        return self._due("stats", step)

    def diagnostics_due(self, step: int) -> bool:
        return self._due("diagnostics", step)

    def test_due(self, step: int) -> bool:
        return self._within("test")

    def spent(self, work: str, seconds: float) -> None:
        if self.counts[work] or work == "step":
            self.seconds[work] += seconds
        self.counts[work] += 1

    def every(self, work: str) -> float | None:
        """On average, one step in how many did this work so far (None before it first ran)."""
        n = self.counts[work]
        return self.counts["step"] / n if n else None

    def __repr__(self) -> str:
        shares = ", ".join(f"{w}={s:.1%}" for w, s in self.shares.items())
        return f"BudgetSchedule({shares}, {self.rate:g}/s; {self.counts['step']} steps)"
