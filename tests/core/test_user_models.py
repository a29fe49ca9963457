"""Users' own models, from files the tests write: stepping against plain PyTorch, graph structure, training,
and every kind of broken model rejected with a message that names the file and the user's line."""

import re
import textwrap

import pytest
import torch
import torch.nn as nn

from explorer.core.data.datasets import load_dataset
from explorer.core.model_check import check_model
from explorer.core.models import ModelSpec, ModelSpecError, build_model, find_module_classes, primary_output
from explorer.core.session import SessionConfig, StepSession
from explorer.core.snapshot import Snapshotter, inspect
from explorer.core.training.loop import TrainConfig, train

MODELS = '''
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn import Module


class SkipShared(nn.Module):
    """A skip connection around a layer whose weights are used twice."""

    def __init__(self, width=16):
        super().__init__()
        self.inp = nn.Linear(32 * 32, width)
        self.shared = nn.Linear(width, width)
        self.out = nn.Linear(width, 10)

    def forward(self, x):
        h = torch.tanh(self.inp(x.flatten(1)))
        h = h + self.shared(torch.tanh(self.shared(h)))  # shared twice, plus the skip
        return self.out(h)


class TwoOutputs(nn.Module):
    """Class scores first, an auxiliary head second."""

    def __init__(self):
        super().__init__()
        self.body = nn.Linear(32 * 32, 12)
        self.head = nn.Linear(12, 10)
        self.aux = nn.Linear(12, 3)

    def forward(self, x):
        h = F.relu(self.body(x.flatten(1)))
        return self.head(h), self.aux(h)


class CalledTwice(Module):
    """One activation module called twice; torch.cat and + as functional ops."""

    def __init__(self):
        super().__init__()
        self.a = nn.Linear(32 * 32, 8)
        self.b = nn.Linear(32 * 32, 8)
        self.act = nn.Tanh()
        self.out = nn.Linear(16, 10)

    def forward(self, x):
        x = x.flatten(1)
        a, b = self.act(self.a(x)), self.act(self.b(x))
        return self.out(torch.cat([a, b + a], dim=1))


class InPlace(nn.Module):
    """In-place ops that plain PyTorch accepts: ReLU(inplace=True) on a view, h += skip, x *= 2 on the input."""

    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(32 * 32, 32 * 32)
        self.relu = nn.ReLU(inplace=True)
        self.fc2 = nn.Linear(32 * 32, 10)

    def forward(self, x):
        x *= 2
        flat = x.view(x.size(0), -1)
        h = self.fc1(flat)
        h += flat
        return self.fc2(self.relu(h[:, :]))


class Subclass(SkipShared):
    pass


class NotAModel:
    pass
'''


@pytest.fixture(scope="module")
def model_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("user") / "models.py"
    path.write_text(MODELS)
    return path


@pytest.fixture(scope="module")
def digits():
    return load_dataset("digits")


def stepped(spec, **config) -> StepSession:
    """A session moved through forward, loss and backward one step at a time, as the GUI does."""
    s = StepSession(SessionConfig(model=str(spec), dataset="digits", batch_size=4, seed=1, **config))
    while s.phase.value != "forward done":
        s.step_forward()
    s.compute_loss()
    while s.phase.value != "backward done":
        s.step_backward()
    return s


def plain_gradients(spec, s: StepSession) -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
    model = build_model(spec, seed=1)
    loss = nn.CrossEntropyLoss()(primary_output(model(s.inputs.clone())), s.targets)
    loss.backward()
    return loss, {n: p.grad for n, p in model.named_parameters()}


@pytest.mark.parametrize("cls", ["SkipShared", "TwoOutputs", "CalledTwice", "InPlace", "Subclass"])
def test_stepping_a_user_model_gives_plain_pytorchs_gradients(model_file, cls):
    spec = f"{model_file}:{cls}"
    s = stepped(spec)
    loss, grads = plain_gradients(spec, s)
    torch.testing.assert_close(s.loss, loss)
    for name, p in s.model.named_parameters():
        torch.testing.assert_close(p.grad, grads[name], msg=name)
    snap = Snapshotter(s).snapshot()
    assert snap.graph is not None and snap.output_probs.shape == (10,)
    for index in range(len(s.forward_steps)):
        assert inspect(s, "activation", str(index)).views
    for node_id in snap.graph.node_ids:
        assert inspect(s, "node", node_id).title


def test_a_shared_weight_has_one_accumulate_grad_with_two_in_edges(model_file):
    g = stepped(f"{model_file}:SkipShared").graph.graph
    (weight,) = [n for n, a in g.nodes(data=True) if a["param"] == "shared.weight"]
    (bias,) = [n for n, a in g.nodes(data=True) if a["param"] == "shared.bias"]
    assert g.in_degree(weight) == 2 and g.in_degree(bias) == 2
    assert {g.nodes[u]["module"] for u in g.predecessors(weight)} == {"shared"}
    (skip,) = [n for n, a in g.nodes(data=True) if a["cls"] == "AddBackward0"]
    assert g.nodes[skip]["module"] == "" and g.out_degree(skip) == 2  # + in the model's own forward


