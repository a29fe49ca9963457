"""The built-in models: their shapes and graphs, stepping against plain PyTorch, and training on digits."""

import networkx as nx
import pytest
import torch
import torch.nn as nn

from explorer.core.builtin_models import MLP, SmallResNet
from explorer.core.data.datasets import accuracy, load_dataset
from explorer.core.models import (
    BUILTIN_INPUT_SHAPES, BUILTIN_MODELS, ModelSpec, ModelSpecError, build_model, input_shape_for, sample_shape_for,
)
from explorer.core.session import SessionConfig, StepSession
from explorer.core.snapshot import Snapshotter, inspect
from explorer.core.training.loop import TrainConfig, train


@pytest.fixture(scope="module")
def digits():
    return load_dataset("digits")


def test_every_builtin_has_an_input_shape_and_gives_ten_scores():
    assert set(BUILTIN_MODELS) == {"seed", "resnet", "mlp"} == set(BUILTIN_INPUT_SHAPES)
    for name in BUILTIN_MODELS:
        shape = input_shape_for(name)
        assert shape == (1, 1, 32, 32) and sample_shape_for(name) == (1, 32, 32)
        model = build_model(name, seed=0)
        assert model(torch.randn(3, *shape[1:])).shape == (3, 10)


def test_resnet_has_batch_norm_and_both_kinds_of_skip():
    model = SmallResNet()
    assert sum(isinstance(m, nn.BatchNorm2d) for m in model.modules()) == 6
    assert isinstance(model.block1.shortcut, nn.Identity)  # same shape: x itself
    assert isinstance(model.block2.shortcut[0], nn.Conv2d)  # halves the size: a 1x1 projection
    assert model.block2.shortcut[0].stride == (2, 2)


def test_mlp_takes_its_sizes_as_keyword_arguments():
    model = build_model(ModelSpec("mlp", kwargs={"hidden": 32}), seed=0)
    assert isinstance(model, MLP) and model.fc1.out_features == 32 and model.fc2.in_features == 32
    with pytest.raises(ModelSpecError, match="model 'mlp': .*unexpected keyword argument 'width'"):
        build_model(ModelSpec("mlp", kwargs={"width": 3}))


@pytest.mark.parametrize("name", ["resnet", "mlp"])
def test_builtins_are_seeded(name):
    a, b, c = build_model(name, 3), build_model(name, 3), build_model(name, 4)
    pairs = list(zip(a.parameters(), b.parameters(), c.parameters()))
    assert all(torch.equal(p, q) for p, q, _ in pairs)
    assert not all(torch.equal(p, r) for p, _, r in pairs)


def test_resnet_graph_is_a_dag_with_joins(digits):
    s = StepSession(SessionConfig(model="resnet", dataset="digits", batch_size=2))
    s.run_forward()
    s.compute_loss()
    g = s.graph.graph
    assert nx.is_directed_acyclic_graph(g)
    adds = [n for n, a in g.nodes(data=True) if a["cls"] == "AddBackward0"]
    assert {g.nodes[n]["module"] for n in adds} == {"block1", "block2"}  # each block's skip joins there
    assert all(g.out_degree(n) == 2 for n in adds)  # the residual path and the shortcut
    # each block's input is used twice (residual path and shortcut), so gradients meet at its node
    joins = [n for n in g if g.in_degree(n) == 2 and g.nodes[n]["cls"] != "AccumulateGrad"]
    assert len(joins) == 2
    batch_norm_params = [a["param"] for _, a in g.nodes(data=True) if a["param"] and ".bn" in a["param"]]
    assert len(batch_norm_params) == 8  # weight and bias of 4 batch norms inside the blocks


@pytest.mark.parametrize("name", ["seed", "resnet", "mlp"])
def test_stepping_a_builtin_gives_plain_pytorchs_gradients_and_update(name):
    s = StepSession(SessionConfig(model=name, dataset="digits", batch_size=4, optimizer="sgd", lr=0.1, seed=2))
    reference = build_model(name, seed=2)
    x, y = s.inputs.clone(), s.targets.clone()
    while s.phase.value != "forward done":
        s.step_forward()
    s.compute_loss()
    while s.phase.value != "backward done":
        s.step_backward()
    loss = nn.CrossEntropyLoss()(reference(x), y)
    loss.backward()
    torch.testing.assert_close(s.loss, loss)
    ours = dict(s.model.named_parameters())
    for pname, p in reference.named_parameters():
        torch.testing.assert_close(ours[pname].grad, p.grad, msg=pname)
    for (bname, b), (_, ref) in zip(s.model.named_buffers(), reference.named_buffers()):
        torch.testing.assert_close(b, ref, msg=bname)  # batch norm saw this batch once, as in plain PyTorch
    s.update()
    optimizer = torch.optim.SGD(reference.parameters(), lr=0.1, momentum=0.9)
    optimizer.step()
    for pname, p in reference.named_parameters():
        torch.testing.assert_close(ours[pname], p, msg=pname)


@pytest.mark.parametrize("name", ["resnet", "mlp"])
def test_every_step_of_a_builtin_can_be_pictured_and_inspected(name):
    s = StepSession(SessionConfig(model=name, dataset="digits", batch_size=2))
    s.run_forward()
    s.compute_loss()
    s.run_backward()
    snap = Snapshotter(s).snapshot()
    assert len(snap.forward) == len(s.forward_steps) and snap.graph is not None
    assert snap.backward_total == len(snap.graph.node_ids)
    for index in range(len(s.forward_steps)):
        assert inspect(s, "activation", str(index)).views
    for pname in s.param_names:
        assert inspect(s, "param", pname).views[1] is not None  # the gradient is there
    for node_id in snap.graph.node_ids:
        assert inspect(s, "node", node_id).title


@pytest.mark.parametrize("name, lr, steps, floor", [("mlp", 0.002, 80, 0.9), ("resnet", 0.003, 120, 0.85)])
def test_builtin_trains_on_digits(digits, name, lr, steps, floor):
    model = build_model(name, seed=0)
    before = accuracy(model, digits.test_x, digits.test_y)
    config = TrainConfig(optimizer="adam", lr=lr, batch_size=32, steps=steps, seed=0)
    last = list(train(model, digits, config))[-1]
    assert last.nonfinite is None and before < 0.3
    assert last.test_accuracy > floor
