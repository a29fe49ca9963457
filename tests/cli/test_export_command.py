"""`explorer export IN --out OUT`: conversions by suffix, and refusals that are one line and run no code."""

import json
import os
import subprocess
import sys

import numpy as np
import onnx
import pytest
import safetensors.torch
import torch
from onnx.reference import ReferenceEvaluator

from explorer.cli import run_cli
from explorer.core.checkpoint import onnx_export
from explorer.core.checkpoint import load_checkpoint, save_checkpoint
from explorer.core.models import ModelSpec, build_model
from explorer.core.seeding import generator

METADATA = {
    "model": "seed",
    "dataset": "digits",
    "hyperparameters": {"lr": 0.05, "optimizer": "adam"},
    "metrics": {"loss": 0.25, "test_accuracy": 0.5},
}


def trained(tmp_path, name="run.pt", metadata=METADATA):
    """A checkpoint of a model with Adam state after one real step."""
    model = build_model("seed", seed=2)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.05)
    model(torch.randn(2, 1, 32, 32, generator=generator(0))).sum().backward()
    optimizer.step()
    path = tmp_path / name
    save_checkpoint(path, model, optimizer, step=17, loss=0.25, metadata=metadata)
    return path, model


def one_line_error(capsys, *fragments) -> str:
    err = capsys.readouterr().err
    assert err.startswith("explorer export: error: ") and err.count("\n") == 1, err
    assert "Traceback" not in err
    for fragment in fragments:
        assert fragment in err, err
    return err


def test_pt_to_safetensors_and_back_keeps_weights_step_loss_and_metadata(tmp_path, capsys):
    source, model = trained(tmp_path)
    st, back = tmp_path / "run.safetensors", tmp_path / "back.pt"
    assert run_cli(["export", str(source), "--out", str(st)]) == 0
    assert "optimizer state left out" in capsys.readouterr().out
    assert run_cli(["export", str(st), "--out", str(back)]) == 0

    plain = safetensors.torch.load_file(st)  # safetensors itself reads the converted file
    for name, tensor in model.state_dict().items():
        assert torch.equal(plain[name], tensor), name
    original, converted = load_checkpoint(source), load_checkpoint(back)
    assert (converted.step, converted.loss) == (original.step, original.loss) == (17, 0.25)
    for key in METADATA:
        assert converted.metadata[key] == original.metadata[key]
    assert converted.optimizer_state is None  # it went through .safetensors
    assert torch.equal(converted.model_state["fc1.weight"], model.fc1.weight)


def test_pt_to_pt_keeps_the_optimizer_state(tmp_path):
    source, _ = trained(tmp_path)
    copy = tmp_path / "copy.pt"
    assert run_cli(["export", str(source), "--out", str(copy)]) == 0
    original, converted = load_checkpoint(source), load_checkpoint(copy)
    assert converted.metadata["optimizer_class"] == "Adam"
    state_a, state_b = original.optimizer_state["state"], converted.optimizer_state["state"]
    assert torch.equal(state_a[4]["exp_avg"], state_b[4]["exp_avg"])


def test_pt_to_onnx_builds_the_named_builtin_model_and_matches_pytorch(tmp_path, capsys):
    source, model = trained(tmp_path)
    out = tmp_path / "run.onnx"
    assert run_cli(["export", str(source), "--out", str(out)]) == 0
    assert f"saved {out.name}: ONNX opset" in capsys.readouterr().out
    proto = onnx.load(out)
    onnx.checker.check_model(proto, full_check=True)
    x = torch.randn(3, 1, 32, 32, generator=generator(5))
    (actual,) = ReferenceEvaluator(proto).run(None, {"input": x.numpy()})
    with torch.no_grad():
        np.testing.assert_allclose(actual, model(x).numpy(), rtol=1e-4, atol=1e-5)
    props = {entry.key: json.loads(entry.value) for entry in proto.metadata_props}
    assert props["model"] == "seed" and props["step"] == 17 and props["dataset"] == "digits"


def test_the_files_constructor_arguments_build_the_model_to_export(tmp_path):
    model = build_model(ModelSpec("mlp", {"hidden": 24}), seed=1)
    source = tmp_path / "mlp.safetensors"
    save_checkpoint(source, model, metadata={"model": "mlp", "model_kwargs": '{"hidden": 24}'})
    out = tmp_path / "mlp.onnx"
    assert run_cli(["export", str(source), "--out", str(out)]) == 0
    x = torch.randn(2, 1, 32, 32, generator=generator(3))
    (actual,) = ReferenceEvaluator(onnx.load(out)).run(None, {"input": x.numpy()})
    with torch.no_grad():
        np.testing.assert_allclose(actual, model(x).numpy(), rtol=1e-4, atol=1e-5)


USER_MODEL = """
import pathlib
import torch.nn as nn
pathlib.Path(__file__).with_name("IMPORTED").write_text("this file's code ran")
class Tiny(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(1024, 3)
    def forward(self, x):
        return self.fc(x.flatten(1))
"""


