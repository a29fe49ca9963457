"""Histograms over time, live, like TensorBoard's histogram view: x = step, y = value, colour = count.

One HistogramHistory per tensor; a chooser picks which one is shown. Each column is scaled so its fullest
bin is darkest, on a log scale: a bin with a thousandth of the peak's count is still visible, so the tails
show next to the spike of exact zeros that ReLUs leave in gradients and activations.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from explorer.core.training.histogram_history import HistogramHistory
from explorer.ui.training.plot_ranges import RangeKeeper
from explorer.ui.training.timed_plot import TimedPlotWidget

LOG_RANGE = 1000.0  # shades span counts from 1/1000 of a column's peak to the peak
COLOURS = pg.ColorMap(pos=[0.0, 0.35, 1.0], color=[(255, 255, 255), (120, 160, 220), (8, 40, 110)])


class HistogramPlot(QWidget):
    """A chooser of tensors over an image of the chosen tensor's histograms over time."""

    def __init__(self, title: str, what: str, parent=None):
        super().__init__(parent)
        self.histories: dict[str, HistogramHistory] = {}
        self.dirty = False
        self.chooser = QComboBox(self)
        self.chooser.setToolTip(self.tr("Which tensor's histograms to show"))
        self.chooser.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.chooser.currentTextChanged.connect(self._on_chooser_changed)
        self.plot = TimedPlotWidget(self)
        item = self.plot.getPlotItem()
        item.setLabel("bottom", self.tr("step"))
        item.setLabel("left", what)
        for axis in ("left", "bottom"):
            item.getAxis(axis).enableAutoSIPrefix(False)
        self.image = pg.ImageItem(axisOrder="col-major")
        self.image.setColorMap(COLOURS)
        item.addItem(self.image)
        self.empty_text = pg.TextItem(self.tr("no histograms yet"), color=(120, 120, 120), anchor=(0.5, 0.5))
        # in the middle of the view box, in pixels: at data (0, 0) it sat on the axes' corner
        box = item.getViewBox()
        self.empty_text.setParentItem(box)
        box.sigResized.connect(lambda vb: self.empty_text.setPos(vb.width() / 2, vb.height() / 2))
        self.plot.setMinimumSize(220, 160)
        self.ranges = RangeKeeper(self.plot)
        self._picture = None
        heading = QHBoxLayout()
        heading.setContentsMargins(4, 0, 4, 0)
        label = QLabel(f"<b>{title}</b>", self)
        heading.addWidget(label)
        heading.addStretch(1)
        heading.addWidget(self.chooser)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(heading)
        layout.addWidget(self.plot, 1)

    @property
    def shown(self) -> str:
        return self.chooser.currentText()

    def add(self, step: int, histograms) -> None:
        """One sampled step's histograms (explorer.core.training.diagnostics.Histogram), one per tensor."""
        for h in histograms:
            history = self.histories.get(h.name)
            if history is None:
                history = self.histories[h.name] = HistogramHistory()
                self.chooser.addItem(h.name)
            history.append(step, h.lo, h.hi, h.counts)
        self.dirty = True

    def clear(self) -> None:
        self.ranges.reset()
        self._picture = None
        self.histories.clear()
        self.chooser.clear()
        self.image.clear()
        self.empty_text.setVisible(True)
        self.dirty = False

    def needs_redraw(self, x_end: float) -> bool:
        return self.dirty or self.ranges.x_end != x_end

    @property
    def paint_seconds_total(self) -> float:
        return self.plot.paint_seconds

    def redraw(self, x_end: float) -> None:
        """Draw the chosen tensor's histograms, with the step axis from 0 to x_end."""
        if self.dirty:
            self.dirty = False
            history = self.histories.get(self.shown)
            self._picture = picture = history.render() if history is not None else None
            self.empty_text.setVisible(picture is None)
            if picture is None:
                self.image.clear()
            else:
                shade = np.log1p(picture.image * LOG_RANGE) / np.log1p(LOG_RANGE)
                self.image.setImage(shade, levels=(0.0, 1.0), autoLevels=False)
                self.image.setRect(QRectF(picture.x0, picture.y0, picture.x1 - picture.x0,
                                          picture.y1 - picture.y0))
        p = self._picture
        self.ranges.keep(x_end, np.array([p.y0, p.y1]) if p is not None else None)

    def _on_chooser_changed(self, name: str) -> None:
        self.dirty = True
        self.ranges.reset()
        self.redraw(self.ranges.x_end)
