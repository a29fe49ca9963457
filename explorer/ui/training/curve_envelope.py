"""A dense curve cut to what its plot's pixels can show: each pixel column's lowest and highest value.

A run at batch 1 puts tens of thousands of per-step losses under a plot a few hundred pixels wide. pyqtgraph's
own downsampling presumes evenly spaced x, which a thinned MetricsBuffer is not (its older rows stand for
more steps), so it had to be set fine (about ten points a pixel) to keep the old part of a curve solid, and
the loss plot's paint took 9 ms. Here the rows are binned by where they fall on the step axis, and each
column keeps its minimum and maximum: two points a pixel, the same picture, a third of the paint. A column
with no finite value stays a gap; a gap narrower than a column cannot be seen anyway.
"""

from __future__ import annotations

import numpy as np


def column_starts(x: np.ndarray, x_end: float, columns: int) -> np.ndarray | None:
    """Where each pixel column's rows begin in the increasing steps x (0..x_end over `columns` columns), or
    None when there are too few rows for a column to hold two: then the curve is drawn as it is."""
    if len(x) <= 2 * columns or x_end <= 0:
        return None
    column = np.minimum((x * (columns / x_end)).astype(np.int64), columns)
    return np.flatnonzero(np.concatenate(([True], column[1:] != column[:-1])))


def envelope(x: np.ndarray, y: np.ndarray, starts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Two points per column: (its first step, its lowest value), (its last step, its highest value).
    NaN counts as missing: a column of only NaN gives NaN (a gap)."""
    ends = np.concatenate((starts[1:], [len(x)])) - 1
    xs = np.empty(2 * len(starts))
    ys = np.empty(2 * len(starts))
    xs[0::2], xs[1::2] = x[starts], x[ends]
    ys[0::2] = np.fmin.reduceat(y, starts)
    ys[1::2] = np.fmax.reduceat(y, starts)
    return xs, ys
