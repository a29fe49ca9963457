"""The autograd graph drawn as a scene: one box per grad_fn node (or per collapsed module), arrows the
way gradients flow.

What is shown is a quotient graph (explorer.core.autograd.module_groups): the nodes outside collapsed modules,
and one group box per collapsed module. Big graphs open collapsed to their top-level modules; a
double-click or the context menu opens and closes modules. The scene is built once per picture and
collapsed set; a backward step then only restyles the boxes (and their outgoing arrows) whose state
changed, so stepping through a big graph stays cheap. Long edges run through the layout's bend points.
Zoomed out far enough that text would be unreadable, boxes paint as plain fills (level of detail).

This file holds what the graph means to the view: the picture, which modules are open, the backward
state, the selection, search and clicks. Zoom and pan (graph_zoom_view), the scene and its painting
(graph_scene_view, graph_scene_builder, graph_pixel_layout, graph_box_texts, graph_overview,
graph_zoomed_out_rings), the search bookkeeping (graph_search), the context menu (graph_module_menu)
and export (graph_export) each live in their own file.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QPoint, QRectF, Qt, Signal
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QApplication, QMenu, QToolTip, QWidget

from explorer.core.autograd.module_groups import GROUP_PREFIX, ModuleGrouping, QuotientGraph, is_group
from explorer.core.snapshot import GraphPicture, SessionSnapshot
from explorer.ui.graph.box_texts import group_tooltip_text, node_tooltip_text
from explorer.ui.graph.edge_gradients import EdgeGradientOverlay
from explorer.ui.graph.items import CURRENT, DONE, TODO, GraphNodeItem
from explorer.ui.graph.module_menu import module_menu
from explorer.ui.graph.pixel_layout import Bends, Positions
from explorer.ui.graph.scene_view import GraphSceneView
from explorer.ui.graph.search import GraphSearch
from explorer.ui.graph.zoomed_out_rings import MAX_MATCH_RINGS, current_ring_rect, paint_rings

LAYOUT_CACHE = 16  # quotient layouts kept per graph, so going back and forth costs nothing


class AutogradGraphView(GraphSceneView):
    """Pan with a drag, zoom with the wheel (around the cursor); click a node to pick it, double-click a
    module box to open it, right-click for more."""

    node_clicked = Signal(str)  # node id (never a group's)
    graph_changed = Signal()  # a new picture (or none) is drawn
    groups_changed = Signal()  # modules opened or closed
    search_changed = Signal()  # matches or the current match changed

    JUMP_SCALE = 1.0  # a search jump zooms in to at least this, so the match is readable

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._picture: GraphPicture | None = None
        self._structure: tuple | None = None
        self._grouping: ModuleGrouping | None = None
        self._quotient: QuotientGraph | None = None
        self._layouts: dict[frozenset[str], tuple[Positions, Bends]] = {}
        self._done_ids: Sequence[str] = ()
        self._done: set[str] = set()
        self._current: str | None = None
        self._selected: str | None = None
        self._search = GraphSearch()
        self._press_pos: QPoint | None = None
        self.edge_gradients = EdgeGradientOverlay(self)

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
        # once backward is finished nothing runs: the last node is ticked like the others, not ringed
        running = snapshot.current_node if snapshot.phase != "backward done" else None
        self.set_backward_state(snapshot.backward_done_ids, running)
        self.edge_gradients.set_gradients(snapshot.edge_gradients, running)

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
        self._done_ids, self._done, self._current, self._selected = (), set(), None, None
        self._search.forget_picture()
        if picture is None or not picture.node_ids:
            self._grouping = self._quotient = None
            self._clear_scene()
            self.edge_gradients.forget_items()
            self._scene.setSceneRect(QRectF())
            self.viewport().update()
        else:
            self._grouping = ModuleGrouping(picture.node_ids, picture.attrs, picture.edges, picture.module_classes)
            self._quotient = None
            self._show(self._grouping.default_collapsed())
            self.fit()
        if self._search.query:
            self.set_search(self._search.query)  # the same search in the new graph (or none left)
        self.graph_changed.emit()

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
            self.fit(self._fit_whole)
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
        self.edge_gradients.forget_items()
        self._build_scene(quotient, *layout)
        self.edge_gradients.place_labels()
        self._restyle(set(self._nodes))
        self._mark_matches()
        if self._selected is not None:
            self.select_node(self._selected)

    def fit(self, whole: bool = False) -> None:
        """As ZoomPanView.fit; where a readable fit cannot show everything, the running node stays in sight."""
        super().fit(whole)
        shown = self.shown_id(self._current) if self._current is not None else None
        if shown in self._nodes:
            self.ensureVisible(self._nodes[shown], 40, 40)

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
                    self._scene.update(current_ring_rect(self._nodes[node_id], self.zoom))
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
        return list(self._search.matches)

    @property
    def search_index(self) -> int:
        """Which match the last jump went to (-1: none yet)."""
        return self._search.index

    def set_search(self, query: str) -> int:
        """Highlight the nodes whose class, module or parameter name contains `query`; their number."""
        self._search.find(self._picture, query)
        self._mark_matches()
        self.search_changed.emit()
        return len(self._search.matches)

    def highlight_nodes(self, node_ids) -> None:
        """Ring these nodes as search matches are ringed (the guided walk's grad_fn chain); the first comes into
        view. Another search, or the next pass's graph, replaces them."""
        known = self._picture.attrs if self._picture is not None else {}
        self._search.query, self._search.index = "", -1
        self._search.matches = [n for n in node_ids if n in known]
        self._mark_matches()
        if self._search.matches:
            self._bring_into_view(self._search.matches[0])
        self.search_changed.emit()

    def next_match(self) -> str | None:
        return self._jump(+1)

    def previous_match(self) -> str | None:
        return self._jump(-1)

    def _jump(self, step: int) -> str | None:
        """Go to the next (previous) match: open the modules around it, select it and centre on it."""
        node_id = self._search.step(step)
        if node_id is None:
            return None
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
        counts = self._search.counts_by_box(self._quotient.shown_as) if self._quotient is not None else {}
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
            return node_tooltip_text(self._picture.attrs.get(node_id, {}))
        item = self._nodes[node_id]
        return group_tooltip_text(self._quotient.attrs[node_id], item.count, item.done_count, item.matches)

    def viewportEvent(self, event: QEvent) -> bool:
        # Tooltips are made when asked for rather than stored on thousands of items up front.
        if event.type() == QEvent.Type.ToolTip and self._nodes:
            item = self.node_at(event.pos())
            if item is None:
                QToolTip.hideText()
                self.edge_gradients.show_tip(event.pos(), event.globalPos())  # an arrow's gradient, if any
            else:
                self.edge_gradients.tip.hide_tip()
                QToolTip.showText(event.globalPos(), self.node_tooltip(item.node_id), self.viewport())
            return True
        if event.type() in (QEvent.Type.Leave, QEvent.Type.MouseButtonPress, QEvent.Type.Wheel):
            self.edge_gradients.tip.hide_tip()
        elif event.type() == QEvent.Type.MouseMove and self.edge_gradients.tip.isVisible():
            self.edge_gradients.hide_off_edge(event.position().toPoint())
        return super().viewportEvent(event)

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
        return module_menu(self, node_id)

    def drawForeground(self, painter: QPainter, rect: QRectF) -> None:
        super().drawForeground(painter, rect)  # the hint while there is no graph
        if not self._nodes or not self._text_hidden():
            return
        shown_matches = (self._quotient.shown_as.get(n) for n in self._search.matches[:MAX_MATCH_RINGS])
        current = self.shown_id(self._current) if self._current is not None else None
        paint_rings(painter, self.zoom, self._nodes, shown_matches, current)


def _structure(picture: GraphPicture) -> tuple:
    """What decides the boxes and arrows: the next pass of the same model gives the same."""
    return (picture.node_ids, picture.edges,
            tuple((a.get("label"), a.get("module")) for a in map(picture.attrs.get, picture.node_ids)),
            tuple(sorted(picture.module_classes.items())))
