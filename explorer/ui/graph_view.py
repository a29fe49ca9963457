"""The autograd graph drawn as a scene: one box per grad_fn node, arrows the way gradients flow.

The scene is built once per GraphPicture; a backward step then only restyles the nodes (and their
outgoing edges) whose state changed, so stepping through a big graph stays cheap. Zoomed out far
enough that text would be unreadable, nodes paint as plain coloured boxes (level of detail).
"""

from __future__ import annotations

import bisect
import errno
import functools
import math
import os
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QEvent, QIODevice, QPoint, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QBrush, QColor, QFont, QFontMetricsF, QImage, QPainter, QPainterPath, QPen, QPolygonF,
)
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import (
    QApplication, QGraphicsItem, QGraphicsScene, QGraphicsView, QStyleOptionGraphicsItem, QToolTip, QWidget,
)

from explorer.core.atomic import atomic_write_bytes
from explorer.core.snapshot import GraphPicture, SessionSnapshot
from explorer.ui.palette import module_color, text_color_for

LABEL_PX = 12  # node label font size in scene pixels (at zoom 1)
SUBLABEL_PX = 10
MIN_READABLE_PX = 5  # below this on screen, text is skipped (level of detail)
PAD_X, PAD_Y, LINE_GAP = 10.0, 5.0, 1.0
MIN_NODE_WIDTH = 70.0
H_GAP, V_GAP = 20.0, 30.0  # free space between neighbouring boxes; vertical room for the arrows
CURRENT_RING_PX = 11.0  # radius on screen of the ring around the current node when zoomed out
HALO = 9.0  # room around a box for the current node's glow and the selection ring
EXPORT_MARGIN = 16.0
MAX_EXPORT_PIXELS = 64_000_000  # a PNG of a huge graph is scaled down to stay within this
MAX_EXPORT_SIDE = 32_000  # PNG and QImage limit per side is 32,767

TODO, DONE, CURRENT = "todo", "done", "current"
DONE_COLOR = QColor("#2b8a3e")
CURRENT_COLOR = QColor("#f76707")
SELECTED_COLOR = QColor("#1c7ed6")
EDGE_COLOR = QColor("#8c8c8c")
HINT_COLOR = QColor("#707070")


def _fonts() -> tuple[QFont, QFont, QFont]:
    """(label, bold label for parameters, module line), sized in pixels so the scene is DPI-independent."""
    label = QFont(QApplication.font())
    label.setPixelSize(LABEL_PX)
    bold = QFont(label)
    bold.setBold(True)
    sub = QFont(label)
    sub.setPixelSize(SUBLABEL_PX)
    return label, bold, sub


@functools.lru_cache(maxsize=256)
def _done_fill(rgb: int) -> QColor:
    """A module colour tinted green: what a node that already ran looks like when zoomed far out."""
    fill, t = QColor.fromRgb(rgb), 0.55
    return QColor(*(round((1 - t) * x + t * y) for x, y in zip(fill.getRgb()[:3], DONE_COLOR.getRgb()[:3])))


def _shape_text(value: object) -> str:
    if isinstance(value, (list, tuple)):
        return "\u00d7".join(str(d) for d in value) if value else "scalar"
    return str(value)


