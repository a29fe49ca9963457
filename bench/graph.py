"""Autograd graphs: our grad_fn extraction + layered layout against torchviz + Graphviz, and crossings.

For each graph (the tutorial's Net, a 50-layer MLP, nn.TransformerEncoder with 6 and 24 layers of
d_model 128) one forward pass builds the loss; then, in two rounds of back-to-back runs of each side,
  ours:   trace_graph(loss) + layered_layout_with_bends(graph)
  theirs: torchviz.make_dot(loss, params) + `dot -Tsvg` on its source
and the figure is the ratio of the fastest runs (as timeit does: on a shared machine the other runs
measure the neighbours too; the medians are printed beside). Crossings: our layout's node positions against dot's for the
same graph (`dot -Tplain` on explorer's own DOT of it), both counted by count_crossings on straight
segments between node centres; and, for ours, the count of what the view draws (edges through their
bend points). Autograd graphs this size come out without crossings in both, so random DAGs with
crossings are compared the same way. Last, a transformer graph of about 10,000 nodes is laid out alone.
Goals: time ratio <= 0.1 at every size, the 10,000-node layout under 2 s, crossings <= 1.2 x dot's.

The comparison needs Graphviz and torchviz, for this benchmark only (pip must not touch torch):
    apt-get install -y graphviz
    .venv/bin/pip install --no-deps torchviz && .venv/bin/pip install graphviz

    .venv/bin/python bench/graph.py [--runs 5]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time

from _common import median, print_json, print_table

TEN_K_LAYERS = 136  # nn.TransformerEncoder layers for a graph of about 10,000 nodes
ROUNDS = 2
RANDOM_DAGS = ((60, 1, 0.2), (100, 2, 0.2), (200, 3, 0.1), (300, 4, 0.05))  # (nodes, seed, share of long edges)


def models():
    """name -> (model, input, target); built lazily so a missing tool is reported before any torch work."""
    import torch
    import torch.nn as nn

    from explorer.core.models import build_model

    def mlp(layers: int) -> nn.Module:
        body = [nn.Flatten(), nn.Linear(32 * 32, 64)]
        for _ in range(layers - 2):
            body += [nn.ReLU(), nn.Linear(64, 64)]
        return nn.Sequential(*body, nn.ReLU(), nn.Linear(64, 10))

    def transformer(layers: int) -> nn.Module:
        layer = nn.TransformerEncoderLayer(d_model=128, nhead=8, dim_feedforward=256, batch_first=True)
        return nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)

    torch.manual_seed(0)
    image, tokens = torch.randn(1, 1, 32, 32), torch.randn(1, 8, 128)
    yield "lenet", build_model("seed", 0), image, torch.randn(1, 10)
    yield "mlp50", mlp(50), image, torch.randn(1, 10)
    yield "tf6", transformer(6), tokens, torch.randn(1, 8, 128)
    yield "tf24", transformer(24), tokens, torch.randn(1, 8, 128)


def forward(model, x, target):
    """The loss of one pass, with each node's module recorded as the app records it (not timed)."""
    import torch.nn.functional as F

    from explorer.core.autograd.module_attribution import record_node_modules

    with record_node_modules(model) as node_modules:
        loss = F.mse_loss(model(x), target)
    return loss, node_modules


def ours(model, loss, node_modules):
    from explorer.core.autograd.graph import trace_graph
    from explorer.core.layout import layered_layout_with_bends

    graph = trace_graph(loss, model=model, node_modules=node_modules)
    positions, bends = layered_layout_with_bends(graph.graph)
    return graph, positions, bends


def theirs(model, loss) -> None:
    import torchviz

    source = torchviz.make_dot(loss, params=dict(model.named_parameters())).source
    subprocess.run(["dot", "-Tsvg"], input=source.encode(), capture_output=True, check=True)


def dot_positions(graph) -> dict[str, tuple[float, float]]:  # an AutogradGraph
    """Node centres as dot places them (`dot -Tplain`: "node name x y width height ...")."""
    from explorer.core.autograd.graph import to_dot

    plain = subprocess.run(["dot", "-Tplain"], input=to_dot(graph).encode(), capture_output=True, check=True)
    positions = {}
    for line in plain.stdout.decode().splitlines():
        fields = line.split()
        if fields and fields[0] == "node":
            positions[fields[1].strip('"')] = (float(fields[2]), -float(fields[3]))
    return positions


def random_dag(n: int, seed: int, long_edges: float):
    """A random DAG with edges to the six nodes before and some long ones (tests/core/test_layout's kind):
    autograd graphs of the sizes above have no crossings in either layout, these do."""
    import random

    import networkx as nx

    rng = random.Random(seed)
    graph = nx.DiGraph()
    graph.add_nodes_from(f"v{i}" for i in range(n))
    for v in range(1, n - 1):
        for _ in range(rng.randint(1, 2)):
            graph.add_edge(f"v{rng.randrange(max(0, v - 6), v)}", f"v{v}")
        if rng.random() < long_edges:
            graph.add_edge(f"v{rng.randrange(0, v)}", f"v{v}")
    return graph


def dot_positions_of(graph) -> dict[str, tuple[float, float]]:  # a plain networkx DiGraph
    lines = [f"  {v};" for v in graph] + [f"  {u} -> {v};" for u, v in graph.edges]
    plain = subprocess.run(["dot", "-Tplain"], input=("digraph g {\n" + "\n".join(lines) + "\n}\n").encode(),
                           capture_output=True, check=True)
    return {f[1]: (float(f[2]), -float(f[3])) for f in map(str.split, plain.stdout.decode().splitlines())
            if f and f[0] == "node"}


