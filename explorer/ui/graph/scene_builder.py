"""Fill a scene with the boxes and arrows of one quotient graph (explorer.core.autograd.module_groups).

Box sizes come from their text, so they are measured first; the layout is then stretched to them
(graph_pixel_layout) and the items placed. A new set of open modules builds a new scene this way.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from PySide6.QtCore import QPointF
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QGraphicsScene

from explorer.core.autograd.module_groups import QuotientGraph
from explorer.ui.graph.box_texts import group_texts, node_texts
from explorer.ui.graph.items import (
    GROUP_PAD_Y, LINE_GAP, MIN_GROUP_WIDTH, MIN_NODE_WIDTH, PAD_X, PAD_Y, Fonts, GraphEdgeItem, GraphNodeItem,
    GroupNodeItem,
)
from explorer.ui.graph.pixel_layout import Bends, Positions, pixel_layout
from explorer.ui.palette import module_color


@dataclass
class GraphSceneItems:
    """The items a scene holds: boxes by shown id, every arrow, and the arrows leaving each box."""

    nodes: dict[str, GraphNodeItem] = field(default_factory=dict)
    edges: list[GraphEdgeItem] = field(default_factory=list)
    out_edges: dict[str, list[GraphEdgeItem]] = field(default_factory=dict)

    def __repr__(self) -> str:
        return f"GraphSceneItems({len(self.nodes)} boxes, {len(self.edges)} arrows)"


def build_graph_scene(scene: QGraphicsScene, quotient: QuotientGraph, positions: Positions, bends: Bends,
                      ) -> GraphSceneItems:
    """Add the boxes and arrows of `quotient` to the (empty) `scene` and set its rect with a margin."""
    fonts = Fonts()
    label_metrics, bold_metrics, sub_metrics, group_metrics = (
        QFontMetricsF(f) for f in (fonts.label, fonts.bold, fonts.sub, fonts.group))
    height = PAD_Y * 2 + label_metrics.height() + LINE_GAP + sub_metrics.height()
    group_height = GROUP_PAD_Y * 2 + group_metrics.height() + LINE_GAP + sub_metrics.height()
    texts, sizes = {}, {}
    for node_id in quotient.node_ids:
        attrs = quotient.attrs[node_id]
        if node_id in quotient.members:
            label, sub = texts[node_id] = group_texts(attrs)
            width = max(group_metrics.horizontalAdvance(label), sub_metrics.horizontalAdvance(sub))
            sizes[node_id] = (max(MIN_GROUP_WIDTH, math.ceil(width) + 2 * PAD_X), group_height)
        else:
            label, sub, is_param = texts[node_id] = node_texts(node_id, attrs)
            width = max((bold_metrics if is_param else label_metrics).horizontalAdvance(label),
                        sub_metrics.horizontalAdvance(sub))
            sizes[node_id] = (max(MIN_NODE_WIDTH, math.ceil(width) + 2 * PAD_X), height)
    centres, via = pixel_layout(positions, bends, sizes)
    items = GraphSceneItems()
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
        items.nodes[node_id] = item
    for (u, v), multiplicity in quotient.multiplicity.items():
        source, target = items.nodes[u], items.nodes[v]
        points = [QPointF(x, y) for x, y in via.get((u, v), ())]
        edge = GraphEdgeItem(source, target, points, multiplicity)
        scene.addItem(edge)
        items.edges.append(edge)
        items.out_edges.setdefault(u, []).append(edge)
    for item in items.nodes.values():  # added after the edges, so boxes sit on top at equal z
        scene.addItem(item)
    bounds = scene.itemsBoundingRect()
    margin = max(bounds.width(), bounds.height()) * 0.02 + 20
    scene.setSceneRect(bounds.adjusted(-margin, -margin, margin, margin))
    return items
