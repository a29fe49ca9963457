"""A live plot of named curves that share their x axis (steps), fed in batches and redrawn on request.

Rows go into a bounded MetricsBuffer (recent points exact, older ones thinned with min/max), and the
curves use pyqtgraph's peak downsampling and clip-to-view, so a long run draws as fast as a short one.
Nothing is drawn on append: the owner calls redraw() from its timer. Ranges move in steps (RangeKeeper),
so an update repaints the curves but rarely the axes. pyqtgraph's context menu (with Export: PNG, SVG,
CSV) stays on.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QPen

from explorer.core.training.metrics_buffer import MetricsBuffer
from explorer.ui.training.plot_ranges import RangeKeeper
from explorer.ui.training.timed_plot import TimedPlotWidget


class CurvePlot(TimedPlotWidget):
    """Curves of one quantity over steps, one per name, in one plot."""

    def __init__(self, title: str, y_label: str, *, log_y: bool = False, legend: str = "", antialias: bool = False,
                 skip_gaps: bool = False, capacity: int = 16384, fixed_y: tuple[float, float] | None = None,
                 parent=None):
        super().__init__(parent)
        self.log_y = log_y
        self.skip_gaps = skip_gaps  # sparse series (accuracy): join the points a NaN row leaves out
        self.antialias = antialias  # off by default: antialiased lines took 2-3x as long to paint
        self.capacity = capacity
        self.names: tuple[str, ...] = ()
        self.curves: list[pg.PlotDataItem] = []
        self.buffer = MetricsBuffer(1, capacity)
        self.dirty = False
        self._stale: set[int] = set()  # hidden curves whose data moved on
        item = self.getPlotItem()
        item.setTitle(title, size="10pt")
        item.setLabel("bottom", self.tr("step"))
        item.setLabel("left", y_label)
        item.setLogMode(y=log_y)
        for axis in ("left", "bottom"):
            item.getAxis(axis).enableAutoSIPrefix(False)  # "step (x0.001)" reads as noise
        item.setMenuEnabled(True)
        # legend: "" for none, else the corner the curves leave free: "top right" or "bottom right"
        offset = (-4, 4) if legend == "top right" else (-4, -4)
        self.legend = item.addLegend(offset=offset, labelTextSize="8pt") if legend else None
        if self.legend is not None:
            self.legend.setBrush(pg.mkBrush(255, 255, 255, 200))
            self.legend.setColumnCount(2)  # wide and short: it covers less of the curves
        self.setMinimumSize(220, 160)
        self.ranges = RangeKeeper(self, fixed_y=fixed_y)

    def set_series(self, names, pens: list[QPen]) -> None:
        """New curves (and an empty buffer) for these names."""
        item = self.getPlotItem()
        for curve in self.curves:
            item.removeItem(curve)
        if self.legend is not None:
            self.legend.clear()
        self.names = tuple(names)
        self.buffer = MetricsBuffer(len(self.names), self.capacity)
        self.curves = []
        for name, pen in zip(self.names, pens):
            curve = item.plot([], [], pen=pen, name=name if self.legend is not None else None, antialias=self.antialias)
            curve.setDownsampling(auto=True, method="peak")
            curve.setClipToView(True)
            self.curves.append(curve)
        self.dirty = True

    def append(self, x, y) -> None:
        """Rows of (step, one value per curve). NaN and Inf become gaps (an Inf would stretch the axis to
        nothing), and so do values <= 0 on a log axis."""
        y = np.asarray(y, dtype=np.float64).reshape(len(x), len(self.names))
        y = np.where(np.isfinite(y) & ((y > 0) if self.log_y else True), y, np.nan)
        self.buffer.append(x, y)
        self.dirty = True

    def set_series_visible(self, name: str, visible: bool) -> None:
        if name in self.names:
            i = self.names.index(name)
            self.curves[i].setVisible(visible)
            if visible and i in self._stale:
                self.dirty = True

    def clear_data(self) -> None:
        self.buffer.clear()
        self.ranges.reset()
        self.dirty = True

    def needs_redraw(self, x_end: float) -> bool:
        return self.dirty or self.ranges.x_end != x_end

    @property
    def paint_seconds_total(self) -> float:
        return self.paint_seconds

    def redraw(self, x_end: float) -> None:
        """Draw the new rows, with the step axis from 0 to x_end."""
        if not self.dirty:
            self.ranges.keep(x_end)
            return
        self.dirty = False
        x, y = self.buffer.x, self.buffer.y
        for i, curve in enumerate(self.curves):
            if not curve.isVisible():
                self._stale.add(i)  # drawn when shown again
                continue
            self._stale.discard(i)
            xs, ys = x, y[:, i]
            if self.skip_gaps:
                keep = np.isfinite(ys)
                xs, ys = xs[keep], ys[keep]
            curve.setData(xs.copy(), ys.copy())  # the buffer's rows move when it thins
        shown = [i for i, curve in enumerate(self.curves) if curve.isVisible()]
        self.ranges.keep(x_end, y[:, shown] if shown and len(y) else None)
