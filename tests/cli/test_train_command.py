"""`explorer train` end to end, and its refusals: one line on stderr, no traceback, nothing trained."""

import subprocess
import sys

import pytest
import torch

from explorer.cli import run_cli
from explorer.cli import train_command
from explorer.core.checkpoint import load_checkpoint
from explorer.core.models import build_model


def test_train_digits_writes_a_checkpoint_with_metadata(tmp_path, capsys):
    out = tmp_path / "digits.pt"
    argv = ["train", "--dataset", "digits", "--steps", "20", "--batch-size", "16", "--lr", "0.02", "--out", str(out)]
    assert run_cli(argv) == 0
    printed = capsys.readouterr().out
    assert "final loss" in printed and "test accuracy" in printed and f"saved {out}" in printed

    checkpoint = load_checkpoint(out)
    assert checkpoint.step == 20 and checkpoint.optimizer_state is not None
    meta = checkpoint.metadata
    assert meta["model"] == "seed" and meta["dataset"] == "digits"
    assert meta["hyperparameters"] == {
        "optimizer": "sgd", "lr": 0.02, "momentum": 0.9, "batch_size": 16, "steps": 20, "seed": 0, "eval_every": 0,
    }
    assert set(meta["metrics"]) >= {"loss", "test_accuracy"}
    assert meta["metrics"]["loss"] == pytest.approx(checkpoint.loss)
    assert 0.0 <= meta["metrics"]["test_accuracy"] <= 1.0
    assert f"{meta['metrics']['test_accuracy']:.2%}" in printed

    model = build_model("seed", 0)
    model.load_state_dict(torch.load(out, weights_only=True)["model_state_dict"])  # plain PyTorch reads it


def test_train_tutorial_to_safetensors_on_one_thread(tmp_path, capsys):
    out = tmp_path / "tutorial.safetensors"
    argv = ["train", "--dataset", "tutorial", "--optimizer", "manual-sgd", "--steps", "5", "--threads", "1"]
    threads = torch.get_num_threads()
    try:
        assert run_cli([*argv, "--out", str(out)]) == 0
        assert torch.get_num_threads() == 1
    finally:
        torch.set_num_threads(threads)
    assert "test accuracy" not in capsys.readouterr().out  # the tutorial has no test split
    checkpoint = load_checkpoint(out)
    assert checkpoint.metadata["dataset"] == "tutorial" and checkpoint.metadata["metrics"]["test_accuracy"] is None
    assert checkpoint.step == 5


@pytest.fixture
def no_training(monkeypatch):
    """Bad arguments must be refused before the first step: training here fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError("training started despite bad arguments")

    monkeypatch.setattr(train_command, "train", refuse)


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["--dataset", "cifar"], "unknown dataset 'cifar'"),
        (["--lr", "-0.1"], "--lr must be a positive number"),
        (["--lr", "nan"], "--lr must be a positive number"),
        (["--steps", "0"], "--steps must be at least 1"),
        (["--batch-size", "0"], "--batch-size must be at least 1"),
        (["--threads", "0"], "--threads must be at least 1"),
        (["--model", "no_such_file.py:Net"], "no_such_file.py: no such file"),
    ],
)
def test_bad_arguments_are_one_line_errors(arguments, message, tmp_path, capsys, no_training):
    out = tmp_path / "m.pt"
    assert run_cli(["train", *arguments, "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("explorer train: error: ") and message in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert not out.exists()


@pytest.mark.parametrize(
    "out_name, message",
    [
        ("missing_folder/m.pt", "does not exist"),
        ("a_file.txt/m.pt", "does not exist"),
        ("m.pth", "must end in .pt or .safetensors"),
        ("a_folder.pt", "is a folder"),
    ],
)
def test_unusable_out_paths_are_refused_before_training(out_name, message, tmp_path, capsys, no_training):
    (tmp_path / "a_file.txt").write_text("not a folder")
    (tmp_path / "a_folder.pt").mkdir()
    assert run_cli(["train", "--out", str(tmp_path / out_name)]) == 1
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_a_model_that_does_not_fit_the_data_is_one_line(tmp_path, capsys, no_training):
    (tmp_path / "flat.py").write_text(
        "import torch.nn as nn\nclass Flat(nn.Module):\n"
        "    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(64, 10)\n"
        "    def forward(self, x):\n        return self.fc(x)\n"
    )
    spec = f"{tmp_path / 'flat.py'}:Flat"
    assert run_cli(["train", "--model", spec, "--out", str(tmp_path / "m.pt")]) == 1
    err = capsys.readouterr().err
    assert "does not fit dataset 'digits'" in err and "(1, 32, 32)" in err and err.count("\n") == 1


def test_divergence_is_reported_and_nothing_saved(tmp_path, capsys):
    out = tmp_path / "m.pt"
    argv = ["train", "--dataset", "tutorial", "--optimizer", "manual-sgd", "--lr", "1e6", "--steps", "50"]
    assert run_cli([*argv, "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "diverged at step" in err and "smaller --lr" in err and err.count("\n") == 1
    assert not out.exists()


def test_the_installed_command_exits_non_zero_without_a_traceback(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "explorer", "train", "--dataset", "nope", "--out", str(tmp_path / "m.pt")],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 1
    assert result.stderr.strip() == ("explorer train: error: unknown dataset 'nope'; "
                                     "choose one of tutorial, digits, mnist:DIR, folder:DIR")
