"""A layered (Sugiyama-style) layout for DAGs such as autograd graphs, and a crossing count.

1. Layers: `nx.topological_generations` (layer 0 holds the nodes without predecessors, so the loss
   of an autograd graph is at the top; y = layer * y_gap grows downward, as in a Qt scene). Then,
   from the bottom up, a node with at least as many edges out as in sinks next to its highest
   successor: side branches move next to what they join, as dot's network simplex would put them.
2. Edges longer than one layer become chains of virtual nodes.
3. Crossing reduction, as dot does it: from a depth-first order taken from the top and one from the
   bottom, weighted-median sweeps alternating down and up, each followed by adjacent swaps
   (transpose); the best ordering seen wins.
4. x: sweeps down and up that pull each node to the weighted mean of its neighbours on the side
   already placed, then put the layer back in order with x_gap spacing at the least weighted
   displacement; virtual chains weigh most, so long edges run straight.

Crossings, as `count_crossings` defines them: two edges cross when their straight segments share a
point and the edges share no endpoint. The orderings count the same between adjacent layers of the
virtual-node graph, which is what a drawing through `layered_layout_with_bends`' bends shows.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass

import networkx as nx
import numpy as np

_FIRST_SWEEPS = 4  # sweeps from each of the two starting orders
_MAX_SWEEPS = 24  # sweeps from the better one
_PATIENCE = 8  # sweeps without a clear gain (below _CONVERGENCE times the best) before stopping
_CONVERGENCE = 0.995
_NO_NEIGHBOUR, _SEVERAL = -1, -2
# passes of adjacent swaps after each sweep: 12 up to this many (virtual included) nodes, fewer above
_TRANSPOSE_PASSES = 12
_TRANSPOSE_FULL_SIZE = 5000
_X_SWEEPS = ("down", "up", "down", "up", "both")
# dot's edge weights for straightening: real-real 1, real-virtual 2, virtual-virtual 8
_WEIGHTS = (1.0, 2.0, 8.0)


@dataclass(frozen=True)
class Virtual:
    """A bend point of the long edge source -> target, in layer `layer`."""

    source: Hashable
    target: Hashable
    layer: int


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
) -> tuple[dict[Hashable, tuple[float, float]], dict[tuple[Hashable, Hashable], list[tuple[float, float]]]]:
    """The layered layout's positions, and for each edge that spans more than one layer the points
    (one per layer it passes) where its virtual nodes sit: an edge drawn through them crosses only
    what the ordering counted, and never runs through a node."""
    proper = _ProperGraph(graph)
    x = _assign_x(proper, _order(proper)[0], x_gap)
    real, keys = len(proper.keys), proper.keys
    if real:
        x -= x[:real].min()
    x, y = x.tolist(), (proper.layer * y_gap).tolist()
    positions = {key: (x[i], y[i]) for i, key in enumerate(keys)}
    bends: dict[tuple[Hashable, Hashable], list[tuple[float, float]]] = {}
    for i, edge in enumerate(proper.virtual_edge, start=real):  # in order along each edge
        bends.setdefault((keys[proper.sources[edge]], keys[proper.targets[edge]]), []).append((x[i], y[i]))
    return positions, bends


def order_layers(graph: nx.DiGraph) -> LayerOrdering:
    """The crossing-reduced left-to-right order of every layer (the layout's second step)."""
    proper = _ProperGraph(graph)
    layers, initial, best = _order(proper)
    return LayerOrdering([[proper.key_of(i) for i in layer] for layer in layers], initial, best)


class _ProperGraph:
    """The DAG with integer nodes (the graph's, then virtual ones), layers, and one-layer segments."""

    def __init__(self, graph: nx.DiGraph):
        self.keys = list(graph.nodes)
        index = {key: i for i, key in enumerate(self.keys)}
        # flat int lists, not tuples: fewer objects for the garbage collector to walk on big graphs
        self.sources = [index[u] for u, _ in graph.edges()]
        self.targets = [index[v] for _, v in graph.edges()]
        layer = _sunk_layers(graph, index, self.sources, self.targets)
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
        # the neighbour above (below) of nodes that have one; else _NO_NEIGHBOUR or _SEVERAL
        self.single_up = [_single(nb) for nb in self.up]
        self.single_down = [_single(nb) for nb in self.down]

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


def _single(neighbours: list[int]) -> int:
    return neighbours[0] if len(neighbours) == 1 else _NO_NEIGHBOUR if not neighbours else _SEVERAL


def _sunk_layers(graph: nx.DiGraph, index: dict[Hashable, int], sources: list[int], targets: list[int]) -> list[int]:
    """Topological generations, then (bottom up) nodes with out-degree >= in-degree sink next to
    their highest successor: the total edge length shrinks or stays."""
    layer = [0] * len(index)
    try:
        generations = [[index[key] for key in generation] for generation in nx.topological_generations(graph)]
    except nx.NetworkXUnfeasible:
        raise ValueError("a layered layout needs a graph without cycles") from None
    for depth, generation in enumerate(generations):
        for v in generation:
            layer[v] = depth
    successors: list[list[int]] = [[] for _ in layer]
    in_degree = [0] * len(layer)
    for u, v in zip(sources, targets):
        successors[u].append(v)
        in_degree[v] += 1
    # one pass suffices: a node's successors have all settled before it is looked at
    for generation in reversed(generations):
        for v in generation:
            below = successors[v]
            if below and len(below) >= in_degree[v]:
                layer[v] = max(layer[v], min(layer[w] for w in below) - 1)
    return layer


def _order(proper: _ProperGraph) -> tuple[list[list[int]], int, int]:
    """Layers as lists of node indices, with the crossings of the initial and of the best order:
    a few sweeps from each starting order, then more from the better one."""
    counter = _CrossingCounter(proper)
    from_top = _positions(_depth_first_layers(proper, from_top=True), proper.size)
    initial = best = counter.count(from_top)
    best_pos = from_top
    for start in (from_top, _positions(_depth_first_layers(proper, from_top=False), proper.size)):
        pos, crossings = _reduce_crossings(proper, start, counter, _FIRST_SWEEPS)
        if crossings < best:
            best_pos, best = pos, crossings
    if best > 0:
        best_pos, best = _reduce_crossings(proper, best_pos, counter, _MAX_SWEEPS)
    return proper.layers_in_order(best_pos), initial, best


def _reduce_crossings(
    proper: _ProperGraph, start: list[int], counter: _CrossingCounter, sweeps: int
) -> tuple[list[int], int]:
    """Median sweeps, alternating down and up, each followed by transpose; the best positions seen."""
    pos = list(start)
    layers = proper.layers_in_order(pos)
    best_pos, best = start, counter.count(pos)
    # on big graphs fewer swap passes: a little quality for bounded time
    passes = max(3, _TRANSPOSE_PASSES * _TRANSPOSE_FULL_SIZE // max(proper.size, _TRANSPOSE_FULL_SIZE))
    stale = 0
    for sweep in range(sweeps):
        if best == 0 or stale >= _PATIENCE:
            break
        downward = sweep % 2 == 0
        order = range(1, proper.depth) if downward else range(proper.depth - 2, -1, -1)
        neighbours = proper.up if downward else proper.down
        for li in order:
            _sort_layer(layers[li], neighbours, pos)
        # like dot, every other pair of sweeps also swaps ties, to drift off plateaus
        _transpose(layers, proper, pos, swap_ties=sweep % 4 < 2, passes=passes)
        crossings = counter.count(pos)
        if crossings < best:
            stale = 0 if crossings < _CONVERGENCE * best else stale + 1
            best, best_pos = crossings, list(pos)
        else:
            stale += 1
    return best_pos, best


def _positions(layers: list[list[int]], size: int) -> list[int]:
    pos = [0] * size
    for layer in layers:
        for i, v in enumerate(layer):
            pos[v] = i
    return pos


def _depth_first_layers(proper: _ProperGraph, from_top: bool) -> list[list[int]]:
    """A starting order: nodes in the order depth-first walks meet them, which keeps subtrees
    together. From the top the walks start at the nodes without predecessors, highest first (a
    sunk root is one of them); from the bottom at those without successors, lowest first."""
    layers: list[list[int]] = [[] for _ in range(proper.depth)]
    layer = proper.layer.tolist()
    onward, backward = (proper.down, proper.up) if from_top else (proper.up, proper.down)
    starts = [v for v in range(proper.size) if not backward[v]]
    starts.sort(key=layer.__getitem__, reverse=not from_top)
    seen = [False] * proper.size
    for start in starts:
        stack = [start]
        while stack:
            v = stack.pop()
            if seen[v]:
                continue
            seen[v] = True
            layers[layer[v]].append(v)
            stack.extend(reversed(onward[v]))
    return layers


def _median(positions: list[int]) -> float:
    """dot's weighted median: for an even count, lean towards the side whose neighbours sit closer."""
    p = sorted(positions)
    m = len(p) // 2
    if len(p) % 2 == 1:
        return float(p[m])
    if len(p) == 2:
        return (p[0] + p[1]) / 2
    left, right = p[m - 1] - p[0], p[-1] - p[m]
    if left + right == 0:
        return (p[m - 1] + p[m]) / 2
    return (p[m - 1] * right + p[m] * left) / (left + right)


def _sort_layer(layer: list[int], neighbours: list[list[int]], pos: list[int]) -> None:
    """Sort a layer's nodes by the median position of their neighbours in the layer just placed;
    nodes without neighbours there keep their slots."""
    if len(layer) < 2:
        return
    slots, keys = [], []
    for i, v in enumerate(layer):
        nb = neighbours[v]
        if nb:
            slots.append(i)
            keys.append(_median([pos[u] for u in nb]) if len(nb) > 1 else float(pos[nb[0]]))
    movable = [layer[i] for i in slots]
    for slot, k in zip(slots, sorted(range(len(slots)), key=keys.__getitem__)):
        v = movable[k]
        layer[slot] = v
        pos[v] = slot


def _transpose(layers: list[list[int]], proper: _ProperGraph, pos: list[int], swap_ties: bool, passes: int) -> None:
    """Swap neighbours in a layer while that lowers the crossings with both adjacent layers (or,
    with swap_ties, keeps them equal but non-zero: like dot, to drift off plateaus); only layers
    next to a swap are looked at again."""
    up, down = proper.up, proper.down
    up_one, down_one = proper.single_up, proper.single_down
    depth = len(layers)
    pending = [len(layer) > 1 for layer in layers]
    for _ in range(passes):  # strict gains would end it anyway; this bounds the work
        gained = 0
        for li in range(depth):
            if not pending[li]:
                continue
            pending[li] = False
            layer = layers[li]
            for i in range(len(layer) - 1):
                v, w = layer[i], layer[i + 1]
                keep = swap = 0
                # most nodes (virtual ones, chains) have one neighbour on a side: compare directly
                a, b = up_one[v], up_one[w]
                if a >= 0 and b >= 0:
                    pa, pb = pos[a], pos[b]
                    keep, swap = pa > pb, pa < pb
                elif a != _NO_NEIGHBOUR and b != _NO_NEIGHBOUR:
                    keep, swap = _pair_crossings(up[v], up[w], pos)
                a, b = down_one[v], down_one[w]
                if a >= 0 and b >= 0:
                    pa, pb = pos[a], pos[b]
                    keep += pa > pb
                    swap += pa < pb
                elif a != _NO_NEIGHBOUR and b != _NO_NEIGHBOUR:
                    below = _pair_crossings(down[v], down[w], pos)
                    keep += below[0]
                    swap += below[1]
                if swap < keep or (swap_ties and swap == keep > 0):
                    gained += keep - swap
                    layer[i], layer[i + 1] = w, v
                    pos[v], pos[w] = i + 1, i
                    pending[li] = True
                    if li:
                        pending[li - 1] = True
                    if li + 1 < depth:
                        pending[li + 1] = True
        if gained == 0:
            return


def _pair_crossings(left: list[int], right: list[int], pos: list[int]) -> tuple[int, int]:
    """Crossings between the edges of two neighbouring nodes to one side, as they stand and swapped."""
    keep = swap = 0
    for a in left:
        pa = pos[a]
        for b in right:
            pb = pos[b]
            if pa > pb:
                keep += 1
            elif pa < pb:
                swap += 1
    return keep, swap


class _CrossingCounter:
    """Counts all crossings between adjacent layers at once: in each layer gap, sort the segments
    by their top position and count the inversions of their bottom positions."""

    def __init__(self, proper: _ProperGraph):
        self.top, self.bottom = proper.top, proper.bottom
        self.gap = proper.layer[proper.top]

    def count(self, pos: list[int]) -> int:
        if len(self.top) < 2:
            return 0
        p = np.asarray(pos, dtype=np.int64)
        top, bottom = p[self.top], p[self.bottom]
        order = np.lexsort((bottom, top, self.gap))
        # gap-major keys: segments of different gaps never form an inversion
        return _count_inversions(self.gap[order] * (int(bottom.max()) + 1) + bottom[order])


def _count_inversions(values: np.ndarray) -> int:
    """Pairs i < j with values[i] > values[j], by a bottom-up merge sort done level by level in numpy."""
    a = np.asarray(values, dtype=np.int64)
    n = len(a)
    if n < 2:
        return 0
    a = a - a.min()
    span = int(a.max()) + 1
    index = np.arange(n)
    total = 0
    width = 1
    while width < n:
        pair = index // (2 * width)
        is_right = (index // width) % 2 == 1
        keys = pair * span + a  # blocks of `width` are sorted; pairs of blocks are merged below
        left = keys[~is_right]
        right_keys, right_pair = keys[is_right], pair[is_right]
        left_end = np.searchsorted(left, (right_pair + 1) * span, side="left")
        not_greater = np.searchsorted(left, right_keys, side="right")
        total += int((left_end - not_greater).sum())
        a = np.sort(keys) - pair * span
        width *= 2
    return total


def _assign_x(proper: _ProperGraph, layers: list[list[int]], x_gap: float) -> np.ndarray:
    """x for every node of the proper graph: start centred, then sweep down, up, ... with each node
    pulled to the weighted mean of its neighbours on the side just placed, and each layer put back in
    order with x_gap spacing at the least weighted squared displacement (nodes with more and heavier
    edges move least, so chains and long edges stay straight)."""
    real = len(proper.keys)
    up, down = proper.up, proper.down
    virtual = [v >= real for v in range(proper.size)]
    priority = [
        sum(_WEIGHTS[virtual[u] + virtual[v]] for u in up[v]) + sum(_WEIGHTS[virtual[w] + virtual[v]] for w in down[v])
        or 1.0
        for v in range(proper.size)
    ]
    x = [0.0] * proper.size
    for layer in layers:
        centre = (len(layer) - 1) / 2
        for i, v in enumerate(layer):
            x[v] = (i - centre) * x_gap
    for sweep in _X_SWEEPS:
        sides = (up,) if sweep == "down" else (down,) if sweep == "up" else (up, down)
        for layer in layers[::-1] if sweep == "up" else layers:
            wanted = []
            for v in layer:
                pull = total = 0.0
                for neighbours in sides:
                    for u in neighbours[v]:
                        w = _WEIGHTS[virtual[u] + virtual[v]]
                        pull += w * x[u]
                        total += w
                wanted.append(pull / total if total else x[v])
            if len(layer) == 1:
                x[layer[0]] = wanted[0]
            else:
                _place(layer, wanted, priority, x, x_gap)
    return np.array(x)


def _place(layer: list[int], wanted: list[float], priority: list[float], x: list[float], gap: float) -> None:
    """x for one layer's nodes in order, at least `gap` apart, nearest to `wanted` in weighted least
    squares: with y = x - slot * gap the spacing becomes y nondecreasing, an isotonic regression
    solved by pooling adjacent violators."""
    blocks: list[list[float]] = []  # [weight, weighted sum, count] of pooled runs
    for i, v in enumerate(layer):
        weight = priority[v]
        block = [weight, weight * (wanted[i] - i * gap), 1]
        while blocks and blocks[-1][1] * block[0] >= block[1] * blocks[-1][0]:  # previous mean >= this mean
            previous = blocks.pop()
            block = [previous[0] + block[0], previous[1] + block[1], previous[2] + block[2]]
        blocks.append(block)
    i = 0
    for weight, weighted_sum, count in blocks:
        y = weighted_sum / weight
        for _ in range(count):
            x[layer[i]] = y + i * gap
            i += 1


def count_crossings(graph: nx.Graph, pos: Mapping[Hashable, tuple[float, float]]) -> int:
    """Pairs of edges whose straight segments share a point, counting only edges with no common
    endpoint. Works for any positions (Graphviz's too); when every edge joins two adjacent y levels
    and no two nodes of a level share an x, it counts inversions per level gap instead of testing
    pairs of segments."""
    keys = list(graph.nodes)
    index = {key: i for i, key in enumerate(keys)}
    edges = np.array([(index[u], index[v]) for u, v in graph.edges()], dtype=np.int64).reshape(-1, 2)
    xy = np.array([pos[key] for key in keys], dtype=float).reshape(-1, 2)
    if len(edges) < 2:
        return 0
    _, level_of = np.unique(xy[:, 1], return_inverse=True)
    span = np.abs(level_of[edges[:, 0]] - level_of[edges[:, 1]])
    distinct_points = len(np.unique(xy, axis=0)) == len(xy)
    if np.all(span == 1) and distinct_points:
        return _layered_crossings(edges, xy[:, 0], level_of)
    return _segment_crossings(edges, xy)


def _layered_crossings(edges: np.ndarray, x: np.ndarray, level_of: np.ndarray) -> int:
    upper_first = level_of[edges[:, 0]] < level_of[edges[:, 1]]
    upper = np.where(upper_first, edges[:, 0], edges[:, 1])
    lower = np.where(upper_first, edges[:, 1], edges[:, 0])
    gap = level_of[upper]
    _, top_rank = np.unique(x[upper], return_inverse=True)
    _, bottom_rank = np.unique(x[lower], return_inverse=True)
    order = np.lexsort((bottom_rank, top_rank, gap))
    return _count_inversions(gap[order] * (int(bottom_rank.max()) + 1) + bottom_rank[order])


def _segment_crossings(edges: np.ndarray, xy: np.ndarray, chunk: int = 1 << 20) -> int:
    """General segment intersection over the pairs whose y ranges overlap (found by sorting on y)."""
    p, q = xy[edges[:, 0]], xy[edges[:, 1]]
    y_low, y_high = np.minimum(p[:, 1], q[:, 1]), np.maximum(p[:, 1], q[:, 1])
    order = np.argsort(y_low, kind="stable")
    edges, p, q, y_low, y_high = edges[order], p[order], q[order], y_low[order], y_high[order]
    # for segment i, the candidates are the j > i that start at or above where i ends
    stop = np.searchsorted(y_low, y_high, side="right")
    counts = np.maximum(stop - np.arange(len(edges)) - 1, 0)
    offsets = np.concatenate(([0], np.cumsum(counts)))
    total = 0
    first = 0
    while first < len(edges):
        # whole rows, about `chunk` pairs at a time
        last = max(first + 1, int(np.searchsorted(offsets, offsets[first] + chunk, side="right")) - 1)
        rows = np.arange(first, last)
        row_counts = counts[first:last]
        i = np.repeat(rows, row_counts)
        within_row = np.arange(len(i)) - np.repeat(offsets[first:last] - offsets[first], row_counts)
        total += _intersecting(edges, p, q, i, i + 1 + within_row)
        first = last
    return total


def _intersecting(edges: np.ndarray, p: np.ndarray, q: np.ndarray, i: np.ndarray, j: np.ndarray) -> int:
    shared = (
        (edges[i, 0] == edges[j, 0]) | (edges[i, 0] == edges[j, 1])
        | (edges[i, 1] == edges[j, 0]) | (edges[i, 1] == edges[j, 1])
    )
    i, j = i[~shared], j[~shared]
    a, b, c, d = p[i], q[i], p[j], q[j]
    d1, d2 = _orientation(c, d, a), _orientation(c, d, b)
    d3, d4 = _orientation(a, b, c), _orientation(a, b, d)
    straddle = (d1 * d2 <= 0) & (d3 * d4 <= 0)
    collinear = (d1 == 0) & (d2 == 0) & (d3 == 0) & (d4 == 0)
    overlap = (
        (np.maximum(a[:, 0], b[:, 0]) >= np.minimum(c[:, 0], d[:, 0]))
        & (np.maximum(c[:, 0], d[:, 0]) >= np.minimum(a[:, 0], b[:, 0]))
        & (np.maximum(a[:, 1], b[:, 1]) >= np.minimum(c[:, 1], d[:, 1]))
        & (np.maximum(c[:, 1], d[:, 1]) >= np.minimum(a[:, 1], b[:, 1]))
    )
    return int(np.count_nonzero(straddle & (~collinear | overlap)))


def _orientation(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    """The sign of the turn a -> b -> c (positive: counter-clockwise)."""
    return np.sign((b[:, 0] - a[:, 0]) * (c[:, 1] - a[:, 1]) - (b[:, 1] - a[:, 1]) * (c[:, 0] - a[:, 0]))
