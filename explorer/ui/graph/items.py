"""The items of the autograd graph scene: node boxes, module group boxes and the arrows between them.

A node's state is todo / done / current (the backward pass); search adds a yellow halo to matches.
Zoomed out until text would be unreadable, boxes paint as plain fills and arrows as one-pixel lines
(level of detail); arrows shorter than a pixel on screen are skipped.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPainterPathStroker, QPen, QPolygonF
from PySide6.QtWidgets import QApplication, QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from explorer.ui.palette import text_color_for

LABEL_PX = 12  # node label font size in scene pixels (at zoom 1)
SUBLABEL_PX = 10
GROUP_LABEL_PX = 14
MIN_READABLE_PX = 5  # below this on screen, text is skipped (level of detail)
PAD_X, PAD_Y, LINE_GAP = 10.0, 5.0, 1.0
MIN_NODE_WIDTH = 70.0
MIN_GROUP_WIDTH = 150.0
GROUP_PAD_Y = 9.0
STACK_OFFSET = 4.0  # a group box shows two cards behind it, offset by this much
HALO = 9.0  # room around a box for the current node's glow and the selection ring

TODO, DONE, CURRENT = "todo", "done", "current"
DONE_COLOR = QColor("#2b8a3e")
CURRENT_COLOR = QColor("#f76707")
SELECTED_COLOR = QColor("#1c7ed6")
MATCH_COLOR = QColor("#fcc419")
EDGE_COLOR = QColor("#8c8c8c")


class Fonts:
    """The scene's fonts, sized in pixels so the scene is DPI-independent."""

    def __init__(self) -> None:
        self.label = QFont(QApplication.font())
        self.label.setPixelSize(LABEL_PX)
        self.bold = QFont(self.label)
        self.bold.setBold(True)
        self.sub = QFont(self.label)
        self.sub.setPixelSize(SUBLABEL_PX)
        self.group = QFont(self.bold)
        self.group.setPixelSize(GROUP_LABEL_PX)
        self.label_height = QFontMetricsF(self.label).height()
        self.group_height = QFontMetricsF(self.group).height()

    def __repr__(self) -> str:
        return f"Fonts(label {LABEL_PX}px, sub {SUBLABEL_PX}px, group {GROUP_LABEL_PX}px)"


@functools.lru_cache(maxsize=256)
def _colours(rgb: int) -> tuple[QColor, QColor, QColor, QColor]:
    """(text, faded text, border, done fill) for a module colour; the done fill, tinted green, is what a
    node that already ran looks like when zoomed far out. Shared by every box of the module."""
    fill, t = QColor.fromRgb(rgb), 0.55
    text = text_color_for(fill)
    subtext = QColor(text)
    subtext.setAlpha(170)
    done = QColor(*(round((1 - t) * x + t * y) for x, y in zip(fill.getRgb()[:3], DONE_COLOR.getRgb()[:3])))
    return text, subtext, fill.darker(165), done


def level_of_detail(painter: QPainter) -> float:
    return QStyleOptionGraphicsItem.levelOfDetailFromTransform(painter.worldTransform())


