"""The layered layout: valid layers, no overlaps, fewer crossings; count_crossings against brute force."""

import random
from fractions import Fraction
from itertools import combinations

import networkx as nx
import numpy as np
import pytest
import torch
import torch.nn as nn

from explorer.core.autograd.graph import trace_graph
from explorer.core.layout import Virtual, count_crossings, layered_layout, layered_layout_with_bends, order_layers
from explorer.core.models import build_model


def random_dag(n: int, seed: int, long_edges: float = 0.3) -> nx.DiGraph:
    """Random layered-ish DAG with long edges, several roots and sinks, and one isolated node."""
    rng = random.Random(seed)
    g = nx.DiGraph()
    g.add_nodes_from(range(n))
    for v in range(1, n - 1):
        for _ in range(rng.randint(1, 2)):
            g.add_edge(rng.randrange(max(0, v - 6), v), v)
        if rng.random() < long_edges:
            g.add_edge(rng.randrange(0, v), v)
    return g


def several_roots(seed: int) -> nx.DiGraph:
    """A random DAG plus extra roots that each feed one deep node: they sink far below layer 0."""
    g = random_dag(40, seed)
    rng = random.Random(seed)
    for root in range(40, 44):
        g.add_edge(root, rng.randrange(20, 39))
    return g


def seed_graph() -> nx.DiGraph:
    model = build_model("seed", 0)
    loss = nn.MSELoss()(model(torch.randn(1, 1, 32, 32)), torch.arange(1, 11.0).view(1, 10))
    return trace_graph(loss, model=model).graph


GRAPHS = [
    seed_graph(),
    several_roots(0),
    *(random_dag(n, seed) for n, seed in [(12, 0), (40, 1), (80, 2), (150, 3)]),
]


@pytest.mark.parametrize("graph", GRAPHS)
def test_every_node_is_placed_on_its_layer_without_overlaps(graph):
    pos = layered_layout(graph, x_gap=2.0, y_gap=3.0)
    assert set(pos) == set(graph.nodes)
    for u, v in graph.edges:
        assert pos[u][1] < pos[v][1]  # edges point down, from a lower layer index to a higher one
    layers = {}
    for node, (x, y) in pos.items():
        assert y / 3.0 == int(y / 3.0) and y >= 0
        layers.setdefault(y, []).append(x)
    for xs in layers.values():
        xs.sort()
        assert all(b - a >= 2.0 - 1e-9 for a, b in zip(xs, xs[1:]))
    assert min(x for x, _ in pos.values()) == pytest.approx(0.0)
    roots = [n for n in graph if graph.in_degree(n) == 0 and graph.out_degree(n) > 0]
    assert any(pos[r][1] == 0.0 for r in roots)


def test_the_seed_graph_has_no_crossings_and_a_straight_spine():
    graph = seed_graph()
    pos = layered_layout(graph)
    assert count_crossings(graph, pos) == 0
    assert order_layers(graph).crossings == 0
    assert [pos[n][1] for n in ("n0", "n1")] == [0.0, 1.0]  # MseLoss on top, fc3's addmm under it
    assert abs(pos["n0"][0] - pos["n1"][0]) < 1.0


@pytest.mark.parametrize("seed", range(6))
def test_crossing_reduction_never_makes_the_initial_order_worse(seed):
    graph = random_dag(60 + 20 * seed, seed, long_edges=0.5)
    ordering = order_layers(graph)
    assert ordering.crossings <= ordering.initial_crossings
    placed = [node for layer in ordering.layers for node in layer]
    real = [node for node in placed if not isinstance(node, Virtual)]
    assert sorted(real) == sorted(graph.nodes)
    assert len(placed) == len(set(placed))
    if seed < 3:
        assert ordering.crossings < ordering.initial_crossings  # these have something to gain
    assert "crossings" in repr(ordering)


@pytest.mark.parametrize("seed", range(4))
def test_bends_route_long_edges_through_their_layers_with_the_counted_crossings(seed):
    graph = random_dag(50, seed, long_edges=0.6)
    pos, bends = layered_layout_with_bends(graph)
    # the drawing through the bends, as a graph whose edges all join adjacent layers
    routed = nx.DiGraph()
    routed.add_nodes_from(graph)
    routed_pos = dict(pos)
    for u, v in graph.edges:
        points = bends.get((u, v), [])
        assert len(points) == round(pos[v][1] - pos[u][1]) - 1
        assert [y for _, y in points] == [pos[u][1] + k for k in range(1, len(points) + 1)]
        chain = [u, *((u, v, k) for k in range(len(points))), v]
        routed_pos.update({(u, v, k): p for k, p in enumerate(points)})
        routed.add_edges_from(zip(chain, chain[1:]))
    assert set(bends) <= set(graph.edges)
    assert count_crossings(routed, routed_pos) == order_layers(graph).crossings


def test_roots_that_feed_deep_nodes_sink_next_to_them():
    graph = several_roots(1)
    pos = layered_layout(graph)
    for root in range(40, 44):
        (child,) = graph.successors(root)
        assert pos[root][1] == pos[child][1] - 1 > 0
    placed = [node for layer in order_layers(graph).layers for node in layer if not isinstance(node, Virtual)]
    assert sorted(placed) == sorted(graph.nodes)


