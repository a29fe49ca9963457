"""x coordinates: the last step of the layered layout.

Start each layer centred, then sweep down, up, ... with each node pulled to the weighted mean of
its neighbours on the side just placed, and each layer put back in order with x_gap spacing at the
least weighted squared displacement. Nodes with more and heavier edges move least; edges between
virtual nodes weigh most, so chains and long edges run straight.
"""

from __future__ import annotations

import numpy as np

from explorer.core.layout.layers import NO_NEIGHBOUR, ProperGraph

# one down-up pair: a second one moved nothing on autograd or random graphs (checked: same layouts)
_X_SWEEPS = ("down", "up", "both")
# dot's edge weights for straightening: real-real 1, real-virtual 2, virtual-virtual 8
_WEIGHTS = np.array([1.0, 2.0, 8.0])


def assign_x(proper: ProperGraph, layers: list[list[int]], x_gap: float) -> np.ndarray:
    """x for every node of the proper graph, nodes of a layer in the given order and x_gap apart."""
    virtual = (np.arange(proper.size) >= len(proper.keys)).astype(np.int64)
    segment_weight = _WEIGHTS[virtual[proper.top] + virtual[proper.bottom]]
    priority = (np.bincount(proper.top, segment_weight, proper.size)
                + np.bincount(proper.bottom, segment_weight, proper.size))
    priority = np.where(priority > 0, priority, 1.0).tolist()
    # weights in the order of proper.up[v] and proper.down[v], which list segments in this order too
    up_weights: list[list[float]] = [[] for _ in range(proper.size)]
    down_weights: list[list[float]] = [[] for _ in range(proper.size)]
    for t, b, w in zip(proper.top.tolist(), proper.bottom.tolist(), segment_weight.tolist()):
        down_weights[t].append(w)
        up_weights[b].append(w)

    x = [0.0] * proper.size
    for layer in layers:
        centre = (len(layer) - 1) / 2
        for i, v in enumerate(layer):
            x[v] = (i - centre) * x_gap
    for sweep in _X_SWEEPS:
        if sweep == "both":
            sides = ((proper.up, up_weights), (proper.down, down_weights))
            for layer in layers:
                _place(layer, [_weighted_mean(v, x, sides) for v in layer], priority, x, x_gap)
            continue
        if sweep == "down":
            single, sides, order = proper.single_up, ((proper.up, up_weights),), layers
        else:
            single, sides, order = proper.single_down, ((proper.down, down_weights),), reversed(layers)
        for layer in order:
            # most nodes (chain links, virtual nodes) have one neighbour on a side: no weights needed
            wanted = [x[u] if (u := single[v]) >= 0 else x[v] if u == NO_NEIGHBOUR else _weighted_mean(v, x, sides)
                      for v in layer]
            _place(layer, wanted, priority, x, x_gap)
    return np.array(x)


def _weighted_mean(v: int, x: list[float], sides) -> float:
    pull = total = 0.0
    for neighbours, weights in sides:
        for u, w in zip(neighbours[v], weights[v]):
            pull += w * x[u]
            total += w
    return pull / total if total else x[v]


def _place(layer: list[int], wanted: list[float], priority: list[float], x: list[float], gap: float) -> None:
    """x for one layer's nodes in order, at least `gap` apart, nearest to `wanted` in weighted least
    squares: with y = x - slot * gap the spacing becomes y nondecreasing, an isotonic regression
    solved by pooling adjacent violators."""
    if len(layer) == 2:  # the commonest case in autograd graphs, in closed form
        (v, w), (a, b) = layer, wanted
        if b - a < gap:
            pv, pw = priority[v], priority[w]
            a = (pv * a + pw * (b - gap)) / (pv + pw)
            b = a + gap
        x[v], x[w] = a, b
        return
    if all(b - a >= gap for a, b in zip(wanted, wanted[1:])):  # already spaced (always so for one node)
        for v, w in zip(layer, wanted):
            x[v] = w
        return
    # pooled runs as parallel lists: total weight, weighted sum of y, node count
    weights: list[float] = []
    sums: list[float] = []
    counts: list[int] = []
    for i, v in enumerate(layer):
        weight = priority[v]
        total = weight * (wanted[i] - i * gap)
        count = 1
        while weights and sums[-1] * weight >= total * weights[-1]:  # previous mean >= this mean
            weight += weights.pop()
            total += sums.pop()
            count += counts.pop()
        weights.append(weight)
        sums.append(total)
        counts.append(count)
    i = 0
    for weight, total, count in zip(weights, sums, counts):
        y = total / weight
        for _ in range(count):
            x[layer[i]] = y + i * gap
            i += 1
