"""A dense curve is drawn as each pixel column's lowest and highest value: the same picture, far fewer points."""

import numpy as np
import pyqtgraph as pg

from explorer.core.training.metrics_buffer import MetricsBuffer
from explorer.ui.training.curve_envelope import column_starts, envelope
from explorer.ui.training.curve_plot import CurvePlot


def test_each_column_keeps_its_extremes_and_its_gaps():
    x = np.arange(1, 1001, dtype=float)
    y = np.sin(x / 7.0)
    y[500:600] = np.nan  # a stretch of non-finite steps wider than a column
    y[10] = np.nan  # one inside a column: the column's other values stand
    starts = column_starts(x, 1000.0, 100)
    xs, ys = envelope(x, y, starts)
    assert len(starts) in (100, 101) and len(xs) == 2 * len(starts)
    column = np.minimum((x * 100 / 1000).astype(int), 100)
    for k, start in enumerate(starts):
        rows = column == column[start]
        assert xs[2 * k] == x[rows][0] and xs[2 * k + 1] == x[rows][-1]
        finite = y[rows][np.isfinite(y[rows])]
        if finite.size:
            assert ys[2 * k] == finite.min() and ys[2 * k + 1] == finite.max()
        else:
            assert np.isnan(ys[2 * k]) and np.isnan(ys[2 * k + 1])
    assert np.isnan(ys[(xs > 510) & (xs < 590)]).all()  # the gap is still a gap


def test_uneven_steps_from_a_thinned_buffer_are_binned_by_step():
    """A thinned MetricsBuffer's older rows stand for more steps than its recent ones (pyqtgraph's downsampling
    presumes even spacing and left the old part of a curve as sparse spikes)."""
    buffer = MetricsBuffer(1, 1024)
    steps = np.arange(1, 5001, dtype=float)
    buffer.append(steps, np.cos(steps))
    assert buffer.thinned
    starts = column_starts(buffer.x, 5000.0, 200)
    xs, ys = envelope(buffer.x, buffer.y[:, 0], starts)
    assert (xs[1::2] - xs[0::2]).max() < 5000.0 / 200  # each pair of points lies in one column, old part or new
    assert len(np.unique(np.floor(buffer.x * 200 / 5000.0))) == len(starts)  # one pair per occupied column
    assert ys.min() == buffer.y.min() and ys.max() == buffer.y.max()


def test_few_rows_are_drawn_as_they_are():
    assert column_starts(np.arange(1, 100, dtype=float), 100.0, 200) is None


def dense_plot(qtbot, rows=30_000):
    plot = CurvePlot("Loss", "loss")
    qtbot.addWidget(plot)
    plot.set_series(["per step"], [pg.mkPen("b")])
    plot.resize(500, 300)
    plot.show()
    qtbot.waitExposed(plot)
    x = np.arange(1, rows + 1, dtype=float)
    plot.append(x, np.random.default_rng(0).exponential(1.0, rows))
    plot.redraw(50_000.0)
    return plot


def test_a_dense_curve_draws_two_points_a_column(qtbot):
    plot = dense_plot(qtbot)
    xs, ys = plot.curves[0].getOriginalDataset()
    assert len(xs) <= 2 * (plot._columns() + 1) < len(plot.buffer)
    assert np.nanmax(ys) == np.nanmax(plot.buffer.y) and np.nanmin(ys) == np.nanmin(plot.buffer.y)


def test_a_zoomed_plot_gets_every_row_and_a_wider_one_more_columns(qtbot):
    plot = dense_plot(qtbot)
    view = plot.getPlotItem().getViewBox()
    view.scaleBy((0.1, 1.0))  # as a mouse-wheel zoom does: a manual range change
    view.sigRangeChangedManually.emit(view.state["mouseEnabled"])
    xs, _ = plot.curves[0].getOriginalDataset()
    assert len(xs) == len(plot.buffer)  # pyqtgraph's clip-to-view and downsampling cut what the zoom shows

    wide = dense_plot(qtbot)
    before = wide._cut_for
    wide.resize(1000, 300)
    qtbot.waitUntil(lambda: wide._columns() > 1.1 * before)
    xs, _ = wide.curves[0].getOriginalDataset()
    assert wide._cut_for == wide._columns() and len(xs) > 2 * before + 2