class GraphNodeItem(QGraphicsItem):
    """One autograd node: a rounded box with its label and module; state todo / done / current."""

    is_group = False

    def __init__(self, node_id: str, label: str, sublabel: str, is_param: bool, fill: QColor,
                 size: tuple[float, float], fonts: Fonts):
        super().__init__()
        self.node_id = node_id
        self.label = label
        self.sublabel = sublabel
        self.is_param = is_param
        self._fill = fill
        self._text, self._subtext, self._border, self._done_fill = _colours(fill.rgb())
        w, h = size
        self._rect = QRectF(-w / 2, -h / 2, w, h)
        self._label_font = fonts.bold if is_param else fonts.label
        self._sub_font = fonts.sub
        self._label_h = fonts.label_height
        self.state = TODO
        self.selected = False
        self.matches = 0  # search matches this box stands for
        # text is the costly part: keep each box as a pixmap at the current zoom, so panning repaints nothing
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.node_id!r}, {self.label!r}, {self.state})"

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

    def set_matches(self, count: int) -> None:
        if count != self.matches:
            self.matches = count
            self.update()

    def box_fill(self) -> QColor:
        """The fill when zoomed far out: done boxes green-tinted (the module hue shows through), the current
        one orange."""
        return {TODO: self._fill, DONE: self._done_fill, CURRENT: CURRENT_COLOR}[self.state]

    def boundingRect(self) -> QRectF:
        return self._rect.adjusted(-HALO, -HALO, HALO, HALO)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRect(self._rect)
        return path

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        if level_of_detail(painter) * LABEL_PX < MIN_READABLE_PX:
            self._paint_box(painter)
        else:
            self._paint_full(painter)

    def _paint_box(self, painter: QPainter) -> None:
        """Zoomed far out: a plain box (the view rings the current node and the matches)."""
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.fillRect(self._rect, self.box_fill())
        if self.selected or self.matches:
            painter.setPen(QPen(SELECTED_COLOR if self.selected else MATCH_COLOR, 0))  # cosmetic: one pixel
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(self._rect)

    def _outline(self) -> QRectF:
        """What the halo, the glow and the selection ring go around."""
        return self._rect

    def _paint_full(self, painter: QPainter) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        rect = self._outline()
        radius = self._radius()
        if self.matches:  # a yellow ring close around the box, so the arrows between boxes stay visible
            painter.setPen(QPen(MATCH_COLOR, 4.0))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(rect.adjusted(-3.5, -3.5, 3.5, 3.5), radius + 3, radius + 3)
        painter.setPen(Qt.PenStyle.NoPen)
        if self.state == CURRENT:
            for i, alpha in enumerate((40, 70, 110)):  # a soft orange glow, outermost ring first
                glow = QColor(CURRENT_COLOR)
                glow.setAlpha(alpha)
                grow = HALO - 2 - 2.5 * i
                painter.setBrush(glow)
                painter.drawRoundedRect(rect.adjusted(-grow, -grow, grow, grow), radius + grow, radius + grow)
        if self.selected:
            painter.setPen(QPen(SELECTED_COLOR, 2.0, Qt.PenStyle.DashLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(rect.adjusted(-4.5, -4.5, 4.5, 4.5), radius + 4, radius + 4)
        self._paint_body(painter, self._rect, radius)
        if self.state == DONE:
            self._paint_check(painter)

    def _radius(self) -> float:
        return min(8.0, self._rect.height() / 4)

    def _state_pen(self) -> QPen:
        if self.state == CURRENT:
            return QPen(CURRENT_COLOR, 3.5)
        if self.state == DONE:
            return QPen(DONE_COLOR, 2.5)
        return QPen(self._border, 1.0)

    def _paint_body(self, painter: QPainter, rect: QRectF, radius: float) -> None:
        painter.setPen(self._state_pen())
        painter.setBrush(self._fill)
        painter.drawRoundedRect(rect, radius, radius)
        self._paint_texts(painter, rect.adjusted(PAD_X, PAD_Y, -PAD_X, -PAD_Y))

    def _paint_texts(self, painter: QPainter, text_rect: QRectF) -> None:
        label_rect = QRectF(text_rect.left(), text_rect.top(), text_rect.width(), self._label_h)
        painter.setPen(self._text)
        painter.setFont(self._label_font)
        painter.drawText(label_rect, Qt.AlignmentFlag.AlignCenter, self.label)
        sub_rect = QRectF(text_rect.left(), label_rect.bottom() + LINE_GAP, text_rect.width(),
                          text_rect.bottom() - label_rect.bottom() - LINE_GAP)
        painter.setPen(self._subtext)
        painter.setFont(self._sub_font)
        painter.drawText(sub_rect, Qt.AlignmentFlag.AlignCenter, self.sublabel)

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


class GroupNodeItem(GraphNodeItem):
    """A collapsed module: a bigger box drawn as a small stack of cards, with its name, node count and
    class, and a green bar for the share of its nodes that backward has run."""

    is_group = True

    def __init__(self, node_id: str, label: str, sublabel: str, count: int, fill: QColor,
                 size: tuple[float, float], fonts: Fonts):
        super().__init__(node_id, label, sublabel, False, fill, size, fonts)
        self.count = count
        self.done_count = 0
        self._label_font = fonts.group
        self._label_h = fonts.group_height
        self._card = fill.lighter(104)

    def _outline(self) -> QRectF:
        return self._rect.adjusted(0, 0, 2 * STACK_OFFSET, 2 * STACK_OFFSET)  # the cards behind too

    def boundingRect(self) -> QRectF:
        return self._outline().adjusted(-HALO, -HALO, HALO, HALO)

    def set_progress(self, done_count: int) -> None:
        if done_count != self.done_count:
            self.done_count = done_count
            self.update()

    def _radius(self) -> float:
        return 9.0

    def _paint_body(self, painter: QPainter, rect: QRectF, radius: float) -> None:
        painter.setPen(QPen(self._border, 1.0))
        painter.setBrush(self._card)
        for k in (2, 1):  # the cards behind, lower right
            offset = k * STACK_OFFSET
            painter.drawRoundedRect(rect.translated(offset, offset), radius, radius)
        pen = self._state_pen()
        if self.state == TODO:
            pen.setWidthF(1.6)
        painter.setPen(pen)
        painter.setBrush(self._fill)
        painter.drawRoundedRect(rect, radius, radius)
        if 0 < self.done_count < self.count:
            bar = QRectF(rect.left() + radius, rect.bottom() - 6, rect.width() - 2 * radius, 3)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(255, 255, 255, 200))
            painter.drawRect(bar)
            bar.setWidth(bar.width() * self.done_count / self.count)
            painter.setBrush(DONE_COLOR)
            painter.drawRect(bar)
        self._paint_texts(painter, rect.adjusted(PAD_X, GROUP_PAD_Y, -PAD_X, -GROUP_PAD_Y))
        if self.matches:
            self._paint_match_badge(painter)

    def _paint_match_badge(self, painter: QPainter) -> None:
        """A yellow badge on the top-left corner with the number of search matches inside."""
        text = str(self.matches)
        painter.setFont(self._sub_font)
        width = max(18.0, QFontMetricsF(self._sub_font).horizontalAdvance(text) + 10)
        badge = QRectF(self._rect.left() - 6, self._rect.top() - 9, width, 18)
        painter.setPen(QPen(MATCH_COLOR.darker(150), 1.0))
        painter.setBrush(MATCH_COLOR)
        painter.drawRoundedRect(badge, 9, 9)
        painter.setPen(QColor("black"))
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, text)


