"""`explorer inspect PATH`: a readable report for good files, one line on stderr and status 1 for bad ones."""

import pytest
import torch

import explorer.cli
from explorer.cli import run_cli
from explorer.core.checkpoint import save_checkpoint
from explorer.core.models import build_model
from explorer.core.net import Net

METADATA = {"model": "seed", "dataset": "random-digits", "hyperparameters": {"lr": 0.01}}


@pytest.fixture(autouse=True)
def only_inspect(monkeypatch):
    """Load only this subcommand, so these tests do not depend on the other commands' modules."""
    monkeypatch.setattr(explorer.cli, "SUBCOMMANDS", ("inspect",))


def inspect(path, capsys) -> tuple[int, str, str]:
    status = run_cli(["inspect", str(path)])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.parametrize("suffix", [".pt", ".safetensors"])
def test_good_file_prints_structure_counts_step_loss_and_metadata(tmp_path, capsys, suffix):
    model = build_model("seed")
    path = tmp_path / f"run{suffix}"
    save_checkpoint(path, model, torch.optim.SGD(model.parameters(), lr=0.01), step=7, loss=0.5, metadata=METADATA)
    status, out, err = inspect(path, capsys)
    assert (status, err) == (0, "")
    assert str(Net()) in out  # the structure exactly as print(net) shows it
    assert "Total: 585,506 parameters in 10 tensors" in out
    lines = out.splitlines()
    assert lines.index("Tensors:") + 1 == lines.index("  conv1.weight  6×1×5×5       150")  # the model's order
    assert "  fc1.weight    1200×400  480,000" in lines
    assert "Step: 7" in lines and "Loss: 0.5" in lines
    assert '  hyperparameters: {"lr": 0.01}' in lines and "  dataset: random-digits" in lines
    assert "explorer format 1" in out


def test_model_file_named_in_metadata_is_never_imported(tmp_path, capsys):
    marker = tmp_path / "MARKER"
    model_file = tmp_path / "evil_model.py"
    model_file.write_text(f"open({str(marker)!r}, 'w').close()\nfrom explorer.core.net import Net as Evil\n")
    path = tmp_path / "run.pt"
    save_checkpoint(path, build_model("seed"), metadata={"model": f"{model_file}:Evil"})
    status, out, err = inspect(path, capsys)
    assert (status, err) == (0, "")
    assert not marker.exists(), "inspect imported the model file the checkpoint named"
    assert "not imported" in out
    assert "  (fc1): Linear-like (400 -> 1200) [weight 1200×400, bias 1200]" in out
    assert "  (conv2): Conv2d-like (6 -> 16 channels, 5×5 kernel) [weight 16×6×5×5, bias 16]" in out
    assert "Total: 585,506 values in 10 tensors" in out


def test_bare_state_dict_gets_an_inferred_tree(tmp_path, capsys):
    path = tmp_path / "weights.pt"
    torch.save(build_model("seed").state_dict(), path)
    status, out, _ = inspect(path, capsys)
    assert status == 0
    assert "no explorer metadata" in out and "Metadata: none" in out
    assert "(fc3): Linear-like (84 -> 10)" in out


def test_nan_weights_and_control_characters_in_metadata(tmp_path, capsys):
    model = build_model("seed")
    with torch.no_grad():
        model.fc3.bias[0] = float("nan")
    path = tmp_path / "run.pt"
    save_checkpoint(path, model, metadata={"model": "seed", "dataset": "digits\x1b[2J"})
    status, out, _ = inspect(path, capsys)
    assert status == 0
    assert "Warning: 1 tensor holds NaN or Inf values: fc3.bias" in out
    assert "\x1b" not in out and "digits\\x1b[2J" in out


def bad_files(tmp_path) -> dict:
    good = tmp_path / "good.pt"
    save_checkpoint(good, build_model("seed"), metadata=METADATA)
    files = {}
    files["truncated.pt"] = good.read_bytes()[: good.stat().st_size // 2]
    files["random.safetensors"] = bytes(range(256)) * 8
    files["empty.pt"] = b""
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    (tmp_path / "folder.pt").mkdir()
    return {name: tmp_path / name for name in [*files, "folder.pt", "missing.pt"]}


@pytest.mark.parametrize("name", ["truncated.pt", "random.safetensors", "empty.pt", "folder.pt", "missing.pt"])
def test_bad_file_exits_1_with_one_line_on_stderr(tmp_path, capsys, name):
    path = bad_files(tmp_path)[name]
    status, out, err = inspect(path, capsys)
    assert status == 1
    assert out == ""
    assert err.startswith(f"explorer inspect: error: {path}: ")
    assert err.count("\n") == 1 and err.endswith("\n")
    assert "Traceback" not in err
