"""The graph zoomed out: every box as a plain fill and every arrow as a one-pixel line, drawn in a few
batched calls instead of one Python paint per item.

Once text is unreadable the view hides its items and paints this in its (cached) background: panning
then scrolls a pixmap, and a zoom step or a backward step redraws the visible boxes and arrows with one
call per colour. Geometry and colours live in numpy arrays; the view reports which boxes changed state.
Boxes smaller than a pixel are drawn one pixel and a half big so that none vanish; arrows shorter than a
pixel on screen are skipped.

Names: a box big enough on screen gets its own (elided); where boxes are too small for theirs, the modules
they belong to are named over the area their boxes cover (top-level modules first, then their children), in
a readable fixed-size font, wherever a name fits without covering another. Every box keeps its tooltip.
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
REGION_LABEL_PX = 11  # a module's name over its boxes
REGION_DEPTHS = (1, 2)  # top-level modules (layer1), then their children (layer1.0)
REGION_MIN_CHARS = 4  # an elided name shorter than this says nothing: not drawn
REGION_LABEL_ROOM_PX = 90  # a name may reach past a narrow module's area to this width ("layer1", not "lay…")
REGION_LABEL_BACKGROUND = QColor(255, 255, 255, 215)
REGION_LABEL_COLOR = QColor("#202020")
EDGE_STATES = (TODO, DONE, CURRENT)  # drawn in this order: the current arrows on top
EDGE_COLORS = (EDGE_COLOR, DONE_COLOR, CURRENT_COLOR)


class GraphOverview:
    """Batched drawing of the scene's boxes and arrows, and a nearest-box lookup for clicks."""

    def __init__(self, nodes: Sequence[GraphNodeItem], edges: Sequence[GraphEdgeItem],
                 modules: Sequence[str | None] = ()):
        """modules: the module path of each box (a collapsed module's own prefix), None or "" for none."""
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
        # a collapsed module's label is "layer4  (20 nodes)": where that does not fit, its name alone
        self._short_labels = [module if item.is_group and module else item.label
                              for item, module in itertools.zip_longest(self._nodes, modules[:len(self._nodes)])]
        self._label_font = QFont()
        self._label_font.setPixelSize(LABEL_PX)
        self._region_font = QFont()
        self._region_font.setPixelSize(REGION_LABEL_PX)
        self._region_font.setBold(True)
        self._regions = _module_regions(list(modules), self._boxes)
        self.painted_labels: list[tuple[str, QRectF, QFont]] = []  # the names the last paint drew, in screen pixels

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
        self.painted_labels = []
        labelled = self._paint_labels(painter, visible, zoom)
        self._paint_region_labels(painter, area, zoom, labelled)
        if self._selected is not None:
            painter.setPen(QPen(SELECTED_COLOR, 0))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            x0, y0, x1, y1 = self._boxes[self._selected].tolist()
            painter.drawRect(QRectF(x0, y0, x1 - x0, y1 - y0))

    def _paint_labels(self, painter: QPainter, visible: np.ndarray, zoom: float) -> set[int]:
        """Names on the boxes big enough on screen to hold some (a module's box at Fit, typically), in screen
        pixels so they stay readable whatever the zoom; elided to the box. Returns the boxes named."""
        boxes = self._boxes[visible]
        size = (boxes[:, 2:] - boxes[:, :2]) * zoom
        chosen = visible[(size[:, 0] >= LABEL_MIN_PX[0]) & (size[:, 1] >= LABEL_MIN_PX[1])][:MAX_LABELS].tolist()
        if not chosen:
            return set()
        transform = painter.worldTransform()
        painter.save()
        painter.resetTransform()
        painter.setFont(self._label_font)
        painter.setPen(QColor("black"))
        metrics = QFontMetrics(self._label_font)
        for i in chosen:
            x0, y0, x1, y1 = self._boxes[i].tolist()
            rect = transform.mapRect(QRectF(x0, y0, x1 - x0, y1 - y0)).adjusted(2, 0, -2, 0)
            text = self._labels[i]
            if metrics.horizontalAdvance(text) > rect.width():
                text = metrics.elidedText(self._short_labels[i], Qt.TextElideMode.ElideRight, int(rect.width()))
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
            self.painted_labels.append((text, rect, self._label_font))
        painter.restore()
        return set(chosen)

    def _paint_region_labels(self, painter: QPainter, area: QRectF, zoom: float, labelled: set[int]) -> None:
        """Module names over the boxes too small for their own: each centred on its module's area (elided to its
        width, or to REGION_LABEL_ROOM_PX for a narrow one), top-level modules first, none over another or over
        a named box."""
        names, rects, members = self._regions
        if not names:
            return
        shown = np.flatnonzero(self._visible(rects, area))
        if not len(shown):
            return
        transform = painter.worldTransform()
        metrics = QFontMetrics(self._region_font)
        height = metrics.height() + 2
        taken = [rect for _, rect, _ in self.painted_labels]
        chosen: list[tuple[str, QRectF]] = []
        for r in shown.tolist():  # already in order: depth, then larger areas first
            if labelled.intersection(members[r]):
                continue  # its boxes carry their own names
            x0, y0, x1, y1 = rects[r].tolist()
            screen = transform.mapRect(QRectF(x0, y0, x1 - x0, y1 - y0))
            if screen.height() < height:
                continue
            room = max(screen.width(), REGION_LABEL_ROOM_PX) - 6
            text = metrics.elidedText(names[r], Qt.TextElideMode.ElideRight, int(room))
            if len(text) < min(REGION_MIN_CHARS, len(names[r])):
                continue
            width = metrics.horizontalAdvance(text) + 6
            rect = QRectF(screen.center().x() - width / 2, screen.center().y() - height / 2, width, height)
            if any(rect.adjusted(-3, -2, 3, 2).intersects(other) for other in taken):
                continue
            taken.append(rect)
            chosen.append((text, rect))
            if len(chosen) >= MAX_LABELS:
                break
        if not chosen:
            return
        painter.save()
        painter.resetTransform()
        painter.setFont(self._region_font)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(REGION_LABEL_BACKGROUND)
        for _, rect in chosen:
            painter.drawRoundedRect(rect, 3, 3)
        painter.setPen(REGION_LABEL_COLOR)
        for text, rect in chosen:
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
        painter.restore()
        self.painted_labels += [(text, rect, self._region_font) for text, rect in chosen]

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


