"""The stepping session against plain PyTorch doing the same thing."""

import copy

import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F

from explorer.core.moves import Move
from explorer.core.session import Phase, SessionConfig, SessionError, StepSession


def plain_copy(session: StepSession) -> nn.Module:
    return copy.deepcopy(session.model)


@pytest.fixture
def tutorial():
    return StepSession(SessionConfig(dataset="tutorial", seed=3))


def test_forward_steps_follow_the_tutorial_forward(tutorial):
    net = plain_copy(tutorial)
    x = tutorial.inputs
    titles = []
    while tutorial.phase is not Phase.FORWARD_DONE:
        titles.append(tutorial.step_forward().title)
    assert titles == ["conv1", "relu (forward)", "max_pool2d (forward)", "conv2", "relu (forward)",
                      "max_pool2d (forward)", "view (forward)", "fc1", "relu (forward)", "fc2", "relu (forward)", "fc3"]
    steps = tutorial.forward_steps
    # Every recorded tensor is what plain PyTorch computes at that point.
    c1 = net.conv1(x)
    p1 = F.max_pool2d(F.relu(c1), (2, 2))
    c2 = net.conv2(p1)
    flat = F.max_pool2d(F.relu(c2), 2).view(1, -1)
    torch.testing.assert_close(steps[0].output, c1, rtol=0, atol=0)
    torch.testing.assert_close(steps[0].inputs[0], x, rtol=0, atol=0)
    torch.testing.assert_close(steps[2].output, p1, rtol=0, atol=0)
    torch.testing.assert_close(steps[3].output, c2, rtol=0, atol=0)
    torch.testing.assert_close(steps[6].output, flat, rtol=0, atol=0)
    torch.testing.assert_close(steps[-1].output, net(x), rtol=0, atol=0)
    torch.testing.assert_close(tutorial.output.detach(), net(x), rtol=0, atol=0)


def test_loss_equals_mse_against_one_to_ten(tutorial):
    net = plain_copy(tutorial)
    tutorial.run_forward()
    loss = tutorial.compute_loss()
    expected = nn.MSELoss()(net(tutorial.inputs), torch.arange(1, 11, dtype=torch.float32).view(1, 10))
    assert loss == pytest.approx(float(expected.detach()), rel=1e-6)
    assert tutorial.graph.graph.number_of_nodes() == 26


def reference_backward_order(net: nn.Module, x, target, loss_fn):
    """The order plain autograd runs the nodes, from hooks registered by this test itself."""
    params = {id(p): n for n, p in net.named_parameters()}
    loss = loss_fn(net(x), target)
    order, seen, stack = [], set(), [loss.grad_fn]
    handles = []
    while stack:
        node = stack.pop()
        if node is None or node in seen:
            continue
        seen.add(node)
        label = params.get(id(getattr(node, "variable", None)), type(node).__name__)
        handles.append(node.register_hook(lambda gi, go, label=label: order.append(label)))
        stack.extend(n for n, _ in node.next_functions)
    loss.backward()
    for h in handles:
        h.remove()
    return order


def test_backward_steps_run_in_the_engine_order_with_real_gradients(tutorial):
    net = plain_copy(tutorial)
    expected_order = reference_backward_order(net, tutorial.inputs, tutorial.targets, nn.MSELoss())
    tutorial.run_forward()
    tutorial.compute_loss()
    labels = []
    while tutorial.phase is not Phase.BACKWARD_DONE:
        step = tutorial.step_backward()
        labels.append(step.param or step.cls)
    assert labels == expected_order
    assert len(labels) == 26
    for name, p in net.named_parameters():
        torch.testing.assert_close(tutorial.grad_of(name), p.grad, rtol=1e-6, atol=1e-7)
    # AccumulateGrad steps carry the parameter's gradient as their incoming gradient.
    for step in tutorial.backward_steps:
        if step.cls == "AccumulateGrad":
            torch.testing.assert_close(step.grad_in[0], dict(net.named_parameters())[step.param].grad)
            assert step.grad_out == ()


def test_conv1_bias_grad_before_and_after_backward_as_the_tutorial_prints(tutorial):
    tutorial.run_forward()
    tutorial.compute_loss()
    assert tutorial.grad_of("conv1.bias") is None  # nothing has written it yet
    tutorial.run_backward()
    tutorial.zero_grad()  # the tutorial's net.zero_grad() before backward: None, torch's default since 2.0
    assert tutorial.grad_of("conv1.bias") is None
    tutorial.run_forward()
    tutorial.compute_loss()
    tutorial.step_backward()
    assert tutorial.grad_of("conv1.bias") is None  # not reached yet at step 1
    tutorial.run_backward()
    grad = tutorial.grad_of("conv1.bias")
    assert grad.shape == (6,) and grad.abs().sum() > 0


def test_backward_from_output_with_a_seeded_random_gradient():
    a = StepSession(SessionConfig(dataset="tutorial", seed=5))
    net = plain_copy(a)
    a.run_forward()
    a.backward_from_output()
    a.run_backward()
    g = torch.Generator().manual_seed(5 + 1)
    out = net(a.inputs)
    out.backward(torch.randn(out.shape, generator=g))
    for name, p in net.named_parameters():
        torch.testing.assert_close(a.grad_of(name), p.grad)
    assert a.backward_root == "output"
    assert a.graph.graph.number_of_nodes() == 25  # no loss node


