"""--model-kwargs and --input-shape: a user's model that needs a constructor argument and a non-default input
shape runs through graph, train, inspect and export, built as the GUI's Open model dialog builds it."""

import importlib.util
import json

import networkx as nx
import pytest
import torch

from explorer.cli import run_cli
from explorer.core.autograd.graph import trace_graph
from explorer.core.checkpoint import load_checkpoint, saved_model_spec
from explorer.core.data.datasets import load_dataset
from explorer.core.models import build_model, model_spec, sample_shape_for
from explorer.core.session import SessionConfig

# Needs `width`, and takes 3×8×8 samples: neither the default (no arguments) nor the data's 1×32×32 works.
WIDE_MODEL = """\
import torch.nn as nn


class Wide(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.body = nn.Sequential(nn.Flatten(), nn.Linear(3 * 8 * 8, width), nn.ReLU(), nn.Linear(width, 10))

    def forward(self, x):
        return self.body(x)
"""
KWARGS, SHAPE = '{"width": 37}', "3,8,8"
OPTIONS = ["--model-kwargs", KWARGS, "--input-shape", SHAPE]


@pytest.fixture
def wide(tmp_path) -> str:
    (tmp_path / "wide.py").write_text(WIDE_MODEL)
    return f"{tmp_path / 'wide.py'}:Wide"


def one_line_error(capsys, command: str) -> str:
    err = capsys.readouterr().err
    assert err.startswith(f"explorer {command}: error: ") and err.count("\n") == 1, err
    assert "Traceback" not in err
    return err


def test_graph_traces_the_model_the_gui_would_build(tmp_path, wide):
    out = tmp_path / "graph.json"
    assert run_cli(["graph", "--model", wide, *OPTIONS, "--dataset", "digits", "--out", str(out)]) == 0
    back = nx.node_link_graph(json.loads(out.read_text()), edges="edges")

    # The GUI's path: the session's config strings through model_spec, the data brought to the spec's shape.
    config = SessionConfig(model=wide, model_kwargs=KWARGS, input_shape=SHAPE, dataset="digits")
    spec = model_spec(config.model, config.model_kwargs, config.input_shape)
    model = build_model(spec, config.seed)
    data = load_dataset(config.dataset, config.seed, input_shape=sample_shape_for(spec))
    x, y = data.sample_batch(torch.arange(1))
    assert tuple(x.shape) == (1, 3, 8, 8)
    expected = trace_graph(data.loss_fn(model(x), y), model=model).graph
    assert {n: a["cls"] for n, a in back.nodes(data=True)} == {n: a["cls"] for n, a in expected.nodes(data=True)}
    assert set(back.edges) == set(expected.edges)
    second_layer = next(a for _, a in back.nodes(data=True) if a["cls"] == "AddmmBackward0" and a["module"] == "body.3")
    assert ["mat2", [37, 10]] in second_layer["saved"]  # the width reached the constructor


def test_train_records_the_options_and_inspect_export_and_resume_use_them(tmp_path, wide, capsys):
    first, resumed, onnx_file = tmp_path / "w.pt", tmp_path / "w2.pt", tmp_path / "w.onnx"
    train = ["train", "--model", wide, *OPTIONS, "--dataset", "tutorial", "--steps", "2"]
    assert run_cli([*train, "--out", str(first)]) == 0
    checkpoint = load_checkpoint(first)
    assert saved_model_spec(checkpoint) == model_spec(wide, KWARGS, SHAPE)
    assert checkpoint.model_state["body.1.weight"].shape == (37, 192)
    capsys.readouterr()

    assert run_cli(["inspect", str(first)]) == 0
    assert "(1): Linear-like (192 -> 37)" in capsys.readouterr().out

    # Resumed without the options, the same model keeps the checkpoint's arguments and shape.
    assert run_cli(["train", "--model", wide, "--resume", str(first), "--steps", "3", "--out", str(resumed)]) == 0
    again = load_checkpoint(resumed)
    assert again.step == 3 and saved_model_spec(again) == saved_model_spec(checkpoint)
    capsys.readouterr()

    assert run_cli(["export", str(resumed), "--model", wide, "--out", str(onnx_file)]) == 0
    assert "input batch×3×8×8" in capsys.readouterr().out


def test_a_builtin_models_arguments_reach_inspect(tmp_path, capsys):
    out = tmp_path / "mlp.pt"
    argv = ["train", "--model", "mlp", "--model-kwargs", "hidden=20", "--dataset", "tutorial", "--steps", "1"]
    assert run_cli([*argv, "--out", str(out)]) == 1  # key=value is not JSON, in the GUI either
    assert "--model-kwargs: constructor arguments 'hidden=20' are not JSON" in one_line_error(capsys, "train")

    argv[4] = '{"hidden": 20}'
    assert run_cli([*argv, "--out", str(out)]) == 0
    capsys.readouterr()
    assert run_cli(["inspect", str(out)]) == 0
    report = capsys.readouterr().out
    assert "Model: mlp\n" in report and "(fc1): Linear(in_features=1024, out_features=20, bias=True)" in report


