"""A matrix, a picture or a mosaic of tiles as one colour-mapped image, with the value under the cursor."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Signal
from PySide6.QtWidgets import QGraphicsRectItem, QWidget

from explorer.ui.tensor.mosaic import MosaicLayout, mosaic, strided_for_display, tile_grid
from explorer.ui.tensor.style import DIVERGING_MAP, GREY_MAP, MARKER_COLOUR, SEQUENTIAL_MAP, small_font
from explorer.ui.tensor.text import format_index, format_number

if TYPE_CHECKING:
    from explorer.core.snapshot import TensorStats


def colour_scale(stats: TensorStats, symmetric: bool | None, grey: bool) -> tuple[str, tuple[float, float]]:
    """Colour map name and levels: diverging around 0 for signed data, sequential from 0 otherwise."""
    lo, hi = stats.min, stats.max
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return (GREY_MAP if grey else SEQUENTIAL_MAP), (0.0, 1.0)
    if grey:
        return GREY_MAP, (lo, hi) if hi > lo else (lo - 0.5, hi + 0.5)
    signed = symmetric if symmetric is not None else (lo < 0 or hi <= 0)
    if signed:
        m = max(abs(lo), abs(hi)) or 1.0
        return DIVERGING_MAP, (-m, m)
    return SEQUENTIAL_MAP, (0.0, hi)


class ImagePlot(pg.GraphicsLayoutWidget):
    """One ImageItem (a mosaic or a heatmap) with a colour bar; hovering reads the value under the cursor."""

    hovered = Signal(str)  # "[i, j, ...] = value", or "" off the data
    clicked = Signal()
    cell_clicked = Signal(tuple)  # the tensor index of the clicked cell

    def __init__(self, parent: QWidget | None = None, *, interactive: bool = True, captions: bool = True):
        super().__init__(parent)
        self._captions = captions  # axis labels and the mosaic's one-line description
        self.plot = self.addPlot()
        self.plot.invertY(True)  # row 0 at the top, as a matrix or a picture reads
        self.plot.hideButtons()
        self.plot.setMenuEnabled(interactive)
        self.plot.setMouseEnabled(x=interactive, y=interactive)
        for name in ("left", "bottom"):
            self.plot.getAxis(name).setStyle(tickFont=small_font())
        self.image = pg.ImageItem(axisOrder="row-major")
        self.plot.addItem(self.image)
        self.colour_bar = pg.ColorBarItem(width=12, interactive=False, colorMapMenu=False)
        self.colour_bar.setImageItem(self.image, insert_in=self.plot)
        self.colour_bar.getAxis("right").setStyle(tickFont=small_font())
        self._values: np.ndarray | None = None
        self._layout: MosaicLayout | None = None
        self._shown: tuple[TensorStats, bool | None, bool, tuple[str, str]] | None = None  # to redraw on resize
        self.description = ""
        self.marker = QGraphicsRectItem()  # a frame around one cell (the chain rule's worked element)
        self.marker.setPen(pg.mkPen(MARKER_COLOUR, width=2, cosmetic=True))
        self.marker.setZValue(10)
        self.marker.hide()
        self.plot.addItem(self.marker)
        self._marked: tuple[int, ...] | None = None
        self._base_margins = self.ci.layout.getContentsMargins()
        self._pad = (0.0, 0.0)  # the room left beside (x) or above and below (y) a picture to keep its aspect
        self._fitting = False
        self.scene().sigMouseMoved.connect(self._on_scene_mouse_moved)
        self.scene().sigMouseClicked.connect(self._on_scene_mouse_clicked)
        self.plot.vb.sigResized.connect(self._on_view_box_resized)

    @property
    def mosaic_layout(self) -> MosaicLayout | None:
        """How the shown values are tiled (rows, columns, tile size), None before anything is shown."""
        return self._layout

    def show_values(self, values: np.ndarray, stats: TensorStats, *, symmetric: bool | None, grey: bool,
                    tile_axes: tuple[str, str] = ("dim 0", "dim 1")) -> None:
        self._values, self._shown = values, (stats, symmetric, grey, tile_axes)
        self._draw()

    def _draw(self) -> None:
        values, (stats, symmetric, grey, tile_axes) = self._values, self._shown
        full, layout = mosaic(values, aspect=self._view_aspect())
        image, stride = strided_for_display(full)
        self._layout = layout
        cmap_name, levels = colour_scale(stats, symmetric, grey)
        self.image.setImage(image, autoLevels=False)
        # a strided image still spans the full-resolution coordinates, so axes and hover read true indices
        self.image.setRect(QRectF(0, 0, image.shape[1] * stride, image.shape[0] * stride))
        self.colour_bar.setColorMap(pg.colormap.get(cmap_name))
        self.colour_bar.setLevels(levels)
        self._label_axes(values, layout, tile_axes)
        self.plot.setAspectLocked(bool(layout.lead_shape) or grey)
        self._fit_view_to_picture()
        self.plot.setRange(QRectF(0, 0, layout.size[1], layout.size[0]), padding=0.02)
        self._place_marker()

    def _picture_shape(self) -> tuple[int, int] | None:
        """(height, width) of a single picture drawn at its own aspect (the input); None for anything else."""
        shown, layout = self._shown, self._layout
        if shown is None or layout is None or layout.lead_shape or not shown[2]:
            return None
        return layout.size

    def _fit_view_to_picture(self) -> None:
        """Give a picture a view of its own shape, centred, so that its axes span the picture and not the
        empty sides a locked aspect would add (a 32x32 image in a wide card read -20..60 on its x axis)."""
        if self._fitting:
            return
        size = self.plot.vb.size()
        width, height = size.width() + self._pad[0], size.height() + self._pad[1]  # the room without padding
        pad = (0.0, 0.0)
        shape = self._picture_shape()
        if shape is not None and width > 0 and height > 0:
            aspect = shape[1] / shape[0]
            pad = (width - height * aspect, 0.0) if width / height > aspect else (0.0, height - width / aspect)
        if abs(pad[0] - self._pad[0]) < 1 and abs(pad[1] - self._pad[1]) < 1:
            return
        self._pad = pad
        left, top, right, bottom = self._base_margins
        self._fitting = True
        try:
            self.ci.setContentsMargins(left + pad[0] / 2, top + pad[1] / 2, right + pad[0] / 2, bottom + pad[1] / 2)
        finally:
            self._fitting = False

    def mark(self, index: tuple[int, ...] | None) -> None:
        """Frame the cell of tensor `index` (None: no frame)."""
        self._marked = index
        self._place_marker()

    def _place_marker(self) -> None:
        index, layout, values = self._marked, self._layout, self._values
        if index is None or layout is None or values is None or len(index) != values.ndim:
            self.marker.hide()
            return
        r, c = layout.cell_of(index)
        self.marker.setRect(QRectF(c, r, 1, 1))
        self.marker.show()

    def _view_aspect(self) -> float | None:
        """Width/height of the area the image is drawn in; None until it has a size."""
        size = self.plot.vb.size()
        return size.width() / size.height() if size.width() > 0 and size.height() > 0 else None

    def _label_axes(self, values: np.ndarray, layout: MosaicLayout, tile_axes: tuple[str, str]) -> None:
        lead, (h, w) = layout.lead_shape, values.shape[-2:]
        tiled = bool(lead)
        self.plot.showAxis("left", not tiled)
        self.plot.showAxis("bottom", not tiled)
        if not tiled and self._captions:
            self.plot.setLabel("left", self.tr("rows ({0})").format(h))
            self.plot.setLabel("bottom", self.tr("columns ({0})").format(w))
        # said under the picture (where the hover read-out goes), to leave the plot its height
        if not tiled or math.prod(lead) == 1:
            self.description = ""
        elif len(lead) == 2 and lead[1] == 1:
            # tiles read row by row, as text does; the hover line names each one
            self.description = self.tr("{0} tiles of {1}×{2} ({3} 0-{4}, {5} 0)").format(
                lead[0], h, w, tile_axes[0], lead[0] - 1, tile_axes[1])
        elif len(lead) == 2:
            self.description = self.tr("{0} × {1} tiles of {2}×{3} (rows: {4}, columns: {5})").format(
                lead[0], lead[1], h, w, *tile_axes)
        else:
            self.description = self.tr("{0} maps of {1}×{2}").format(math.prod(lead), h, w)

    def _on_view_box_resized(self, _view_box) -> None:
        """Keep a picture's view its shape; turn a single-in-channel filter grid when the view's shape now fits
        the other way better."""
        layout = self._layout
        if layout is None:
            return
        if not layout.lead_shape:
            self._fit_view_to_picture()
            return
        grid = tile_grid(layout.lead_shape, layout.tile_h, layout.tile_w, layout.gap, self._view_aspect())
        if grid != (layout.rows, layout.cols):
            self._draw()

    def index_at_scene(self, scene_pos: QPointF) -> tuple[int, ...] | None:
        """The tensor index drawn at a scene position, None off the data."""
        if self._layout is None or not self.plot.vb.sceneBoundingRect().contains(scene_pos):
            return None
        p = self.plot.vb.mapSceneToView(scene_pos)
        return self._layout.index_at(math.floor(p.y()), math.floor(p.x()))

    def _on_scene_mouse_moved(self, scene_pos: QPointF) -> None:
        index = self.index_at_scene(scene_pos)
        if index is None:
            self.hovered.emit("")
            return
        self.hovered.emit(f"{format_index(index)} = {format_number(float(self._values[index]))}")

    def _on_scene_mouse_clicked(self, event) -> None:
        self.clicked.emit()
        index = self.index_at_scene(event.scenePos())
        if index is not None:
            self.cell_clicked.emit(index)
