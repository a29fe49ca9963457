"""explorer.session's contract: what it takes, what it refuses (naming the argument and the user's line), and
how it gives the model back."""

import subprocess
import sys

import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

import explorer
from explorer.core.net import Net


class TwoHeads(nn.Module):
    """Keyword inputs and a dict output, as a Hugging Face model has them."""

    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(20, 8)
        self.head = nn.Linear(8, 4)
        self.aux = nn.Linear(8, 2)

    def forward(self, input_ids, attention_mask):
        h = (self.embed(input_ids) * attention_mask.unsqueeze(-1)).mean(1)
        return {"scores": self.head(h), "aux": self.aux(h)}


def tokens(n=3, length=5, seed=0):
    ids = torch.randint(0, 20, (n, length), generator=torch.Generator().manual_seed(seed))
    return {"input_ids": ids, "attention_mask": torch.ones_like(ids)}


def steps_through(s):
    s.run_forward()
    s.compute_loss()
    s.run_backward()
    return s.update()


def test_a_tensor_batch_with_class_targets_steps_with_cross_entropy_and_updates_the_users_model():
    net = Net()
    before = net.fc3.bias.detach().clone()
    s = explorer.session(net, torch.randn(2, 1, 32, 32), target=torch.tensor([1, 2]), lr=0.1)
    assert s.model is net and s.source.loss_name == "CrossEntropyLoss" and s.source.task == "classification"
    record = steps_through(s)
    assert torch.equal(net.fc3.bias, record.after["fc3.bias"]) and not torch.equal(net.fc3.bias, before)
    torch.testing.assert_close(record.delta("fc3.bias"), -0.1 * net.fc3.bias.grad)


def test_a_dict_batch_goes_in_as_keyword_arguments_and_output_names_the_prediction():
    model = TwoHeads()
    s = explorer.session(model, tokens(), target=torch.tensor([0, 1, 3]), output="scores")
    s.run_forward()
    assert s.output.shape == (3, 4)
    assert s.compute_loss() > 0
    with pytest.raises(explorer.ArgumentError, match=r"(?s)^output: .*no entry 'logits'.*aux: \[3, 2\]") as info:
        explorer.session(model, tokens(), target=torch.tensor([0, 1, 3]), output="logits")
    assert info.value.argument == "output"


def test_a_tuple_batch_is_passed_as_positional_arguments():
    class Pair(nn.Module):
        def __init__(self):
            super().__init__()
            self.a, self.b = nn.Linear(3, 2), nn.Linear(4, 2)

        def forward(self, x, z):
            return self.a(x) + self.b(z)

    s = explorer.session(Pair(), (torch.randn(5, 3), torch.randn(5, 4)), target=torch.randn(5, 2))
    steps_through(s)
    assert s.source.loss_name == "MSELoss"


def test_the_users_loss_fn_and_optimizer_are_the_ones_used():
    model = TwoHeads()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.001)
    calls = []

    def my_loss(prediction, target):
        calls.append(prediction.shape)
        return F.cross_entropy(prediction, target) + 0.0 * prediction.sum()

    s = explorer.session(model, tokens(), target=torch.tensor([0, 1, 3]), loss_fn=my_loss, optimizer=optimizer,
                         output="scores")
    steps_through(s)
    assert calls and s.source.loss_name == "my_loss" and s.optimizer is optimizer and optimizer.state
    assert "Adam" in s.status()


def test_next_batch_draws_from_data_and_starts_it_again_at_its_end():
    x, y = torch.randn(6, 1, 32, 32), torch.arange(6)
    loader = DataLoader(TensorDataset(x, y), batch_size=2)
    s = explorer.session(Net(), data=loader)
    assert torch.equal(s.inputs, x[:2]) and torch.equal(s.targets, y[:2])  # the first batch comes from data
    seen = []
    for _ in range(4):
        s.next_batch()
        seen.append(s.targets.tolist())
    assert seen == [[2, 3], [4, 5], [0, 1], [2, 3]]
    s.reset()
    assert torch.equal(s.targets, y[:2])
    s.next_batch()
    assert torch.equal(s.targets, y[2:4])


def test_dict_items_give_their_labels_as_the_target():
    items = [{**tokens(seed=i), "labels": torch.tensor([i, 1, 2])} for i in range(2)]
    s = explorer.session(TwoHeads(), tokens(), target=torch.tensor([0, 0, 0]), data=items, output="scores")
    s.next_batch()
    assert s.targets.tolist() == [0, 1, 2] and set(s.inputs) == {"input_ids", "attention_mask"}