class GraphNodeItem(QGraphicsItem):
    """One autograd node: a rounded box with its label and module; state todo / done / current."""

    def __init__(self, node_id: str, label: str, sublabel: str, is_param: bool, fill: QColor,
                 size: tuple[float, float], fonts: tuple[QFont, QFont, QFont]):
        super().__init__()
        self.node_id = node_id
        self.label = label
        self.sublabel = sublabel
        self.is_param = is_param
        self._fill = fill
        self._text = text_color_for(fill)
        self._subtext = QColor(self._text)
        self._subtext.setAlpha(170)
        self._border = fill.darker(165)
        self._done_fill = _done_fill(fill.rgb())
        w, h = size
        self._rect = QRectF(-w / 2, -h / 2, w, h)
        self._label_font = fonts[1] if is_param else fonts[0]
        self._sub_font = fonts[2]
        self._label_h = QFontMetricsF(fonts[0]).height()
        self.state = TODO
        self.selected = False
        # text is the costly part: keep each box as a pixmap at the current zoom, so panning repaints nothing
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

    def __repr__(self) -> str:
        return f"GraphNodeItem({self.node_id!r}, {self.label!r}, {self.state})"

    @property
    def rect(self) -> QRectF:
        return self._rect

    def set_state(self, state: str) -> None:
        if state != self.state:
            self.state = state
            self.setZValue(1 if state == CURRENT else 0)  # the glow of the current node over its neighbours
            self.update()

    def set_selected(self, selected: bool) -> None:
        if selected != self.selected:
            self.selected = selected
            self.update()

    def boundingRect(self) -> QRectF:
        return self._rect.adjusted(-HALO, -HALO, HALO, HALO)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRect(self._rect)
        return path

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        lod = QStyleOptionGraphicsItem.levelOfDetailFromTransform(painter.worldTransform())
        if lod * LABEL_PX < MIN_READABLE_PX:
            self._paint_box(painter)
        else:
            self._paint_full(painter)

    def _paint_box(self, painter: QPainter) -> None:
        """Zoomed far out: a plain box. Done boxes turn green-tinted (the module hue still shows through),
        the current one orange; the view adds a ring around the current one so it can be found."""
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        fill = {TODO: self._fill, DONE: self._done_fill, CURRENT: CURRENT_COLOR}[self.state]
        painter.fillRect(self._rect, fill)
        if self.selected:
            painter.setPen(QPen(SELECTED_COLOR, 0))  # cosmetic: one screen pixel
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(self._rect)

    def _paint_full(self, painter: QPainter) -> None:
        rect = self._rect
        radius = min(8.0, rect.height() / 4)
        if self.state == CURRENT:
            painter.setPen(Qt.PenStyle.NoPen)
            for i, alpha in enumerate((40, 70, 110)):  # a soft orange glow, outermost ring first
                glow = QColor(CURRENT_COLOR)
                glow.setAlpha(alpha)
                grow = HALO - 2 - 2.5 * i
                painter.setBrush(glow)
                painter.drawRoundedRect(rect.adjusted(-grow, -grow, grow, grow), radius + grow, radius + grow)
        if self.selected:
            ring = QPen(SELECTED_COLOR, 2.0, Qt.PenStyle.DashLine)
            painter.setPen(ring)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(rect.adjusted(-4.5, -4.5, 4.5, 4.5), radius + 4, radius + 4)
        if self.state == CURRENT:
            pen = QPen(CURRENT_COLOR, 3.5)
        elif self.state == DONE:
            pen = QPen(DONE_COLOR, 2.5)
        else:
            pen = QPen(self._border, 1.0)
        painter.setPen(pen)
        painter.setBrush(self._fill)
        painter.drawRoundedRect(rect, radius, radius)

        text_rect = rect.adjusted(PAD_X, PAD_Y, -PAD_X, -PAD_Y)
        label_rect = QRectF(text_rect.left(), text_rect.top(), text_rect.width(), self._label_h)
        painter.setPen(self._text)
        painter.setFont(self._label_font)
        painter.drawText(label_rect, Qt.AlignmentFlag.AlignCenter, self.label)
        sub_rect = QRectF(text_rect.left(), label_rect.bottom() + LINE_GAP, text_rect.width(),
                          text_rect.bottom() - label_rect.bottom() - LINE_GAP)
        painter.setPen(self._subtext)
        painter.setFont(self._sub_font)
        painter.drawText(sub_rect, Qt.AlignmentFlag.AlignCenter, self.sublabel)
        if self.state == DONE:
            self._paint_check(painter)

    def _paint_check(self, painter: QPainter) -> None:
        """A green badge with a white tick on the top-right corner: this node has run."""
        r = 7.0
        centre = QPointF(self._rect.right() - 2, self._rect.top() + 2)
        painter.setPen(QPen(QColor("white"), 1.2))
        painter.setBrush(DONE_COLOR)
        painter.drawEllipse(centre, r, r)
        tick = QPainterPath(centre + QPointF(-3.5, 0.2))
        tick.lineTo(centre + QPointF(-1.0, 2.8))
        tick.lineTo(centre + QPointF(3.6, -2.6))
        painter.setPen(QPen(QColor("white"), 1.8, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                            Qt.PenJoinStyle.RoundJoin))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(tick)


