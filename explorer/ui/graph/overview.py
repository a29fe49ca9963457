"""The graph zoomed out: every box as a plain fill and every arrow as a one-pixel line, drawn in a few
batched calls instead of one Python paint per item.

Once text is unreadable the view hides its items and paints this in its (cached) background: panning
then scrolls a pixmap, and a zoom step or a backward step redraws the visible boxes and arrows with one
call per colour. Geometry and colours live in numpy arrays; the view reports which boxes changed state.
Boxes smaller than a pixel are drawn one pixel and a half big so that none vanish; arrows shorter than a
pixel on screen are skipped.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence

import numpy as np
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen

from explorer.ui.graph.items import CURRENT, CURRENT_COLOR, DONE, DONE_COLOR, EDGE_COLOR, SELECTED_COLOR, TODO, \
    GraphEdgeItem, GraphNodeItem

MIN_BOX_PX = 1.5  # a box is never drawn smaller than this on screen
LABEL_MIN_PX = (36, 9)  # a box this big on screen (width, height) gets its name, in a small fixed-size font
LABEL_PX = 9
MAX_LABELS = 300  # per paint: beyond that many readable boxes the names would not be read anyway
EDGE_STATES = (TODO, DONE, CURRENT)  # drawn in this order: the current arrows on top
EDGE_COLORS = (EDGE_COLOR, DONE_COLOR, CURRENT_COLOR)


class GraphOverview:
    """Batched drawing of the scene's boxes and arrows, and a nearest-box lookup for clicks."""

    def __init__(self, nodes: Sequence[GraphNodeItem], edges: Sequence[GraphEdgeItem]):
        self._nodes = list(nodes)
        self._index = {item.node_id: i for i, item in enumerate(self._nodes)}
        rects = [item.mapRectToScene(item.rect).getCoords() for item in self._nodes]
        self._boxes = np.array(rects, dtype=float).reshape(-1, 4)  # x0 y0 x1 y1
        self._fill = np.array([item.box_fill().rgba() for item in self._nodes], dtype=np.uint32)
        self._edges = list(edges)
        self._lines: list[list[QLineF]] = []
        bounds = []
        self._out: dict[str, list[int]] = {}
        for i, edge in enumerate(self._edges):
            points = edge.polyline_points()
            self._lines.append([QLineF(a, b) for a, b in zip(points, points[1:])])
            xs, ys = [p.x() for p in points], [p.y() for p in points]
            bounds.append((min(xs), min(ys), max(xs), max(ys)))
            self._out.setdefault(edge.source.node_id, []).append(i)
        self._edge_boxes = np.array(bounds, dtype=float).reshape(-1, 4)
        self._edge_extent = np.maximum(self._edge_boxes[:, 2] - self._edge_boxes[:, 0],
                                       self._edge_boxes[:, 3] - self._edge_boxes[:, 1])
        self._edge_state = np.array([EDGE_STATES.index(e.state) for e in self._edges], dtype=np.int8)
        self._selected: int | None = None
        self._labels = [item.label for item in self._nodes]
        self._label_font = QFont()
        self._label_font.setPixelSize(LABEL_PX)

    def __repr__(self) -> str:
        return f"GraphOverview({len(self._nodes)} boxes, {len(self._edges)} arrows)"

    def restyle(self, node_ids: Iterable[str]) -> None:
        """Take over the state of these boxes and of their outgoing arrows."""
        for node_id in node_ids:
            i = self._index.get(node_id)
            if i is None:
                continue
            self._fill[i] = self._nodes[i].box_fill().rgba()
            for e in self._out.get(node_id, ()):
                self._edge_state[e] = EDGE_STATES.index(self._edges[e].state)

    def select(self, node_id: str | None) -> None:
        self._selected = self._index.get(node_id) if node_id is not None else None

    @staticmethod
    def _visible(boxes: np.ndarray, area: QRectF) -> np.ndarray:
        x0, y0, x1, y1 = area.getCoords()
        return (boxes[:, 2] >= x0) & (boxes[:, 0] <= x1) & (boxes[:, 3] >= y0) & (boxes[:, 1] <= y1)

    def paint(self, painter: QPainter, area: QRectF, zoom: float) -> None:
        """Draw what lies in `area` (scene coordinates) at `zoom` screen pixels per scene unit."""
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        shown = self._visible(self._edge_boxes, area) & (self._edge_extent * zoom >= 1)
        for code, colour in enumerate(EDGE_COLORS):
            chosen = np.flatnonzero(shown & (self._edge_state == code)).tolist()
            if chosen:
                painter.setPen(QPen(colour, 0))  # cosmetic: one screen pixel at any zoom
                painter.drawLines(list(itertools.chain.from_iterable(map(self._lines.__getitem__, chosen))))
        visible = np.flatnonzero(self._visible(self._boxes, area))
        if not len(visible):
            return
        boxes = self._boxes[visible]
        smallest = MIN_BOX_PX / max(zoom, 1e-9)
        centre = (boxes[:, :2] + boxes[:, 2:]) / 2
        half = np.maximum((boxes[:, 2:] - boxes[:, :2]) / 2, smallest / 2)
        xywh = np.hstack([centre - half, 2 * half])
        fills = self._fill[visible]
        painter.setPen(Qt.PenStyle.NoPen)
        for rgba in np.unique(fills).tolist():
            painter.setBrush(QColor.fromRgba(rgba))
            painter.drawRects([QRectF(*r) for r in xywh[fills == rgba].tolist()])
        self._paint_labels(painter, visible, zoom)
        if self._selected is not None:
            painter.setPen(QPen(SELECTED_COLOR, 0))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            x0, y0, x1, y1 = self._boxes[self._selected].tolist()
            painter.drawRect(QRectF(x0, y0, x1 - x0, y1 - y0))

    def _paint_labels(self, painter: QPainter, visible: np.ndarray, zoom: float) -> None:
        """Names on the boxes big enough on screen to hold some (a module's box at Fit, typically), in screen
        pixels so they stay readable whatever the zoom; elided to the box."""
        boxes = self._boxes[visible]
        size = (boxes[:, 2:] - boxes[:, :2]) * zoom
        chosen = visible[(size[:, 0] >= LABEL_MIN_PX[0]) & (size[:, 1] >= LABEL_MIN_PX[1])][:MAX_LABELS].tolist()
        if not chosen:
            return
        transform = painter.worldTransform()
        painter.save()
        painter.resetTransform()
        painter.setFont(self._label_font)
        painter.setPen(QColor("black"))
        metrics = QFontMetrics(self._label_font)
        for i in chosen:
            x0, y0, x1, y1 = self._boxes[i].tolist()
            rect = transform.mapRect(QRectF(x0, y0, x1 - x0, y1 - y0)).adjusted(2, 0, -2, 0)
            text = metrics.elidedText(self._labels[i], Qt.TextElideMode.ElideRight, int(rect.width()))
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
        painter.restore()

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
