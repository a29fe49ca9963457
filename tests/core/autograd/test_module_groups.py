"""Module groups of the autograd graph: the module tree, collapsed sets and the quotient graph."""

from collections import Counter

import networkx as nx
import pytest
import torch
import torch.nn as nn

from explorer.core.autograd.graph import trace_graph
from explorer.core.autograd.module_groups import ModuleGrouping, group_id, is_group, matching_nodes
from explorer.core.autograd.module_attribution import record_node_modules


def traced(model: nn.Module, x: torch.Tensor) -> ModuleGrouping:
    with record_node_modules(model) as node_modules:
        loss = model(x).pow(2).mean()
    g = trace_graph(loss, model=model, node_modules=node_modules).graph
    classes = {name: type(module).__name__ for name, module in model.named_modules()}
    return ModuleGrouping(list(g.nodes), dict(g.nodes(data=True)), list(g.edges), classes)


def expected_quotient(grouping: ModuleGrouping, collapsed: set[str]) -> tuple[dict[str, str], Counter]:
    """The quotient worked out naively: each node goes to the shortest collapsed prefix of its module."""
    def shown(node_id):
        module = grouping.attrs[node_id].get("module") or ""
        holders = [p for p in collapsed if module == p or module.startswith(p + ".")]
        return group_id(min(holders, key=len)) if holders else node_id

    shown_as = {n: shown(n) for n in grouping.node_ids}
    edges = Counter((shown_as[u], shown_as[v]) for u, v in grouping.edges if shown_as[u] != shown_as[v])
    return shown_as, edges


def assert_quotient_is_right(grouping: ModuleGrouping, collapsed) -> None:
    q = grouping.quotient(collapsed)
    shown_as, edges = expected_quotient(grouping, set(collapsed))
    assert q.shown_as == shown_as
    assert q.multiplicity == dict(edges) and set(q.edges) == set(edges)
    assert set(q.node_ids) == set(shown_as.values()) and len(q.node_ids) == len(set(q.node_ids))
    for gid, members in q.members.items():
        assert q.attrs[gid]["count"] == len(members) == sum(1 for s in shown_as.values() if s == gid)
        assert q.attrs[gid]["label"] == gid.removeprefix("group:")


# ----- a small hand-made graph: a model with a ModuleList of two blocks, each with an attention -----------
ATTRS = {
    "loss": {"cls": "MseLossBackward0", "module": "loss", "param": None},
    "add1": {"cls": "AddBackward0", "module": "blocks.1", "param": None},
    "att1a": {"cls": "BmmBackward0", "module": "blocks.1.attn", "param": None},
    "att1b": {"cls": "SoftmaxBackward0", "module": "blocks.1.attn", "param": None},
    "w1": {"cls": "AccumulateGrad", "label": "blocks.1.attn.weight", "module": "blocks.1.attn",
           "param": "blocks.1.attn.weight"},
    "add0": {"cls": "AddBackward0", "module": "blocks.0", "param": None},
    "att0a": {"cls": "BmmBackward0", "module": "blocks.0.attn", "param": None},
    "att0b": {"cls": "SoftmaxBackward0", "module": "blocks.0.attn", "param": None},
    "relu": {"cls": "ReluBackward0", "module": "", "param": None},
    "head": {"cls": "AddmmBackward0", "module": "head", "param": None},
    "hw": {"cls": "AccumulateGrad", "label": "head.weight", "module": "head", "param": "head.weight"},
}
EDGES = [("loss", "head"), ("head", "hw"), ("head", "relu"), ("relu", "add1"), ("add1", "att1a"),
         ("add1", "add0"), ("att1a", "att1b"), ("att1a", "w1"), ("att1b", "add0"), ("add0", "att0a"),
         ("att0a", "att0b")]
CLASSES = {"": "Net", "blocks": "ModuleList", "blocks.0": "Block", "blocks.0.attn": "Attention",
           "blocks.1": "Block", "blocks.1.attn": "Attention", "head": "Linear"}


@pytest.fixture
def small() -> ModuleGrouping:
    return ModuleGrouping(list(ATTRS), ATTRS, EDGES, CLASSES)


def test_the_module_tree_looks_through_containers_and_skips_the_loss(small):
    assert small.depth == {"blocks.0": 1, "blocks.1": 1, "blocks.0.attn": 2, "blocks.1.attn": 2, "head": 1}
    assert small.max_depth == 2
    assert small.children("") == ["blocks.1", "blocks.0", "head"]  # graph order; "blocks" is a ModuleList
    assert small.children("blocks.1") == ["blocks.1.attn"]
    assert small.size["blocks.1"] == 4 and small.size["blocks"] == 7
    assert small.at_depth(1) == {"blocks.0", "blocks.1", "head"}
    assert small.at_depth(2) == {"blocks.0.attn", "blocks.1.attn", "head"}  # head has nothing inside: stays a box
    assert small.enclosing("att1a") == ["blocks.1.attn", "blocks.1"]
    assert small.enclosing("loss") == [] and small.enclosing("relu") == []
    assert "depth 2" in repr(small)


