"""The autograd graph drawn as a scene: one box per grad_fn node (or per collapsed module), arrows the
way gradients flow.

What is shown is a quotient graph (explorer.core.graph_groups): the nodes outside collapsed modules,
and one group box per collapsed module. Big graphs open collapsed to their top-level modules; a
double-click or the context menu opens and closes modules. The scene is built once per picture and
collapsed set; a backward step then only restyles the boxes (and their outgoing arrows) whose state
changed, so stepping through a big graph stays cheap. Long edges run through the layout's bend points.
Zoomed out far enough that text would be unreadable, boxes paint as plain fills (level of detail).
"""

from __future__ import annotations

import errno
import math
import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QEvent, QIODevice, QPoint, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFontMetricsF, QImage, QPainter, QPen
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QApplication, QGraphicsItem, QGraphicsScene, QGraphicsView, QMenu, QToolTip, QWidget

from explorer.core.atomic import atomic_write_bytes
from explorer.core.graph_groups import GROUP_PREFIX, ModuleGrouping, QuotientGraph, is_group, matching_nodes
from explorer.core.snapshot import GraphPicture, SessionSnapshot
from explorer.ui.graph_items import (  # noqa: F401 (the colours and states are part of this module's API)
    CURRENT, CURRENT_COLOR, DONE, DONE_COLOR, GROUP_PAD_Y, LABEL_PX, LINE_GAP, MATCH_COLOR, MIN_GROUP_WIDTH,
    MIN_NODE_WIDTH, MIN_READABLE_PX, PAD_X, PAD_Y, TODO, Fonts, GraphEdgeItem, GraphNodeItem, GroupNodeItem,
)
from explorer.ui.graph_overview import GraphOverview
from explorer.ui.palette import module_color

H_GAP, V_GAP = 20.0, 30.0  # free space between neighbouring boxes; vertical room for the arrows
CURRENT_RING_PX = 11.0  # radius on screen of the ring around the current node when zoomed out
MATCH_RING_PX = 7.0
NEAR_PX = 6.0  # zoomed out, a click this close to a box picks it
MAX_MATCH_RINGS = 500
EXPORT_MARGIN = 16.0
MAX_EXPORT_PIXELS = 64_000_000  # a PNG of a huge graph is scaled down to stay within this
MAX_EXPORT_SIDE = 32_000  # PNG and QImage limit per side is 32,767
LAYOUT_CACHE = 16  # quotient layouts kept per graph, so going back and forth costs nothing
HINT_COLOR = QColor("#707070")

Positions = Mapping[str, tuple[float, float]]
Bends = Mapping[tuple[str, str], Sequence[tuple[float, float]]]


def _shape_text(value: object) -> str:
    if isinstance(value, (list, tuple)):
        return "\u00d7".join(str(d) for d in value) if value else "scalar"
    return str(value)


def _texts(node_id: str, attrs: Mapping) -> tuple[str, str, bool]:
    """(label, module line, is a parameter leaf) of one node."""
    module = attrs.get("module")
    label = attrs.get("label") or attrs.get("cls") or node_id
    sub = "" if module is None else QApplication.translate("AutogradGraphView", "forward") if module == "" else module
    return label, sub, attrs.get("param") is not None


def _group_texts(attrs: Mapping) -> tuple[str, str]:
    """(label, class line) of a collapsed module."""
    label = QApplication.translate("AutogradGraphView", "{0}  ({1} nodes)").format(attrs["label"], attrs["count"])
    return label, attrs.get("class") or ""


def _tooltip(attrs: Mapping) -> str:
    # literal QApplication.translate calls: pyside6-lupdate reads the context and text from them
    lines = [attrs.get("cls") or ""]
    module = attrs.get("module")
    if module is not None:
        itself = QApplication.translate("AutogradGraphView", "forward (the model itself)")
        lines.append(QApplication.translate("AutogradGraphView", "module: {0}").format(module or itself))
    if attrs.get("param") is not None:
        lines.append(QApplication.translate("AutogradGraphView", "parameter: {0}").format(attrs["param"]))
    for name, value in attrs.get("saved") or ():
        text = QApplication.translate("AutogradGraphView", "saved {0}: {1}")
        lines.append(text.format(name, _shape_text(value)))
    return "\n".join(lines)


