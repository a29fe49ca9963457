"""Edge crossings of a drawn graph, and the inversion count that both the layout and the count use.

Two edges cross when their straight segments share a point and the edges share no endpoint. Where
every edge joins two adjacent y levels and no two nodes share a point, that is an inversion count
per level gap; otherwise segments whose y ranges overlap are tested pairwise, in numpy chunks.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping

import networkx as nx
import numpy as np


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
    return count_inversions(gap[order] * (int(bottom_rank.max()) + 1) + bottom_rank[order])


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


def count_inversions(values: np.ndarray) -> int:
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

