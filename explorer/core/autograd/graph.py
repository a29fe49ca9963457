"""The autograd graph behind a loss: grad_fn nodes traced into a networkx DiGraph.

An edge u -> v means v is in u.next_functions: the direction gradients flow, from the loss down to
the AccumulateGrad leaves of the parameters. Node ids are "n0", "n1", ... in breadth-first order
from the roots. Tracing reads each node's saved tensors, which backward() frees: trace first.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import networkx as nx
import torch.nn as nn
from torch import Tensor
from torch.autograd.graph import Node

_SAVED_PREFIX = "_saved_"
_REPR_LIMIT = 120


@dataclass
class AutogradGraph:
    """The traced graph (plain JSON attributes only) and the live grad_fn objects behind its ids.

    Node attributes: "cls" (the grad_fn class), "label" (cls, or the parameter name of an
    AccumulateGrad), "param" (the parameter's qualified name, "input" or an extra name for other
    leaves, None for inner nodes), "module" (the creating module's qualified name, "" for the root
    module, None if unknown), "saved" ([name, shape list or repr] per saved value).
    Edge attribute "slots": the positions in u.next_functions that point at v (two for x * x).
    Graph attributes: "roots" (ids), "none_inputs" (next_functions entries that are (None, 0): inputs
    that need no gradient), "model" (the model's class name, or None).
    """

    graph: nx.DiGraph
    nodes: dict[str, Node]

    def __post_init__(self) -> None:
        self._ids = {node: node_id for node_id, node in self.nodes.items()}

    def id_of(self, node: Node) -> str:
        return self._ids[node]

    def __repr__(self) -> str:
        g = self.graph
        return (
            f"AutogradGraph({g.number_of_nodes()} nodes, {g.number_of_edges()} edges, "
            f"{len(g.graph['roots'])} roots, {g.graph['none_inputs']} None inputs)"
        )


def trace_graph(
    roots: Tensor | Sequence[Tensor],
    *,
    model: nn.Module | None = None,
    node_modules: Mapping[Node, str] | None = None,
    extra_names: Mapping[int, str] | None = None,
) -> AutogradGraph:
    """Trace the grad_fn graph behind `roots` (a loss, or several outputs).

    `model` names the AccumulateGrad leaves of its parameters; `node_modules` (from
    record_node_modules) gives each node's module; `extra_names` maps id(tensor) to a name for other
    leaf tensors that require grad.
    """
    roots = [roots] if isinstance(roots, Tensor) else list(roots)
    param_names = {id(p): name for name, p in model.named_parameters()} if model is not None else {}
    leaf_names = dict(extra_names or {})
    node_modules = node_modules or {}

    graph = nx.DiGraph()
    nodes: dict[str, Node] = {}
    ids: dict[Node, str] = {}
    queue: deque[Node] = deque()

    def visit(node: Node) -> str:
        node_id = ids.get(node)
        if node_id is None:
            node_id = ids[node] = f"n{len(ids)}"
            nodes[node_id] = node
            graph.add_node(node_id, **_node_attributes(node, param_names, leaf_names, node_modules))
            queue.append(node)
        return node_id

    root_ids = []
    for index, root in enumerate(roots):
        if root.grad_fn is None:
            raise ValueError(f"root {index} (shape {list(root.shape)}) has no grad_fn: nothing to trace")
        root_id = visit(root.grad_fn)
        if root_id not in root_ids:
            root_ids.append(root_id)

    none_inputs = 0
    while queue:
        node = queue.popleft()
        source = ids[node]
        for slot, (next_node, _output_nr) in enumerate(node.next_functions):
            if next_node is None:
                none_inputs += 1
                continue
            target = visit(next_node)
            if graph.has_edge(source, target):
                graph.edges[source, target]["slots"].append(slot)
            else:
                graph.add_edge(source, target, slots=[slot])

    graph.graph.update(roots=root_ids, none_inputs=none_inputs, model=type(model).__name__ if model is not None else None)
    return AutogradGraph(graph, nodes)


def _node_attributes(
    node: Node, param_names: Mapping[int, str], leaf_names: Mapping[int, str], node_modules: Mapping[Node, str]
) -> dict:
    cls = type(node).__name__
    param = None
    if hasattr(node, "variable"):  # AccumulateGrad: the leaf tensor it accumulates into
        key = id(node.variable)
        param = param_names.get(key) or leaf_names.get(key) or "input"
    return {
        "cls": cls,
        "label": param or cls,
        "param": param,
        "module": node_modules.get(node),
        "saved": _saved_values(node),
    }


_saved_names_by_class: dict[type, list[str]] = {}


def _saved_values(node: Node) -> list[list]:
    """[name, shape list] per saved tensor, [name, repr] per other saved value, read before backward."""
    names = _saved_names_by_class.get(type(node))
    if names is None:
        names = _saved_names_by_class[type(node)] = [a for a in dir(node) if a.startswith(_SAVED_PREFIX)]
    saved = []
    for attribute in names:
        try:
            value = getattr(node, attribute)
        except Exception as exc:  # freed by backward(), or a value torch cannot hand to Python
            value = f"<unavailable: {str(exc).splitlines()[0][:80] if str(exc) else type(exc).__name__}>"
        saved.append([attribute[len(_SAVED_PREFIX) :], _describe(value)])
    return saved


def _as_written(value: object) -> object:
    """A saved integer as a person writes it: torch hands int64 attributes (ignore_index=-100, dim=-1) to
    Python through uint64, so -100 arrives as 18446744073709551516."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value >= 2**63:
        return value - 2**64
    if isinstance(value, (tuple, list)):
        return type(value)(_as_written(v) for v in value)
    return value


def _describe(value: object) -> list[int] | str:
    if isinstance(value, Tensor):
        return list(value.shape)
    value = _as_written(value)
    if isinstance(value, (tuple, list)) and any(isinstance(v, Tensor) for v in value):
        text = "[" + ", ".join(f"Tensor{list(v.shape)}" if isinstance(v, Tensor) else repr(v) for v in value) + "]"
    else:
        text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= _REPR_LIMIT else text[: _REPR_LIMIT - 3] + "..."


def to_node_link(g: AutogradGraph, positions: Mapping[str, tuple[float, float]] | None = None) -> dict:
    """networkx node-link data (keys "nodes" and "edges", read back by nx.node_link_graph(data,
    edges="edges")), JSON-serialisable; with `positions`, each node also gets "x" and "y"."""
    nodes = []
    for node_id, attributes in g.graph.nodes(data=True):
        entry = {"id": node_id, **attributes}
        if positions is not None:
            x, y = positions[node_id]
            entry.update(x=float(x), y=float(y))
        nodes.append(entry)
    edges = [{"source": u, "target": v, **attributes} for u, v, attributes in g.graph.edges(data=True)]
    return {"directed": True, "multigraph": False, "graph": dict(g.graph.graph), "nodes": nodes, "edges": edges}


def to_dot(g: AutogradGraph) -> str:
    """Graphviz source in the style of torchviz: leaves light blue, roots green, one edge per slot."""
    roots = set(g.graph.graph["roots"])
    lines = [
        "digraph autograd {",
        '  node [shape=box, style="rounded,filled", fillcolor=white, fontname="Helvetica", fontsize=10];',
    ]
    for node_id, attributes in g.graph.nodes(data=True):
        label, module = attributes["label"], attributes["module"]
        if module is not None:
            label += "\n" + (module or g.graph.graph["model"] or "(model)")  # "" is the model itself
        colour = "darkolivegreen1" if node_id in roots else "lightblue" if attributes["param"] else "white"
        lines.append(f"  {node_id} [label={_dot_string(label)}, fillcolor={colour}];")
    for u, v, attributes in g.graph.edges(data=True):
        lines.extend(f"  {u} -> {v};" for _ in attributes["slots"])
    lines.append("}")
    return "\n".join(lines) + "\n"


def _dot_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