class GraphEdgeItem(QGraphicsItem):
    """A curved arrow u -> v, the way the gradient flows; green once u has sent it, orange while it does."""

    ARROW = 7.0

    def __init__(self, source: GraphNodeItem, target: GraphNodeItem, via: Sequence[QPointF] = ()):
        super().__init__()
        self.source, self.target = source, target
        self.via = tuple(via)  # points the edge passes through (gaps in the rows it crosses)
        self.state = TODO
        self._path, self._head = self._geometry()
        self._bounds = self._path.boundingRect().united(self._head.boundingRect()).adjusted(-3, -3, 3, 3)

    def __repr__(self) -> str:
        return f"GraphEdgeItem({self.source.node_id!r} -> {self.target.node_id!r}, {self.state})"

    def _geometry(self) -> tuple[QPainterPath, QPolygonF]:
        """A smooth curve (Catmull-Rom through the via points) from the bottom of u to the top of v,
        leaving and arriving vertically."""
        a, b = self.source.pos(), self.target.pos()
        sign = 1.0 if b.y() >= a.y() else -1.0
        start = QPointF(a.x(), a.y() + sign * self.source.rect.height() / 2)
        end = QPointF(b.x(), b.y() - sign * (self.target.rect.height() / 2 + 1))
        tip_base = QPointF(end.x(), end.y() - sign * self.ARROW)
        points = [start, *self.via, tip_base]
        tangents = [QPointF(0, 1.35 * (points[1].y() - start.y()))]
        tangents += [(points[i + 1] - points[i - 1]) / 2 for i in range(1, len(points) - 1)]
        tangents.append(QPointF(0, 1.35 * (tip_base.y() - points[-2].y())))
        path = QPainterPath(start)
        for i in range(len(points) - 1):
            path.cubicTo(points[i] + tangents[i] / 3, points[i + 1] - tangents[i + 1] / 3, points[i + 1])
        half = self.ARROW * 0.55
        head = QPolygonF([end, QPointF(end.x() - half, tip_base.y()), QPointF(end.x() + half, tip_base.y())])
        self._polyline = QPolygonF([start, *self.via, end])
        return path, head

    def set_state(self, state: str) -> None:
        if state != self.state:
            self.state = state
            self.update()

    def boundingRect(self) -> QRectF:
        return self._bounds

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        colour, width = {TODO: (EDGE_COLOR, 1.2), DONE: (DONE_COLOR, 1.6), CURRENT: (CURRENT_COLOR, 2.2)}[self.state]
        lod = QStyleOptionGraphicsItem.levelOfDetailFromTransform(painter.worldTransform())
        if lod * V_GAP < 3:  # rows under 3 screen pixels apart: an edge would only smudge the boxes
            return
        if lod * self.ARROW < 2:  # arrowheads under 2 screen pixels are noise: a plain 1-pixel polyline
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
            painter.setPen(QPen(colour, 0))
            painter.drawPolyline(self._polyline)
            return
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(colour, width))
        painter.drawPath(self._path)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawPolygon(self._head)


def _texts(node_id: str, attrs: dict) -> tuple[str, str, bool]:
    """(label, module line, is a parameter leaf) of one node."""
    module = attrs.get("module")
    param = attrs.get("param")
    label = attrs.get("label") or attrs.get("cls") or node_id
    if module is None:
        sub = ""
    elif module == "":
        sub = QApplication.translate("AutogradGraphView", "forward")
    else:
        sub = module
    return label, sub, param is not None


def _tooltip(attrs: dict) -> str:
    tr = lambda text: QApplication.translate("AutogradGraphView", text)  # noqa: E731
    lines = [attrs.get("cls") or ""]
    module = attrs.get("module")
    if module is not None:
        lines.append(tr("module: {0}").format(module or tr("forward (the model itself)")))
    if attrs.get("param") is not None:
        lines.append(tr("parameter: {0}").format(attrs["param"]))
    for name, value in attrs.get("saved") or ():
        lines.append(tr("saved {0}: {1}").format(name, _shape_text(value)))
    return "\n".join(lines)