def ratio(ours_count: int, dot_count: int) -> float | None:
    """ours / dot's; both zero counts as 1.0 (equal), dot zero and ours not has no ratio."""
    if dot_count:
        return round(ours_count / dot_count, 3)
    return 1.0 if ours_count == 0 else None


def ten_k_layout(runs: int) -> tuple[int, float, float]:
    """(nodes, fastest trace s, fastest layout s) for a transformer graph of about 10,000 nodes."""
    import torch
    import torch.nn as nn

    from explorer.core.autograd.graph import trace_graph
    from explorer.core.layout import layered_layout_with_bends

    torch.manual_seed(0)
    layer = nn.TransformerEncoderLayer(d_model=32, nhead=2, dim_feedforward=64, batch_first=True)
    model = nn.TransformerEncoder(layer, TEN_K_LAYERS, enable_nested_tensor=False)
    x = torch.randn(1, 4, 32)
    loss, node_modules = forward(model, x, torch.zeros(1, 4, 32))
    traces, layouts = [], []
    for _ in range(runs):
        start = time.perf_counter()
        graph = trace_graph(loss, model=model, node_modules=node_modules)
        middle = time.perf_counter()
        layered_layout_with_bends(graph.graph)
        traces.append(middle - start)
        layouts.append(time.perf_counter() - middle)
    return graph.graph.number_of_nodes(), min(traces), min(layouts)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each side per round (default: 5)")
    args = parser.parse_args()
    from explorer.core.layout import count_crossings, order_layers

    missing = []
    if shutil.which("dot") is None:
        missing.append("Graphviz's dot (apt-get install -y graphviz)")
    try:
        import torchviz  # noqa: F401
    except ImportError:
        missing.append("torchviz (.venv/bin/pip install --no-deps torchviz && .venv/bin/pip install graphviz)")
    if missing:
        print("note: no comparison without " + " and ".join(missing) + "; timing ours only.")

    rows, time_ratio, crossing_ratio, figures = [], {}, {}, {}
    for name, model, x, target in models():
        loss, node_modules = forward(model, x, target)
        ours(model, loss, node_modules)  # warm: saved-attribute names are looked up once per node class
        if not missing:
            theirs(model, loss)
        our_times, their_times = [], []
        for _ in range(ROUNDS):  # rounds of back-to-back runs of each side, so neither runs on the other's cold caches
            for _ in range(args.runs):
                start = time.perf_counter()
                graph, positions, _ = ours(model, loss, node_modules)
                our_times.append(time.perf_counter() - start)
            for _ in range(0 if missing else args.runs):
                start = time.perf_counter()
                theirs(model, loss)
                their_times.append(time.perf_counter() - start)
        g = graph.graph
        our_crossings, drawn = count_crossings(g, positions), order_layers(g).crossings
        if missing:
            rows.append([name, g.number_of_nodes(), min(our_times) * 1e3, "-", "-", "-", our_crossings, drawn, "-"])
            continue
        dot_crossings = count_crossings(g, dot_positions(graph))
        time_ratio[name] = round(min(our_times) / min(their_times), 4)
        crossing_ratio[name] = ratio(our_crossings, dot_crossings)
        figures[name] = {"nodes": g.number_of_nodes(), "ours_ms": round(min(our_times) * 1e3, 2),
                         "torchviz_dot_ms": round(min(their_times) * 1e3, 2),
                         "median_ratio": round(median(our_times) / median(their_times), 4),
                         "crossings": our_crossings, "crossings_drawn": drawn, "dot_crossings": dot_crossings}
        rows.append([name, g.number_of_nodes(), min(our_times) * 1e3, min(their_times) * 1e3, time_ratio[name],
                     figures[name]["median_ratio"], our_crossings, drawn, dot_crossings])
    print_table(["graph", "nodes", "ours ms", "torchviz+dot ms", "time ratio", "(medians)", "crossings", "drawn",
                 "dot's"], rows)

    random_ratio = {}
    if not missing:
        from explorer.core.layout import layered_layout

        rows = []
        for n, seed, long_edges in RANDOM_DAGS:
            g = random_dag(n, seed, long_edges)
            ours_count, dot_count = count_crossings(g, layered_layout(g)), count_crossings(g, dot_positions_of(g))
            random_ratio[f"random{n}"] = ratio(ours_count, dot_count)
            rows.append([f"random{n}", n, ours_count, order_layers(g).crossings, dot_count, random_ratio[f"random{n}"]])
        print()
        print_table(["graph", "nodes", "crossings", "drawn", "dot's", "ratio"], rows)

    nodes, trace_s, layout_s = ten_k_layout(max(1, min(args.runs, 3)))
    print(f"\n{nodes}-node transformer graph: trace {trace_s:.3f} s, layout {layout_s:.3f} s (goal: layout < 2 s)")
    if not missing:
        worst = max(time_ratio.values())
        print(f"worst time ratio {worst:.3f} (goal <= 0.1); crossings: ours / dot's per graph, 0/0 counts as 1.0 "
              "(goal <= 1.2); 'drawn' counts crossings of edges drawn through their bends")
    print_json({"time_ratio": time_ratio or None, "crossing_ratio": crossing_ratio or None,
                "crossing_ratio_random_dags": random_ratio or None,
                "layout_10k_s": round(layout_s, 3), "trace_10k_s": round(trace_s, 3), "nodes_10k": nodes,
                "graphs": figures, "runs": args.runs, "compared": not missing})
    return 0


if __name__ == "__main__":
    sys.exit(main())
