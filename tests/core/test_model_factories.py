"""--model package.module:callable: a class or factory function in an importable module, built with
--model-kwargs, imported only when built; errors name the spec and what failed."""

import sys

import pytest
import torch
import torch.nn as nn

from explorer.core.models import ModelSpecError, build_model, model_spec
from explorer.core.session import SessionConfig, StepSession

FACTORY_MODULE = '''
import torch.nn as nn

def small_mlp(width=8, classes=10):
    return nn.Sequential(nn.Flatten(), nn.Linear(1024, width), nn.ReLU(), nn.Linear(width, classes))

class Models:
    @staticmethod
    def wide(classes=10):
        return small_mlp(32, classes)

def not_a_model():
    return 3

NUMBER = 4
'''


@pytest.fixture
def factories(tmp_path, monkeypatch):
    (tmp_path / "my_factories.py").write_text(FACTORY_MODULE)
    monkeypatch.syspath_prepend(str(tmp_path))
    yield "my_factories"
    sys.modules.pop("my_factories", None)


def test_a_factory_function_is_called_with_the_constructor_arguments(factories):
    spec = model_spec("my_factories:small_mlp", '{"width": 5}')
    assert spec.is_factory and not spec.is_builtin
    model = build_model(spec, seed=0)
    assert model[1].out_features == 5
    assert torch.equal(build_model(spec, seed=0)[1].weight, model[1].weight)  # weights drawn from the seed
    assert build_model("my_factories:Models.wide")[1].out_features == 32


def test_a_factory_model_steps_on_digits(factories):
    s = StepSession(SessionConfig(model="my_factories:small_mlp", model_kwargs='{"width": 6}', dataset="digits"))
    s.run_forward()
    assert s.output.shape == (1, 10)


@pytest.mark.parametrize("text, message", [
    ("no_such_module_here:thing", "cannot import no_such_module_here: ModuleNotFoundError"),
    ("my_factories:missing", "my_factories has no attribute 'missing'"),
    ("my_factories:NUMBER", "NUMBER is a int, not a class or function"),
    ("my_factories:not_a_model", "returned a int, not a torch.nn.Module"),
])
def test_a_bad_factory_is_one_clear_error(factories, text, message):
    with pytest.raises(ModelSpecError, match=message):
        build_model(text)


def test_unknown_constructor_arguments_say_so(factories):
    with pytest.raises(ModelSpecError, match=r"small_mlp\(\.\.\.\) failed: TypeError: .*depth"):
        build_model(model_spec("my_factories:small_mlp", '{"depth": 3}'))


def test_files_and_builtins_are_not_factories():
    assert not model_spec("models/net.py:Net").is_factory and not model_spec("net.py:Net").is_factory
    assert not model_spec("seed").is_factory and model_spec("torchvision.models:resnet18").is_factory


def test_torchvision_resnet18_by_name():
    from tests.core.live.third_party import need

    need("torchvision")
    model = build_model(model_spec("torchvision.models:resnet18", '{"num_classes": 10}'))
    assert isinstance(model, nn.Module) and model.fc.out_features == 10