def test_reset_returns_to_the_weights_the_session_began_with():
    net = Net()
    start = {k: v.clone() for k, v in net.state_dict().items()}
    s = explorer.session(net, torch.randn(2, 1, 32, 32), target=torch.tensor([1, 2]), lr=0.5)
    steps_through(s)
    s.reset()
    assert all(torch.equal(v, start[k]) for k, v in net.state_dict().items())


def test_eval_mode_is_kept_switched_and_given_back():
    net = Net().eval()
    with explorer.session(net, torch.randn(2, 1, 32, 32), target=torch.tensor([1, 2])) as s:
        assert not net.training
        s.set_training(True)
        assert net.training
    assert not net.training


@pytest.mark.parametrize("kwargs, argument, text", [
    ({"batch": torch.randn(2, 3, 7)}, "batch", "forward failed on tensor [2, 3, 7] float32"),
    ({"batch": "x"}, "batch", "expected a tensor, a tuple of tensors or a dict of tensors, got a str"),
    ({"target": torch.tensor([1, 2, 3])}, "target", "the prediction has shape [2, 10], the target [3]"),
    ({"target": torch.randn(2, 3)}, "target", "values to regress to must have the prediction's shape"),
    ({"target": None}, "target", "no target and no loss_fn"),
    ({"loss_fn": lambda p, t: (p - 1) ** 2}, "loss_fn", "returned a tensor of shape [2, 10]"),
    ({"loss_fn": lambda p, t: p.sum().item()}, "loss_fn", "returned float"),
    ({"output": "logits"}, "output", "one tensor, which has no entry 'logits'"),
    ({"optimizer": torch.optim.SGD(nn.Linear(1, 1).parameters(), lr=1)}, "optimizer", "steps none of this model"),
    ({"data": 3}, "data", "expected an iterable of batches"),
])
def test_bad_arguments_are_named_with_the_line_that_passed_them(kwargs, argument, text):
    net = Net()
    state = {k: v.clone() for k, v in net.state_dict().items()}
    args = {"batch": torch.randn(2, 1, 32, 32), "target": torch.tensor([1, 2]), **kwargs}
    with pytest.raises(explorer.ArgumentError) as info:
        explorer.session(net, args.pop("batch"), **args)  # the line the message points at
    message = str(info.value)
    assert info.value.argument == argument and message.startswith(argument + ": ") and text in message
    assert f'"{__file__}"' in message and "explorer.session(net, args.pop" in message
    assert all(torch.equal(v, state[k]) for k, v in net.state_dict().items()) and net.fc1.weight.grad is None


def test_a_failing_loss_fn_points_at_the_users_own_line():
    def broken(prediction, target):
        return prediction.sum() / undefined_name  # noqa: F821

    with pytest.raises(explorer.ArgumentError) as info:
        explorer.session(Net(), torch.randn(2, 1, 32, 32), target=torch.tensor([1, 2]), loss_fn=broken)
    assert "NameError" in str(info.value) and "prediction.sum() / undefined_name" in str(info.value)


def test_import_explorer_loads_no_torch_until_the_api_is_used():
    code = ("import sys, explorer\n"
            "print('torch' in sys.modules)\n"
            "explorer.session\n"
            "print('torch' in sys.modules, 'PySide6' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["False", "True", "False"]


def test_a_checkpoint_from_a_live_session_names_no_model_that_could_be_built():
    from explorer.core.models import ModelSpecError, build_model, parse_spec

    s = explorer.session(Net(), torch.randn(2, 1, 32, 32), target=torch.tensor([1, 2]))
    spec = parse_spec(s.config.model)
    assert s.config.model == "Net (your object)" and not spec.is_builtin and not spec.is_factory
    with pytest.raises(ModelSpecError):
        build_model(spec)


def test_the_chain_rule_record_explains_a_live_sessions_nodes_with_dict_inputs():
    """explorer.core.chain_rule on a session around a user's object: keyword inputs, a dict output, their loss."""
    from explorer.core.chain_rule.session_nodes import explain_session_node

    torch.manual_seed(0)
    s = explorer.session(TwoHeads(), tokens(), target=torch.tensor([0, 1, 3]), output="scores")
    s.run_forward()
    s.compute_loss()
    s.run_backward()
    head = next(step for step in s.backward_steps if step.param == "head.weight")
    explanation = explain_session_node(s, head.node_id)
    assert explanation.param == "head.weight" and explanation.numeric is not None and explanation.problem is None
    linear = next(step for step in s.backward_steps if step.cls == "AddmmBackward0")
    assert explain_session_node(s, linear.node_id).max_relative < 1e-4