def _module_regions(modules: list[str | None], boxes: np.ndarray) -> tuple[list[str], np.ndarray, list[list[int]]]:
    """(names, scene rects x0 y0 x1 y1, member boxes) of the modules at REGION_DEPTHS, in drawing order: by depth,
    larger areas first. A child holding all of its parent's boxes (a block with one submodule) is left out."""
    by_depth: dict[int, dict[str, list[int]]] = {depth: {} for depth in REGION_DEPTHS}
    for i, module in enumerate(modules):
        parts = module.split(".") if module else []
        for depth in REGION_DEPTHS:
            if len(parts) >= depth:
                by_depth[depth].setdefault(".".join(parts[:depth]), []).append(i)
    found = []
    for depth in REGION_DEPTHS:
        for name, members in by_depth[depth].items():
            parent = by_depth.get(depth - 1, {}).get(name.rsplit(".", 1)[0])
            if parent is not None and len(parent) == len(members):
                continue
            b = boxes[members]
            rect = (b[:, 0].min(), b[:, 1].min(), b[:, 2].max(), b[:, 3].max())
            found.append((depth, -(rect[2] - rect[0]) * (rect[3] - rect[1]), name, members, rect))
    found.sort(key=lambda f: (f[0], f[1]))
    rects = np.array([f[4] for f in found], dtype=float).reshape(-1, 4)
    return [f[2] for f in found], rects, [f[3] for f in found]
