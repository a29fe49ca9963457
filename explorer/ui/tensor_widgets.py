"""Pictures of one tensor (pyqtgraph): the plot its shape calls for, a histogram and a stats line.

Shapes map to pictures: 4-D (out, in, h, w) -> a mosaic of filters, one row per out channel; 3-D
(channels, h, w) -> a near-square grid of channel images; 2-D -> a heatmap; 1-D -> bars; 0-D -> the number.
Every image-like tensor goes through one mosaic (leading dimensions become tiles of the last two), so the
hover read-out maps any displayed pixel back to the tensor index with one rule.
Views receive numpy arrays only; nothing here imports torch.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontDatabase, QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QStackedWidget, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from explorer.core.snapshot import TensorStats, TensorView

MAX_IMAGE_SIDE = 1024  # displayed images are strided down to this; stats stay exact
MAX_BARS = 4096
LISTED_VALUES = 16  # vectors this short also get their numbers listed under the bars
TILE_GAP = 1

DIVERGING_MAP = "CET-D1"  # blue - white - red, white at 0
SEQUENTIAL_MAP = "viridis"
GREY_MAP = "CET-L1"  # black -> white
POSITIVE_BAR = QColor(200, 80, 60)
NEGATIVE_BAR = QColor(60, 110, 200)
NEUTRAL_BAR = QColor(110, 130, 160)
HIGHLIGHT_BAR = QColor(230, 150, 30)


# ----- display-only numpy helpers ---------------------------------------------------------------------------
def near_square_grid(n: int) -> tuple[int, int]:
    """(rows, columns) of the most square grid holding n tiles, wider rather than taller."""
    cols = max(1, math.ceil(math.sqrt(n)))
    return max(1, math.ceil(n / cols)), cols


@dataclass(frozen=True)
class MosaicLayout:
    """Where each tile of a mosaic lies, so a displayed pixel can be traced back to a tensor index."""

    lead_shape: tuple[int, ...]  # the dimensions that became tiles, () for a plain 2-D heatmap
    rows: int
    cols: int
    tile_h: int
    tile_w: int
    gap: int

    @property
    def size(self) -> tuple[int, int]:
        """(height, width) of the whole mosaic at full resolution."""
        return (self.rows * (self.tile_h + self.gap) - self.gap, self.cols * (self.tile_w + self.gap) - self.gap)

    def index_at(self, r: int, c: int) -> tuple[int, ...] | None:
        """Tensor index under mosaic pixel (r, c), or None over a gap or outside."""
        tr, y = divmod(r, self.tile_h + self.gap)
        tc, x = divmod(c, self.tile_w + self.gap)
        if r < 0 or c < 0 or y >= self.tile_h or x >= self.tile_w or tr >= self.rows or tc >= self.cols:
            return None
        tile = tr * self.cols + tc
        n_tiles = math.prod(self.lead_shape)
        if tile >= n_tiles:
            return None
        lead = tuple(int(i) for i in np.unravel_index(tile, self.lead_shape)) if self.lead_shape else ()
        return lead + (y, x)


def mosaic(values: np.ndarray, gap: int = TILE_GAP) -> tuple[np.ndarray, MosaicLayout]:
    """Lay an (..., h, w) array out as one 2-D image: tiles of h x w, NaN (transparent) in gaps.

    4-D (out, in, h, w) keeps one row per out channel; other leading shapes get a near-square grid.
    """
    h, w = values.shape[-2:]
    lead = values.shape[:-2]
    n = math.prod(lead)
    if not lead:
        return values, MosaicLayout((), 1, 1, h, w, 0)
    rows, cols = (lead[0], lead[1]) if len(lead) == 2 else near_square_grid(n)
    cells = np.full((rows * cols, h, w), np.nan, np.float32)
    cells[:n] = values.reshape(n, h, w)
    grid = np.full((rows, h + gap, cols, w + gap), np.nan, np.float32)
    grid[:, :h, :, :w] = cells.reshape(rows, cols, h, w).transpose(0, 2, 1, 3)
    image = grid.reshape(rows * (h + gap), cols * (w + gap))
    if gap:
        image = image[:-gap, :-gap]
    return image, MosaicLayout(tuple(lead), rows, cols, h, w, gap)


def strided_for_display(image: np.ndarray, max_side: int = MAX_IMAGE_SIDE) -> tuple[np.ndarray, int]:
    """Every stride-th pixel, so that neither side exceeds max_side (display only)."""
    stride = max(1, math.ceil(max(image.shape) / max_side))
    return (image[::stride, ::stride] if stride > 1 else image), stride


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


def format_number(v: float) -> str:
    return f"{v:.4g}"


def format_index(index: tuple[int, ...]) -> str:
    return "[" + ", ".join(str(i) for i in index) + "]"


def monospace_font(point_delta: int = 0) -> QFont:
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    if point_delta:
        font.setPointSize(max(6, font.pointSize() + point_delta))
    return font


def _small_font() -> QFont:
    font = QFont()
    font.setPointSize(8)
    return font


# ----- the pictures -----------------------------------------------------------------------------------------
class ImagePlot(pg.GraphicsLayoutWidget):
    """One ImageItem (a mosaic or a heatmap) with a colour bar; hovering reads the value under the cursor."""

    hovered = Signal(str)  # "[i, j, ...] = value", or "" off the data
    clicked = Signal()

    def __init__(self, parent: QWidget | None = None, *, interactive: bool = True, captions: bool = True):
        super().__init__(parent)
        self._captions = captions  # axis labels and the mosaic's one-line description
        self.plot = self.addPlot()
        self.plot.invertY(True)  # row 0 at the top, as a matrix or a picture reads
        self.plot.hideButtons()
        self.plot.setMenuEnabled(interactive)
        self.plot.setMouseEnabled(x=interactive, y=interactive)
        for name in ("left", "bottom"):
            self.plot.getAxis(name).setStyle(tickFont=_small_font())
        self.image = pg.ImageItem(axisOrder="row-major")
        self.plot.addItem(self.image)
        self.colour_bar = pg.ColorBarItem(width=12, interactive=False, colorMapMenu=False)
        self.colour_bar.setImageItem(self.image, insert_in=self.plot)
        self.colour_bar.getAxis("right").setStyle(tickFont=_small_font())
        self._values: np.ndarray | None = None
        self._layout: MosaicLayout | None = None
        self.description = ""
        self.scene().sigMouseMoved.connect(self._on_scene_mouse_moved)
        self.scene().sigMouseClicked.connect(self._on_scene_mouse_clicked)

    def show_values(self, values: np.ndarray, stats: TensorStats, *, symmetric: bool | None, grey: bool,
                    tile_axes: tuple[str, str] = ("dim 0", "dim 1")) -> None:
        full, layout = mosaic(values)
        image, stride = strided_for_display(full)
        self._values, self._layout = values, layout
        cmap_name, levels = colour_scale(stats, symmetric, grey)
        self.image.setImage(image, autoLevels=False)
        # a strided image still spans the full-resolution coordinates, so axes and hover read true indices
        self.image.setRect(QRectF(0, 0, image.shape[1] * stride, image.shape[0] * stride))
        self.colour_bar.setColorMap(pg.colormap.get(cmap_name))
        self.colour_bar.setLevels(levels)
        self._label_axes(values, layout, tile_axes)
        self.plot.setAspectLocked(bool(layout.lead_shape) or grey)
        self.plot.setRange(QRectF(0, 0, layout.size[1], layout.size[0]), padding=0.02)

    def _label_axes(self, values: np.ndarray, layout: MosaicLayout, tile_axes: tuple[str, str]) -> None:
        lead, (h, w) = layout.lead_shape, values.shape[-2:]
        tiled = bool(lead)
        self.plot.showAxis("left", not tiled)
        self.plot.showAxis("bottom", not tiled)
        if not tiled and self._captions:
            self.plot.setLabel("left", self.tr("rows ({0})").format(h))
            self.plot.setLabel("bottom", self.tr("columns ({0})").format(w))
        # said under the picture (where the hover read-out goes), to leave the plot its height
        if not tiled or lead == (1,):
            self.description = ""
        elif len(lead) == 2:
            self.description = self.tr("{0} x {1} tiles of {2}x{3} (rows: {4}, columns: {5})").format(
                lead[0], lead[1], h, w, *tile_axes)
        else:
            self.description = self.tr("{0} maps of {1}x{2}").format(math.prod(lead), h, w)

    def _on_scene_mouse_moved(self, scene_pos: QPointF) -> None:
        if self._layout is None or not self.plot.vb.sceneBoundingRect().contains(scene_pos):
            self.hovered.emit("")
            return
        p = self.plot.vb.mapSceneToView(scene_pos)
        index = self._layout.index_at(math.floor(p.y()), math.floor(p.x()))
        if index is None:
            self.hovered.emit("")
            return
        self.hovered.emit(f"{format_index(index)} = {format_number(float(self._values[index]))}")

    def _on_scene_mouse_clicked(self, _event) -> None:
        self.clicked.emit()


class BarChart(pg.PlotWidget):
    """A vector as bars over its index, red up / blue down (or one colour, with one bar highlighted)."""

    hovered = Signal(str)
    clicked = Signal()

    def __init__(self, parent: QWidget | None = None, *, interactive: bool = True):
        super().__init__(parent)
        self.plot = self.getPlotItem()
        self.plot.hideButtons()
        self.plot.setMenuEnabled(interactive)
        self.plot.setMouseEnabled(x=interactive, y=interactive)
        for name in ("left", "bottom"):
            self.plot.getAxis(name).setStyle(tickFont=_small_font())
        self.plot.showGrid(y=True, alpha=0.2)
        self.bars = pg.BarGraphItem(x=[], height=[], width=0.8, pen=None)
        self.plot.addItem(self.bars)
        self.zero_line = pg.InfiniteLine(pos=0, angle=0, pen=pg.mkPen((0, 0, 0, 120)))
        self.plot.addItem(self.zero_line)
        self._values = np.zeros(0, np.float32)
        self._stride = 1
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
        if not self._values.size or not self.plot.vb.sceneBoundingRect().contains(scene_pos):
            self.hovered.emit("")
            return
        i = round(self.plot.vb.mapSceneToView(scene_pos).x() / self._stride) * self._stride
        if 0 <= i < self._values.size:
            self.hovered.emit(f"[{i}] = {format_number(float(self._values[i]))}")
        else:
            self.hovered.emit("")

    def _on_scene_mouse_clicked(self, _event) -> None:
        self.clicked.emit()


class HistogramPlot(pg.PlotWidget):
    """The distribution of a tensor's finite values, from the histogram the engine computed."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        plot = self.getPlotItem()
        plot.hideButtons()
        plot.setMenuEnabled(False)
        plot.setMouseEnabled(x=False, y=False)
        for name in ("left", "bottom"):
            plot.getAxis(name).setStyle(tickFont=_small_font())
        plot.setLabel("left", self.tr("count"), **{"font-size": "8pt"})
        plot.getAxis("left").setStyle(maxTickLevel=0)  # major ticks only: the plot is short
        self.curve = plot.plot([0, 1], [0], stepMode="center", fillLevel=0,
                               pen=pg.mkPen(NEUTRAL_BAR.darker(130)), brush=pg.mkBrush(NEUTRAL_BAR.lighter(130)))

    def show_histogram(self, counts: np.ndarray, edges: np.ndarray) -> None:
        self.curve.setData(np.asarray(edges, np.float64), np.asarray(counts, np.float64))
        self.getPlotItem().autoRange(padding=0.02)