class GraphEdgeItem(QGraphicsItem):
    """A curved arrow u -> v, the way the gradient flows; green once u has sent it, orange while it does.
    An arrow that stands for several edges (between groups) is drawn thicker."""

    ARROW = 7.0

    def __init__(self, source: GraphNodeItem, target: GraphNodeItem, via: Sequence[QPointF] = (), multiplicity: int = 1):
        super().__init__()
        self.source, self.target = source, target
        self.via = tuple(via)  # points the edge passes through (its bends in the rows it crosses)
        self.multiplicity = multiplicity
        self.state = TODO
        self._geometry()
        self._extent = max(self._bounds.width(), self._bounds.height()) - 6

    def __repr__(self) -> str:
        return f"GraphEdgeItem({self.source.node_id!r} -> {self.target.node_id!r}, {self.state})"

    def _geometry(self) -> None:
        """A smooth curve (Catmull-Rom through the via points) from the bottom of u to the top of v,
        leaving and arriving vertically: its control points, in plain floats (thousands of edges are
        made at once; the QPainterPath waits for the first paint)."""
        a, b = self.source.pos(), self.target.pos()
        sign = 1.0 if b.y() >= a.y() else -1.0
        start = (a.x(), a.y() + sign * self.source.rect.height() / 2)
        end = (b.x(), b.y() - sign * (self.target.rect.height() / 2 + 1))
        tip_base = (end[0], end[1] - sign * self.ARROW)
        points = [start, *((p.x(), p.y()) for p in self.via), tip_base]
        tangents = [(0.0, 1.35 * (points[1][1] - start[1]))]
        tangents += [((points[i + 1][0] - points[i - 1][0]) / 2, (points[i + 1][1] - points[i - 1][1]) / 2)
                     for i in range(1, len(points) - 1)]
        tangents.append((0.0, 1.35 * (tip_base[1] - points[-2][1])))
        self._curve = []  # (control 1, control 2, end) per cubic piece
        for i in range(len(points) - 1):
            (px, py), (qx, qy) = points[i], points[i + 1]
            (tx, ty), (ux, uy) = tangents[i], tangents[i + 1]
            self._curve.append(((px + tx / 3, py + ty / 3), (qx - ux / 3, qy - uy / 3), (qx, qy)))
        half = self.ARROW * 0.55
        self._head_points = (end, (end[0] - half, tip_base[1]), (end[0] + half, tip_base[1]))
        self._points = [QPointF(*start), *self.via, QPointF(*end)]
        # the curve lies inside its control points' hull; the head inside its triangle
        xs = [start[0]] + [x for piece in self._curve for x, _ in piece] + [x for x, _ in self._head_points]
        ys = [start[1]] + [y for piece in self._curve for _, y in piece] + [y for _, y in self._head_points]
        self._bounds = QRectF(min(xs) - 3, min(ys) - 3, max(xs) - min(xs) + 6, max(ys) - min(ys) + 6)
        self._path: QPainterPath | None = None

    def _shapes(self) -> tuple[QPainterPath, QPolygonF]:
        if self._path is None:
            self._path = QPainterPath(self._points[0])
            for c1, c2, end in self._curve:
                self._path.cubicTo(QPointF(*c1), QPointF(*c2), QPointF(*end))
            self._head = QPolygonF([QPointF(*p) for p in self._head_points])
            self._polyline = QPolygonF(self._points)
        return self._path, self._head

    def shape(self) -> QPainterPath:
        """The curve widened to a few pixels, so that hovering picks the arrow under the cursor, not its box."""
        stroker = QPainterPathStroker()
        stroker.setWidth(8)
        path, head = self._shapes()
        outline = stroker.createStroke(path)
        outline.addPolygon(head)
        return outline

    def midpoint(self) -> QPointF:
        return self._shapes()[0].pointAtPercent(0.5)

    def polyline_points(self) -> list[QPointF]:
        """Start, bends and end: the arrow drawn as straight segments."""
        return list(self._points)

    def set_state(self, state: str) -> None:
        if state != self.state:
            self.state = state
            self.update()

    def boundingRect(self) -> QRectF:
        return self._bounds

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        lod = level_of_detail(painter)
        if lod * self._extent < 1:  # shorter than a pixel on screen: nothing to see
            return
        colour, width = {TODO: (EDGE_COLOR, 1.2), DONE: (DONE_COLOR, 1.6), CURRENT: (CURRENT_COLOR, 2.2)}[self.state]
        path, head = self._shapes()
        if lod * self.ARROW < 2:  # arrowheads under 2 screen pixels are noise: a plain 1-pixel polyline
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
            painter.setPen(QPen(colour, 0))
            painter.drawPolyline(self._polyline)
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(colour, width + min(self.multiplicity - 1, 3) * 0.8))
        painter.drawPath(path)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawPolygon(head)
