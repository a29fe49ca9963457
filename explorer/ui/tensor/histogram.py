"""The distribution of one tensor's values, under its picture in the detailed view."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QWidget

from explorer.ui.tensor.style import NEUTRAL_BAR, small_font


class HistogramPlot(pg.PlotWidget):
    """The distribution of a tensor's finite values, from the histogram the engine computed."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        plot = self.getPlotItem()
        plot.hideButtons()
        plot.setMenuEnabled(False)
        plot.setMouseEnabled(x=False, y=False)
        for name in ("left", "bottom"):
            plot.getAxis(name).setStyle(tickFont=small_font())
        plot.setLabel("left", self.tr("count"), **{"font-size": "8pt"})
        plot.getAxis("left").setStyle(maxTickLevel=0)  # major ticks only: the plot is short
        self.curve = plot.plot([0, 1], [0], stepMode="center", fillLevel=0,
                               pen=pg.mkPen(NEUTRAL_BAR.darker(130)), brush=pg.mkBrush(NEUTRAL_BAR.lighter(130)))

    def show_histogram(self, counts: np.ndarray, edges: np.ndarray) -> None:
        self.curve.setData(np.asarray(edges, np.float64), np.asarray(counts, np.float64))
        self.getPlotItem().autoRange(padding=0.02)
