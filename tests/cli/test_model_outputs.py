"""Models whose forward returns a tuple, a dict or a Hugging Face ModelOutput, on every path: train, graph and
export (ONNX), with the prediction picked by the one rule of explorer.core.outputs or named with --output."""

import textwrap

import pytest
import torch

from explorer.cli import run_cli
from explorer.core.checkpoint import load_checkpoint

MODELS = textwrap.dedent('''
    import torch
    import torch.nn as nn


    class AuxFirst(nn.Module):
        """A dict whose first tensor is not the class scores, and no entry called logits."""

        def __init__(self):
            super().__init__()
            self.body = nn.Sequential(nn.Flatten(), nn.Linear(32 * 32, 32), nn.ReLU())
            self.aux = nn.Linear(32, 16)
            self.scores = nn.Linear(32, 10)

        def forward(self, x):
            h = self.body(x)
            return {"aux": self.aux(h), "scores": self.scores(h)}


    class TupleNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.body = nn.Sequential(nn.Flatten(), nn.Linear(32 * 32, 10))

        def forward(self, x):
            out = self.body(x)
            return out, out.detach() * 0  # (prediction, something else), as torch.nn's own modules
''')

VIT = textwrap.dedent('''
    from transformers import ViTConfig, ViTForImageClassification


    class TinyViT(ViTForImageClassification):
        """Hugging Face's ViT from a small config, random weights: forward returns an ImageClassifierOutput."""

        def __init__(self):
            super().__init__(ViTConfig(image_size=32, patch_size=8, num_channels=1, hidden_size=32,
                                       num_hidden_layers=1, num_attention_heads=2, intermediate_size=64,
                                       num_labels=10))
''')


@pytest.fixture
def models(tmp_path):
    path = tmp_path / "outputs_models.py"
    path.write_text(MODELS)
    return path


def test_train_refuses_a_dict_whose_prediction_it_cannot_tell_and_names_the_option(models, tmp_path, capsys):
    out = tmp_path / "aux.pt"
    argv = ["train", "--model", f"{models}:AuxFirst", "--dataset", "digits", "--steps", "2", "--out", str(out)]
    assert run_cli(argv) != 0
    err = capsys.readouterr().err
    assert "aux: [2, 16]" in err and "scores: [2, 10]" in err and "--output" in err
    assert not out.exists()


def test_train_on_the_named_output_records_the_name_and_export_uses_it(models, tmp_path, capsys):
    out = tmp_path / "aux.pt"
    argv = ["train", "--model", f"{models}:AuxFirst", "--output", "scores", "--dataset", "digits",
            "--steps", "3", "--batch-size", "8", "--out", str(out)]
    assert run_cli(argv) == 0, capsys.readouterr().err
    assert "test accuracy" in capsys.readouterr().out  # accuracy read from the named entry, not the first one
    checkpoint = load_checkpoint(out)
    assert checkpoint.metadata["output"] == "scores" and checkpoint.step == 3

    onnx_file = tmp_path / "aux.onnx"
    assert run_cli(["export", str(out), "--model", f"{models}:AuxFirst", "--out", str(onnx_file)]) == 0
    printed = capsys.readouterr().out
    assert "matches PyTorch" in printed
    import onnx
    proto = onnx.load(str(onnx_file))
    (output,) = proto.graph.output
    assert [d.dim_value for d in output.type.tensor_type.shape.dim][1:] == [10]  # the scores, not aux's 16


def test_train_a_tuple_model_on_its_first_tensor(models, tmp_path, capsys):
    out = tmp_path / "tuple.pt"
    argv = ["train", "--model", f"{models}:TupleNet", "--dataset", "digits", "--steps", "2", "--out", str(out)]
    assert run_cli(argv) == 0, capsys.readouterr().err


def test_graph_takes_the_named_output(models, tmp_path, capsys):
    out = tmp_path / "g.json"
    base = ["graph", "--model", f"{models}:AuxFirst", "--dataset", "digits", "--out", str(out)]
    assert run_cli(base) != 0
    assert "--output" in capsys.readouterr().err
    assert run_cli([*base, "--output", "scores"]) == 0
    assert "aux" not in out.read_text()  # the aux head gets no gradient, so its nodes are not in the graph


def test_train_and_export_a_hugging_face_vit(tmp_path, capsys):
    pytest.importorskip("transformers")
    path = tmp_path / "vit_model.py"
    path.write_text(VIT)
    out = tmp_path / "vit.pt"
    argv = ["train", "--model", f"{path}:TinyViT", "--dataset", "digits", "--steps", "2", "--batch-size", "4",
            "--out", str(out)]
    assert run_cli(argv) == 0, capsys.readouterr().err  # was: argument 'input' must be Tensor, not ImageClassifierOutput
    assert load_checkpoint(out).step == 2
    onnx_file = tmp_path / "vit.onnx"
    assert run_cli(["export", str(out), "--model", f"{path}:TinyViT", "--out", str(onnx_file)]) == 0
    assert onnx_file.exists()


def test_a_wrong_output_name_is_one_line_listing_the_entries(models, tmp_path, capsys):
    argv = ["train", "--model", f"{models}:AuxFirst", "--output", "logits", "--dataset", "digits", "--steps", "1",
            "--out", str(tmp_path / "x.pt")]
    assert run_cli(argv) != 0
    err = capsys.readouterr().err
    assert "no entry 'logits'" in err and "Traceback" not in err


def test_the_session_uses_the_configured_output(models):
    from explorer.core.models import ModelSpecError
    from explorer.core.moves import Move
    from explorer.core.session import SessionConfig, StepSession

    with pytest.raises(ModelSpecError, match="--output"):
        StepSession(SessionConfig(model=f"{models}:AuxFirst"))
    session = StepSession(SessionConfig(model=f"{models}:AuxFirst", output="scores"))
    session.apply(Move.RUN_FORWARD)
    assert tuple(session.output.shape) == (1, 10)
    assert torch.isfinite(torch.tensor(session.apply(Move.LOSS)))
