"""A metric history of bounded size: recent points at full resolution, older ones thinned with min/max.

A plot of a long run must neither grow without end nor lose its spikes: when the buffer is full, its
older half is cut into buckets of four rows and each bucket keeps two, its minimum and its maximum in
the order they occurred. Old data is thinned again each time the buffer fills, so the oldest is the
coarsest, while a spike anywhere stays visible at its height at every zoom.
"""

from __future__ import annotations

import numpy as np

BUCKET = 4  # rows that become two (min, max) when thinned


class MetricsBuffer:
    """Rows of (x, y[0..width)) appended in increasing x; at most `capacity` rows are kept."""

    def __init__(self, width: int, capacity: int = 16384):
        if capacity < 4 * BUCKET or capacity % (2 * BUCKET):
            raise ValueError(f"capacity must be a multiple of {2 * BUCKET} and at least {4 * BUCKET}, got {capacity}")
        self.width = width
        self.capacity = capacity
        self._x = np.empty(capacity, dtype=np.float64)
        self._y = np.empty((capacity, width), dtype=np.float64)
        self._n = 0
        self.appended = 0  # rows ever appended
        self.thinned = 0  # times the older half was thinned

    def __len__(self) -> int:
        return self._n

    @property
    def x(self) -> np.ndarray:
        return self._x[: self._n]

    @property
    def y(self) -> np.ndarray:
        """(rows, width); a view: copy it to keep it past the next append."""
        return self._y[: self._n]

    def append(self, x, y) -> None:
        """Append rows: x has shape (k,), y has shape (k, width) (or (k,) when width is 1)."""
        x = np.asarray(x, dtype=np.float64).reshape(-1)
        y = np.asarray(y, dtype=np.float64).reshape(len(x), self.width)
        start = 0
        while start < len(x):
            if self._n == self.capacity:
                self._thin_older_half()
            take = min(len(x) - start, self.capacity - self._n)
            self._x[self._n : self._n + take] = x[start : start + take]
            self._y[self._n : self._n + take] = y[start : start + take]
            self._n += take
            start += take
        self.appended += len(x)

    def clear(self) -> None:
        self._n = 0
        self.appended = 0
        self.thinned = 0

    def _thin_older_half(self) -> None:
        half = self._n // 2
        x, y = thin(self._x[:half], self._y[:half])
        kept = len(x)
        self._x[:kept], self._y[:kept] = x, y
        rest = self._n - half
        self._x[kept : kept + rest] = self._x[half : self._n]
        self._y[kept : kept + rest] = self._y[half : self._n]
        self._n = kept + rest
        self.thinned += 1

    def __repr__(self) -> str:
        return f"MetricsBuffer(width={self.width}, {self._n}/{self.capacity} rows, {self.appended} appended)"


def thin(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every BUCKET rows become two: each column's minimum and maximum, in the order they occurred.

    The two rows take the bucket's first and last x. NaN counts as missing (a bucket of only NaN stays
    NaN); +-Inf is kept as the extreme it is. len(x) must be a multiple of BUCKET.
    """
    buckets = len(x) // BUCKET
    xs = x.reshape(buckets, BUCKET)
    ys = y.reshape(buckets, BUCKET, y.shape[1])
    missing = np.isnan(ys)
    lo_idx = np.argmin(np.where(missing, np.inf, ys), axis=1)
    hi_idx = np.argmax(np.where(missing, -np.inf, ys), axis=1)
    lo = np.take_along_axis(ys, lo_idx[:, None, :], axis=1)[:, 0, :]
    hi = np.take_along_axis(ys, hi_idx[:, None, :], axis=1)[:, 0, :]
    first = np.where(lo_idx <= hi_idx, lo, hi)
    second = np.where(lo_idx <= hi_idx, hi, lo)
    all_missing = missing.all(axis=1)
    first[all_missing] = np.nan
    second[all_missing] = np.nan
    out_x = np.stack([xs[:, 0], xs[:, -1]], axis=1).reshape(-1)
    out_y = np.stack([first, second], axis=1).reshape(-1, y.shape[1])
    return out_x, out_y