def test_quotient_counts_members_and_merges_edges_with_their_multiplicity(small):
    q = small.quotient({"blocks.0", "blocks.1"})
    assert q.node_ids == ("loss", "group:blocks.1", "group:blocks.0", "relu", "head", "hw")  # first members
    assert q.attrs["group:blocks.1"]["count"] == 4 and q.attrs["group:blocks.0"]["count"] == 3
    assert q.attrs["group:blocks.1"]["class"] == "Block"
    assert q.multiplicity[("group:blocks.1", "group:blocks.0")] == 2  # add1 -> add0 and att1b -> add0
    assert q.multiplicity[("relu", "group:blocks.1")] == 1
    assert set(q.members["group:blocks.0"]) == {"add0", "att0a", "att0b"}
    assert is_group("group:blocks.0") and not is_group("add0")
    for collapsed in [set(), {"blocks.1.attn"}, {"blocks.0", "blocks.1.attn"}, {"head", "blocks.1", "blocks.1.attn"}]:
        assert_quotient_is_right(small, collapsed)
    assert "2 groups" in repr(q)


def test_nothing_collapsed_is_the_graph_itself(small):
    q = small.quotient(())
    assert q.node_ids == tuple(ATTRS) and set(q.edges) == set(EDGES) and not q.members
    assert all(q.attrs[n] is ATTRS[n] for n in ATTRS)


def test_expand_opens_one_level_and_collapse_undoes_it(small):
    top = small.at_depth(1)
    opened = small.expand(top, "blocks.1")
    assert opened == {"blocks.0", "blocks.1.attn", "head"}
    assert small.collapse(opened, "blocks.1") == top
    assert small.expand(top, "not collapsed") == top
    assert small.collapse(top, "loss") == top  # not a module of the model
    everything = small.collapse(small.at_depth(2), "blocks.0")
    assert everything == {"blocks.0", "blocks.1.attn", "head"}  # blocks.0.attn went inside blocks.0


def test_reveal_opens_every_module_around_a_node(small):
    collapsed = small.reveal(small.at_depth(1), "att1b")
    assert "blocks.1" not in collapsed and "blocks.1.attn" not in collapsed
    assert small.quotient(collapsed).shown_as["att1b"] == "att1b"
    assert {"blocks.0", "head"} <= collapsed  # the rest stays as it was


def test_layout_places_every_shown_node_with_bends_for_long_edges(small):
    q = small.quotient({"blocks.1.attn"})
    pos, bends = q.layout()
    assert set(pos) == set(q.node_ids)
    for (u, v), points in bends.items():
        assert (u, v) in q.multiplicity
        assert len(points) == round(pos[v][1] - pos[u][1]) - 1


def test_search_matches_class_module_and_parameter_case_insensitively():
    order = list(ATTRS)
    assert matching_nodes(order, ATTRS, "softmax") == ["att1b", "att0b"]
    assert matching_nodes(order, ATTRS, "BLOCKS.1.ATTN") == ["att1a", "att1b", "w1"]
    assert matching_nodes(order, ATTRS, "head.weight") == ["hw"]
    assert matching_nodes(order, ATTRS, "  ") == [] and matching_nodes(order, ATTRS, "nothing") == []


# ----- real graphs -----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def transformer() -> ModuleGrouping:
    torch.manual_seed(0)
    layer = nn.TransformerEncoderLayer(d_model=16, nhead=2, dim_feedforward=32, batch_first=True)
    return traced(nn.TransformerEncoder(layer, 3, enable_nested_tensor=False), torch.randn(1, 4, 16))


def test_a_transformer_reads_as_its_blocks_first(transformer):
    assert len(transformer.node_ids) > 150
    collapsed = transformer.default_collapsed()
    assert collapsed == {"layers.0", "layers.1", "layers.2"}
    q = transformer.quotient(collapsed)
    assert len(q.members) == 3 and len(q.node_ids) < 10  # the loss's few nodes and three blocks
    assert sum(q.attrs[g]["count"] for g in q.members) == transformer.size["layers"]
    assert q.attrs["group:layers.1"]["class"] == "TransformerEncoderLayer"
    pos, _ = q.layout()
    assert pos["group:layers.2"][1] < pos["group:layers.1"][1] < pos["group:layers.0"][1]  # loss end on top
    assert transformer.default_collapsed(max_expanded=10_000) == frozenset()


def test_opening_one_transformer_block_shows_its_submodules(transformer):
    opened = transformer.expand(transformer.default_collapsed(), "layers.1")
    assert {"layers.1.self_attn", "layers.1.linear1", "layers.1.linear2", "layers.1.norm1"} <= opened
    assert "layers.1" not in opened and {"layers.0", "layers.2"} <= opened
    for collapsed in (opened, transformer.at_depth(2), transformer.at_depth(1)):
        assert_quotient_is_right(transformer, collapsed)
    own = [n for n in transformer.node_ids if transformer.attrs[n]["module"] == "layers.1"]
    q = transformer.quotient(opened)
    assert own and all(q.shown_as[n] == n for n in own)  # the block's own ops (residual adds) show


class Shared(nn.Module):
    """One Linear used twice, with a ReLU of the model's own between: collapsing it makes a cycle."""

    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 4)
        self.out = nn.Linear(4, 1)

    def forward(self, x):
        return self.out(self.fc(torch.relu(self.fc(x))))


def test_a_module_called_twice_makes_a_cycle_that_the_layout_survives():
    grouping = traced(Shared(), torch.randn(2, 4))
    q = grouping.quotient({"fc"})
    graph = q.to_networkx()
    assert not nx.is_directed_acyclic_graph(graph)
    relu = next(n for n in q.node_ids if q.attrs[n].get("cls") == "ReluBackward0")
    assert graph.has_edge("group:fc", relu) and graph.has_edge(relu, "group:fc")
    pos, bends = q.layout()
    assert set(pos) == set(q.node_ids)
    assert set(bends) <= set(q.edges)  # bends keyed the way the edges point, reversed ones too
    assert_quotient_is_right(grouping, {"fc"})
