"""The autograd graph seen module by module: nodes grouped by the module that made them.

Every node carries the qualified name of its module ("layers.3.self_attn"). The names form a tree;
collapsing a module (a name prefix) replaces all the nodes inside it by one group node, and the
graph that results (the quotient graph) keeps one edge per pair of shown nodes, with the number of
original edges it stands for. Containers that never run (nn.ModuleList, nn.ModuleDict) and wrappers
whose only content is one child are looked through, so the 24 layers of an nn.TransformerEncoder
sit at depth 1, not under one "layers" box.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import networkx as nx

from explorer.core.layout import Bends, layered_layout_with_bends

GROUP_PREFIX = "group:"
CONTAINER_CLASSES = frozenset({"ModuleList", "ModuleDict"})  # hold modules, never run: looked through
DEFAULT_MAX_EXPANDED = 150  # graphs up to this many nodes open expanded; bigger ones by top-level module


def group_id(prefix: str) -> str:
    return GROUP_PREFIX + prefix


def is_group(node_id: str) -> bool:
    return node_id.startswith(GROUP_PREFIX)


def _inside(module: str | None, prefix: str) -> bool:
    return module is not None and (module == prefix or module.startswith(prefix + "."))


@dataclass(frozen=True)
class QuotientGraph:
    """What is shown: the graph's own nodes outside collapsed modules, and one node per collapsed one.

    Group nodes have attributes cls "module", label and module = the prefix, "class" (the module's
    class, if known) and "count" (nodes inside). `multiplicity[u, v]` is how many original edges the
    shown edge u -> v stands for.
    """

    node_ids: tuple[str, ...]
    attrs: dict[str, dict]
    edges: tuple[tuple[str, str], ...]
    multiplicity: dict[tuple[str, str], int]
    members: dict[str, tuple[str, ...]]  # group id -> the original node ids inside it
    shown_as: dict[str, str]  # original node id -> the shown node standing for it (itself or its group)
    collapsed: frozenset[str] = field(default_factory=frozenset)

    def __repr__(self) -> str:
        return (f"QuotientGraph({len(self.node_ids)} nodes ({len(self.members)} groups), "
                f"{len(self.edges)} edges)")

    def to_networkx(self) -> nx.DiGraph:
        graph = nx.DiGraph()
        graph.add_nodes_from(self.node_ids)
        graph.add_edges_from(self.edges)
        return graph

    def layout(self) -> tuple[dict[str, tuple[float, float]], Bends]:
        """Layered positions and bend points. A module that runs twice with other nodes between its
        calls makes a cycle once collapsed: those edges are laid out reversed (as dot does) and keep
        their direction in `edges`."""
        graph = self.to_networkx()
        backward = _back_edges(graph)
        if not backward:
            return layered_layout_with_bends(graph)
        graph.remove_edges_from(backward)
        graph.add_edges_from((v, u) for u, v in backward if not graph.has_edge(v, u))
        positions, bends = layered_layout_with_bends(graph)
        for u, v in backward:
            points = bends.pop((v, u), None)
            if points is not None:
                bends[u, v] = points[::-1]
        return positions, bends


def _back_edges(graph: nx.DiGraph) -> list[tuple[str, str]]:
    """Edges that close a cycle in a depth-first walk from the roots (then from anything left)."""
    state: dict[str, int] = {}  # 1 on the walk's stack, 2 finished
    back = []
    starts = [n for n in graph if graph.in_degree(n) == 0] + list(graph)
    for start in starts:
        if start in state:
            continue
        state[start] = 1
        stack = [(start, iter(graph.successors(start)))]
        while stack:
            node, successors = stack[-1]
            for nxt in successors:
                mark = state.get(nxt)
                if mark is None:
                    state[nxt] = 1
                    stack.append((nxt, iter(graph.successors(nxt))))
                    break
                if mark == 1:
                    back.append((node, nxt))
            else:
                state[node] = 2
                stack.pop()
    return back


class ModuleGrouping:
    """The module tree of one graph and the collapsed sets over it; builds quotient graphs.

    `module_classes` (qualified name -> class name, "" for the model) tells containers apart and
    names groups; without it every module name in the graph can be collapsed.
    """

    def __init__(self, node_ids: Sequence[str], attrs: Mapping[str, Mapping], edges: Iterable[tuple[str, str]],
                 module_classes: Mapping[str, str] | None = None):
        self.node_ids = tuple(node_ids)
        self.attrs = attrs
        self.edges = tuple(edges)
        self.module_classes = dict(module_classes or {})
        self.size: dict[str, int] = {}  # module prefix -> nodes inside it (its own and its submodules')
        own: dict[str, int] = {}
        for node_id in self.node_ids:
            module = attrs.get(node_id, {}).get("module")
            if not module:  # None (unknown) or "" (the model itself): never grouped
                continue
            own[module] = own.get(module, 0) + 1
            parts = module.split(".")
            for end in range(1, len(parts) + 1):
                prefix = ".".join(parts[:end])
                self.size[prefix] = self.size.get(prefix, 0) + 1
        self._children: dict[str, list[str]] = {"": []}
        for prefix in self.size:  # parents come before children: prefixes are added shortest first
            parent = prefix.rpartition(".")[0]
            self._children.setdefault(parent, []).append(prefix)
            self._children.setdefault(prefix, [])
        self._own = own
        self.depth: dict[str, int] = {}  # collapsible module -> its level, looking through containers
        self._set_depths("", 0)

    def __repr__(self) -> str:
        return f"ModuleGrouping({len(self.node_ids)} nodes, {len(self.depth)} modules, depth {self.max_depth})"

    def _is_see_through(self, prefix: str) -> bool:
        if self.module_classes.get(prefix) in CONTAINER_CLASSES:
            return True
        children = self._children[prefix]
        return not self._own.get(prefix) and len(children) == 1  # a wrapper around a single child

    def _is_module(self, prefix: str) -> bool:
        """A name that can be collapsed: more than one node inside, and a module of the model when the
        model's modules are known (the loss pseudo-module is not one)."""
        if self.size[prefix] < 2:
            return False
        return not self.module_classes or prefix in self.module_classes

    def _set_depths(self, prefix: str, depth: int) -> None:
        for child in self._children[prefix]:
            if self._is_see_through(child) or not self._is_module(child):
                self._set_depths(child, depth)
            else:
                self.depth[child] = depth + 1
                self._set_depths(child, depth + 1)

    @property
    def max_depth(self) -> int:
        return max(self.depth.values(), default=0)

    def children(self, prefix: str) -> list[str]:
        """The collapsible modules one level inside `prefix` ("" for the model), containers looked through."""
        found = []
        for child in self._children.get(prefix, ()):
            found.extend([child] if child in self.depth else self.children(child))
        return found

    def class_of(self, prefix: str) -> str | None:
        return self.module_classes.get(prefix)

    # ----- collapsed sets ------------------------------------------------------------------------------
    def at_depth(self, depth: int) -> frozenset[str]:
        """Collapsed to `depth`: modules at that level are boxes, and so are smaller modules above it that
        have no modules inside (a top-level LayerNorm stays a box when blocks open to depth 2)."""
        return frozenset(p for p, d in self.depth.items() if d == depth or (d < depth and not self.children(p)))

    def default_collapsed(self, max_expanded: int = DEFAULT_MAX_EXPANDED) -> frozenset[str]:
        """Small graphs open expanded; bigger ones by top-level module, or by the first level that has
        more than one module (one box holding everything says nothing)."""
        if len(self.node_ids) <= max_expanded:
            return frozenset()
        for depth in range(1, self.max_depth + 1):
            if len(collapsed := self.at_depth(depth)) > 1:
                return collapsed
        return self.at_depth(1)

    def expand(self, collapsed: frozenset[str], prefix: str) -> frozenset[str]:
        """Open one module: what is one level inside it shows as boxes."""
        if prefix not in collapsed:
            return collapsed
        return (collapsed - {prefix}) | frozenset(self.children(prefix))

    def collapse(self, collapsed: frozenset[str], prefix: str) -> frozenset[str]:
        """Close a module (and forget what was open or closed inside it)."""
        if prefix not in self.depth:
            return collapsed
        return frozenset(p for p in collapsed if not _inside(p, prefix)) | {prefix}

    def reveal(self, collapsed: frozenset[str], node_id: str) -> frozenset[str]:
        """Open every collapsed module around one node, so that it shows by itself."""
        module = self.attrs.get(node_id, {}).get("module")
        while (prefix := self.collapsed_around(collapsed, module)) is not None:
            collapsed = self.expand(collapsed, prefix)
        return collapsed

    @staticmethod
    def collapsed_around(collapsed: frozenset[str], module: str | None) -> str | None:
        """The outermost collapsed module that holds `module`, if any."""
        if not module:
            return None
        end = 0
        while (end := module.find(".", end + 1)) >= 0:  # "a", "a.b", ... shortest first
            if module[:end] in collapsed:
                return module[:end]
        return module if module in collapsed else None

    def enclosing(self, node_id: str) -> list[str]:
        """The collapsible modules around a node, innermost first (what a context menu offers to close)."""
        module = self.attrs.get(node_id, {}).get("module")
        if not module:
            return []
        parts = module.split(".")
        prefixes = (".".join(parts[:end]) for end in range(len(parts), 0, -1))
        return [p for p in prefixes if p in self.depth]

    # ----- the quotient graph ----------------------------------------------------------------------------
    def quotient(self, collapsed: Iterable[str]) -> QuotientGraph:
        collapsed = frozenset(p for p in collapsed if p in self.depth)
        shown_as: dict[str, str] = {}
        members: dict[str, list[str]] = {}
        order: list[str] = []  # shown nodes, each where its first member comes in the graph's order
        holder: dict[str | None, str | None] = {}  # module -> its outermost collapsed module
        for node_id in self.node_ids:
            module = self.attrs.get(node_id, {}).get("module")
            if module not in holder:
                holder[module] = self.collapsed_around(collapsed, module)
            prefix = holder[module]
            shown = node_id if prefix is None else group_id(prefix)
            shown_as[node_id] = shown
            if prefix is not None:
                if shown not in members:
                    members[shown] = []
                    order.append(shown)
                members[shown].append(node_id)
            else:
                order.append(node_id)
        multiplicity: dict[tuple[str, str], int] = {}
        for u, v in self.edges:
            key = (shown_as[u], shown_as[v])
            if key[0] != key[1]:  # an edge inside a group is not drawn
                multiplicity[key] = multiplicity.get(key, 0) + 1
        attrs = {}
        for shown in order:
            if shown in members:
                prefix = shown[len(GROUP_PREFIX):]
                attrs[shown] = {"cls": "module", "label": prefix, "module": prefix, "param": None, "saved": [],
                                "class": self.class_of(prefix), "count": len(members[shown])}
            else:
                attrs[shown] = self.attrs.get(shown, {})
        return QuotientGraph(tuple(order), attrs, tuple(multiplicity), multiplicity,
                             {g: tuple(ids) for g, ids in members.items()}, shown_as, collapsed)


def matching_nodes(node_ids: Iterable[str], attrs: Mapping[str, Mapping], query: str) -> list[str]:
    """Nodes whose class, module or parameter name contains `query` (case-insensitive), in the given order."""
    needle = query.strip().casefold()
    if not needle:
        return []
    found = []
    for node_id in node_ids:
        a = attrs.get(node_id, {})
        if any(needle in str(a.get(key) or "").casefold() for key in ("cls", "label", "module", "param")):
            found.append(node_id)
    return found
