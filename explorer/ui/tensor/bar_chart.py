"""A vector pictured as bars over its index (a bias, a gradient, the network's ten outputs)."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QWidget

from explorer.ui.tensor.style import HIGHLIGHT_BAR, MARKER_COLOUR, NEGATIVE_BAR, NEUTRAL_BAR, POSITIVE_BAR, small_font
from explorer.ui.tensor.text import format_number

MAX_BARS = 4096
LISTED_VALUES = 16  # vectors this short also get their numbers listed under the bars


class BarChart(pg.PlotWidget):
    """A vector as bars over its index, red up / blue down (or one colour, with one bar highlighted)."""

    hovered = Signal(str)
    clicked = Signal()
    cell_clicked = Signal(tuple)  # (i,) of the clicked bar

    def __init__(self, parent: QWidget | None = None, *, interactive: bool = True):
        super().__init__(parent)
        self.plot = self.getPlotItem()
        self.plot.hideButtons()
        self.plot.setMenuEnabled(interactive)
        self.plot.setMouseEnabled(x=interactive, y=interactive)
        for name in ("left", "bottom"):
            self.plot.getAxis(name).setStyle(tickFont=small_font())
        self.plot.showGrid(y=True, alpha=0.2)
        self.bars = pg.BarGraphItem(x=[], height=[], width=0.8, pen=None)
        self.plot.addItem(self.bars)
        self.zero_line = pg.InfiniteLine(pos=0, angle=0, pen=pg.mkPen((0, 0, 0, 120)))
        self.plot.addItem(self.zero_line)
        self._values = np.zeros(0, np.float32)
        self._stride = 1
        # a frame around one bar (the chain rule's worked element)
        self.marker = pg.BarGraphItem(x=[], height=[], width=0.9, pen=pg.mkPen(MARKER_COLOUR, width=2), brush=None)
        self.marker.setZValue(10)
        self.plot.addItem(self.marker)
        self.scene().sigMouseMoved.connect(self._on_scene_mouse_moved)
        self.scene().sigMouseClicked.connect(self._on_scene_mouse_clicked)

    @property
    def heights(self) -> np.ndarray:
        """The bar heights as drawn (strided for very long vectors)."""
        return np.asarray(self.bars.opts["height"])

    def show_values(self, values: np.ndarray, *, labels: tuple[str, ...] | None = None,
                    highlight: int | None = None, signed_colours: bool = True) -> None:
        values = np.asarray(values, np.float32).reshape(-1)
        self._values = values
        self._stride = max(1, math.ceil(values.size / MAX_BARS))
        # NaN/Inf entries get no bar (the stats line counts them); the hover read-out still names them
        shown = np.nan_to_num(values[:: self._stride], nan=0.0, posinf=0.0, neginf=0.0)
        x = np.arange(shown.size) * self._stride
        self.bars.setOpts(x=x, height=shown, width=0.8 * self._stride, brushes=self._brushes(shown, highlight, signed_colours))
        axis = self.plot.getAxis("bottom")
        if labels is not None and len(labels) == values.size:
            axis.setTicks([list(enumerate(labels))])
        elif values.size <= LISTED_VALUES:
            axis.setTicks([[(i, str(i)) for i in range(values.size)]])
        else:
            axis.setTicks(None)
        lo, hi = (min(0.0, float(shown.min())), max(0.0, float(shown.max()))) if shown.size else (0.0, 1.0)
        pad = (hi - lo) * 0.05 or 1.0
        self.plot.setRange(xRange=(-0.7, (x[-1] if x.size else 0) + 0.7),
                           yRange=(lo - (pad if lo < 0 else 0), hi + (pad if hi > 0 or lo == 0 else 0)), padding=0)

    def mark(self, index: tuple[int, ...] | None) -> None:
        """Frame the bar of element `index` (None: no frame)."""
        if index is None or len(index) != 1 or not 0 <= index[0] < self._values.size:
            self.marker.setOpts(x=[], height=[])
            return
        i = index[0] // self._stride * self._stride
        value = float(np.nan_to_num(self._values[i], nan=0.0, posinf=0.0, neginf=0.0))
        self.marker.setOpts(x=[i], height=[value], width=0.9 * self._stride)

    def index_at_scene(self, scene_pos: QPointF) -> int | None:
        """The element whose bar is at a scene position, None off the data."""
        if not self._values.size or not self.plot.vb.sceneBoundingRect().contains(scene_pos):
            return None
        i = round(self.plot.vb.mapSceneToView(scene_pos).x() / self._stride) * self._stride
        return i if 0 <= i < self._values.size else None

    @staticmethod
    def _brushes(shown: np.ndarray, highlight: int | None, signed_colours: bool) -> list[QColor]:
        if signed_colours:
            brushes = [POSITIVE_BAR if v >= 0 else NEGATIVE_BAR for v in shown.tolist()]
        else:
            brushes = [NEUTRAL_BAR] * shown.size
        if highlight is not None and 0 <= highlight < len(brushes):
            brushes[highlight] = HIGHLIGHT_BAR
        return brushes

    def _on_scene_mouse_moved(self, scene_pos: QPointF) -> None:
        i = self.index_at_scene(scene_pos)
        self.hovered.emit("" if i is None else f"[{i}] = {format_number(float(self._values[i]))}")

    def _on_scene_mouse_clicked(self, event) -> None:
        self.clicked.emit()
        i = self.index_at_scene(event.scenePos())
        if i is not None:
            self.cell_clicked.emit((i,))