def _pixel_positions(picture: GraphPicture, widths: dict[str, float], height: float) -> dict[str, tuple[float, float]]:
    """Layout units -> scene pixels. Rows (distinct y) are stacked one box height + V_GAP apart. x gets
    the smallest uniform scale at which every pair of row neighbours, at their own widths, keeps H_GAP
    between them; a left-to-right sweep per row then guarantees that whatever the layout's spacing."""
    rows: dict[float, list[str]] = {}
    for node_id in picture.node_ids:
        rows.setdefault(round(picture.positions[node_id][1], 6), []).append(node_id)
    for members in rows.values():
        members.sort(key=lambda n: picture.positions[n][0])
    scale_x = 1.0
    for members in rows.values():
        for a, b in zip(members, members[1:]):
            dx = picture.positions[b][0] - picture.positions[a][0]
            if dx > 1e-6:
                scale_x = max(scale_x, ((widths[a] + widths[b]) / 2 + H_GAP) / dx)
    result = {}
    for row, y in enumerate(sorted(rows)):
        right = -math.inf
        for node_id in rows[y]:
            half = widths[node_id] / 2
            cx = max(picture.positions[node_id][0] * scale_x, right + H_GAP + half)
            right = cx + half
            result[node_id] = (cx, row * (height + V_GAP))
    return result


class _EdgeRouter:
    """Finds where an edge that skips rows can cross each row in between without running through a box:
    at its straight-line x when that is free, else in the nearest gap between boxes."""

    CLEARANCE = 8.0

    def __init__(self, items: Sequence[GraphNodeItem]):
        rows: dict[float, list[tuple[float, float]]] = {}
        for item in items:
            half = item.rect.width() / 2
            rows.setdefault(item.y(), []).append((item.x() - half, item.x() + half))
        self._ys = sorted(rows)
        self._boxes = {y: sorted(boxes) for y, boxes in rows.items()}

    def via(self, source: GraphNodeItem, target: GraphNodeItem) -> list[QPointF]:
        y0, y1 = sorted((source.y(), target.y()))
        between = self._ys[bisect.bisect_right(self._ys, y0): bisect.bisect_left(self._ys, y1)]
        if source.y() > target.y():
            between.reverse()
        points = []
        for y in between:
            t = (y - source.y()) / (target.y() - source.y())
            points.append(QPointF(self._free_x(y, source.x() + t * (target.x() - source.x())), y))
        return points

    def _free_x(self, y: float, x: float) -> float:
        c = self.CLEARANCE
        boxes = self._boxes[y]
        if all(not (left - c < x < right + c) for left, right in boxes):
            return x
        candidates = [boxes[0][0] - c, boxes[-1][1] + c]  # left of the row, right of the row
        for (_, right), (left, _) in zip(boxes, boxes[1:]):  # the gaps inside the row
            if left - right >= 2 * c:
                candidates.append(min(max(x, right + c), left - c))
            else:
                candidates.append((right + left) / 2)
        return min(candidates, key=lambda candidate: abs(candidate - x))