@pytest.mark.parametrize("optimizer", ["manual-sgd", "sgd", "adam"])
def test_update_equals_torch_optim(optimizer):
    s = StepSession(SessionConfig(dataset="digits", batch_size=4, optimizer=optimizer, lr=0.05, seed=1))
    net = plain_copy(s)
    if optimizer == "manual-sgd":
        ref_step = None
    elif optimizer == "sgd":
        ref_step = torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9).step
    else:
        ref_step = torch.optim.Adam(net.parameters(), lr=0.05).step
    for _ in range(2):
        s.run_forward()
        s.compute_loss()
        s.run_backward()
        record = s.update()
        net.zero_grad()
        nn.CrossEntropyLoss()(net(s.inputs), s.targets).backward()
        if ref_step is None:
            with torch.no_grad():
                for p in net.parameters():
                    p -= 0.05 * p.grad  # the tutorial's weight = weight - learning_rate * gradient
        else:
            ref_step()
        for name, p in net.named_parameters():
            torch.testing.assert_close(record.after[name], p.detach())
        s.zero_grad()
        s.next_batch()


def test_moves_out_of_order_are_refused_with_a_reason(tutorial):
    with pytest.raises(SessionError, match="backward"):
        tutorial.update()
    with pytest.raises(SessionError, match="forward"):
        tutorial.compute_loss()
    with pytest.raises(SessionError, match="loss"):
        tutorial.step_backward()
    tutorial.run_forward()
    with pytest.raises(SessionError, match="finished"):
        tutorial.step_forward()
    tutorial.compute_loss()
    tutorial.run_backward()
    with pytest.raises(SessionError, match="finished"):
        tutorial.step_backward()
    tutorial.update()
    with pytest.raises(SessionError, match="already updated"):
        tutorial.update()
    assert Move.STEP_FORWARD in tutorial.legal_moves()


def test_legal_moves_follow_the_phase(tutorial):
    assert Move.UPDATE not in tutorial.legal_moves()
    assert Move.STEP_FORWARD in tutorial.legal_moves()
    tutorial.step_forward()
    assert Move.LOSS not in tutorial.legal_moves()
    tutorial.run_forward()
    assert {Move.LOSS, Move.BACKWARD_FROM_OUTPUT} <= tutorial.legal_moves()
    tutorial.compute_loss()
    tutorial.step_backward()
    assert Move.ZERO_GRAD not in tutorial.legal_moves()  # mid-pass: the gradients are already written
    tutorial.run_backward()
    assert Move.UPDATE in tutorial.legal_moves()


def test_status_line_says_where_the_step_stands(tutorial):
    for _ in range(4):
        tutorial.step_forward()
    assert tutorial.status() == "forward 4/12: conv2"
    tutorial.run_forward()
    tutorial.compute_loss()
    for _ in range(12):
        step = tutorial.step_backward()
    assert tutorial.status() == f"backward 12/26: {step.title}"


def test_same_seed_same_numbers_and_reset_restores_the_start():
    a = StepSession(SessionConfig(dataset="digits", seed=7))
    b = StepSession(SessionConfig(dataset="digits", seed=7))
    assert torch.equal(a.inputs, b.inputs)
    a.run_forward(), b.run_forward()
    assert a.compute_loss() == b.compute_loss()
    start = {n: p.detach().clone() for n, p in a.model.named_parameters()}
    a.run_backward()
    a.update()
    a.reset()
    for n, p in a.model.named_parameters():
        assert torch.equal(p, start[n])
    assert a.phase is Phase.READY and torch.equal(a.inputs, b.inputs)


DAG_MODEL = '''
import torch
import torch.nn as nn

class SkipNet(nn.Module):
    """A skip connection, a weight shared by two calls and a functional op (torch.cat)."""
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(1024, 32)
        self.shared = nn.Linear(32, 32)
        self.norm = nn.BatchNorm1d(32)
        self.head = nn.Linear(64, 10)

    def forward(self, x):
        h = torch.relu(self.inp(x.flatten(1)))
        y = self.shared(self.norm(self.shared(h))) + h
        return self.head(torch.cat([y, h], dim=1))
'''


def test_a_users_dag_model_steps_with_gradients_equal_to_plain_pytorch(tmp_path):
    path = tmp_path / "skipnet.py"
    path.write_text(DAG_MODEL)
    s = StepSession(SessionConfig(model=f"{path}:SkipNet", dataset="digits", batch_size=4, seed=2))
    net = plain_copy(s)
    s.run_forward()
    kinds = [st.name for st in s.forward_steps]
    assert kinds.count("shared") == 2 and "cat" in kinds and "add" in kinds
    s.compute_loss()
    s.run_backward()
    nn.CrossEntropyLoss()(net(s.inputs), s.targets).backward()
    for name, p in net.named_parameters():
        torch.testing.assert_close(s.grad_of(name), p.grad)
    accumulate = [st.param for st in s.backward_steps if st.cls == "AccumulateGrad"]
    assert sorted(accumulate) == sorted(n for n, _ in net.named_parameters())  # shared weight: one node
