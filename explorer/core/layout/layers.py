"""Layers and virtual nodes: the first two steps of the layered layout.

Layers come from topological generations (layer 0 holds the nodes without predecessors); then, from
the bottom up, a node with at least as many edges out as in sinks next to its highest successor, so
side branches move next to what they join, as dot's network simplex would put them. An edge longer
than one layer becomes a chain of virtual nodes, one per layer it passes: the "proper" graph whose
edges all join adjacent layers.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

import networkx as nx
import numpy as np

NO_NEIGHBOUR, SEVERAL = -1, -2


@dataclass(frozen=True)
class Virtual:
    """A bend point of the long edge source -> target, in layer `layer`."""

    source: Hashable
    target: Hashable
    layer: int


class ProperGraph:
    """The DAG with integer nodes (the graph's, then virtual ones), layers, and one-layer segments."""

    def __init__(self, graph: nx.DiGraph):
        self.keys = list(graph.nodes)
        index = {key: i for i, key in enumerate(self.keys)}
        # flat int lists, not tuples: fewer objects for the garbage collector to walk on big graphs
        self.sources: list[int] = []
        self.targets: list[int] = []
        for u, successors in graph.succ.items():  # graph.edges() order, without building edge tuples
            i = index[u]
            for v in successors:
                self.sources.append(i)
                self.targets.append(index[v])
        layer = sunk_layers(len(self.keys), self.sources, self.targets)
        self.virtual_edge: list[int] = []  # the edge each virtual node bends, in order along it
        top: list[int] = []
        bottom: list[int] = []
        for edge, (u, v) in enumerate(zip(self.sources, self.targets)):
            previous = u
            for depth in range(layer[u] + 1, layer[v]):
                self.virtual_edge.append(edge)
                layer.append(depth)
                top.append(previous)
                previous = len(layer) - 1
                bottom.append(previous)
            top.append(previous)
            bottom.append(v)
        self.size = len(layer)
        self.layer = np.array(layer, dtype=np.int64)
        self.depth = int(self.layer.max()) + 1 if self.size else 0
        self.top = np.array(top, dtype=np.int64)
        self.bottom = np.array(bottom, dtype=np.int64)
        self.up: list[list[int]] = [[] for _ in range(self.size)]
        self.down: list[list[int]] = [[] for _ in range(self.size)]
        for t, b in zip(top, bottom):
            self.down[t].append(b)
            self.up[b].append(t)
        # the neighbour above (below) of nodes that have one; else NO_NEIGHBOUR or SEVERAL
        self.single_up = [nb[0] if len(nb) == 1 else SEVERAL if nb else NO_NEIGHBOUR for nb in self.up]
        self.single_down = [nb[0] if len(nb) == 1 else SEVERAL if nb else NO_NEIGHBOUR for nb in self.down]

    def __repr__(self) -> str:
        return f"ProperGraph({len(self.keys)} nodes + {self.size - len(self.keys)} virtual, {self.depth} layers)"

    def key_of(self, i: int) -> Hashable:
        real = len(self.keys)
        if i < real:
            return self.keys[i]
        edge = self.virtual_edge[i - real]
        return Virtual(self.keys[self.sources[edge]], self.keys[self.targets[edge]], int(self.layer[i]))

    def layers_in_order(self, pos: list[int]) -> list[list[int]]:
        layers: list[list[int]] = [[] for _ in range(self.depth)]
        for v, depth in enumerate(self.layer.tolist()):
            layers[depth].append(v)
        for layer in layers:
            layer.sort(key=pos.__getitem__)
        return layers


def sunk_layers(size: int, sources: list[int], targets: list[int]) -> list[int]:
    """Topological generations of nodes 0..size-1, then (bottom up) nodes with out-degree >= in-degree
    sink next to their highest successor: the total edge length shrinks or stays."""
    successors: list[list[int]] = [[] for _ in range(size)]
    in_degree = [0] * size
    for u, v in zip(sources, targets):
        successors[u].append(v)
        in_degree[v] += 1
    generations = _generations(successors, in_degree)
    layer = [0] * size
    for depth, generation in enumerate(generations):
        for v in generation:
            layer[v] = depth
    # one pass suffices: a node's successors have all settled before it is looked at
    for generation in reversed(generations):
        for v in generation:
            below = successors[v]
            if below and len(below) >= in_degree[v]:
                layer[v] = max(layer[v], min(layer[w] for w in below) - 1)
    return layer


def _generations(successors: list[list[int]], in_degree: list[int]) -> list[list[int]]:
    """Kahn's algorithm, a generation at a time (what nx.topological_generations does, on int lists)."""
    remaining = list(in_degree)
    current = [v for v, d in enumerate(remaining) if d == 0]
    generations, placed = [], 0
    while current:
        generations.append(current)
        placed += len(current)
        following = []
        for u in current:
            for v in successors[u]:
                remaining[v] -= 1
                if not remaining[v]:
                    following.append(v)
        current = following
    if placed < len(successors):
        raise ValueError("a layered layout needs a graph without cycles")
    return generations
