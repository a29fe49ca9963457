"""A layered (Sugiyama-style) layout for DAGs such as autograd graphs, and a crossing count.

1. Layers (layout_layers): topological generations, so the loss of an autograd graph is at the top
   (y = layer * y_gap grows downward, as in a Qt scene); then side branches sink next to what they
   join.
2. Edges longer than one layer become chains of virtual nodes (layout_layers).
3. Crossing reduction, as dot does it (layout_order).
4. x (layout_x): sweeps that pull each node towards its neighbours; long edges run straight.

Crossings, as `count_crossings` defines them (layout_crossings): two edges cross when their straight
segments share a point and the edges share no endpoint. The orderings count the same between adjacent
layers of the virtual-node graph, which is what a drawing through `layered_layout_with_bends`' bends
shows.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

import networkx as nx

from explorer.core.layout.crossings import _segment_crossings, count_crossings  # noqa: F401 (public here)
from explorer.core.layout.layers import ProperGraph, Virtual
from explorer.core.layout.order import order_proper
from explorer.core.layout.coordinates import assign_x

__all__ = ["LayerOrdering", "Virtual", "count_crossings", "layered_layout", "layered_layout_with_bends", "order_layers"]

Bends = dict[tuple[Hashable, Hashable], list[tuple[float, float]]]


@dataclass
class LayerOrdering:
    """Each layer's nodes from left to right (Virtual nodes included) and its crossing counts."""

    layers: list[list[Hashable]]
    initial_crossings: int  # of the starting (depth-first) order
    crossings: int

    def __repr__(self) -> str:
        width = max((len(layer) for layer in self.layers), default=0)
        return (
            f"LayerOrdering({len(self.layers)} layers, width {width}, "
            f"crossings {self.initial_crossings} -> {self.crossings})"
        )


def layered_layout(graph: nx.DiGraph, *, x_gap: float = 1.0, y_gap: float = 1.0) -> dict[Hashable, tuple[float, float]]:
    """Positions (x, y) for every node: y = layer * y_gap (layer 0, the roots, at y = 0; y grows
    downward); x >= 0 with at least x_gap between neighbours in a layer."""
    return layered_layout_with_bends(graph, x_gap=x_gap, y_gap=y_gap)[0]


def layered_layout_with_bends(
    graph: nx.DiGraph, *, x_gap: float = 1.0, y_gap: float = 1.0
) -> tuple[dict[Hashable, tuple[float, float]], Bends]:
    """The layered layout's positions, and for each edge that spans more than one layer the points
    (one per layer it passes) where its virtual nodes sit: an edge drawn through them crosses only
    what the ordering counted, and never runs through a node."""
    proper = ProperGraph(graph)
    x = assign_x(proper, order_proper(proper)[0], x_gap)
    real, keys = len(proper.keys), proper.keys
    if real:
        x -= x[:real].min()
    x, y = x.tolist(), (proper.layer * y_gap).tolist()
    positions = {key: (x[i], y[i]) for i, key in enumerate(keys)}
    bends: Bends = {}
    for i, edge in enumerate(proper.virtual_edge, start=real):  # in order along each edge
        bends.setdefault((keys[proper.sources[edge]], keys[proper.targets[edge]]), []).append((x[i], y[i]))
    return positions, bends


def order_layers(graph: nx.DiGraph) -> LayerOrdering:
    """The crossing-reduced left-to-right order of every layer (the layout's second step)."""
    proper = ProperGraph(graph)
    layers, initial, best = order_proper(proper)
    return LayerOrdering([[proper.key_of(i) for i in layer] for layer in layers], initial, best)