def _without_leading_ones(values: np.ndarray) -> np.ndarray:
    """A batch of one ([1, 1200], [1, 6, 14, 14]) is pictured as its single sample: bars, a channel grid."""
    while values.ndim > 1 and values.shape[0] == 1:
        values = values[0]
    return values


class TensorWidget(QWidget):
    """The right picture for a TensorView's shape; `details` adds its histogram and the stats line.

    Compact (no details) is for lists of many tensors: no hover line, no plot captions, no pan/zoom.
    """

    clicked = Signal()

    def __init__(self, parent: QWidget | None = None, *, details: bool = True, interactive: bool = True):
        super().__init__(parent)
        self._details = details
        self._interactive = interactive
        self._view: TensorView | None = None
        self._idle_hover = " "  # the hover line's text while the cursor is elsewhere
        self.image_plot: ImagePlot | None = None  # pages are made on first need, then reused
        self.bar_chart: BarChart | None = None
        self.stack = QStackedWidget()
        self.stack.setMinimumHeight(90)
        self.scalar_label = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.scalar_label.setFont(monospace_font(10))
        self.scalar_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.empty_label = QLabel(alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True)
        self.empty_label.setStyleSheet("color: #555; font-size: 13pt;")
        self.stack.addWidget(self.scalar_label)
        self.stack.addWidget(self.empty_label)
        # short vectors: every number, readable, under the bars
        self.values_label = WrappingLabel()
        self.hover_label = WrappingLabel()
        self.hover_label.setStyleSheet("color: #333;")
        self.hover_label.setVisible(details)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.stack, 3)
        layout.addWidget(self.values_label)
        layout.addWidget(self.hover_label)
        self.histogram: HistogramPlot | None = None
        self.stats_label: QLabel | None = None
        if details:
            self.histogram = HistogramPlot()
            self.histogram.setMinimumHeight(70)
            self.histogram.setMaximumHeight(110)
            self.stats_label = WrappingLabel()
            layout.addWidget(self.histogram, 1)
            layout.addWidget(self.stats_label)
        self.set_view(None)

    @property
    def view(self) -> TensorView | None:
        return self._view

    def set_view(self, view: TensorView | None, *, symmetric: bool | None = None, image: bool = False,
                 empty_text: str | None = None, tile_axes: tuple[str, str] = ("dim 0", "dim 1")) -> None:
        """Show `view`.

        symmetric: colours centred on 0 (None: when the data has negative values); image: a picture in grey
        (the input); empty_text: what a None says; tile_axes: what a 4-D mosaic's rows and columns are.
        """
        self._view = view
        self._idle_hover = " "
        values = None if view is None else _without_leading_ones(view.values)
        short_vector = values is not None and values.ndim == 1 and values.size <= LISTED_VALUES
        self.values_label.setVisible(short_vector)
        if view is None or values.size == 0:
            self.empty_label.setText(self.tr("empty: shape {0}").format(list(values.shape)) if view is not None
                                     else empty_text if empty_text is not None else "None")
            self.stack.setCurrentWidget(self.empty_label)
        elif values.ndim == 0:
            self.scalar_label.setText(format_number(float(values)))
            self.stack.setCurrentWidget(self.scalar_label)
        elif values.ndim == 1:
            chart = self._bar_page()
            chart.show_values(values, signed_colours=True)
            self.stack.setCurrentWidget(chart)
            if short_vector:
                self.values_label.setText(values_text(values))
        else:
            plot = self._image_page()
            plot.show_values(values, view.stats, symmetric=symmetric, grey=image, tile_axes=tile_axes)
            self.stack.setCurrentWidget(plot)
            self._idle_hover = plot.description or " "
        self.hover_label.setText(self._idle_hover)
        self._show_details(view)

    def _show_details(self, view: TensorView | None) -> None:
        if self.histogram is None:
            return
        self.histogram.setVisible(view is not None)
        self.stats_label.setVisible(view is not None)
        if view is not None:
            self.histogram.show_histogram(view.hist_counts, view.hist_edges)
            self.stats_label.setText(stats_text(view.stats))

    def _image_page(self) -> ImagePlot:
        if self.image_plot is None:
            self.image_plot = ImagePlot(interactive=self._interactive, captions=self._details)
            self._add_page(self.image_plot)
        return self.image_plot

    def _bar_page(self) -> BarChart:
        if self.bar_chart is None:
            self.bar_chart = BarChart(interactive=self._interactive)
            self._add_page(self.bar_chart)
        return self.bar_chart

    def _add_page(self, page: ImagePlot | BarChart) -> None:
        page.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        page.hovered.connect(self._on_page_hovered)
        page.clicked.connect(self.clicked)
        self.stack.addWidget(page)

    def _on_page_hovered(self, text: str) -> None:
        self.hover_label.setText(text or self._idle_hover)
        self.stack.currentWidget().setToolTip(text)

    def __repr__(self) -> str:
        return f"TensorWidget({self._view!r})"