def test_a_module_called_twice_is_two_steps_and_functional_ops_are_nodes(model_file):
    s = stepped(f"{model_file}:CalledTwice")
    titles = [step.name for step in s.forward_steps]
    assert titles.count("act") == 2 and "cat" in titles and "add" in titles
    g = s.graph.graph
    classes = [a["cls"] for _, a in g.nodes(data=True)]
    assert classes.count("TanhBackward0") == 2 and "CatBackward0" in classes and "AddBackward0" in classes
    assert sorted(a["module"] for _, a in g.nodes(data=True) if a["cls"] == "TanhBackward0") == ["act", "act"]


def test_a_tuple_output_feeds_its_first_tensor_to_the_loss(model_file):
    s = stepped(f"{model_file}:TwoOutputs")
    assert s.output.shape == (4, 10)
    assert [step.name for step in s.forward_steps][-2:] == ["head", "aux"]  # both outputs are shown
    aux = [a["param"] for _, a in s.graph.graph.nodes(data=True) if a["param"] and a["param"].startswith("aux")]
    assert aux == []  # the auxiliary head is not in the loss's graph...
    assert s.model.aux.weight.grad is None  # ...so it gets no gradient, as in plain PyTorch


def test_an_in_place_forward_leaves_the_batch_alone(model_file):
    s = StepSession(SessionConfig(model=f"{model_file}:InPlace", dataset="digits", batch_size=2))
    batch = s.inputs.clone()
    s.run_forward()
    first = s.output.detach().clone()
    s.next_batch()
    s.reset()
    s.run_forward()
    assert torch.equal(s.inputs, batch) and torch.equal(s.output.detach(), first)


@pytest.mark.parametrize("cls", ["SkipShared", "CalledTwice", "InPlace"])
def test_a_user_model_trains_on_digits(model_file, digits, cls):
    model = build_model(f"{model_file}:{cls}", seed=0)
    records = list(train(model, digits, TrainConfig(optimizer="adam", lr=0.003, batch_size=32, steps=60)))
    assert records[-1].nonfinite is None and records[-1].loss < records[0].loss
    assert records[-1].test_accuracy > 0.6


def test_a_tuple_model_trains(model_file, digits):
    model = build_model(f"{model_file}:TwoOutputs", seed=0)
    assert list(train(model, digits, TrainConfig(steps=5)))[-1].nonfinite is None


def test_constructor_arguments_and_input_shape(model_file):
    s = StepSession(SessionConfig(model=f"{model_file}:SkipShared", model_kwargs='{"width": 5}'))
    assert s.model.shared.weight.shape == (5, 5)
    mlp = StepSession(SessionConfig(model="mlp", model_kwargs='{"in_features": 784}', input_shape="1,28,28",
                                    dataset="digits"))
    assert mlp.inputs.shape[1:] == (1, 28, 28) and mlp.data.input_shape == (1, 28, 28)
    with pytest.raises(ModelSpecError, match="must be a JSON object"):
        StepSession(SessionConfig(model="mlp", model_kwargs="[1, 2]"))
    with pytest.raises(ModelSpecError, match="positive whole numbers"):
        StepSession(SessionConfig(model="mlp", input_shape="1,-28,28"))


def test_module_classes_are_found_without_running_the_file(tmp_path, model_file):
    assert find_module_classes(model_file) == ["SkipShared", "TwoOutputs", "CalledTwice", "InPlace", "Subclass"]
    side_effect = tmp_path / "ran.txt"
    path = tmp_path / "loud.py"
    path.write_text(f"open({str(side_effect)!r}, 'w').write('ran')\nimport torch\n"
                    "class A(torch.nn.Module): pass\nclass B(torch.nn.modules.Sequential): pass\n")
    assert find_module_classes(path) == ["A", "B"] and not side_effect.exists()


