"""Axis ranges for live plots that change only in steps, so the axes are not redrawn on every update.

pyqtgraph's auto-range follows the data on every setData; on a live plot every update then moves an axis,
and repainting axes was over half of the GUI thread's time while training (profiled). Here the step axis
grows through 1-2-5 ceilings (0..200, 0..500, 0..1000, ...), and the value axis moves to rounded bounds
only when the data leaves it or fills less than a third of it. A user who pans or zooms a plot takes its
ranges over; the plot's "A" button or View All gives pyqtgraph's own auto-range back.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg


def nice_ceiling(x: float) -> float:
    """The smallest 1, 2 or 5 times a power of ten that is >= x (x > 0)."""
    if x <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(x))
    for m in (1.0, 2.0, 5.0, 10.0):
        if m * power >= x * (1 - 1e-12):
            return m * power
    return 10.0 * power


def rounded_bounds(lo: float, hi: float, log: bool) -> tuple[float, float]:
    """Bounds around [lo, hi] (log10 units on a log axis) rounded outwards to a tidy step."""
    if log:  # whole decades, at least two: a narrower log axis labels its minor ticks on top of each other
        a, b = math.floor(lo), math.ceil(hi)
        while b - a < 2:
            a, b = (a - 1, b) if (lo - a) < (b - hi) else (a, b + 1)
        return float(a), float(b)
    span = hi - lo
    if span <= 0:
        span = abs(hi) or 1.0
    unit = nice_ceiling(span) / 10
    a, b = math.floor(lo / unit) * unit, math.ceil(hi / unit) * unit
    return (a, b) if b > a else (a - unit, b + unit)


class RangeKeeper:
    """Sets one plot's ranges: x to the run's step ceiling, y to rounded bounds of the data shown."""

    def __init__(self, plot: pg.PlotWidget, fixed_y: tuple[float, float] | None = None):
        self.view = plot.getPlotItem().getViewBox()
        self.fixed_y = fixed_y
        self.view.disableAutoRange()
        self.view.sigRangeChangedManually.connect(self._on_view_range_changed_manually)
        # The plot's "A" button hands the ranges to pyqtgraph; anything else that turns auto-range on (setLogMode
        # does) must not, or one panel's step axis follows its own data while the others share 0..x_end.
        plot.getPlotItem().autoBtn.clicked.connect(self._on_view_range_changed_manually)
        self.user_moved = False
        self._x = None
        self._y = None
        if fixed_y is not None:
            self.view.setYRange(*fixed_y, padding=0)

    @property
    def x_end(self) -> float:
        """The step ceiling set last (1 before any)."""
        return self._x or 1.0

    def reset(self) -> None:
        """A new run or a new series: ranges are ours again (the step ceiling stays)."""
        self.user_moved = False
        self._y = None
        self.view.disableAutoRange()

    def keep(self, x_end: float, y_values: np.ndarray | None = None) -> None:
        """x_end: the run's step ceiling; y_values: the values on show (NaN allowed), or None to leave y."""
        if self.user_moved:
            return
        if any(self.view.autoRangeEnabled()):
            self.view.disableAutoRange()
            self._x = self._y = None  # set them again below
        if self._x != x_end:
            self._x = x_end
            self.view.setXRange(0, x_end, padding=0.02)
        if self.fixed_y is not None or y_values is None:
            return
        finite = y_values[np.isfinite(y_values)]
        log_y = self.view.state.get("logMode", [False, False])[1]  # the plot's context menu can switch it
        if log_y:
            finite = np.log10(finite[finite > 0])
        if not finite.size:
            return
        lo, hi = float(finite.min()), float(finite.max())
        if self._y is not None:
            a, b = self._y
            if a <= lo and hi <= b and (hi - lo) >= (b - a) / 3:
                return
        bounds = rounded_bounds(lo, hi, log_y)
        if bounds != self._y:
            self._y = bounds
            self.view.setYRange(*bounds, padding=0.06)  # a loss near 0 stays clear of the axis line

    @property
    def y_bounds(self) -> tuple[float, float] | None:
        """The value range set last (log10 units on a log axis); None before any."""
        return self.fixed_y or self._y

    def set_y(self, bounds: tuple[float, float]) -> None:
        """A value range for a plot with nothing to range on (only zeros on a log axis)."""
        if not self.user_moved and self._y != bounds:
            self._y = bounds
            self.view.setYRange(*bounds, padding=0.06)

    def _on_view_range_changed_manually(self, *args) -> None:
        self.user_moved = True


class DecadeAxis(pg.AxisItem):
    """A value axis that, in log mode, labels whole powers of ten only: pyqtgraph labels the minor ticks of an
    axis spanning two or three decades too (2, 3, ... 9 times each power), and they overprint each other."""

    def logTickStrings(self, values, scale, spacing):
        strings = super().logTickStrings(values, scale, spacing)
        return [s if abs(v - round(v)) < 1e-6 else "" for v, s in zip(values, strings)]
