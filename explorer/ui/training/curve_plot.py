"""A live plot of named curves that share their x axis (steps), fed in batches and redrawn on request.

Rows go into a bounded MetricsBuffer (recent points exact, older ones thinned with min/max), and a dense curve
is drawn as each pixel column's minimum and maximum (curve_envelope), so a long run draws as fast as a short
one; a plot the user zoomed gets every row, cut to the view by pyqtgraph's clip-to-view and downsampling.
Nothing is drawn on append: the owner calls redraw() from its timer. Ranges move in steps (RangeKeeper),
so an update repaints the curves but rarely the axes. pyqtgraph's context menu (with Export: PNG, SVG,
CSV) stays on.

What is drawn is what was measured: a line joins two measurements next to each other and breaks where a
value is missing; a sparse curve also marks its measured points; on a log axis a value of exactly 0 (a
dead gradient, a loss that reached 0) is a marker on the axis floor, not a blank. Other runs can be laid
over the live one (set_overlays), each in its own colour, with its name in the legend.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QPen

from explorer.core.training.metrics_buffer import MetricsBuffer
from explorer.ui.training.curve_envelope import column_starts, envelope
from explorer.ui.training.plot_ranges import DecadeAxis, RangeKeeper
from explorer.ui.training.timed_plot import TimedPlotWidget

SPARSE_POINTS = 60  # a curve with fewer measured points on show marks each of them (symbols cost 2.5x a line)
ZERO_MARKS = 150  # at most this many floor marks per curve: one per 1/150 of the step axis that had a zero
EMPTY_LOG_RANGE = (-3.0, 1.0)  # log10 bounds of a log plot that has only zeros so far


class CurvePlot(TimedPlotWidget):
    """Curves of one quantity over steps, one per name, in one plot."""

    def __init__(self, title: str, y_label: str, *, log_y: bool = False, legend: str = "", antialias: bool = False,
                 skip_gaps: bool = False, capacity: int = 16384, fixed_y: tuple[float, float] | None = None,
                 mark_sparse: bool = False, parent=None):
        super().__init__(parent, axisItems={"left": DecadeAxis("left")})
        self.log_y = log_y
        self.skip_gaps = skip_gaps  # sparse series (accuracy): join the points a NaN row leaves out
        self.antialias = antialias  # off by default: antialiased lines took 2-3x as long to paint
        self.mark_sparse = mark_sparse  # sampled series: mark each measured point while there are few
        self.capacity = capacity
        self.names: tuple[str, ...] = ()
        self.curves: list[pg.PlotDataItem] = []
        self.overlays: list[pg.PlotDataItem] = []
        self._overlay_values = np.empty(0)
        self.buffer = MetricsBuffer(1, capacity)
        self.dirty = False
        self._stale: set[int] = set()  # hidden curves whose data moved on
        self._marked: set[int] = set()  # curves drawn with symbols
        self._brushes: dict[int, QBrush] = {}  # each curve's symbol brush (_brush)
        item = self.getPlotItem()
        item.setTitle(title, size="10pt")
        item.setLabel("bottom", self.tr("step"))
        item.setLabel("left", y_label)
        item.setLogMode(y=log_y)
        for axis in ("left", "bottom"):
            item.getAxis(axis).enableAutoSIPrefix(False)  # "step (x0.001)" reads as noise
        item.setMenuEnabled(True)
        item.ctrl.logYCheck.toggled.connect(self._on_log_y_toggled)  # the context menu's Log Y
        # legend: "" for none, else the corner the curves leave free: "top right" or "bottom right"
        offset = (-4, 4) if legend == "top right" else (-4, -4)
        self.legend = item.addLegend(offset=offset, labelTextSize="8pt") if legend else None
        if self.legend is not None:
            self.legend.setBrush(pg.mkBrush(255, 255, 255, 200))
        # One QPen object for the marks' outline (none): a None here became a new QPen, and a new atlas entry, each redraw
        self.zero_marks = pg.PlotDataItem([], [], pen=None, symbol="t1", symbolSize=7, symbolPen=pg.mkPen(None))
        self.zero_marks.setZValue(5)
        item.addItem(self.zero_marks)
        self.zero_note = pg.TextItem(self.tr("\u25b2 on the floor: exactly 0"), color=(90, 90, 90), anchor=(1, 1),
                                     fill=pg.mkBrush(255, 255, 255, 210))
        self.zero_note.setParentItem(item.getViewBox())
        self.zero_note.setZValue(20)
        self.zero_note.setVisible(False)
        item.getViewBox().sigResized.connect(lambda vb: self.zero_note.setPos(vb.width() - 2, vb.height() - 14))
        item.getViewBox().sigResized.connect(self._fit_legend)
        self.setMinimumSize(220, 160)
        self.ranges = RangeKeeper(self, fixed_y=fixed_y)  # connected first: it sees a user's zoom before we do
        self._cut_for = 0  # the pixel columns the curves were last cut to (curve_envelope)
        self._raw_drawn = True  # the curves on show hold every row (no envelope)
        item.getViewBox().sigResized.connect(self._on_view_resized)
        item.getViewBox().sigRangeChangedManually.connect(self._on_view_range_changed_manually)

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
        self._marked.clear()
        self._brushes.clear()
        for name, pen in zip(self.names, pens):
            curve = item.plot([], [], pen=pen, name=name if self.legend is not None else None, antialias=self.antialias)
            curve.setDownsampling(auto=True, method="peak")
            curve.setClipToView(True)
            self.curves.append(curve)
        self._add_overlay_legend()
        self.dirty = True

    def set_log_y(self, log_y: bool) -> None:
        """Switch the value axis between linear and log (the data stays as measured)."""
        if log_y == self.log_y:
            return
        self.log_y = log_y
        self.getPlotItem().setLogMode(y=log_y)
        self.ranges.reset()
        self.dirty = True

    def _on_log_y_toggled(self, log_y: bool) -> None:
        self.log_y = log_y
        self.ranges.reset()
        self.dirty = True

    def set_overlays(self, overlays) -> None:
        """Other runs' curves under the live ones: (label, pen, x, y) each, drawn as they are given."""
        item = self.getPlotItem()
        for curve in self.overlays:
            item.removeItem(curve)
            if self.legend is not None:
                self.legend.removeItem(curve)
        self.overlays = []
        values = []
        for label, pen, x, y in overlays:
            x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
            shown = np.where(y > 0, y, np.nan) if self.log_y else y
            curve = pg.PlotDataItem(x, shown, pen=pen, connect="finite")
            if len(x) < SPARSE_POINTS:  # a few measurements (test accuracy at epoch ends): mark each
                curve.setSymbol("o")
                curve.setSymbolSize(5)
                curve.setSymbolPen(None)
                curve.setSymbolBrush(pen.color())
            curve.setZValue(-1)
            curve.label = label
            item.addItem(curve)
            curve.setDownsampling(auto=True, method="peak")  # set once in a plot: clip-to-view asks its view
            curve.setClipToView(True)
            self.overlays.append(curve)
            values.append(y)
        self._overlay_values = np.concatenate(values) if values else np.empty(0)
        self._add_overlay_legend()
        self.dirty = True

    def _add_overlay_legend(self) -> None:
        if self.legend is not None:
            for curve in self.overlays:
                self.legend.removeItem(curve)
                self.legend.addItem(curve, curve.label)
            self._fit_legend()

    def _fit_legend(self, *_) -> None:
        """Two columns where they fit (short: they cover less of the curves), else one: a legend wider than a
        narrow plot was cut at the plot's left edge, the first column's line samples with it."""
        if self.legend is None:
            return
        self.legend.setColumnCount(2)
        self._size_legend()
        if self.legend.width() > self.getPlotItem().getViewBox().width() - 8:
            self.legend.setColumnCount(1)
            self._size_legend()

    def _size_legend(self) -> None:
        """The legend's size from its layout's preferred size. pyqtgraph sizes it from its items' current widths,
        which still hold the widths of the two-column layout: a legend set to one column kept its two-column
        width and stuck out past the plot's left edge (the Accuracy legend at 1280x720)."""
        layout = self.legend.layout
        layout.invalidate()
        hint = layout.effectiveSizeHint(Qt.SizeHint.PreferredSize)
        self.legend.setGeometry(0, 0, hint.width(), hint.height())

    def append(self, x, y) -> None:
        """Rows of (step, one value per curve). NaN and Inf become gaps (an Inf would stretch the axis to
        nothing); a value <= 0 is kept, and on a log axis drawn as a mark on the floor."""
        y = np.asarray(y, dtype=np.float64).reshape(len(x), len(self.names))
        self.buffer.append(x, np.where(np.isfinite(y), y, np.nan))
        self.dirty = True

    def set_series_visible(self, name: str, visible: bool) -> None:
        if name in self.names:
            i = self.names.index(name)
            self.curves[i].setVisible(visible)
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
        # Two points a pixel column while the axis is ours; a plot the user zoomed gets every row (pyqtgraph's
        # clip-to-view and downsampling then cut it to what the zoomed view shows).
        self._cut_for = self._columns()
        starts = None if self.ranges.user_moved else column_starts(x, x_end, self._cut_for)
        self._raw_drawn = starts is None
        zeros_x, zeros_brush = [], []
        for i, curve in enumerate(self.curves):
            if not curve.isVisible():
                self._stale.add(i)  # drawn when shown again
                continue
            self._stale.discard(i)
            xs, ys = x, y[:, i]
            if self.log_y:
                at_zero = ys <= 0
                if at_zero.any():
                    marks = thin_marks(xs[at_zero], x_end)
                    zeros_x.append(marks)
                    zeros_brush += [self._brush(i)] * len(marks)
                ys = np.where(at_zero, np.nan, ys)
            self._mark(i, curve, int(np.isfinite(ys).sum()))
            if starts is not None:
                xs, ys = envelope(xs, ys, starts)
            if self.skip_gaps:
                keep = np.isfinite(ys)
                xs, ys = xs[keep], ys[keep]
            curve.setData(xs.copy(), ys.copy())  # the buffer's rows move when it thins
        shown = [i for i, curve in enumerate(self.curves) if curve.isVisible()]
        values = y[:, shown].reshape(-1) if shown and len(y) else np.empty(0)
        if self._overlay_values.size:
            values = np.concatenate([values, self._overlay_values])
        self.ranges.keep(x_end, values if values.size else None)
        self._draw_zeros(zeros_x, zeros_brush)

    def _columns(self) -> int:
        """The pixel columns of the plot's data area (an envelope is cut to them)."""
        return max(50, int(self.getPlotItem().getViewBox().width()))

    def _on_view_resized(self, *_) -> None:
        """A plot made wider has more pixel columns than its curves were cut to: cut them again now (a paused
        run has no ticks to do it). A narrower one shows the same picture (a column gets more points)."""
        if not self._raw_drawn and self._columns() > 1.1 * self._cut_for:
            self.dirty = True
            self.redraw(self.ranges.x_end)

    def _on_view_range_changed_manually(self, *_) -> None:
        """The user zoomed or panned: draw every row (the envelope was cut for the whole axis)."""
        if not self._raw_drawn:
            self.dirty = True
            self.redraw(self.ranges.x_end)

    def _mark(self, i: int, curve: pg.PlotDataItem, points: int) -> None:
        """Symbols on a sampled curve while its points are few enough to tell apart (they cost paint time)."""
        wanted = self.mark_sparse and 0 < points < SPARSE_POINTS
        if wanted == (i in self._marked):
            return
        if wanted:
            self._marked.add(i)
            curve.setSymbol("o")
            curve.setSymbolSize(4)
            curve.setSymbolPen(None)
            curve.setSymbolBrush(self._brush(i))
        else:
            self._marked.discard(i)
            curve.setSymbol(None)

    def _brush(self, i: int) -> QBrush:
        """Curve i's colour as one QBrush kept for the curve's life. pyqtgraph's symbol atlas keys a symbol by its
        brush object: a new QBrush (or a QColor, made into one) on every redraw rendered the symbol again and
        grew the atlas without end (79 renders for 20 redraws of one zero mark)."""
        if i not in self._brushes:
            self._brushes[i] = pg.mkBrush(self.curves[i].opts["pen"].color())
        return self._brushes[i]

    def _draw_zeros(self, zeros_x: list, brushes: list) -> None:
        if not zeros_x:
            self.zero_marks.setData([], [])
            self.zero_note.setVisible(False)
            return
        if self.ranges.y_bounds is None:  # nothing but zeros yet: a range to put the floor in
            self.ranges.set_y(EMPTY_LOG_RANGE)
        lo, hi = self.ranges.y_bounds
        floor = 10.0 ** (lo + 0.02 * (hi - lo))
        xs = np.concatenate(zeros_x)
        self.zero_marks.setData(xs, np.full(len(xs), floor), symbolBrush=brushes)
        self.zero_note.setVisible(True)


def thin_marks(xs: np.ndarray, x_end: float) -> np.ndarray:
    """At most ZERO_MARKS of the steps xs, one per 1/ZERO_MARKS of the axis: a loss that stays at exactly 0 for
    thousands of steps is a row of marks, not thousands of symbols to paint (and to keep) on every redraw."""
    if len(xs) <= ZERO_MARKS:
        return xs
    width = max(x_end, float(xs[-1]), 1.0) / ZERO_MARKS
    cells, first = np.unique(np.floor(xs / width), return_index=True)
    return xs[first]