def pixel_layout(positions: Positions, bends: Bends, sizes: Mapping[str, tuple[float, float]],
                 ) -> tuple[dict[str, tuple[float, float]], dict[tuple[str, str], list[tuple[float, float]]]]:
    """Layout units -> scene pixels, for the boxes' centres and the edges' bend points.

    Rows (distinct y, bend points included) stack with V_GAP between the tallest boxes of neighbouring
    rows. x gets the smallest uniform scale at which every pair of row neighbours, at their own widths
    (bend points have none), keeps H_GAP between them; a left-to-right sweep per row then guarantees
    that whatever the layout's spacing, so no box overlaps another or an edge passing through its row.
    """
    rows: dict[float, list[tuple[float, float, object]]] = {}  # y -> (layout x, width, node id or bend key)
    for node_id, (x, y) in positions.items():
        rows.setdefault(round(y, 6), []).append((x, sizes[node_id][0], node_id))
    for edge, points in bends.items():
        for k, (x, y) in enumerate(points):
            rows.setdefault(round(y, 6), []).append((x, 0.0, (edge, k)))
    scale_x = 1.0
    for entries in rows.values():
        entries.sort(key=lambda entry: entry[0])
        for (xa, wa, _), (xb, wb, _) in zip(entries, entries[1:]):
            if xb - xa > 1e-6:
                scale_x = max(scale_x, ((wa + wb) / 2 + H_GAP) / (xb - xa))
    default_height = min((h for _, h in sizes.values()), default=0.0)
    centres: dict[str, tuple[float, float]] = {}
    via: dict[tuple[str, str], list[tuple[float, float]]] = {edge: [] for edge in bends}
    top = 0.0
    for y in sorted(rows):
        entries = rows[y]
        height = max((sizes[key][1] for _, _, key in entries if isinstance(key, str)), default=default_height)
        cy = top + height / 2
        right = -math.inf
        for x, width, key in entries:
            cx = max(x * scale_x, right + H_GAP + width / 2)
            right = cx + width / 2
            if isinstance(key, str):
                centres[key] = (cx, cy)
            else:
                via[key[0]].append((cx, cy))
        top += height + V_GAP
    return centres, via


