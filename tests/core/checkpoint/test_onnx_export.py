"""ONNX export: files that pass onnx.checker and compute what PyTorch computes, or nothing written at all."""

import json

import numpy as np
import onnx
import pytest
import torch
import torch.nn as nn
from onnx.reference import ReferenceEvaluator

from explorer.core.checkpoint import onnx_export
from explorer.core.checkpoint import FORMAT_VERSION, CheckpointError
from explorer.core.models import build_model
from explorer.core.checkpoint.onnx_export import INSTALL_HINT, export_onnx, onnx_unavailable_reason
from explorer.core.seeding import generator


def run_onnx(path, x: torch.Tensor) -> np.ndarray:
    model = onnx.load(path)
    (out,) = ReferenceEvaluator(model).run(None, {model.graph.input[0].name: x.numpy()})
    return out


def test_the_tutorial_net_exports_checks_and_matches_pytorch_at_any_batch_size(tmp_path):
    model = build_model("seed", seed=3)
    path = tmp_path / "net.onnx"
    result = export_onnx(path, model, torch.randn(1, 1, 32, 32, generator=generator(0)),
                         metadata={"model": "seed", "step": 7})

    onnx.checker.check_model(onnx.load(path), full_check=True)  # the file on disk, not the exporter's copy
    assert result.input_shape == ("batch", 1, 32, 32) and result.dynamic_batch
    assert result.output_shape == (1, 10) and result.max_abs_difference < 1e-5
    assert result.size_bytes == path.stat().st_size
    assert model.training, "the model must be left in the mode it was in"
    x = torch.randn(5, 1, 32, 32, generator=generator(1))  # another batch size than the sample's
    with torch.no_grad():
        np.testing.assert_allclose(run_onnx(path, x), model(x).numpy(), rtol=1e-4, atol=1e-5)

    props = {entry.key: json.loads(entry.value) for entry in onnx.load(path).metadata_props}
    assert props["model"] == "seed" and props["step"] == 7 and props["format_version"] == FORMAT_VERSION
    assert result.summary().startswith(f"net.onnx: ONNX opset {result.opset}, input batch×1×32×32")
    assert "OnnxExport(" in repr(result)


def test_export_uses_eval_mode_so_dropout_is_off(tmp_path):
    model = nn.Sequential(nn.Linear(6, 6), nn.Dropout(0.9), nn.Linear(6, 2))
    path = tmp_path / "dropout.onnx"
    x = torch.randn(3, 6, generator=generator(0))
    export_onnx(path, model, x, metadata={})
    model.eval()
    with torch.no_grad():
        np.testing.assert_allclose(run_onnx(path, x), model(x).numpy(), rtol=1e-4, atol=1e-5)


class FixedBatch(nn.Module):
    """Pins the batch size in its reshape: the exporter cannot leave the batch free."""

    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 3)

    def forward(self, x):
        return self.fc(x.reshape(2, 8))


def test_a_model_that_pins_its_batch_size_exports_with_a_fixed_batch(tmp_path):
    result = export_onnx(tmp_path / "fixed.onnx", FixedBatch(), torch.randn(2, 2, 4), metadata={})
    assert result.input_shape == (2, 2, 4) and not result.dynamic_batch


class Noisy(nn.Module):
    """Adds fresh random numbers on every call: no export can reproduce PyTorch's output."""

    def forward(self, x):
        return x + torch.rand_like(x)


class TwoUnnamedHeads(nn.Module):
    """A dict whose prediction the output rule cannot tell: refused, never guessed."""

    def __init__(self):
        super().__init__()
        self.a, self.b = nn.Linear(4, 3), nn.Linear(4, 2)

    def forward(self, x):
        return {"first": self.a(x), "second": self.b(x)}


class AuxAndScores(nn.Module):
    """(prediction, aux) as torch.nn's own modules return: the first tensor is exported."""

    def __init__(self):
        super().__init__()
        self.scores, self.aux = nn.Linear(4, 3), nn.Linear(4, 7)

    def forward(self, x):
        return self.scores(x), self.aux(x)


class DataDependent(nn.Module):
    """Python control flow on a tensor's value: the exporter cannot trace it."""

    def forward(self, x):
        return x * 2 if x.sum().item() > 0 else x


