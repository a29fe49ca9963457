"""The traced grad_fn graph and its module attribution, checked against PyTorch's own next_functions."""

import json
from collections import Counter

import networkx as nx
import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F

from explorer.core.autograd.graph import to_dot, to_node_link, trace_graph
from explorer.core.models import build_model
from explorer.core.autograd.module_attribution import record_node_modules
from explorer.core.seeding import generator


def walk(roots):
    """An independent recursive walk of next_functions: the node set and the edge multiset."""
    nodes, edges, nones = set(), Counter(), 0

    def visit(node):
        nonlocal nones
        if node in nodes:
            return
        nodes.add(node)
        for next_node, _ in node.next_functions:
            if next_node is None:
                nones += 1
            else:
                edges[node, next_node] += 1
                visit(next_node)

    for root in roots:
        visit(root.grad_fn)
    return nodes, edges, nones


def assert_matches_walk(g, roots):
    nodes, edges, nones = walk(roots)
    assert set(g.nodes.values()) == nodes
    traced = Counter()
    for u, v, attributes in g.graph.edges(data=True):
        traced[g.nodes[u], g.nodes[v]] += len(attributes["slots"])
    assert traced == edges
    assert g.graph.graph["none_inputs"] == nones


def nodes_of(g, cls):
    return [n for n, a in g.graph.nodes(data=True) if a["cls"] == cls]


@pytest.fixture
def seed_case():
    model = build_model("seed", 0)
    x = torch.randn(1, 1, 32, 32, generator=generator(0))
    target = torch.arange(1, 11, dtype=torch.float32).view(1, 10)
    with record_node_modules(model) as node_modules:
        out = model(x)
    loss = nn.MSELoss()(out, target)
    return model, loss, trace_graph(loss, model=model, node_modules=node_modules)


def test_seed_graph_has_the_documented_shape(seed_case):
    model, loss, g = seed_case
    assert g.graph.number_of_nodes() == 26 and g.graph.number_of_edges() == 25
    assert len(nodes_of(g, "AccumulateGrad")) == 10
    assert g.graph.graph["none_inputs"] == 2  # the input and the target need no gradient
    assert g.graph.graph["roots"] == ["n0"] and g.graph.nodes["n0"]["cls"] == "MseLossBackward0"
    assert g.nodes["n0"] is loss.grad_fn and g.id_of(loss.grad_fn) == "n0"
    assert list(g.graph.nodes) == [f"n{i}" for i in range(26)]
    assert "26 nodes, 25 edges" in repr(g)


def test_seed_graph_follows_the_tutorials_walk(seed_case):
    model, loss, g = seed_case
    linear = loss.grad_fn.next_functions[0][0]  # "Linear" in the tutorial
    linear_id = g.id_of(linear)
    assert g.graph.has_edge("n0", linear_id) and g.graph.edges["n0", linear_id]["slots"] == [0]
    assert g.graph.nodes[linear_id]["cls"] == "AddmmBackward0"
    # the tutorial's "ReLU": today addmm lists (bias, input, weight.T), so ReLU is its next function 1
    relu = linear.next_functions[1][0]
    assert g.graph.nodes[g.id_of(relu)]["cls"] == "ReluBackward0"
    assert g.graph.edges[linear_id, g.id_of(relu)]["slots"] == [1]


def test_seed_graph_equals_an_independent_walk(seed_case):
    model, loss, g = seed_case
    assert_matches_walk(g, [loss])


def test_every_parameter_names_its_accumulate_grad_once(seed_case):
    model, loss, g = seed_case
    params = sorted(g.graph.nodes[n]["param"] for n in nodes_of(g, "AccumulateGrad"))
    assert params == sorted(name for name, _ in model.named_parameters())
    for n in nodes_of(g, "AccumulateGrad"):
        attributes = g.graph.nodes[n]
        assert attributes["label"] == attributes["param"]
        assert g.nodes[n].variable is model.get_parameter(attributes["param"])
    assert all(a["param"] is None for n, a in g.graph.nodes(data=True) if a["cls"] != "AccumulateGrad")


def test_modules_are_attributed_innermost_first(seed_case):
    model, loss, g = seed_case
    modules = {n: a["module"] for n, a in g.graph.nodes(data=True)}
    # the three Linear layers, from the loss down: fc3, fc2, fc1 (mat1 widths 84, 1200, 400)
    addmm = sorted(nodes_of(g, "AddmmBackward0"), key=lambda n: int(n[1:]))
    assert [modules[n] for n in addmm] == ["fc3", "fc2", "fc1"]
    assert sorted(modules[n] for n in nodes_of(g, "ConvolutionBackward0")) == ["conv1", "conv2"]
    assert sorted(modules[n] for n in nodes_of(g, "TBackward0")) == ["fc1", "fc2", "fc3"]
    # F.relu, F.max_pool2d and view run in Net.forward: the model itself, named ""
    for cls in ("ReluBackward0", "MaxPool2DWithIndicesBackward0", "ViewBackward0"):
        assert nodes_of(g, cls) and all(modules[n] == "" for n in nodes_of(g, cls))
    assert modules["n0"] is None  # the loss runs outside the model
    for n in nodes_of(g, "AccumulateGrad"):
        assert modules[n] == g.graph.nodes[n]["param"].rsplit(".", 1)[0]


