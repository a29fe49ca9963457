"""`explorer train --resume`: resuming to step N gives exactly what an uninterrupted run to N gives."""

import pytest
import torch

from explorer.cli import run_cli
from explorer.core.checkpoint import load_checkpoint, save_checkpoint
from explorer.core.models import ModelSpec, build_model

SMALL = ["--dataset", "digits", "--batch-size", "8"]


def train_cli(*argv) -> int:
    return run_cli(["train", *map(str, argv)])


def assert_same_tensors(a: dict, b: dict) -> None:
    assert list(a) == list(b)
    for name in a:
        assert torch.equal(a[name], b[name]), name


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_resuming_to_step_n_equals_an_uninterrupted_run_to_n(tmp_path, capsys, optimizer):
    half, resumed, straight = tmp_path / "half.pt", tmp_path / "resumed.pt", tmp_path / "straight.pt"
    options = [*SMALL, "--optimizer", optimizer, "--lr", "0.02", "--seed", "3"]
    assert train_cli(*options, "--steps", 6, "--out", half) == 0
    assert train_cli("--resume", half, "--steps", 12, "--out", resumed) == 0  # settings come from the file
    assert "resuming from" in capsys.readouterr().out
    assert train_cli(*options, "--steps", 12, "--out", straight) == 0

    a, b = load_checkpoint(resumed), load_checkpoint(straight)
    assert a.step == b.step == 12 and a.loss == b.loss
    assert_same_tensors(a.model_state, b.model_state)  # bit for bit
    for key, state in b.optimizer_state["state"].items():
        assert_same_tensors(a.optimizer_state["state"][key], state)
    assert a.optimizer_state["param_groups"] == b.optimizer_state["param_groups"]
    drop_time = lambda meta: {k: v for k, v in meta.items() if k != "saved_at"}  # noqa: E731
    assert drop_time(a.metadata) == drop_time(b.metadata)


def test_an_explicit_learning_rate_overrides_the_one_in_the_optimizer_state(tmp_path):
    half, out = tmp_path / "half.pt", tmp_path / "out.pt"
    assert train_cli(*SMALL, "--optimizer", "sgd", "--lr", "0.02", "--steps", 3, "--out", half) == 0
    assert train_cli("--resume", half, "--steps", 4, "--lr", "0.005", "--out", out) == 0
    checkpoint = load_checkpoint(out)
    assert checkpoint.optimizer_state["param_groups"][0]["lr"] == 0.005
    assert checkpoint.metadata["hyperparameters"]["lr"] == 0.005


def test_resuming_from_safetensors_says_the_optimizer_starts_fresh(tmp_path, capsys):
    half, out = tmp_path / "half.safetensors", tmp_path / "out.pt"
    assert train_cli(*SMALL, "--optimizer", "manual-sgd", "--steps", 2, "--out", half) == 0
    capsys.readouterr()
    assert train_cli("--resume", half, "--steps", 3, "--out", out) == 0
    assert "holds no optimizer state (.safetensors holds weights only)" in capsys.readouterr().err
    checkpoint = load_checkpoint(out)
    assert checkpoint.step == 3 and checkpoint.metadata["hyperparameters"]["optimizer"] == "manual-sgd"


def one_line_error(capsys, fragment):
    err = capsys.readouterr().err
    assert err.startswith("explorer train: error: ") and fragment in err, err
    assert err.count("\n") == 1 and "Traceback" not in err


@pytest.fixture
def half(tmp_path):
    path = tmp_path / "half.pt"
    assert run_cli(["train", *SMALL, "--optimizer", "sgd", "--steps", "3", "--out", str(path)]) == 0
    return path


@pytest.mark.parametrize(
    "extra, fragment",
    [
        ([], "is at step 3: give --steps N (N > 3)"),
        (["--steps", "3"], "--steps 3: "),
        (["--steps", "9", "--optimizer", "adam"], "holds SGD state, but the optimizer is Adam"),
        (["--steps", "9", "--model", "no_such.py:Net"], "no_such.py: no such file"),
    ],
)
def test_refusals_are_one_line_and_write_nothing(tmp_path, capsys, half, extra, fragment):
    capsys.readouterr()
    out = tmp_path / "out.pt"
    assert run_cli(["train", "--resume", str(half), *extra, "--out", str(out)]) == 1
    one_line_error(capsys, fragment)
    assert not out.exists()


def test_a_resumed_model_keeps_the_files_constructor_arguments(tmp_path):
    path, out = tmp_path / "mlp.pt", tmp_path / "out.pt"
    model = build_model(ModelSpec("mlp", {"hidden": 24}))
    metadata = {"model": "mlp", "model_kwargs": '{"hidden": 24}', "dataset": "digits",
                "hyperparameters": {"optimizer": "adam", "lr": 0.001, "batch_size": 4, "seed": 1}}
    save_checkpoint(path, model, torch.optim.Adam(model.parameters(), lr=0.001), step=2, metadata=metadata)
    assert train_cli("--resume", path, "--steps", 4, "--out", out) == 0
    checkpoint = load_checkpoint(out)
    assert checkpoint.shapes()["fc1.weight"] == (24, 1024)
    assert checkpoint.metadata["model_kwargs"] == '{"hidden": 24}' and checkpoint.step == 4
    assert checkpoint.metadata["hyperparameters"]["optimizer"] == "adam"


def test_a_model_file_named_in_the_checkpoint_is_not_run(tmp_path, capsys):
    code = tmp_path / "mine.py"
    code.write_text("import pathlib\npathlib.Path(__file__).with_name('IMPORTED').touch()\n")
    path = tmp_path / "mine.pt"
    save_checkpoint(path, build_model("seed"), step=1, metadata={"model": f"{code}:Net", "dataset": "digits"})
    assert run_cli(["train", "--resume", str(path), "--steps", "5", "--out", str(tmp_path / "o.pt")]) == 1
    one_line_error(capsys, f"give --model {code}:Net if you trust that file")
    assert not (tmp_path / "IMPORTED").exists()


@pytest.mark.parametrize("content, fragment", [(b"", "empty file"), (b"\x80\x02garbage", "not a")])
def test_an_unreadable_checkpoint_is_one_line(tmp_path, capsys, content, fragment):
    path = tmp_path / "bad.pt"
    path.write_bytes(content)
    assert run_cli(["train", "--resume", str(path), "--steps", "5", "--out", str(tmp_path / "o.pt")]) == 1
    one_line_error(capsys, fragment)


def test_nan_weights_are_not_resumed(tmp_path, capsys):
    model = build_model("seed")
    with torch.no_grad():
        model.conv1.weight[0, 0, 0, 0] = float("nan")
    path = tmp_path / "nan.pt"
    save_checkpoint(path, model, step=2, metadata={"model": "seed", "dataset": "digits"})
    assert run_cli(["train", "--resume", str(path), "--steps", "5", "--out", str(tmp_path / "o.pt")]) == 1
    one_line_error(capsys, "cannot resume: 1 tensor holds NaN or Inf values: conv1.weight")