@pytest.mark.parametrize(
    "model, fragment",
    [
        (Noisy(), "output differs from PyTorch's"),
        (TwoUnnamedHeads(), "name the prediction"),
        (DataDependent(), "cannot export to ONNX"),
    ],
)
def test_an_export_that_fails_or_does_not_verify_writes_nothing(tmp_path, model, fragment):
    path = tmp_path / "model.onnx"
    path.write_bytes(b"the previous export")
    with pytest.raises(CheckpointError) as caught:
        export_onnx(path, model, torch.randn(2, 4, generator=generator(0)) + 1, metadata={})
    message = str(caught.value)
    assert message.startswith(f"{path}: ") and fragment in message and "\n" not in message
    assert path.read_bytes() == b"the previous export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.onnx"]


def test_a_folder_that_is_a_file_gives_a_one_line_error(tmp_path):
    (tmp_path / "exports").write_text("a file where a folder should be")
    path = tmp_path / "exports" / "net.onnx"
    with pytest.raises(CheckpointError) as caught:
        export_onnx(path, nn.Linear(4, 2), torch.randn(1, 4), metadata={})
    assert str(caught.value) == f"{path}: cannot write: Not a directory"


def test_metadata_that_is_not_plain_data_is_refused_before_exporting(tmp_path):
    with pytest.raises(TypeError, match="metadata"):
        export_onnx(tmp_path / "m.onnx", nn.Linear(4, 2), torch.randn(1, 4), metadata={"x": torch.zeros(1)})
    assert not (tmp_path / "m.onnx").exists()


def test_without_the_onnx_extra_the_reason_says_what_to_install(tmp_path, monkeypatch):
    assert onnx_unavailable_reason() is None  # the test environment has the extra
    monkeypatch.setattr(onnx_export, "ONNX_PACKAGES", ("onnx", "onnxscript_not_installed_here"))
    reason = onnx_unavailable_reason()
    assert reason == f"ONNX export needs onnxscript_not_installed_here: {INSTALL_HINT}"
    with pytest.raises(CheckpointError, match=r"install explorer\[onnx\]"):
        export_onnx(tmp_path / "m.onnx", nn.Linear(4, 2), torch.randn(1, 4), metadata={})
    assert not (tmp_path / "m.onnx").exists()


def test_only_the_onnx_suffix_is_written(tmp_path):
    with pytest.raises(CheckpointError, match=r"must end in \.onnx"):
        export_onnx(tmp_path / "m.pt", nn.Linear(4, 2), torch.randn(1, 4), metadata={})


def test_a_structured_output_exports_its_prediction_by_the_output_rule(tmp_path):
    sample = torch.randn(2, 4, generator=generator(0))
    model = AuxAndScores()
    result = export_onnx(tmp_path / "tuple.onnx", model, sample, metadata={})
    assert result.output_shape == (2, 3) and result.unverified == ""
    named = export_onnx(tmp_path / "named.onnx", TwoUnnamedHeads(), sample, metadata={}, output="second")
    assert named.output_shape == (2, 2)


def test_onnxruntime_verifies_when_installed_and_a_runtime_that_cannot_run_the_file_is_no_broken_export(
        tmp_path, monkeypatch):
    pytest.importorskip("onnxruntime")
    sample = torch.randn(2, 4, generator=generator(0))
    result = export_onnx(tmp_path / "a.onnx", nn.Linear(4, 3), sample, metadata={})
    assert result.verifier == "onnxruntime" and "run with onnxruntime" in result.summary()

    def cannot_run(proto, feed):
        raise ValueError("cannot reshape array of size 1 into shape (1,64)")

    monkeypatch.setattr(onnx_export, "_run", cannot_run)
    path = tmp_path / "b.onnx"
    result = export_onnx(path, nn.Linear(4, 3), sample, metadata={})
    assert path.exists() and result.max_abs_difference is None
    assert "NOT verified against PyTorch: onnxruntime could not run it (cannot reshape" in result.summary()


def test_a_hugging_face_bert_exports_and_onnxruntime_verifies_it(tmp_path):
    transformers = pytest.importorskip("transformers")
    pytest.importorskip("onnxruntime")
    config = transformers.BertConfig(vocab_size=50, hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
                                     intermediate_size=32, max_position_embeddings=64, num_labels=3)
    torch.manual_seed(0)
    model = transformers.BertForSequenceClassification(config)
    ids = torch.randint(0, 50, (1, 12), generator=generator(0))
    result = export_onnx(tmp_path / "bert.onnx", model, ids, metadata={})  # its output: a SequenceClassifierOutput
    assert result.unverified == "" and result.verifier == "onnxruntime"
    assert result.output_shape == (1, 3) and result.max_abs_difference < 1e-4