# ----- broken models -------------------------------------------------------------------------------------
BROKEN = {
    "syntax": ("class Net(nn.Module)\n    pass\n", "Net", r"does not import: .*SyntaxError"),
    "missing": ("import torch.nn as nn\nclass Good(nn.Module):\n    pass\n", "Gone",
                r"has no class 'Gone'; its nn.Module classes: Good"),
    "not_module": ("class Net:\n    pass\n", "Net", "is not an nn.Module"),
    "wrong_shape": ("""
        import torch.nn as nn
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc = nn.Linear(28 * 28, 10)
            def forward(self, x):
                return self.fc(x.flatten(1))  # the line the message must show
        """, "Net", r"forward failed on 1 sample of shape \(1, 32, 32\) from 'digits': RuntimeError: mat1 and mat2.*give its input shape"),
    "leaf_in_place": ("""
        import torch.nn as nn
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc = nn.Linear(32 * 32, 10)
            def forward(self, x):
                self.fc.bias += 1  # the line the message must show
                return self.fc(x.flatten(1))
        """, "Net", "forward failed .*a leaf Variable that requires grad is being used in an in-place operation"),
    "saved_in_place": ("""
        import torch, torch.nn as nn
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc1 = nn.Linear(32 * 32, 16)
                self.fc2 = nn.Linear(16, 10)
            def forward(self, x):
                h = torch.sigmoid(self.fc1(x.flatten(1)))
                out = self.fc2(h)  # the line the message must show
                h.mul_(2)
                return out
        """, "Net", r"backward failed: RuntimeError: one of the variables needed for gradient computation has been "
                    r"modified by an inplace operation.*changed in place later in forward"),
    "few_scores": ("""
        import torch.nn as nn
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc = nn.Linear(32 * 32, 5)
            def forward(self, x):
                return self.fc(x.flatten(1))
        """, "Net", "returned 5 scores per sample, but 'digits' has 10 classes"),
    "image_output": ("""
        import torch.nn as nn
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.conv = nn.Conv2d(1, 10, 3)
            def forward(self, x):
                return self.conv(x)
        """, "Net", r"returned shape \[1, 10, 30, 30\] for 1 sample; 'digits' needs .* shape \[1, 10\]"),
    "detached": ("""
        import torch.nn as nn
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc = nn.Linear(32 * 32, 10)
            def forward(self, x):
                return self.fc(x.flatten(1)).detach()
        """, "Net", "does not depend on any parameter"),
    "no_tensor": ("""
        import torch.nn as nn
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc = nn.Linear(32 * 32, 10)
            def forward(self, x):
                return {"answer": 42}
        """, "Net", r"forward returned dict \{answer: int\}, which holds no tensor"),
    "no_parameters": ("""
        import torch.nn as nn
        class Net(nn.Module):
            def forward(self, x):
                return x.flatten(1)[:, :10]
        """, "Net", "has no trainable parameters"),
    "constructor": ("""
        import torch.nn as nn
        class Net(nn.Module):
            def __init__(self, width):
                super().__init__()
        """, "Net", r"Net\(\.\.\.\) failed: TypeError: .*missing 1 required positional argument: 'width'"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_model_is_rejected_with_its_file_and_line(tmp_path, case):
    source, cls, pattern = BROKEN[case]
    path = tmp_path / f"{case}.py"
    path.write_text(textwrap.dedent(source))
    with pytest.raises(ModelSpecError) as err:
        StepSession(SessionConfig(model=f"{path}:{cls}", dataset="digits"))
    message = str(err.value)
    assert message.startswith(str(path)), message
    assert re.search(pattern, message, re.S), message
    if "the line the message must show" in source:
        assert f'File "{path}", line' in message and "# the line the message must show" in message, message
    assert "site-packages" not in message  # only the user's own lines


def test_a_regression_output_must_match_the_targets(tmp_path):
    path = tmp_path / "one.py"
    path.write_text("import torch.nn as nn\nclass One(nn.Module):\n    def __init__(self):\n"
                    "        super().__init__()\n        self.fc = nn.Linear(1024, 1)\n"
                    "    def forward(self, x):\n        return self.fc(x.flatten(1))\n")
    with pytest.raises(ModelSpecError, match=r"returned shape \[1, 1\], but the targets of 'tutorial' have shape \[1, 10\]"):
        StepSession(SessionConfig(model=f"{path}:One", dataset="tutorial"))


def test_the_dry_run_leaves_the_model_as_it_was(digits):
    model = build_model("resnet", seed=0)
    model.eval()
    buffers = {n: b.clone() for n, b in model.named_buffers()}
    torch.manual_seed(5)
    expected_random = torch.rand(3)
    torch.manual_seed(5)
    check_model(model, digits)
    assert torch.equal(torch.rand(3), expected_random)  # the global random stream was not used up
    assert not model.training
    assert all(p.grad is None for p in model.parameters())
    for name, b in model.named_buffers():
        assert torch.equal(b, buffers[name]), name
    assert torch.equal(digits.train_x[:2], load_dataset("digits").train_x[:2])


def test_a_failing_dry_run_restores_gradients_too(digits):
    class Broken(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(1024, 10)

        def forward(self, x):
            return self.fc(x.flatten(1))[:, :3]

    model = Broken()
    model.fc.weight.grad = torch.ones_like(model.fc.weight)
    with pytest.raises(ModelSpecError, match="returned 3 scores per sample"):
        check_model(model, digits)
    assert torch.equal(model.fc.weight.grad, torch.ones_like(model.fc.weight)) and model.fc.bias.grad is None


def test_a_spec_repr_and_text():
    spec = ModelSpec("mine.py:Net", {"width": 3}, (1, 28, 28))
    assert str(spec) == "mine.py:Net" and "input_shape=(1, 28, 28)" in repr(spec)