def test_saved_values_are_read_before_backward_and_match_the_tensors(seed_case):
    model, loss, g = seed_case
    fc1 = next(n for n in nodes_of(g, "AddmmBackward0") if g.graph.nodes[n]["module"] == "fc1")
    saved = dict(g.graph.nodes[fc1]["saved"])
    assert saved["mat1"] == [1, 400] and saved["mat2"] == [400, 1200]
    checked = 0
    for node_id, attributes in g.graph.nodes(data=True):
        for name, value in attributes["saved"]:
            real = getattr(g.nodes[node_id], f"_saved_{name}")
            if isinstance(real, torch.Tensor):
                assert value == list(real.shape)
                checked += 1
            else:
                assert isinstance(value, str)
    assert checked >= 15
    json.dumps(to_node_link(g))  # plain JSON types only


def test_tracing_after_backward_marks_freed_tensors_instead_of_failing(seed_case):
    model, loss, g = seed_case
    loss.backward()
    after = trace_graph(loss, model=model)
    assert after.graph.number_of_nodes() == 26
    fc_saved = dict(after.graph.nodes[g.id_of(loss.grad_fn.next_functions[0][0])]["saved"])
    assert fc_saved["mat1"].startswith("<unavailable")


def test_a_tensor_used_twice_gives_a_double_edge():
    x = torch.randn(3, requires_grad=True)
    y = (x * x + x).sum()
    g = trace_graph(y, extra_names={id(x): "x"})
    assert_matches_walk(g, [y])
    mul = nodes_of(g, "MulBackward0")[0]
    (leaf,) = nodes_of(g, "AccumulateGrad")
    assert g.graph.edges[mul, leaf]["slots"] == [0, 1]
    assert g.graph.in_degree(leaf) == 2  # from x * x and from + x
    assert g.graph.nodes[leaf]["param"] == g.graph.nodes[leaf]["label"] == "x"
    assert trace_graph(y).graph.nodes[leaf]["param"] == "input"
    assert to_dot(g).count(f"{mul} -> {leaf};") == 2