def test_a_model_file_named_in_the_checkpoint_is_never_run_unless_given_on_the_command_line(tmp_path, capsys):
    code = tmp_path / "tiny.py"
    code.write_text(USER_MODEL)
    spec = f"{code}:Tiny"
    model = torch.nn.Module()
    model.fc = torch.nn.Linear(1024, 3)
    source = tmp_path / "tiny.pt"
    save_checkpoint(source, model, metadata={"model": spec, "dataset": "digits"})
    out = tmp_path / "tiny.onnx"

    assert run_cli(["export", str(source), "--out", str(out)]) == 1
    one_line_error(capsys, "will not run on a checkpoint's say-so", f"give --model {spec}")
    assert not (tmp_path / "IMPORTED").exists() and not out.exists()

    # Named by the user: their decision to run it. The input shape comes from the built-in data set.
    assert run_cli(["export", str(source), "--out", str(out), "--model", spec]) == 0
    assert (tmp_path / "IMPORTED").exists()
    assert onnx_export.INPUT_NAME in [i.name for i in onnx.load(out).graph.input]
    assert onnx.load(out).graph.input[0].type.tensor_type.shape.dim[1].dim_value == 1


def test_a_file_without_a_model_name_needs_model_for_onnx(tmp_path, capsys):
    path = tmp_path / "bare.pt"
    torch.save(build_model("seed").state_dict(), path)
    assert run_cli(["export", str(path), "--out", str(tmp_path / "bare.onnx")]) == 1
    one_line_error(capsys, "does not name its model; give --model SPEC")
    assert run_cli(["export", str(path), "--out", str(tmp_path / "bare.onnx"), "--model", "seed"]) == 0


def test_a_model_that_does_not_fit_the_tensors_lists_the_problems(tmp_path, capsys):
    path = tmp_path / "other.pt"
    torch.save({"fc.weight": torch.zeros(3, 4)}, path)
    assert run_cli(["export", str(path), "--out", str(tmp_path / "o.onnx"), "--model", "seed"]) == 1
    one_line_error(capsys, "does not fit this model: missing 10 tensors", "1 unexpected tensor: fc.weight")


def test_without_the_onnx_extra_export_says_what_to_install(tmp_path, capsys, monkeypatch):
    source, _ = trained(tmp_path)
    monkeypatch.setattr(onnx_export, "ONNX_PACKAGES", ("onnx", "onnxscript_not_installed_here"))
    assert run_cli(["export", str(source), "--out", str(tmp_path / "run.onnx")]) == 1
    one_line_error(capsys, "install explorer[onnx]")


class RunsCode:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch '{self.marker}'",))


@pytest.mark.parametrize("suffix", [".pt", ".safetensors", ".onnx"])
def test_untrusted_inputs_are_one_line_errors_and_write_nothing(tmp_path, capsys, suffix):
    marker = tmp_path / "PAYLOAD_RAN"
    good, _ = trained(tmp_path)
    data = good.read_bytes()
    bad = {
        "truncated.pt": data[: len(data) // 3],
        "random.pt": os.urandom(3000),
        "empty.safetensors": b"",
        "huge-header.safetensors": (2**62).to_bytes(8, "little") + b"{}",
    }
    for name, content in bad.items():
        (tmp_path / name).write_bytes(content)
    torch.save({"model_state_dict": {"w": torch.zeros(1)}, "step": RunsCode(marker)}, tmp_path / "evil.pt")
    torch.save({"model_state_dict": {"w": torch.zeros(1)}, "metadata": {"format_version": 99}}, tmp_path / "new.pt")
    (tmp_path / "folder.pt").mkdir()
    cases = [*bad, "evil.pt", "new.pt", "folder.pt", "missing.pt"]
    for name in cases:
        out = tmp_path / f"out{suffix}"
        assert run_cli(["export", str(tmp_path / name), "--out", str(out)]) == 1, name
        one_line_error(capsys, str(tmp_path / name))
        assert not out.exists()
    assert not marker.exists(), "exporting ran code from a checkpoint"


@pytest.mark.parametrize(
    "argv_tail, fragment",
    [
        (["--out", "x.txt"], "must end in .pt, .safetensors or .onnx"),
        (["--out", "no_such_folder/x.pt"], "does not exist"),
        (["--out", "x.onnx", "--input-shape", "1,zero"], "--input-shape '1,zero'"),
    ],
)
def test_bad_arguments_are_refused_before_reading(tmp_path, capsys, monkeypatch, argv_tail, fragment):
    monkeypatch.chdir(tmp_path)
    source, _ = trained(tmp_path)
    assert run_cli(["export", str(source), *argv_tail]) == 1
    one_line_error(capsys, fragment)


def test_onnx_input_is_refused(tmp_path, capsys):
    (tmp_path / "m.onnx").write_bytes(b"not read")
    assert run_cli(["export", str(tmp_path / "m.onnx"), "--out", str(tmp_path / "m.pt")]) == 1
    one_line_error(capsys, "explorer writes ONNX but does not read it")


def test_nan_weights_convert_with_a_warning(tmp_path, capsys):
    model = build_model("seed")
    with torch.no_grad():
        model.fc3.bias[0] = float("nan")
    source = tmp_path / "nan.pt"
    save_checkpoint(source, model, metadata={"model": "seed"})
    assert run_cli(["export", str(source), "--out", str(tmp_path / "nan.safetensors")]) == 0
    assert "warning: " in capsys.readouterr().out and "NaN or Inf values: fc3.bias" in str(
        load_checkpoint(tmp_path / "nan.safetensors").warnings
    )


def test_the_installed_command_exits_non_zero_without_a_traceback(tmp_path):
    (tmp_path / "noise.pt").write_bytes(os.urandom(500))
    result = subprocess.run(
        [sys.executable, "-m", "explorer", "export", str(tmp_path / "noise.pt"), "--out", str(tmp_path / "o.pt")],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"explorer export: error: {tmp_path / 'noise.pt'}: ")
    assert result.stderr.count("\n") == 1
