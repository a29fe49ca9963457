"""The gradients on the graph's arrows: a tip with the tensor an arrow carries (shape, norm, a tiny picture) when
the cursor rests on it, and the norms written on the arrows into and out of the node that is running.

The numbers come with each snapshot (explorer.core.edge_gradients, computed on the engine thread).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QCoreApplication, QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter, QPixmap
from PySide6.QtWidgets import QFrame, QGraphicsItem, QLabel, QVBoxLayout, QWidget

from explorer.ui.graph.items import GraphEdgeItem, level_of_detail

if TYPE_CHECKING:
    from explorer.core.edge_gradients import EdgeGradient

TIP_CELL_PX = 6  # each cell of the tiny picture, on screen
LABEL_POINT_SIZE = 7


def gradient_image(picture: np.ndarray, cell_px: int = TIP_CELL_PX) -> QImage:
    """Blue (negative) - white (0) - red (positive), scaled to the largest |value|, each cell cell_px square."""
    a = np.nan_to_num(np.asarray(picture, np.float32))
    scale = float(np.abs(a).max()) or 1.0
    v = np.clip(a / scale, -1.0, 1.0)[..., None]
    white, red, blue = np.array([255, 255, 255.0]), np.array([200, 50, 40.0]), np.array([40, 80, 200.0])
    rgb = np.where(v >= 0, white + (red - white) * v, white + (blue - white) * -v).astype(np.uint8)
    rows_px = cell_px * 3 if rgb.shape[0] == 1 else cell_px  # a vector's one row of cells, tall enough to see
    rgb = np.repeat(np.repeat(rgb, rows_px, axis=0), cell_px, axis=1)
    rgb = np.ascontiguousarray(rgb)
    h, w = rgb.shape[:2]
    return QImage(rgb.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()  # copy: the array goes away


class EdgeTip(QFrame):
    """A tooltip-like window: what one arrow carries, in words and as a tiny picture."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.ToolTip)
        self.setFrameShape(QFrame.Shape.Box)
        self.setStyleSheet("EdgeTip { background: #ffffe8; }")
        self.text_label = QLabel()
        self.picture_label = QLabel()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addWidget(self.text_label)
        layout.addWidget(self.picture_label)
        self.edge: tuple[str, str] | None = None

    def show_edge(self, edge: tuple[str, str], text: str, picture: np.ndarray, at: QPoint) -> None:
        self.edge = edge
        self.text_label.setText(text)
        self.picture_label.setPixmap(QPixmap.fromImage(gradient_image(picture)))
        self.adjustSize()
        self.move(at + QPoint(14, 10))
        self.show()

    def hide_tip(self) -> None:
        self.edge = None
        self.hide()


class NormLabelItem(QGraphicsItem):
    """A small boxed "‖g‖ = 0.42" at the middle of an arrow."""

    def __init__(self, text: str, centre: QPointF):
        super().__init__()
        self.text = text
        self.font = QFont()
        self.font.setPointSize(LABEL_POINT_SIZE)
        metrics = QFontMetricsF(self.font)
        w, h = metrics.horizontalAdvance(text) + 6, metrics.height() + 2
        self._rect = QRectF(-w / 2, -h / 2, w, h)
        self.setPos(centre)
        self.setZValue(5)  # over the arrows, under nothing that matters

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(self, painter: QPainter, option, widget=None) -> None:
        if level_of_detail(painter) * self._rect.height() < 6:  # unreadable at this zoom
            return
        painter.setPen(QColor(180, 120, 20))
        painter.setBrush(QColor(255, 250, 235, 230))
        painter.drawRoundedRect(self._rect, 3, 3)
        painter.setFont(self.font)
        painter.setPen(QColor(60, 40, 0))
        painter.drawText(self._rect, Qt.AlignmentFlag.AlignCenter, self.text)


class EdgeGradientOverlay:
    """Owned by the graph view: keeps the snapshot's edge gradients and draws tips and norm labels from them."""

    def __init__(self, view):
        self.view = view
        self.gradients: dict[tuple[str, str], EdgeGradient] = {}
        self.current: str | None = None
        self.labels: list[NormLabelItem] = []
        self.tip = EdgeTip(view)

    def set_gradients(self, gradients: dict, current: str | None) -> None:
        if gradients is self.gradients and current == self.current:
            return
        self.gradients, self.current = gradients, current
        self.place_labels()

    def forget_items(self) -> None:
        """The scene was cleared (and its labels with it)."""
        self.labels = []

    def place_labels(self) -> None:
        """Label the arrows into and out of the running node with the norms of the gradients they carry."""
        scene = self.view.scene()
        for label in self.labels:
            if label.scene() is scene:
                scene.removeItem(label)
        self.labels = []
        if self.current is None:
            return
        for edge in self.view.edge_items:
            key = (edge.source.node_id, edge.target.node_id)
            if self.current in key and key in self.gradients:
                label = NormLabelItem(QCoreApplication.translate("EdgeGradients", "‖g‖ = {0:.3g}").format(self.gradients[key].norm), edge.midpoint())
                scene.addItem(label)
                self.labels.append(label)

    def show_tip(self, viewport_pos: QPoint, global_pos: QPoint) -> bool:
        """Show what the arrow under the cursor carries; False when there is none (or it has not run)."""
        edge = self.edge_at(viewport_pos)
        key = None if edge is None else (edge.source.node_id, edge.target.node_id)
        gradient = self.gradients.get(key) if key is not None else None
        if gradient is None:
            self.tip.hide_tip()
            return False
        self.tip.show_edge(key, self.tip_text(key, gradient), gradient.picture, global_pos)
        return True

    def hide_off_edge(self, viewport_pos: QPoint) -> None:
        """The cursor moved: the tip stays while it is on the arrow the tip is about."""
        edge = self.edge_at(viewport_pos)
        if edge is None or (edge.source.node_id, edge.target.node_id) != self.tip.edge:
            self.tip.hide_tip()

    def tip_text(self, key: tuple[str, str], g: EdgeGradient) -> str:
        attrs = self.view.picture.attrs if self.view.picture is not None else {}
        source, target = (attrs.get(n, {}).get("cls") or n for n in key)
        translate = QCoreApplication.translate
        text = translate("EdgeGradients", "gradient {0} → {1}").format(source, target) + "\n" + \
            translate("EdgeGradients", "shape {0}   norm {1:.4g}").format(list(g.shape), g.norm)
        if g.picture_of:
            text += "\n" + translate("EdgeGradients", "picture: its part {0}").format(g.picture_of[:-1] + ", ...]")
        if g.stride > 1:
            text += "\n" + translate("EdgeGradients", "picture: one element in {0} along each side").format(g.stride)
        return text

    def edge_at(self, viewport_pos: QPoint) -> GraphEdgeItem | None:
        for item in self.view.items(viewport_pos):
            if isinstance(item, GraphEdgeItem):
                return item
        return None