class AutogradGraphView(QGraphicsView):
    """Pan with a drag, zoom with the wheel (around the cursor); click a node to pick it."""

    node_clicked = Signal(str)  # node id
    graph_changed = Signal()  # a new picture (or none) is drawn

    ZOOM_STEP = 1.25
    MIN_SCALE, MAX_SCALE, MAX_FIT_SCALE = 0.01, 4.0, 1.25

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._scene = QGraphicsScene(self)  # held here: a scene nobody references is deleted at once
        self.setScene(self._scene)
        self._picture: GraphPicture | None = None
        self._signature: tuple | None = None
        self._nodes: dict[str, GraphNodeItem] = {}
        self._edges: list[GraphEdgeItem] = []
        self._out_edges: dict[str, list[GraphEdgeItem]] = {}
        self._done_ids: Sequence[str] = ()
        self._done: set[str] = set()
        self._current: str | None = None
        self._selected: str | None = None
        self._auto_fit = True  # until the user zooms, the view keeps the whole graph in sight
        self._press_pos: QPoint | None = None
        self.setBackgroundBrush(QBrush(QColor("white")))
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.NoAnchor)  # wheel zoom anchors itself
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.BoundingRectViewportUpdate)
        self.setCacheMode(QGraphicsView.CacheModeFlag.CacheBackground)
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontAdjustForAntialiasing, True)
        self.setMinimumSize(160, 120)

    def __repr__(self) -> str:
        return f"AutogradGraphView({len(self._nodes)} nodes, current={self._current!r})"

    # ----- contents ----------------------------------------------------------------------------------
    @property
    def picture(self) -> GraphPicture | None:
        return self._picture

    @property
    def node_items(self) -> dict[str, GraphNodeItem]:
        return dict(self._nodes)

    @property
    def edge_items(self) -> list[GraphEdgeItem]:
        return list(self._edges)

    @property
    def selected_node(self) -> str | None:
        return self._selected

    def set_snapshot(self, snapshot: SessionSnapshot) -> None:
        self.set_graph(snapshot.graph)
        self.set_backward_state(snapshot.backward_done_ids, snapshot.current_node)

    def set_graph(self, picture: GraphPicture | None) -> None:
        if picture is self._picture:
            return
        self._picture = picture
        self._scene.clear()
        self._nodes, self._edges, self._out_edges = {}, [], {}
        self._done_ids, self._done, self._current, self._selected = (), set(), None, None
        if picture is None or not picture.node_ids:
            self._signature = None
            self._scene.setSceneRect(QRectF())
            self.viewport().update()
        else:
            self._build(picture)
            signature = tuple(sorted((str(a.get("label")), repr(a.get("module")), picture.positions[n])
                                     for n, a in picture.attrs.items()))
            if signature != self._signature or self._auto_fit:
                self.fit()  # a new shape of graph: show all of it; the same shape keeps the user's zoom
            self._signature = signature
        self.graph_changed.emit()

    def _build(self, picture: GraphPicture) -> None:
        fonts = _fonts()
        label_metrics, bold_metrics, sub_metrics = (QFontMetricsF(f) for f in fonts)
        height = PAD_Y * 2 + label_metrics.height() + LINE_GAP + sub_metrics.height()
        texts = {n: _texts(n, picture.attrs.get(n, {})) for n in picture.node_ids}
        widths = {}
        for node_id, (label, sub, is_param) in texts.items():
            label_width = (bold_metrics if is_param else label_metrics).horizontalAdvance(label)
            widths[node_id] = max(MIN_NODE_WIDTH, math.ceil(max(label_width, sub_metrics.horizontalAdvance(sub))) + 2 * PAD_X)
        positions = _pixel_positions(picture, widths, height)
        for node_id, (label, sub, is_param) in texts.items():
            attrs = picture.attrs.get(node_id, {})
            item = GraphNodeItem(node_id, label, sub, is_param, module_color(attrs.get("module")),
                                 (widths[node_id], height), fonts)
            item.setPos(*positions[node_id])
            self._nodes[node_id] = item
        router = _EdgeRouter(list(self._nodes.values()))
        for u, v in picture.edges:
            if u in self._nodes and v in self._nodes:
                source, target = self._nodes[u], self._nodes[v]
                edge = GraphEdgeItem(source, target, router.via(source, target))
                self._scene.addItem(edge)
                self._edges.append(edge)
                self._out_edges.setdefault(u, []).append(edge)
        for item in self._nodes.values():  # added after the edges, so boxes sit on top at equal z
            self._scene.addItem(item)
        bounds = self._scene.itemsBoundingRect()
        margin = max(bounds.width(), bounds.height()) * 0.02 + 20
        self._scene.setSceneRect(bounds.adjusted(-margin, -margin, margin, margin))

    # ----- backward state ----------------------------------------------------------------------------
    def set_backward_state(self, done_ids: Sequence[str], current: str | None) -> None:
        """Mark the nodes that already ran and the one running now; restyle only what changed."""
        if done_ids is self._done_ids and current == self._current:
            return
        done = set(done_ids)
        changed = (done ^ self._done) | {self._current, current}
        previous = self._current
        self._done_ids, self._done, self._current = done_ids, done, current
        for node_id in changed:
            item = self._nodes.get(node_id) if node_id is not None else None
            if item is None:
                continue
            state = CURRENT if node_id == current else DONE if node_id in done else TODO
            item.set_state(state)
            for edge in self._out_edges.get(node_id, ()):
                edge.set_state(state)
        if current != previous and self._text_hidden():
            for node_id in (previous, current):  # repaint where the zoomed-out ring was and will be
                if node_id in self._nodes:
                    self._scene.update(self._ring_rect(self._nodes[node_id]))
        if current is not None and current != previous and current in self._nodes:
            self.ensureVisible(self._nodes[current], 40, 40)  # scrolls only if it is out of sight

    # ----- selection ---------------------------------------------------------------------------------
    def select_node(self, node_id: str | None) -> None:
        if self._selected in self._nodes:
            self._nodes[self._selected].set_selected(False)
        self._selected = node_id if node_id in self._nodes else None
        if self._selected is not None:
            self._nodes[self._selected].set_selected(True)

    def node_tooltip(self, node_id: str) -> str:
        """Class, module, parameter and saved tensor shapes of one node."""
        return _tooltip(self._picture.attrs.get(node_id, {})) if node_id in self._nodes else ""

    def viewportEvent(self, event: QEvent) -> bool:
        # Tooltips are made when asked for rather than stored on thousands of items up front.
        if event.type() == QEvent.Type.ToolTip and self._nodes:
            item = self.node_at(event.pos())
            if item is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), self.node_tooltip(item.node_id), self.viewport())
            return True
        return super().viewportEvent(event)

    def node_at(self, viewport_pos) -> GraphNodeItem | None:
        for item in self.items(viewport_pos):
            if isinstance(item, GraphNodeItem):
                return item
        return None

    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._press_pos = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event) -> None:
        super().mouseReleaseEvent(event)
        if event.button() != Qt.MouseButton.LeftButton or self._press_pos is None:
            return
        pos, pressed_at, self._press_pos = event.position().toPoint(), self._press_pos, None
        if (pos - pressed_at).manhattanLength() >= QApplication.startDragDistance():
            return  # that was a pan, not a click
        item = self.node_at(pos)
        if item is not None:
            self.select_node(item.node_id)
            self.node_clicked.emit(item.node_id)

    # ----- zoom --------------------------------------------------------------------------------------
    def fit(self) -> None:
        """Show the whole graph (never blown up past MAX_FIT_SCALE for tiny graphs)."""
        self._auto_fit = True
        if not self._nodes:
            return
        rect = self._scene.sceneRect()
        self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)
        if self.transform().m11() > self.MAX_FIT_SCALE:
            self.setTransform(self.transform().fromScale(self.MAX_FIT_SCALE, self.MAX_FIT_SCALE))
            self.centerOn(rect.center())

    def zoom_in(self) -> None:
        self._zoom_at(self.ZOOM_STEP, self.viewport().rect().center())

    def zoom_out(self) -> None:
        self._zoom_at(1 / self.ZOOM_STEP, self.viewport().rect().center())

    @property
    def zoom(self) -> float:
        return self.transform().m11()

    def _zoom_at(self, factor: float, anchor: QPoint) -> None:
        """Scale by `factor`, keeping the scene point under viewport position `anchor` where it is.
        Done by hand: AnchorUnderMouse follows the last mouse move and the global cursor, not the wheel
        event's own position."""
        current = self.zoom
        target = min(self.MAX_SCALE, max(self.MIN_SCALE, current * factor))
        if math.isclose(target, current):
            return
        self._auto_fit = False
        fixed = self.mapToScene(anchor)
        self.scale(target / current, target / current)
        drift = self.mapFromScene(fixed) - anchor
        self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() + drift.x())
        self.verticalScrollBar().setValue(self.verticalScrollBar().value() + drift.y())

    def wheelEvent(self, event) -> None:
        steps = event.angleDelta().y() / 120.0
        if steps:
            self._zoom_at(self.ZOOM_STEP ** steps, event.position().toPoint())
        event.accept()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self._auto_fit:
            self.fit()

    def _text_hidden(self) -> bool:
        return self.zoom * LABEL_PX < MIN_READABLE_PX

    def _ring_rect(self, item: GraphNodeItem) -> QRectF:
        """The scene area the zoomed-out ring around `item` paints (radius plus half its pen)."""
        radius = (CURRENT_RING_PX + 3) / max(self.zoom, 1e-6)
        centre = item.scenePos()
        return QRectF(centre.x() - radius, centre.y() - radius, 2 * radius, 2 * radius)

    def drawForeground(self, painter: QPainter, rect: QRectF) -> None:
        super().drawForeground(painter, rect)
        if not self._nodes:
            self._draw_hint(painter)
        elif self._current in self._nodes and self._text_hidden():
            # boxes are a few pixels tall now: a ring of fixed screen size shows where backward is
            radius = CURRENT_RING_PX / self.zoom
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            painter.setPen(QPen(CURRENT_COLOR, 3.0 / self.zoom))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(self._nodes[self._current].scenePos(), radius, radius)

    def _draw_hint(self, painter: QPainter) -> None:
        painter.save()
        painter.resetTransform()
        painter.setPen(HINT_COLOR)
        area = self.viewport().rect().adjusted(24, 24, -24, -24)
        painter.drawText(area, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.tr(
            "The autograd graph appears when the loss is computed (or backward starts from the output)."))
        painter.restore()

    # ----- export ------------------------------------------------------------------------------------
    def export_png(self, path: str | os.PathLike) -> None:
        """The whole graph as a PNG at twice the scene resolution (less for huge graphs), on white."""
        target = self._check_target(path)
        source = self._export_rect()
        scale = min(2.0, math.sqrt(MAX_EXPORT_PIXELS / (source.width() * source.height())),
                    MAX_EXPORT_SIDE / source.width(), MAX_EXPORT_SIDE / source.height())
        image = QImage(QSize(math.ceil(source.width() * scale), math.ceil(source.height() * scale)),
                       QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(QColor("white"))
        painter = QPainter(image)
        painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self._render(painter, QRectF(image.rect()), source)
        painter.end()
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        if not image.save(buffer, "PNG"):
            raise OSError(errno.EIO, self.tr("Cannot write {0}: the PNG encoder failed").format(target))
        buffer.close()
        self._write(target, bytes(data))

    def export_svg(self, path: str | os.PathLike) -> None:
        """The whole graph as an SVG drawing (text stays text)."""
        target = self._check_target(path)
        source = self._export_rect()
        size = QSize(math.ceil(source.width()), math.ceil(source.height()))
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        generator = QSvgGenerator()
        generator.setOutputDevice(buffer)
        generator.setSize(size)
        generator.setViewBox(QRect(0, 0, size.width(), size.height()))
        generator.setResolution(96)  # so the drawing has its on-screen size in physical units too
        generator.setTitle(self.tr("Autograd graph"))
        painter = QPainter(generator)
        painter.fillRect(QRectF(0, 0, size.width(), size.height()), QColor("white"))
        self._render(painter, QRectF(0, 0, size.width(), size.height()), source)
        painter.end()
        buffer.close()
        self._write(target, bytes(data))

    def _render(self, painter: QPainter, target: QRectF, source: QRectF) -> None:
        """Paint the scene afresh: cached pixmaps are at screen resolution, and SVG text must stay text."""
        for item in self._nodes.values():
            item.setCacheMode(QGraphicsItem.CacheMode.NoCache)
        try:
            self._scene.render(painter, target, source)
        finally:
            for item in self._nodes.values():
                item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

    def _check_target(self, path: str | os.PathLike) -> Path:
        if not self._nodes:
            raise ValueError(self.tr("There is no graph to export yet."))
        target = Path(path)
        if not target.parent.is_dir():
            raise OSError(errno.ENOENT, self.tr("Cannot write {0}: the folder {1} does not exist").format(
                target, target.parent))
        return target

    def _export_rect(self) -> QRectF:
        bounds = self._scene.itemsBoundingRect()
        return bounds.adjusted(-EXPORT_MARGIN, -EXPORT_MARGIN, EXPORT_MARGIN, EXPORT_MARGIN)

    def _write(self, target: Path, data: bytes) -> None:
        try:
            atomic_write_bytes(target, data)
        except OSError as exc:
            reason = exc.strerror or str(exc)
            raise OSError(exc.errno, self.tr("Cannot write {0}: {1}").format(target, reason)) from exc
