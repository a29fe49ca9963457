"""Pictures of one tensor (pyqtgraph): the plot its shape calls for, a histogram and a stats line.

Shapes map to pictures: 4-D (out, in, h, w) -> a mosaic of filters, one row per out channel (a near-square
grid when there is one in channel); 3-D (channels, h, w) -> a near-square grid of channel images; 2-D -> a
heatmap; 1-D -> bars; 0-D -> the number. The pieces live in explorer/ui/tensor_*.py; this widget picks one.
Views receive numpy arrays only; nothing here imports torch.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QSizePolicy, QStackedWidget, QVBoxLayout, QWidget

from explorer.ui.tensor.bar_chart import LISTED_VALUES, BarChart
from explorer.ui.tensor.histogram import HistogramPlot
from explorer.ui.tensor.image_plot import ImagePlot
from explorer.ui.tensor.label import WrappingLabel
from explorer.ui.tensor.style import monospace_font
from explorer.ui.tensor.text import format_number, stats_text, values_text

if TYPE_CHECKING:
    from explorer.core.snapshot import TensorView


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
    cell_clicked = Signal(tuple)  # the index, in the view's own shape, of the clicked cell or bar

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
        self.mark(None)  # a frame belongs to the tensor it was put on
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
        page.cell_clicked.connect(self._on_page_cell_clicked)
        self.stack.addWidget(page)

    def _stripped(self) -> int:
        """How many leading ones the picture left out (a batch of one is drawn as its sample)."""
        values = self._view.values
        return values.ndim - _without_leading_ones(values).ndim

    def mark(self, index: tuple[int, ...] | None) -> None:
        """Frame the cell or bar of `index` (in the view's own shape); None takes the frame away."""
        shown = None
        if index is not None and self._view is not None and len(index) == self._view.values.ndim:
            shown = tuple(index[self._stripped():])
        for page in (self.image_plot, self.bar_chart):
            if page is not None:
                page.mark(shown)

    def _on_page_cell_clicked(self, index: tuple) -> None:
        if self._view is not None:
            self.cell_clicked.emit((0,) * self._stripped() + tuple(index))

    def _on_page_hovered(self, text: str) -> None:
        self.hover_label.setText(text or self._idle_hover)
        self.stack.currentWidget().setToolTip(text)

    def __repr__(self) -> str:
        return f"TensorWidget({self._view!r})"