class AutogradGraphView(QGraphicsView):
    """Pan with a drag, zoom with the wheel (around the cursor); click a node to pick it, double-click a
    module box to open it, right-click for more."""

    node_clicked = Signal(str)  # node id (never a group's)
    graph_changed = Signal()  # a new picture (or none) is drawn
    groups_changed = Signal()  # modules opened or closed
    search_changed = Signal()  # matches or the current match changed

    ZOOM_STEP = 1.25
    MIN_SCALE, MAX_SCALE, MAX_FIT_SCALE = 0.01, 4.0, 1.25
    JUMP_SCALE = 1.0  # a search jump zooms in to at least this, so the match is readable

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._scene = QGraphicsScene(self)  # held here: a scene nobody references is deleted at once
        self._scene.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.BspTreeIndex)
        self.setScene(self._scene)
        self._picture: GraphPicture | None = None
        self._structure: tuple | None = None
        self._grouping: ModuleGrouping | None = None
        self._quotient: QuotientGraph | None = None
        self._layouts: dict[frozenset[str], tuple[Positions, Bends]] = {}
        self._nodes: dict[str, GraphNodeItem] = {}
        self._edges: list[GraphEdgeItem] = []
        self._out_edges: dict[str, list[GraphEdgeItem]] = {}
        self._overview: GraphOverview | None = None
        self._overview_on = False  # zoomed out: the items are hidden and the overview paints the background
        self._done_ids: Sequence[str] = ()
        self._done: set[str] = set()
        self._current: str | None = None
        self._selected: str | None = None
        self._query = ""
        self._reading_order: list[str] | None = None
        self._matches: list[str] = []
        self._match_index = -1
        self._auto_fit = True  # until the user zooms, the view keeps the whole graph in sight
        self._press_pos: QPoint | None = None
        self.setBackgroundBrush(QBrush(QColor("white")))
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.NoAnchor)  # wheel zoom anchors itself
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setCacheMode(QGraphicsView.CacheModeFlag.CacheBackground)
        # every item sets the pen, brush, font and antialiasing it paints with: no need to save and restore
        self.setOptimizationFlags(QGraphicsView.OptimizationFlag.DontAdjustForAntialiasing
                                  | QGraphicsView.OptimizationFlag.DontSavePainterState)
        self.setMinimumSize(160, 120)

    def __repr__(self) -> str:
        return f"AutogradGraphView({len(self._nodes)} boxes, current={self._current!r})"

    # ----- contents ----------------------------------------------------------------------------------
    @property
    def picture(self) -> GraphPicture | None:
        return self._picture

    @property
    def grouping(self) -> ModuleGrouping | None:
        return self._grouping

    @property
    def quotient(self) -> QuotientGraph | None:
        """What is shown: the nodes outside collapsed modules and one group per collapsed module."""
        return self._quotient

    @property
    def collapsed(self) -> frozenset[str]:
        return self._quotient.collapsed if self._quotient is not None else frozenset()

    @property
    def node_items(self) -> dict[str, GraphNodeItem]:
        """The boxes shown: node ids, and "group:<module>" for collapsed modules."""
        return dict(self._nodes)

    @property
    def edge_items(self) -> list[GraphEdgeItem]:
        return list(self._edges)

    @property
    def selected_node(self) -> str | None:
        return self._selected

    def shown_id(self, node_id: str) -> str | None:
        """The box that shows a node: its own, or its collapsed module's."""
        if self._quotient is None:
            return None
        return node_id if is_group(node_id) and node_id in self._nodes else self._quotient.shown_as.get(node_id)

    def item_for(self, node_id: str) -> GraphNodeItem | None:
        shown = self.shown_id(node_id)
        return self._nodes.get(shown) if shown is not None else None

    def set_snapshot(self, snapshot: SessionSnapshot) -> None:
        self.set_graph(snapshot.graph)
        self.set_backward_state(snapshot.backward_done_ids, snapshot.current_node)

    def set_graph(self, picture: GraphPicture | None) -> None:
        if picture is self._picture:
            return
        structure = None if picture is None else _structure(picture)
        self._picture = picture
        if structure is not None and structure == self._structure:
            # the next pass of the same model: same boxes, same zoom, same open modules; only the state resets
            self._grouping.attrs = picture.attrs
            self.set_backward_state((), None)
            self.graph_changed.emit()
            return
        self._structure = structure
        self._layouts = {}
        self._reading_order = None
        self._done_ids, self._done, self._current, self._selected = (), set(), None, None
        self._matches, self._match_index = [], -1
        if picture is None or not picture.node_ids:
            self._grouping = self._quotient = None
            self._clear_scene()
            self._scene.setSceneRect(QRectF())
            self.viewport().update()
        else:
            self._grouping = ModuleGrouping(picture.node_ids, picture.attrs, picture.edges, picture.module_classes)
            self._quotient = None
            self._show(self._grouping.default_collapsed())
            self.fit()
        if self._query:
            self.set_search(self._query)  # the same search in the new graph (or none left)
        self.graph_changed.emit()

    def _clear_scene(self) -> None:
        self._scene.clear()
        self._nodes, self._edges, self._out_edges = {}, [], {}
        self._overview = None
        self._overview_on = False

    # ----- modules: open and close ---------------------------------------------------------------------
    def set_collapsed(self, collapsed: frozenset[str], focus: str | None = None) -> None:
        """Show the graph with these modules collapsed; then bring `focus` (a node or group id) into view."""
        if self._grouping is None:
            return
        collapsed = frozenset(collapsed)
        if collapsed == self.collapsed:
            return
        self._show(collapsed)
        if self._auto_fit:
            self.fit()
        elif focus is not None:
            self._bring_into_view(focus)
        self.groups_changed.emit()

    def expand_group(self, prefix: str) -> None:
        if self._grouping is not None:
            members = self._quotient.members.get(GROUP_PREFIX + prefix, ())
            self.set_collapsed(self._grouping.expand(self.collapsed, prefix), members[0] if members else None)

    def expand_everything_inside(self, prefix: str) -> None:
        if self._grouping is not None:
            members = self._quotient.members.get(GROUP_PREFIX + prefix, ())
            inside = frozenset(p for p in self.collapsed if p == prefix or p.startswith(prefix + "."))
            self.set_collapsed(self.collapsed - inside, members[0] if members else None)

    def collapse_group(self, prefix: str) -> None:
        if self._grouping is not None:
            self.set_collapsed(self._grouping.collapse(self.collapsed, prefix), GROUP_PREFIX + prefix)

    def expand_all(self) -> None:
        self.set_collapsed(frozenset())

    def collapse_to_depth(self, depth: int) -> None:
        if self._grouping is not None:
            self.set_collapsed(self._grouping.at_depth(depth))

    def _show(self, collapsed: frozenset[str]) -> None:
        """Build the scene for the quotient graph of `collapsed` (laid out once, then cached)."""
        quotient = self._grouping.quotient(collapsed)
        layout = self._layouts.get(quotient.collapsed)
        if layout is None:
            if not quotient.collapsed:
                layout = (self._picture.positions, self._picture.bends)  # laid out on the engine thread
            else:
                layout = quotient.layout()
            if len(self._layouts) >= LAYOUT_CACHE:
                self._layouts.pop(next(iter(self._layouts)))
            self._layouts[quotient.collapsed] = layout
        self._quotient = quotient
        self._build(quotient, *layout)
        self._restyle(set(self._nodes))
        self._mark_matches()
        if self._selected is not None:
            self.select_node(self._selected)

    def _build(self, quotient: QuotientGraph, positions: Positions, bends: Bends) -> None:
        self._clear_scene()
        fonts = Fonts()
        label_metrics, bold_metrics, sub_metrics, group_metrics = (
            QFontMetricsF(f) for f in (fonts.label, fonts.bold, fonts.sub, fonts.group))
        height = PAD_Y * 2 + label_metrics.height() + LINE_GAP + sub_metrics.height()
        group_height = GROUP_PAD_Y * 2 + group_metrics.height() + LINE_GAP + sub_metrics.height()
        texts, sizes = {}, {}
        for node_id in quotient.node_ids:
            attrs = quotient.attrs[node_id]
            if node_id in quotient.members:
                label, sub = texts[node_id] = _group_texts(attrs)
                width = max(group_metrics.horizontalAdvance(label), sub_metrics.horizontalAdvance(sub))
                sizes[node_id] = (max(MIN_GROUP_WIDTH, math.ceil(width) + 2 * PAD_X), group_height)
            else:
                label, sub, is_param = texts[node_id] = _texts(node_id, attrs)
                width = max((bold_metrics if is_param else label_metrics).horizontalAdvance(label),
                            sub_metrics.horizontalAdvance(sub))
                sizes[node_id] = (max(MIN_NODE_WIDTH, math.ceil(width) + 2 * PAD_X), height)
        centres, via = pixel_layout(positions, bends, sizes)
        for node_id in quotient.node_ids:
            attrs = quotient.attrs[node_id]
            fill = module_color(attrs.get("module"))
            if node_id in quotient.members:
                label, sub = texts[node_id]
                item = GroupNodeItem(node_id, label, sub, attrs["count"], fill, sizes[node_id], fonts)
            else:
                label, sub, is_param = texts[node_id]
                item = GraphNodeItem(node_id, label, sub, is_param, fill, sizes[node_id], fonts)
            item.setPos(*centres[node_id])
            self._nodes[node_id] = item
        for (u, v), multiplicity in quotient.multiplicity.items():
            source, target = self._nodes[u], self._nodes[v]
            points = [QPointF(x, y) for x, y in via.get((u, v), ())]
            edge = GraphEdgeItem(source, target, points, multiplicity)
            self._scene.addItem(edge)
            self._edges.append(edge)
            self._out_edges.setdefault(u, []).append(edge)
        for item in self._nodes.values():  # added after the edges, so boxes sit on top at equal z
            self._scene.addItem(item)
        bounds = self._scene.itemsBoundingRect()
        margin = max(bounds.width(), bounds.height()) * 0.02 + 20
        self._scene.setSceneRect(bounds.adjusted(-margin, -margin, margin, margin))
        self._overview = GraphOverview(list(self._nodes.values()), self._edges)
        self._update_level_of_detail(force=True)

    def _bring_into_view(self, node_id: str) -> None:
        item = self.item_for(node_id)
        if item is not None:
            self.centerOn(item)

    # ----- backward state ----------------------------------------------------------------------------
    def set_backward_state(self, done_ids: Sequence[str], current: str | None) -> None:
        """Mark the nodes that already ran and the one running now; restyle only what changed. A node
        inside a collapsed module shows on its module's box (current, or a share of done)."""
        if done_ids is self._done_ids and current == self._current:
            return
        done = set(done_ids)
        changed = (done ^ self._done) | {self._current, current}
        previous = self.shown_id(self._current) if self._current is not None else None
        self._done_ids, self._done, self._current = done_ids, done, current
        if self._quotient is None:
            return
        self._restyle({self._quotient.shown_as.get(n) for n in changed if n is not None} - {None})
        shown = self.shown_id(current) if current is not None else None
        if shown != previous and self._text_hidden():
            for node_id in (previous, shown):  # repaint where the zoomed-out ring was and will be
                if node_id in self._nodes:
                    self._scene.update(self._ring_rect(self._nodes[node_id]))
        if shown is not None and shown != previous and shown in self._nodes:
            self.ensureVisible(self._nodes[shown], 40, 40)  # scrolls only if it is out of sight

    def _restyle(self, shown_ids: set[str]) -> None:
        current_shown = self._quotient.shown_as.get(self._current) if self._current is not None else None
        for node_id in shown_ids:
            item = self._nodes.get(node_id)
            if item is None:
                continue
            if item.is_group:
                done_count = sum(1 for m in self._quotient.members[node_id] if m in self._done)
                item.set_progress(done_count)
                finished = done_count == item.count
            else:
                finished = node_id in self._done
            state = CURRENT if node_id == current_shown else DONE if finished else TODO
            item.set_state(state)
            for edge in self._out_edges.get(node_id, ()):
                edge.set_state(state)
        if self._overview is not None:
            self._overview.restyle(shown_ids)
        self._refresh_overview()

    # ----- search ------------------------------------------------------------------------------------
    @property
    def search_matches(self) -> list[str]:
        return list(self._matches)

    @property
    def search_index(self) -> int:
        """Which match the last jump went to (-1: none yet)."""
        return self._match_index

    def set_search(self, query: str) -> int:
        """Highlight the nodes whose class, module or parameter name contains `query`; their number."""
        self._query = query
        self._matches = []
        if self._picture is not None:
            if self._reading_order is None:  # top to bottom, left to right in the fully open layout
                positions = self._picture.positions
                self._reading_order = sorted(self._picture.node_ids, key=lambda n: (positions[n][1], positions[n][0]))
            self._matches = matching_nodes(self._reading_order, self._picture.attrs, query)
        self._match_index = -1
        self._mark_matches()
        self.search_changed.emit()
        return len(self._matches)

    def next_match(self) -> str | None:
        return self._jump(+1)

    def previous_match(self) -> str | None:
        return self._jump(-1)

    def _jump(self, step: int) -> str | None:
        """Go to the next (previous) match: open the modules around it, select it and centre on it."""
        if not self._matches:
            return None
        self._match_index = (self._match_index + step) % len(self._matches) if self._match_index >= 0 else (
            0 if step > 0 else len(self._matches) - 1)
        node_id = self._matches[self._match_index]
        if self._quotient.shown_as.get(node_id) != node_id:
            self._show(self._grouping.reveal(self.collapsed, node_id))
            self.groups_changed.emit()
        self.select_node(node_id)
        if self.zoom < self.JUMP_SCALE:
            self.setTransform(self.transform().fromScale(self.JUMP_SCALE, self.JUMP_SCALE))
        self.centerOn(self._nodes[node_id])
        self.search_changed.emit()
        return node_id

    def _mark_matches(self) -> None:
        counts: dict[str, int] = {}
        if self._quotient is not None:
            for node_id in self._matches:
                shown = self._quotient.shown_as.get(node_id)
                if shown is not None:
                    counts[shown] = counts.get(shown, 0) + 1
        for node_id, item in self._nodes.items():
            item.set_matches(counts.get(node_id, 0))
        self.viewport().update()  # the zoomed-out rings

    # ----- selection, tooltips, clicks, menu ----------------------------------------------------------------
    def select_node(self, node_id: str | None) -> None:
        """Select a node (or group); a node inside a collapsed module selects the module's box."""
        previous = self.item_for(self._selected) if self._selected is not None else None
        if previous is not None:
            previous.set_selected(False)
        item = self.item_for(node_id) if node_id is not None else None
        self._selected = node_id if item is not None else None
        if item is not None:
            item.set_selected(True)
        if self._overview is not None:
            self._overview.select(item.node_id if item is not None else None)
        self._refresh_overview()

    def node_tooltip(self, node_id: str) -> str:
        """Class, module, parameter and saved tensor shapes of one node; name, class and size of a group."""
        if node_id not in self._nodes:
            return ""
        if node_id not in self._quotient.members:
            return _tooltip(self._picture.attrs.get(node_id, {}))
        attrs = self._quotient.attrs[node_id]
        item = self._nodes[node_id]
        lines = [attrs["label"] + (f" ({attrs['class']})" if attrs.get("class") else ""),
                 self.tr("{0} nodes inside, {1} run by backward").format(item.count, item.done_count)]
        if item.matches:
            lines.append(self.tr("{0} search matches inside").format(item.matches))
        lines.append(self.tr("Double-click to open"))
        return "\n".join(lines)

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
        if self._overview_on:  # the items are hidden: the box under the cursor, or one a few pixels away
            return self._overview.node_near(self.mapToScene(viewport_pos), NEAR_PX / self.zoom)
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
            if not item.is_group:  # a module box has nothing to inspect; double-click opens it
                self.node_clicked.emit(item.node_id)

    def mouseDoubleClickEvent(self, event) -> None:
        item = self.node_at(event.position().toPoint())
        if item is not None and item.is_group:
            self.expand_group(item.node_id[len(GROUP_PREFIX):])
            event.accept()
            return
        super().mouseDoubleClickEvent(event)

    def contextMenuEvent(self, event) -> None:
        if self._grouping is None:
            return
        item = self.node_at(event.pos())
        self.context_menu(item.node_id if item is not None else None).exec(event.globalPos())

    def context_menu(self, node_id: str | None) -> QMenu:
        """Open or close the modules at a box, or everything."""
        menu = QMenu(self)
        enclosing: list[str] = []
        if node_id is not None and is_group(node_id):
            prefix = node_id[len(GROUP_PREFIX):]
            menu.addAction(self.tr("Open {0}").format(prefix), lambda: self.expand_group(prefix))
            if self._grouping.children(prefix):
                menu.addAction(self.tr("Open everything inside {0}").format(prefix),
                               lambda: self.expand_everything_inside(prefix))
            member = self._quotient.members[node_id][0]
            enclosing = [p for p in self._grouping.enclosing(member) if prefix.startswith(p + ".")]
        elif node_id is not None:
            enclosing = self._grouping.enclosing(node_id)
        for prefix in enclosing:  # innermost first
            menu.addAction(self.tr("Close {0}").format(prefix), lambda p=prefix: self.collapse_group(p))
        if not menu.isEmpty():
            menu.addSeparator()
        menu.addAction(self.tr("Expand all"), self.expand_all)
        menu.addAction(self.tr("Collapse to top level"), lambda: self.collapse_to_depth(1))
        return menu

    # ----- zoom --------------------------------------------------------------------------------------
    def fit(self) -> None:
        """Show the whole graph (never blown up past MAX_FIT_SCALE for tiny graphs); it stays fitted
        through resizes until the user zooms."""
        if self._nodes:
            rect = self._scene.sceneRect()
            self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)
            if self.transform().m11() > self.MAX_FIT_SCALE:
                self.setTransform(self.transform().fromScale(self.MAX_FIT_SCALE, self.MAX_FIT_SCALE))
                self.centerOn(rect.center())
            self._update_level_of_detail()
        self._auto_fit = True

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
        fixed = self.mapToScene(anchor)
        self.scale(target / current, target / current)
        drift = self.mapFromScene(fixed) - anchor
        self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() + drift.x())
        self.verticalScrollBar().setValue(self.verticalScrollBar().value() + drift.y())

    # every way the zoom changes from Python passes here: the level of detail follows it, and a zoom
    # chosen by hand (or by a search jump) is kept when the view is resized
    def scale(self, sx: float, sy: float) -> None:
        super().scale(sx, sy)
        self._auto_fit = False
        self._update_level_of_detail()

    def setTransform(self, matrix, combine: bool = False) -> None:
        super().setTransform(matrix, combine)
        self._auto_fit = False
        self._update_level_of_detail()

    def resetTransform(self) -> None:
        super().resetTransform()
        self._auto_fit = False
        self._update_level_of_detail()

    def _update_level_of_detail(self, force: bool = False) -> None:
        """Below readable text, hide the items and let the overview paint everything in the background."""
        wanted = self._overview is not None and self._text_hidden()
        if wanted == self._overview_on and not force:
            return
        self._overview_on = wanted
        self._set_items_visible(not wanted)
        self._refresh_overview()

    def _set_items_visible(self, visible: bool) -> None:
        # one by one: a shared parent item would make Qt walk all its children on every paint
        for item in self._edges:
            item.setVisible(visible)
        for item in self._nodes.values():
            item.setVisible(visible)

    def _refresh_overview(self) -> None:
        if self._overview_on:
            self.resetCachedContent()  # the background pixmap holds the old picture
            self.viewport().update()

    def drawBackground(self, painter: QPainter, rect: QRectF) -> None:
        super().drawBackground(painter, rect)
        if self._overview_on:
            self._overview.paint(painter, rect, self.zoom)

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
            return
        if not self._text_hidden():
            return
        # boxes are a few pixels tall now: rings of fixed screen size show the matches and where backward is
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        shown_matches = {self._quotient.shown_as.get(n) for n in self._matches[:MAX_MATCH_RINGS]}
        if shown_matches:
            painter.setPen(QPen(MATCH_COLOR.darker(115), 2.5 / self.zoom))
            radius = MATCH_RING_PX / self.zoom
            for node_id in shown_matches:
                if node_id in self._nodes:
                    painter.drawEllipse(self._nodes[node_id].scenePos(), radius, radius)
        current = self.shown_id(self._current) if self._current is not None else None
        if current in self._nodes:
            painter.setPen(QPen(CURRENT_COLOR, 3.0 / self.zoom))
            radius = CURRENT_RING_PX / self.zoom
            painter.drawEllipse(self._nodes[current].scenePos(), radius, radius)

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
        """The graph as shown (modules collapsed or not) as a PNG at twice the scene resolution (less for
        huge graphs), on white."""
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
        """The graph as shown as an SVG drawing (text stays text)."""
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
        if self._overview_on:
            self._set_items_visible(True)  # the overview is the view's, not the scene's
        try:
            self._scene.render(painter, target, source)
        finally:
            if self._overview_on:
                self._set_items_visible(False)
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


def _structure(picture: GraphPicture) -> tuple:
    """What decides the boxes and arrows: the next pass of the same model gives the same."""
    return (picture.node_ids, picture.edges,
            tuple((a.get("label"), a.get("module")) for a in map(picture.attrs.get, picture.node_ids)),
            tuple(sorted(picture.module_classes.items())))
