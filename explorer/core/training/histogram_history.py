"""Histograms over time, as an image: x = step, y = value, colour = how many values fell there.

Each sampled step brings one histogram with bins of its own range. The history keeps a bounded number of
them (when full, every other one of the older half is dropped) and renders them onto one shared value
grid, re-binning each column through its cumulative counts, so a column keeps its shape whatever range
the others have.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

ROBUST_TAIL = 0.1  # the value range leaves out the most extreme tenth of the histograms' own ranges


@dataclass(frozen=True)
class HistogramImage:
    """image[i, j]: share of column i's values in value bin j, scaled so each column's fullest bin is 1."""

    image: np.ndarray  # (columns, rows) float32
    x0: float  # step range the columns span
    x1: float
    y0: float  # value range the rows span
    y1: float


class HistogramHistory:
    """Histograms (step, lo, hi, counts) of one tensor over a run, at most `capacity` of them."""

    def __init__(self, capacity: int = 1024):
        if capacity < 4 or capacity % 2:
            raise ValueError(f"capacity must be even and at least 4, got {capacity}")
        self.capacity = capacity
        self.steps: list[int] = []
        self.ranges: list[tuple[float, float]] = []
        self.counts: list[np.ndarray] = []

    def __len__(self) -> int:
        return len(self.steps)

    def append(self, step: int, lo: float, hi: float, counts: np.ndarray) -> None:
        if len(self.steps) == self.capacity:
            half = self.capacity // 2
            keep = list(range(0, half, 2)) + list(range(half, self.capacity))
            self.steps = [self.steps[i] for i in keep]
            self.ranges = [self.ranges[i] for i in keep]
            self.counts = [self.counts[i] for i in keep]
        self.steps.append(int(step))
        self.ranges.append((float(lo), float(hi)))
        self.counts.append(np.asarray(counts, dtype=np.float32))  # 1,024 columns x ~20 tensors: 4 MB, not 8

    def render(self, columns: int = 400, rows: int = 96) -> HistogramImage | None:
        """The image on a uniform step grid of at most `columns` columns (each shows the histogram measured
        nearest its step, or nothing when none lies within a column's width) and `rows` value bins; None
        when empty.

        The value range spans the histograms' ranges without their extreme tenth: gradients shrink by
        orders of magnitude as a run settles, and the range of a few early steps would squash every later
        column into one row. Values outside the range are not drawn (the axis says where it ends).
        """
        ranges = np.array(self.ranges, dtype=np.float64).reshape(-1, 2)
        finite = np.isfinite(ranges).all(axis=1)
        if not finite.any():
            return None
        y0 = float(np.quantile(ranges[finite, 0], ROBUST_TAIL, method="lower"))
        y1 = float(np.quantile(ranges[finite, 1], 1 - ROBUST_TAIL, method="higher"))
        if not y1 > y0:
            y0, y1 = float(ranges[finite, 0].min()), float(ranges[finite, 1].max())
        steps = np.array(self.steps, dtype=np.float64)
        x0, x1 = float(steps[0]), float(steps[-1])
        gaps = np.diff(steps)
        gaps = gaps[gaps > 0]
        # As many columns as the closest two histograms need to stay apart, at most `columns`.
        n = min(columns, int(round((x1 - x0) / gaps.min())) + 1) if len(gaps) else 1
        grid = np.array([x1])
        if n > 1:
            grid = np.linspace(x0, x1, n)
            source = np.clip(np.searchsorted(steps, grid, side="right") - 1, 0, len(steps) - 1)
            width = (x1 - x0) / (n - 1)
        else:
            source, width = np.array([len(steps) - 1]), 1.0
        # A column more than one column's width from every measured step stays empty: the image shows where
        # histograms were measured, not blocks stretched over the steps between them.
        after = np.minimum(source + 1, len(steps) - 1)
        closer = np.abs(steps[after] - grid) < np.abs(steps[source] - grid)
        source = np.where(closer, after, source)  # the nearest measurement, not a block of the last one
        measured = np.abs(steps[source] - grid) <= width * (1 + 1e-9) if n > 1 else np.ones(1, dtype=bool)
        picked = [self.counts[i] for i in source]
        bins = max(len(c) for c in picked)
        cum = np.zeros((n, bins + 1))
        for i, c in enumerate(picked):
            if finite[source[i]] and len(c) == bins:
                cum[i, 1:] = np.cumsum(c)
        lo, hi = ranges[source, 0:1], ranges[source, 1:2]
        edges = np.linspace(y0, y1, rows + 1)[None, :]
        with np.errstate(invalid="ignore", divide="ignore"):
            position = np.clip((edges - lo) / (hi - lo) * bins, 0, bins)  # fractional bin index per grid edge
        position = np.nan_to_num(position)
        below = np.minimum(position.astype(np.int64), bins - 1)
        frac = position - below
        r = np.arange(n)[:, None]
        at_edges = cum[r, below] + frac * (cum[r, below + 1] - cum[r, below])
        image = np.diff(at_edges, axis=1)
        peak = image.max(axis=1, keepdims=True)
        image = np.divide(image, peak, out=np.zeros_like(image), where=peak > 0)
        image[~measured] = 0.0
        # A column stands for the steps up to the next one: half a column's width on each side of its step.
        return HistogramImage(image.astype(np.float32), x0 - width / 2, x1 + width / 2, y0, y1)

    def clear(self) -> None:
        self.steps.clear()
        self.ranges.clear()
        self.counts.clear()

    def __repr__(self) -> str:
        span = f"steps {self.steps[0]}..{self.steps[-1]}" if self.steps else "empty"
        return f"HistogramHistory({len(self)}/{self.capacity}, {span})"
