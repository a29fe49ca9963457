"""A pyqtgraph PlotWidget that keeps count of the GUI thread's time spent painting it."""

from __future__ import annotations

import time

import pyqtgraph as pg


class TimedPlotWidget(pg.PlotWidget):
    """paint_seconds grows by the thread CPU time of every paint, so a timer can pace its redraws."""

    paint_seconds = 0.0

    def paintEvent(self, event) -> None:
        began = time.thread_time()
        super().paintEvent(event)
        self.paint_seconds += time.thread_time() - began