@pytest.mark.parametrize("command", ["graph", "train", "export"])
@pytest.mark.parametrize(
    "option, value, message",
    [
        ("--model-kwargs", "{width: 37}", "--model-kwargs: constructor arguments '{width: 37}' are not JSON: "),
        ("--model-kwargs", "[37]", '--model-kwargs: constructor arguments must be a JSON object such as {"width": 64}'),
        ("--input-shape", "3,0,8", "--input-shape '3,0,8': expected positive whole numbers such as 3,32,32"),
        ("--input-shape", "3,eight,8", "--input-shape '3,eight,8': expected positive whole numbers"),
    ],
)
def test_malformed_options_are_one_line_errors(tmp_path, wide, capsys, command, option, value, message):
    out = tmp_path / ("out.onnx" if command == "export" else "out.pt" if command == "train" else "out.json")
    head = ["export", str(tmp_path / "never_read.pt")] if command == "export" else [command]
    assert run_cli([*head, "--model", wide, option, value, "--out", str(out)]) == 1
    assert message in one_line_error(capsys, command)
    assert not out.exists()


@pytest.mark.parametrize("command", ["graph", "train"])
def test_arguments_the_class_rejects_are_one_line_errors(tmp_path, wide, capsys, command):
    out = tmp_path / ("out.pt" if command == "train" else "out.json")
    argv = [command, "--model", wide, "--model-kwargs", '{"wdith": 37}', "--input-shape", SHAPE]
    argv += ["--dataset", "tutorial"]
    assert run_cli([*argv, "--out", str(out)]) == 1
    err = one_line_error(capsys, command)
    assert "wide.py: Wide(...) failed: TypeError:" in err and "unexpected keyword argument 'wdith'" in err
    assert '(constructor arguments {"wdith": 37}, see --model-kwargs)' in err
    assert not out.exists()


def test_a_missing_required_argument_points_at_the_option(tmp_path, wide, capsys):
    assert run_cli(["graph", "--model", wide, "--input-shape", SHAPE, "--out", str(tmp_path / "g.json")]) == 1
    err = one_line_error(capsys, "graph")
    assert "missing 1 required positional argument: 'width'" in err and "see --model-kwargs" in err


@pytest.mark.parametrize("command", ["graph", "train", "export"])
def test_help_describes_both_options(command, capsys):
    with pytest.raises(SystemExit) as exited:
        run_cli([command, "--help"])
    assert exited.value.code == 0
    help_text = " ".join(capsys.readouterr().out.split())
    assert "--model-kwargs JSON" in help_text and "--input-shape C,H,W" in help_text
    assert "without the batch dimension" in help_text


def test_a_files_recorded_arguments_are_sized_before_anything_is_built(tmp_path, capsys):
    """An untrusted file that records {"hidden": 10**9} for the built-in mlp would make inspect, export and
    train --resume allocate terabytes; the model is sized on the meta device first and refused."""
    from safetensors import safe_open
    from safetensors.torch import load_file, save_file

    good = tmp_path / "mlp.safetensors"
    argv = ["train", "--model", "mlp", "--model-kwargs", '{"hidden": 20}', "--dataset", "tutorial", "--steps", "1"]
    assert run_cli([*argv, "--out", str(good)]) == 0
    with safe_open(str(good), "pt") as f:
        metadata = f.metadata()
    metadata["model_kwargs"] = json.dumps(json.dumps({"hidden": 10**9}))
    bad = tmp_path / "huge.safetensors"
    save_file(load_file(str(good)), str(bad), metadata=metadata)
    capsys.readouterr()

    assert run_cli(["inspect", str(bad)]) == 0  # reported, with the structure read from the tensor names
    report = capsys.readouterr().out
    assert "would make 1,035,000,000,010 values, the file holds 20," in report and "fc1.weight" in report

    if importlib.util.find_spec("onnx") is not None:  # the export path needs the onnx extra
        assert run_cli(["export", str(bad), "--out", str(tmp_path / "huge.onnx")]) == 1
        assert "would hold 1,035,000,000,010 values, the file holds 20," in one_line_error(capsys, "export")
    assert run_cli(["train", "--resume", str(bad), "--steps", "2", "--out", str(tmp_path / "again.pt")]) == 1
    assert "would hold 1,035,000,000,010 values" in one_line_error(capsys, "train")
    assert not (tmp_path / "huge.onnx").exists() and not (tmp_path / "again.pt").exists()
