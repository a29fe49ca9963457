"""The tutorial's printed facts, and model specs for built-in and user models."""

import pytest
import torch
import torch.nn as nn

from explorer.core.models import ModelSpecError, build_model
from explorer.core.net import Net


def test_net_prints_the_tutorials_layers():
    text = str(Net())
    assert "(conv1): Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1))" in text
    assert "(conv2): Conv2d(6, 16, kernel_size=(5, 5), stride=(1, 1))" in text
    assert "(fc1): Linear(in_features=400, out_features=1200, bias=True)" in text
    assert "(fc2): Linear(in_features=1200, out_features=84, bias=True)" in text
    assert "(fc3): Linear(in_features=84, out_features=10, bias=True)" in text


def test_net_parameters_as_the_tutorial_counts_them():
    params = list(Net().parameters())
    assert len(params) == 10
    assert params[0].size() == torch.Size([6, 1, 5, 5])
    assert sum(p.numel() for p in params) == 585_506


def test_net_maps_one_32x32_image_to_ten_outputs_and_flattens_like_the_page():
    net = Net()
    x = torch.randn(1, 1, 32, 32)
    assert net(x).shape == (1, 10)
    assert net.num_flat_features(torch.zeros(3, 16, 5, 5)) == 400


def test_build_model_is_seeded_and_leaves_the_global_generator_alone():
    torch.manual_seed(123)
    before = torch.rand(1)
    torch.manual_seed(123)
    a = build_model("seed", seed=4)
    after = torch.rand(1)
    b = build_model("seed", seed=4)
    c = build_model("seed", seed=5)
    assert torch.equal(before, after)
    assert all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters()))
    assert not torch.equal(a.conv1.weight, c.conv1.weight)


def test_a_users_model_file_and_class(tmp_path):
    path = tmp_path / "mine.py"
    path.write_text("import torch.nn as nn\nclass Tiny(nn.Module):\n"
                    "    def __init__(self, width=3):\n        super().__init__()\n        self.fc = nn.Linear(4, width)\n"
                    "    def forward(self, x):\n        return self.fc(x)\n")
    model = build_model(f"{path}:Tiny")
    assert isinstance(model, nn.Module) and model.fc.out_features == 3


@pytest.mark.parametrize("source, cls, message", [
    ("import nonexistent_module_xyz\n", "A", "does not import"),
    ("x = 1\n", "Missing", "has no class 'Missing'"),
    ("class NotAModule:\n    pass\n", "NotAModule", "is not an nn.Module"),
    ("import torch.nn as nn\nclass Boom(nn.Module):\n    def __init__(self):\n        raise ValueError('bad width')\n",
     "Boom", "bad width"),
])
def test_bad_model_files_give_a_message_naming_the_file(tmp_path, source, cls, message):
    path = tmp_path / "user_model.py"
    path.write_text(source)
    with pytest.raises(ModelSpecError) as err:
        build_model(f"{path}:{cls}")
    assert str(path) in str(err.value) and message in str(err.value)


def test_bad_specs(tmp_path):
    with pytest.raises(ModelSpecError, match="no such file"):
        build_model(f"{tmp_path}/absent.py:Net")
    with pytest.raises(ModelSpecError, match="expected one of"):
        build_model("lenet")