class WrappingLabel(QLabel):
    """A word-wrapped label that claims the height its wrapped lines need.

    Layouts inside splitters and scroll areas size a plain wrapping QLabel as if it were one line, which
    clips the rest; this one re-states its minimum height for its current width.
    """

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWordWrap(True)
        self.setFont(monospace_font(-1))
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Minimum)

    def setText(self, text: str) -> None:
        super().setText(text)
        self._claim_height()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._claim_height()

    def _claim_height(self) -> None:
        height = self.heightForWidth(self.width()) if self.width() > 0 else -1
        self.setMinimumHeight(max(height, self.fontMetrics().height()))


# Non-breaking spaces hold each "name value" pair together; the plain double spaces between pairs wrap.
_NBSP = "\u00a0"


def _pairs(*pairs: str) -> str:
    return "  ".join(p.replace(" ", _NBSP) for p in pairs)


def values_text(values: np.ndarray) -> str:
    """"0: -0.187  1: 0.1097 ..." for a short vector, wrapping between entries."""
    return _pairs(*(f"{i}: {format_number(float(v))}" for i, v in enumerate(values.tolist())))


def stats_text(stats: TensorStats) -> str:
    """The stats line: shape, range, moments, norm, zero fraction, NaN/Inf count."""
    f, tr = format_number, lambda text: QCoreApplication.translate("TensorWidget", text)
    return _pairs(
        tr("shape {0}").format(list(stats.shape)), tr("min {0}").format(f(stats.min)),
        tr("max {0}").format(f(stats.max)), tr("mean {0}").format(f(stats.mean)), tr("std {0}").format(f(stats.std)),
        tr("norm {0}").format(f(stats.norm)), tr("zeros {0:.1%}").format(stats.zero_fraction),
        tr("NaN or Inf {0}").format(stats.nonfinite),
    )
