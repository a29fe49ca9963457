"""The view's scene of boxes and arrows, and how it is painted: the items themselves when text is
readable, the batched overview (graph_overview) in the cached background when zoomed out further.

Knows nothing of modules, backward or search: the autograd graph view (graph_view) builds on it. Also
paints the hint shown before there is a graph, and exports the scene as PNG or SVG.
"""

from __future__ import annotations

import os

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter
from PySide6.QtWidgets import QApplication, QGraphicsItem, QGraphicsScene, QGraphicsView, QWidget

from explorer.core.autograd.module_groups import QuotientGraph
from explorer.ui.graph.export import export_rect, export_target, write_png, write_svg
from explorer.ui.graph.items import LABEL_PX, MIN_READABLE_PX, GraphEdgeItem, GraphNodeItem
from explorer.ui.graph.overview import GraphOverview
from explorer.ui.graph.pixel_layout import Bends, Positions
from explorer.ui.graph.scene_builder import build_graph_scene
from explorer.ui.graph.zoom_view import ZoomPanView

NEAR_PX = 6.0  # zoomed out, a click this close to a box picks it
HINT_COLOR = QColor("#707070")


class GraphSceneView(ZoomPanView):
    """Boxes and arrows on white, with a level of detail that follows the zoom."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._scene = QGraphicsScene(self)  # held here: a scene nobody references is deleted at once
        self._scene.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.BspTreeIndex)
        self.setScene(self._scene)
        self._nodes: dict[str, GraphNodeItem] = {}
        self._edges: list[GraphEdgeItem] = []
        self._out_edges: dict[str, list[GraphEdgeItem]] = {}
        self._overview: GraphOverview | None = None
        self._overview_on = False  # zoomed out: the items are hidden and the overview paints the background
        self.setBackgroundBrush(QBrush(QColor("white")))
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setCacheMode(QGraphicsView.CacheModeFlag.CacheBackground)
        # every item sets the pen, brush, font and antialiasing it paints with: no need to save and restore
        self.setOptimizationFlags(QGraphicsView.OptimizationFlag.DontAdjustForAntialiasing
                                  | QGraphicsView.OptimizationFlag.DontSavePainterState)
        self.setMinimumSize(160, 120)

    def __repr__(self) -> str:
        return f"GraphSceneView({len(self._nodes)} boxes, zoomed out={self._overview_on})"

    @property
    def node_items(self) -> dict[str, GraphNodeItem]:
        """The boxes shown: node ids, and "group:<module>" for collapsed modules."""
        return dict(self._nodes)

    @property
    def edge_items(self) -> list[GraphEdgeItem]:
        return list(self._edges)

    def _has_contents(self) -> bool:
        return bool(self._nodes)

    def _clear_scene(self) -> None:
        self._scene.clear()
        self._nodes, self._edges, self._out_edges = {}, [], {}
        self._overview = None
        self._overview_on = False

    def _build_scene(self, quotient: QuotientGraph, positions: Positions, bends: Bends) -> None:
        """Replace the scene's items by the boxes and arrows of `quotient`."""
        self._clear_scene()
        items = build_graph_scene(self._scene, quotient, positions, bends)
        self._nodes, self._edges, self._out_edges = items.nodes, items.edges, items.out_edges
        modules = [quotient.attrs.get(node_id, {}).get("module") for node_id in self._nodes]
        self._overview = GraphOverview(list(self._nodes.values()), self._edges, modules)
        self._update_level_of_detail(force=True)

    def node_at(self, viewport_pos) -> GraphNodeItem | None:
        if self._overview_on:  # the items are hidden: the box under the cursor, or one a few pixels away
            return self._overview.node_near(self.mapToScene(viewport_pos), NEAR_PX / self.zoom)
        for item in self.items(viewport_pos):
            if isinstance(item, GraphNodeItem):
                return item
        return None

    # ----- level of detail ---------------------------------------------------------------------------
    def _zoom_changed(self) -> None:
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

    def _text_hidden(self) -> bool:
        return self.zoom * LABEL_PX < MIN_READABLE_PX

    def drawBackground(self, painter: QPainter, rect: QRectF) -> None:
        super().drawBackground(painter, rect)
        if self._overview_on:
            self._overview.paint(painter, rect, self.zoom)

    def drawForeground(self, painter: QPainter, rect: QRectF) -> None:
        super().drawForeground(painter, rect)
        if not self._nodes:
            self._draw_hint(painter)

    def _draw_hint(self, painter: QPainter) -> None:
        painter.save()
        painter.resetTransform()
        painter.setPen(HINT_COLOR)
        area = self.viewport().rect().adjusted(24, 24, -24, -24)
        # the context of the view this text has always been translated in
        painter.drawText(area, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, QApplication.translate(
            "AutogradGraphView",
            "The autograd graph appears when the loss is computed (or backward starts from the output)."))
        painter.restore()

    # ----- export ------------------------------------------------------------------------------------
    def export_png(self, path: str | os.PathLike) -> None:
        """The graph as shown (modules collapsed or not) as a PNG at twice the scene resolution (less for
        huge graphs), on white."""
        target = export_target(path, bool(self._nodes))
        write_png(target, export_rect(self._scene), self._render)

    def export_svg(self, path: str | os.PathLike) -> None:
        """The graph as shown as an SVG drawing (text stays text)."""
        target = export_target(path, bool(self._nodes))
        write_svg(target, export_rect(self._scene), self._render)

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