def test_shared_leaves_sink_next_to_their_users_and_side_branches_follow():
    # a chain 0-1-2-3-4-5 with a side branch 0 -> 10 -> 11 -> 5: longest-path layers would hang 10 and 11
    # right under 0 and leave one long edge into 5; sinking puts them next to 5
    graph = nx.DiGraph([(0, 1), (1, 2), (2, 3), (3, 4), (4, 5), (0, 10), (10, 11), (11, 5)])
    pos = layered_layout(graph)
    assert pos[11][1] == 4.0 and pos[10][1] == 3.0


def test_degenerate_graphs():
    assert layered_layout(nx.DiGraph()) == {}
    single = nx.DiGraph()
    single.add_node("a")
    assert layered_layout(single) == {"a": (0.0, 0.0)}
    with pytest.raises(ValueError, match="without cycles"):
        layered_layout(nx.DiGraph([(1, 2), (2, 1)]))


# --- count_crossings against an exact brute force ---------------------------------------------------


def segments_meet(p1, p2, q1, q2) -> bool:
    """Exact test with fractions: solve p1 + s (p2 - p1) = q1 + t (q2 - q1) for s, t in [0, 1]."""
    p1, p2, q1, q2 = ([Fraction(c) for c in point] for point in (p1, p2, q1, q2))
    r = (p2[0] - p1[0], p2[1] - p1[1])
    d = (q2[0] - q1[0], q2[1] - q1[1])
    w = (q1[0] - p1[0], q1[1] - p1[1])
    denom = r[0] * d[1] - r[1] * d[0]
    if denom != 0:
        s = (w[0] * d[1] - w[1] * d[0]) / denom
        t = (w[0] * r[1] - w[1] * r[0]) / denom
        return 0 <= s <= 1 and 0 <= t <= 1
    if w[0] * r[1] - w[1] * r[0] != 0:
        return False  # parallel, on different lines
    # collinear: project q's ends onto p's direction and look for an overlap of the parameter ranges
    length = r[0] * r[0] + r[1] * r[1]
    if length == 0:  # p is a point (two nodes at one place): is it on q?
        on_line = d[0] * w[1] - d[1] * w[0] == 0
        return on_line and min(q1[0], q2[0]) <= p1[0] <= max(q1[0], q2[0]) and min(q1[1], q2[1]) <= p1[1] <= max(q1[1], q2[1])
    t0 = (w[0] * r[0] + w[1] * r[1]) / length
    t1 = ((q2[0] - p1[0]) * r[0] + (q2[1] - p1[1]) * r[1]) / length
    return max(min(t0, t1), 0) <= min(max(t0, t1), 1)


def brute_force_crossings(graph, pos) -> int:
    return sum(
        1
        for (a, b), (c, d) in combinations(graph.edges, 2)
        if not {a, b} & {c, d} and segments_meet(pos[a], pos[b], pos[c], pos[d])
    )


@pytest.mark.parametrize("seed", range(25))
def test_count_crossings_agrees_with_brute_force(seed):
    rng = random.Random(seed)
    graph = random_dag(rng.randint(5, 16), seed, long_edges=0.5)
    # layered positions (the per-level fast path where all edges are short), then arbitrary small integers
    levels = {v: d for d, gen in enumerate(nx.topological_generations(graph)) for v in gen}
    layered = {}
    for level in set(levels.values()):
        members = [v for v in graph if levels[v] == level]
        for v, x in zip(members, rng.sample(range(2 * len(members) + 1), len(members))):
            layered[v] = (x, level)
    short = nx.DiGraph([(u, v) for u, v in graph.edges if levels[v] - levels[u] == 1])
    short.add_nodes_from(graph)
    scattered = {v: (rng.randint(0, 4), rng.randint(0, 4)) for v in graph}  # collinear and touching cases too
    for g, pos in [(short, layered), (graph, layered), (graph, scattered)]:
        assert count_crossings(g, pos) == brute_force_crossings(g, pos)


def test_count_crossings_small_cases():
    x = nx.DiGraph([("a", "d"), ("b", "c")])
    assert count_crossings(x, {"a": (0, 0), "b": (1, 0), "c": (0, 1), "d": (1, 1)}) == 1
    assert count_crossings(x, {"a": (0, 0), "b": (1, 0), "c": (1, 1), "d": (0, 1)}) == 0
    fan = nx.DiGraph([("a", "b"), ("a", "c")])  # a shared endpoint is not a crossing
    assert count_crossings(fan, {"a": (0, 0), "b": (1, 1), "c": (-1, 1)}) == 0
    # a long edge passing straight through a node's edge in the middle layer
    long = nx.DiGraph([("a", "c"), ("m", "n")])
    assert count_crossings(long, {"a": (0, 0), "c": (0, 2), "m": (-1, 1), "n": (1, 1)}) == 1


def test_segment_crossings_gives_the_same_count_in_any_chunk_size():
    from explorer.core.layout import _segment_crossings  # big graphs are counted in chunks of pairs

    rng = random.Random(0)
    graph = random_dag(60, 0, long_edges=0.5)
    edges = np.array(list(graph.edges)).reshape(-1, 2)  # nodes are 0..59, their own indices
    xy = np.array([(rng.random(), rng.randint(0, 8)) for _ in range(60)])
    whole = _segment_crossings(edges, xy)
    assert whole > 0
    assert [_segment_crossings(edges, xy, chunk=c) for c in (1, 5, 64)] == [whole] * 3
