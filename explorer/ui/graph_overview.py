"""The graph zoomed out: every box as a plain fill and every arrow as a one-pixel line, drawn in a few
batched calls instead of one Python paint per item.

Once text is unreadable the view hides its items and paints this in its (cached) background: panning
then scrolls a pixmap, and a zoom step or a backward step redraws at most a few thousand rectangles
and lines per colour. Boxes smaller than a pixel are drawn one pixel big so that none vanish; arrows
shorter than a pixel on screen are skipped.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen

from explorer.ui.graph_items import CURRENT, CURRENT_COLOR, DONE, DONE_COLOR, EDGE_COLOR, SELECTED_COLOR, TODO, \
    GraphEdgeItem, GraphNodeItem

MIN_BOX_PX = 1.5  # a box is never drawn smaller than this on screen
EDGE_COLORS = {TODO: EDGE_COLOR, DONE: DONE_COLOR, CURRENT: CURRENT_COLOR}


class GraphOverview:
    """Batched drawing of the scene's boxes and arrows, and a nearest-box lookup for clicks."""

    def __init__(self, nodes: Sequence[GraphNodeItem], edges: Sequence[GraphEdgeItem]):
        self._nodes = list(nodes)
        self._rects = [item.mapRectToScene(item.rect) for item in self._nodes]
        self._boxes = np.array([r.getCoords() for r in self._rects], dtype=float).reshape(-1, 4)  # x0 y0 x1 y1
        self._edges = list(edges)
        self._lines: list[list[QLineF]] = []
        bounds = []
        for edge in self._edges:
            points = edge.polyline_points()
            self._lines.append([QLineF(a, b) for a, b in zip(points, points[1:])])
            xs, ys = [p.x() for p in points], [p.y() for p in points]
            bounds.append((min(xs), min(ys), max(xs), max(ys)))
        self._edge_boxes = np.array(bounds, dtype=float).reshape(-1, 4)
        self._edge_extent = np.maximum(self._edge_boxes[:, 2] - self._edge_boxes[:, 0],
                                       self._edge_boxes[:, 3] - self._edge_boxes[:, 1])

    def __repr__(self) -> str:
        return f"GraphOverview({len(self._nodes)} boxes, {len(self._edges)} arrows)"

    @staticmethod
    def _visible(boxes: np.ndarray, area: QRectF) -> np.ndarray:
        x0, y0, x1, y1 = area.getCoords()
        return (boxes[:, 2] >= x0) & (boxes[:, 0] <= x1) & (boxes[:, 3] >= y0) & (boxes[:, 1] <= y1)

    def paint(self, painter: QPainter, area: QRectF, zoom: float) -> None:
        """Draw what lies in `area` (scene coordinates) at `zoom` screen pixels per scene unit."""
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        by_state: dict[str, list[QLineF]] = {TODO: [], DONE: [], CURRENT: []}
        shown = self._visible(self._edge_boxes, area) & (self._edge_extent * zoom >= 1)
        for i in np.flatnonzero(shown).tolist():
            by_state[self._edges[i].state].extend(self._lines[i])
        for state in (TODO, DONE, CURRENT):  # the current arrows on top
            if by_state[state]:
                painter.setPen(QPen(EDGE_COLORS[state], 0))  # cosmetic: one screen pixel at any zoom
                painter.drawLines(by_state[state])
        by_fill: dict[int, list[QRectF]] = {}
        smallest = MIN_BOX_PX / max(zoom, 1e-9)
        selected = []
        for i in np.flatnonzero(self._visible(self._boxes, area)).tolist():
            item, rect = self._nodes[i], self._rects[i]
            if rect.width() < smallest or rect.height() < smallest:
                rect = QRectF(rect.center().x() - smallest / 2, rect.center().y() - smallest / 2,
                              max(rect.width(), smallest), max(rect.height(), smallest))
            by_fill.setdefault(item.box_fill().rgba(), []).append(rect)
            if item.selected:
                selected.append(rect)
        painter.setPen(Qt.PenStyle.NoPen)
        for rgba, rects in by_fill.items():
            painter.setBrush(QColor.fromRgba(rgba))
            painter.drawRects(rects)
        if selected:
            painter.setPen(QPen(SELECTED_COLOR, 0))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRects(selected)

    def node_near(self, point: QPointF, radius: float) -> GraphNodeItem | None:
        """The box under `point`, or else the nearest one within `radius` (scene units)."""
        if not self._nodes:
            return None
        x, y = point.x(), point.y()
        dx = np.maximum(np.maximum(self._boxes[:, 0] - x, x - self._boxes[:, 2]), 0)
        dy = np.maximum(np.maximum(self._boxes[:, 1] - y, y - self._boxes[:, 3]), 0)
        distance = np.hypot(dx, dy)
        best = int(np.argmin(distance))
        return self._nodes[best] if distance[best] <= radius else None
