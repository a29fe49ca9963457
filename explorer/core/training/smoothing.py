"""Exponential moving average for live loss curves, as TensorBoard smooths its scalars (debiased)."""

from __future__ import annotations

import math

import numpy as np


class Ema:
    """Feed values in order; each output is the debiased average of the finite values seen so far.

    Non-finite values are skipped (the output repeats the last average, NaN before the first finite value),
    so one diverged step does not poison the rest of the curve.
    """

    def __init__(self, weight: float = 0.9):
        if not 0.0 <= weight < 1.0:
            raise ValueError(f"smoothing weight must be in [0, 1), got {weight}")
        self.weight = weight
        self._average = 0.0
        self._count = 0

    def update(self, values) -> np.ndarray:
        w = self.weight
        out = np.empty(len(values), dtype=np.float64)
        average, count = self._average, self._count
        for i, v in enumerate(np.asarray(values, dtype=np.float64).tolist()):
            if math.isfinite(v):
                average = average * w + (1.0 - w) * v
                count += 1
            out[i] = average / (1.0 - w**count) if count else math.nan
        self._average, self._count = average, count
        return out

    def __repr__(self) -> str:
        return f"Ema(weight={self.weight}, {self._count} values)"