class ResidualBlock(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(4, 4, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(4)
        self.conv2 = nn.Conv2d(4, 4, 3, padding=1)
        self.bn2 = nn.BatchNorm2d(4)

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        return F.relu(self.bn2(self.conv2(out)) + x)


class ResNetLike(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(1, 4, 3)
        self.blocks = nn.Sequential(ResidualBlock(), ResidualBlock())
        self.head = nn.Linear(4 * 6 * 6, 3)

    def forward(self, x):
        return self.head(self.blocks(self.stem(x)).flatten(1))


def test_skip_connections_and_nested_modules():
    torch.manual_seed(0)
    model = ResNetLike()
    with record_node_modules(model) as node_modules:
        out = model(torch.randn(2, 1, 8, 8))
    loss = out.pow(2).mean()
    g = trace_graph(loss, model=model, node_modules=node_modules)
    assert_matches_walk(g, [loss])
    assert nx.is_directed_acyclic_graph(g.graph)
    modules = nx.get_node_attributes(g.graph, "module")
    batch_norms = nodes_of(g, "NativeBatchNormBackward0")
    assert sorted(modules[n] for n in batch_norms) == [f"blocks.{b}.bn{i}" for b in (0, 1) for i in (1, 2)]
    adds = nodes_of(g, "AddBackward0")
    assert sorted(modules[n] for n in adds) == ["blocks.0", "blocks.1"]  # the skip's + lives in the block
    for add in adds:  # the skip: one input through bn2, the other straight from the block's input
        inputs = {g.graph.nodes[v]["cls"] for v in g.graph.successors(add)}
        assert "NativeBatchNormBackward0" in inputs and inputs & {"ReluBackward0", "ConvolutionBackward0"}
    assert modules[g.id_of(out.grad_fn)] == "head"
    assert {modules[n] for n in nodes_of(g, "ReluBackward0")} == {"blocks.0", "blocks.1"}
    params = {g.graph.nodes[n]["param"]: modules[n] for n in nodes_of(g, "AccumulateGrad")}
    assert params == {name: name.rsplit(".", 1)[0] for name, _ in model.named_parameters()}
    assert "blocks" not in set(modules.values())  # Sequential adds nothing of its own


class SharedLinear(nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(4, 4)

    def forward(self, x):
        return self.lin(torch.tanh(self.lin(x)))


def test_a_module_called_twice_shares_its_accumulate_grads_and_claims_both_calls():
    torch.manual_seed(0)
    model = SharedLinear()
    with record_node_modules(model) as node_modules:
        out = model(torch.randn(2, 4))
    root = out.sum()
    g = trace_graph(root, model=model, node_modules=node_modules)
    assert_matches_walk(g, [root])
    weight = next(n for n in nodes_of(g, "AccumulateGrad") if g.graph.nodes[n]["param"] == "lin.weight")
    bias = next(n for n in nodes_of(g, "AccumulateGrad") if g.graph.nodes[n]["param"] == "lin.bias")
    assert g.graph.in_degree(weight) == 2 and g.graph.in_degree(bias) == 2
    modules = nx.get_node_attributes(g.graph, "module")
    assert [modules[n] for n in nodes_of(g, "AddmmBackward0")] == ["lin", "lin"]
    assert modules[weight] == modules[bias] == "lin"
    assert [modules[n] for n in nodes_of(g, "TanhBackward0")] == [""]
    assert len(node_modules) == g.graph.number_of_nodes() - 1  # all but the sum outside the model


def test_several_outputs_are_several_roots():
    torch.manual_seed(0)
    trunk, left, right = nn.Linear(3, 5), nn.Linear(5, 2), nn.Linear(5, 1)
    h = torch.relu(trunk(torch.randn(4, 3)))
    outputs = [left(h).sum(), right(h).mean(), left(h).sum()]
    g = trace_graph(outputs)
    assert_matches_walk(g, outputs)
    assert g.graph.graph["roots"] == ["n0", "n1", "n2"]
    assert [g.graph.nodes[r]["cls"] for r in g.graph.graph["roots"]] == ["SumBackward0", "MeanBackward0", "SumBackward0"]
    relu = nodes_of(g, "ReluBackward0")
    assert len(relu) == 1 and g.graph.in_degree(relu[0]) == 3


def test_a_root_without_grad_fn_is_refused():
    with pytest.raises(ValueError, match="no grad_fn"):
        trace_graph(torch.ones(2))


def test_hooks_are_removed_on_exit_and_on_errors():
    model = build_model("seed", 0)
    with record_node_modules(model):
        model(torch.randn(1, 1, 32, 32))
    assert all(not m._forward_hooks and not m._forward_pre_hooks for m in model.modules())
    with pytest.raises(RuntimeError):
        with record_node_modules(model):
            model(torch.randn(1, 3, 32, 32))  # wrong channel count: conv1 raises
    assert all(not m._forward_hooks and not m._forward_pre_hooks for m in model.modules())


class Recovering(nn.Module):
    """A forward that catches a failing submodule and carries on with another one."""

    def __init__(self):
        super().__init__()
        self.bad = nn.Linear(7, 7)
        self.good = nn.Linear(4, 4)

    def forward(self, x):
        try:
            x = self.bad(x)
        except RuntimeError:
            pass
        return self.good(x) * 2


def test_a_failed_inner_call_does_not_disturb_the_others():
    model = Recovering()
    with record_node_modules(model) as node_modules:
        out = model(torch.randn(2, 4))
    g = trace_graph(out, model=model, node_modules=node_modules)
    modules = nx.get_node_attributes(g.graph, "module")
    assert modules[g.id_of(out.grad_fn)] == ""  # the * 2
    assert [modules[n] for n in nodes_of(g, "AddmmBackward0")] == ["good"]
    assert "bad" not in set(modules.values())
    assert "NodeModules(" in repr(node_modules)


def test_node_link_round_trip_and_dot(seed_case):
    model, loss, g = seed_case
    data = json.loads(json.dumps(to_node_link(g, positions={n: (1.0, 2.0) for n in g.graph})))
    back = nx.node_link_graph(data, edges="edges")
    assert set(back.nodes) == set(g.graph.nodes) and set(back.edges) == set(g.graph.edges)
    assert back.is_directed() and not back.is_multigraph()
    assert back.nodes["n0"]["cls"] == "MseLossBackward0" and back.nodes["n0"]["x"] == 1.0
    assert back.graph["none_inputs"] == 2
    dot = to_dot(g)
    assert dot.startswith("digraph") and dot.rstrip().endswith("}")
    assert sum(" -> " in line for line in dot.splitlines()) == 25
    assert '"fc1.weight\\nfc1"' in dot and '"ReluBackward0\\nNet"' in dot
