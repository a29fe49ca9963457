"""Crossing reduction, as dot does it: the third step of the layered layout.

From a depth-first order taken from the top and one from the bottom, weighted-median sweeps
alternate down and up, each followed by adjacent swaps (transpose); the best ordering seen wins.
Crossings are counted between adjacent layers of the proper graph (virtual nodes included), which
is what a drawing through the long edges' bend points shows.
"""

from __future__ import annotations

import numpy as np

from explorer.core.layout.crossings import count_inversions
from explorer.core.layout.layers import NO_NEIGHBOUR, ProperGraph

_FIRST_SWEEPS = 4  # sweeps from each of the two starting orders
_MAX_SWEEPS = 24  # sweeps from the better one
_PATIENCE = 8  # sweeps without a clear gain (below _CONVERGENCE times the best) before stopping
_CONVERGENCE = 0.995
# passes of adjacent swaps after each sweep: 12 up to this many (virtual included) nodes, fewer above
_TRANSPOSE_PASSES = 12
_TRANSPOSE_FULL_SIZE = 5000


def order_proper(proper: ProperGraph) -> tuple[list[list[int]], int, int]:
    """Layers as lists of node indices, with the crossings of the initial and of the best order:
    a few sweeps from each starting order, then more from the better one."""
    counter = CrossingCounter(proper)
    from_top = _positions(_depth_first_layers(proper, from_top=True), proper.size)
    initial = best = counter.count(from_top)
    if initial == 0:  # nothing to gain (chains and trees often start so)
        return proper.layers_in_order(from_top), 0, 0
    best_pos = from_top
    for start in (from_top, _positions(_depth_first_layers(proper, from_top=False), proper.size)):
        pos, crossings = _reduce_crossings(proper, start, counter, _FIRST_SWEEPS)
        if crossings < best:
            best_pos, best = pos, crossings
    if best > 0:
        best_pos, best = _reduce_crossings(proper, best_pos, counter, _MAX_SWEEPS)
    return proper.layers_in_order(best_pos), initial, best


def _reduce_crossings(
    proper: ProperGraph, start: list[int], counter: CrossingCounter, sweeps: int
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


def _depth_first_layers(proper: ProperGraph, from_top: bool) -> list[list[int]]:
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


def _transpose(layers: list[list[int]], proper: ProperGraph, pos: list[int], swap_ties: bool, passes: int) -> None:
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
                elif a != NO_NEIGHBOUR and b != NO_NEIGHBOUR:
                    keep, swap = _pair_crossings(up[v], up[w], pos)
                a, b = down_one[v], down_one[w]
                if a >= 0 and b >= 0:
                    pa, pb = pos[a], pos[b]
                    keep += pa > pb
                    swap += pa < pb
                elif a != NO_NEIGHBOUR and b != NO_NEIGHBOUR:
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


class CrossingCounter:
    """Counts all crossings between adjacent layers at once: in each layer gap, sort the segments
    by their top position and count the inversions of their bottom positions."""

    def __init__(self, proper: ProperGraph):
        self.top, self.bottom = proper.top, proper.bottom
        self.gap = proper.layer[proper.top]

    def count(self, pos: list[int]) -> int:
        if len(self.top) < 2:
            return 0
        p = np.asarray(pos, dtype=np.int64)
        top, bottom = p[self.top], p[self.bottom]
        order = np.lexsort((bottom, top, self.gap))
        # gap-major keys: segments of different gaps never form an inversion
        return count_inversions(self.gap[order] * (int(bottom.max()) + 1) + bottom[order])


