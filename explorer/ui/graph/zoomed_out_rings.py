"""The rings that mark search matches and the current backward node when the graph is zoomed far out.

Boxes are then a few pixels tall and their own highlights are invisible, so rings of a fixed size on
screen, painted over the scene, show where the matches are and where backward is.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPainter, QPen

from explorer.ui.graph.items import CURRENT_COLOR, MATCH_COLOR, GraphNodeItem

CURRENT_RING_PX = 11.0  # radius on screen of the ring around the current node when zoomed out
MATCH_RING_PX = 7.0
MAX_MATCH_RINGS = 500  # the first this many matches get a ring


def current_ring_rect(item: GraphNodeItem, zoom: float) -> QRectF:
    """The scene area the ring around the current `item` paints (radius plus half its pen)."""
    radius = (CURRENT_RING_PX + 3) / max(zoom, 1e-6)
    centre = item.scenePos()
    return QRectF(centre.x() - radius, centre.y() - radius, 2 * radius, 2 * radius)


def paint_rings(painter: QPainter, zoom: float, nodes: Mapping[str, GraphNodeItem], match_ids: Iterable[str | None],
                current_id: str | None) -> None:
    """A ring around each shown match box in `match_ids`, and a bigger one around the current box."""
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    match_ids = set(match_ids)
    if match_ids:
        painter.setPen(QPen(MATCH_COLOR.darker(115), 2.5 / zoom))
        radius = MATCH_RING_PX / zoom
        for node_id in match_ids:
            if node_id in nodes:
                painter.drawEllipse(nodes[node_id].scenePos(), radius, radius)
    if current_id in nodes:
        painter.setPen(QPen(CURRENT_COLOR, 3.0 / zoom))
        radius = CURRENT_RING_PX / zoom
        painter.drawEllipse(nodes[current_id].scenePos(), radius, radius)
