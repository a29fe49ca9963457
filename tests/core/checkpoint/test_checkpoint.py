"""Checkpoints that work: round trips, plain-PyTorch compatibility, resuming training, write errors."""

import os
import sys
from datetime import datetime, timedelta, timezone

import pytest
import safetensors.torch
import torch
import torch.nn.functional as F

from explorer import __version__
from explorer.core.checkpoint import (
    FORMAT_VERSION,
    CheckpointError,
    apply_checkpoint,
    load_checkpoint,
    save_checkpoint,
)
from explorer.core.models import build_model
from explorer.core.net import Net
from explorer.core.optim import make_optimizer
from explorer.core.seeding import generator

METADATA = {
    "model": "seed",
    "dataset": "random-digits",
    "hyperparameters": {"lr": 0.01, "batch_size": 4, "optimizer": "sgd", "nesterov": False, "clip": None},
    "metrics": {"losses": [1.5, 0.75, 0.5], "accuracy": 0.25},
}


def batches(count: int, seed: int = 7) -> list[tuple[torch.Tensor, torch.Tensor]]:
    g = generator(seed)
    return [(torch.randn(4, 1, 32, 32, generator=g), torch.randn(4, 10, generator=g)) for _ in range(count)]


def train(model, optimizer, data) -> float:
    for x, target in data:
        optimizer.zero_grad()
        loss = F.mse_loss(model(x), target)
        loss.backward()
        optimizer.step()
    return loss.item()


def assert_same_weights(a: dict, b: dict) -> None:
    assert list(a) == list(b)
    for name in a:
        assert a[name].dtype == b[name].dtype, name
        assert torch.equal(a[name], b[name]), name


@pytest.mark.parametrize("suffix", [".pt", ".safetensors"])
def test_round_trip_keeps_weights_step_loss_and_metadata(tmp_path, suffix):
    model = build_model("seed", seed=3)
    path = tmp_path / f"run{suffix}"
    before = datetime.now(timezone.utc).replace(microsecond=0)
    save_checkpoint(path, model, step=123, loss=0.0625, metadata=METADATA)

    checkpoint = load_checkpoint(path)
    assert checkpoint.format == suffix[1:]
    assert sorted(checkpoint.model_state) == sorted(model.state_dict())
    assert_same_weights({n: checkpoint.model_state[n] for n in model.state_dict()}, model.state_dict())
    assert checkpoint.step == 123
    assert checkpoint.loss == 0.0625
    assert checkpoint.warnings == ()
    assert {key: checkpoint.metadata[key] for key in METADATA} == METADATA
    assert checkpoint.metadata["format_version"] == FORMAT_VERSION == checkpoint.format_version
    assert checkpoint.metadata["explorer_version"] == __version__
    assert checkpoint.metadata["torch_version"] == str(torch.__version__)
    saved_at = datetime.fromisoformat(checkpoint.metadata["saved_at"])
    assert saved_at.utcoffset() == timedelta(0)
    assert before <= saved_at <= datetime.now(timezone.utc)


def test_both_formats_hold_the_same_metadata(tmp_path):
    model = build_model("seed")
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    save_checkpoint(tmp_path / "a.pt", model, step=5, loss=None, metadata=METADATA)
    save_checkpoint(tmp_path / "a.safetensors", model, optimizer, step=5, loss=None, metadata=METADATA)
    pt, st = load_checkpoint(tmp_path / "a.pt"), load_checkpoint(tmp_path / "a.safetensors")
    drop_time = lambda metadata: {k: v for k, v in metadata.items() if k != "saved_at"}  # noqa: E731
    assert drop_time(pt.metadata) == drop_time(st.metadata)
    assert (pt.step, pt.loss) == (st.step, st.loss) == (5, None)
    # .safetensors stores weights only, so it claims no optimizer either
    assert st.optimizer_state is None and "optimizer_class" not in st.metadata


def test_plain_torch_load_weights_only_fills_the_tutorial_net(tmp_path):
    model = build_model("seed", seed=11)
    path = tmp_path / "run.pt"
    save_checkpoint(path, model, torch.optim.Adam(model.parameters()), step=1, metadata=METADATA)

    content = torch.load(path, weights_only=True)
    net = Net()
    net.load_state_dict(content["model_state_dict"], strict=True)
    x = torch.randn(2, 1, 32, 32, generator=generator(0))
    assert torch.equal(net(x), model(x))
    assert set(content) == {"model_state_dict", "optimizer_state_dict", "step", "loss", "metadata"}


def test_safetensors_file_loads_with_safetensors_itself(tmp_path):
    model = build_model("seed", seed=4)
    path = tmp_path / "run.safetensors"
    save_checkpoint(path, model, step=1, metadata=METADATA)
    net = Net()
    net.load_state_dict(safetensors.torch.load_file(path), strict=True)
    assert_same_weights(net.state_dict(), model.state_dict())


@pytest.mark.parametrize("optimizer_name", ["sgd", "adam", "manual-sgd"])
def test_resuming_from_a_checkpoint_matches_an_uninterrupted_run(tmp_path, optimizer_name):
    data = batches(5)
    model = build_model("seed", seed=0)
    optimizer = make_optimizer(optimizer_name, model.parameters(), lr=0.01, momentum=0.9)
    loss = train(model, optimizer, data[:3])
    path = tmp_path / "resume.pt"
    save_checkpoint(path, model, optimizer, step=3, loss=loss, metadata=METADATA)
    train(model, optimizer, data[3:])  # the uninterrupted run

    resumed = build_model("seed", seed=99)  # different weights, fresh optimizer state
    resumed_optimizer = make_optimizer(optimizer_name, resumed.parameters(), lr=0.5, momentum=0.9)
    checkpoint = load_checkpoint(path)
    assert checkpoint.step == 3 and checkpoint.loss == loss
    apply_checkpoint(resumed, checkpoint, resumed_optimizer)
    assert resumed_optimizer.param_groups[0]["lr"] == 0.01
    train(resumed, resumed_optimizer, data[3:])
    assert_same_weights(resumed.state_dict(), model.state_dict())


def test_applying_twice_gives_the_same_run(tmp_path):
    """Training after apply must not change the Checkpoint's tensors (its optimizer state is copied)."""
    data = batches(4)
    model = build_model("seed")
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    train(model, optimizer, data[:2])
    save_checkpoint(tmp_path / "a.pt", model, optimizer, step=2, metadata=METADATA)
    checkpoint = load_checkpoint(tmp_path / "a.pt")

    results = []
    for _ in range(2):
        apply_checkpoint(model, checkpoint, optimizer)
        train(model, optimizer, data[2:])
        results.append({n: t.clone() for n, t in model.state_dict().items()})
    assert_same_weights(results[0], results[1])


def test_bare_state_dict_loads_as_a_foreign_checkpoint(tmp_path):
    model = build_model("seed", seed=5)
    path = tmp_path / "weights.pt"
    torch.save(model.state_dict(), path)
    checkpoint = load_checkpoint(path)
    assert (checkpoint.step, checkpoint.loss, checkpoint.metadata, checkpoint.optimizer_state) == (0, None, {}, None)
    assert checkpoint.format_version is None
    target = build_model("seed", seed=6)
    apply_checkpoint(target, checkpoint)
    assert_same_weights(target.state_dict(), model.state_dict())


def test_pytorch_tutorial_general_checkpoint_loads(tmp_path):
    """The layout of PyTorch's own "saving and loading a general checkpoint" recipe, loss tensor and all."""
    model = build_model("seed")
    optimizer = torch.optim.SGD(model.parameters(), lr=0.001, momentum=0.9)
    train(model, optimizer, batches(1))
    path = tmp_path / "tutorial.pt"
    loss = torch.tensor(0.4)
    recipe = {
        "epoch": 5,
        "model_state_dict": model.state_dict(),
        "optimizer_state_dict": optimizer.state_dict(),
        "loss": loss,
    }
    torch.save(recipe, path)
    checkpoint = load_checkpoint(path)
    assert checkpoint.loss == pytest.approx(0.4) and checkpoint.metadata == {} and checkpoint.step == 0
    fresh = build_model("seed", seed=1)
    fresh_optimizer = torch.optim.SGD(fresh.parameters(), lr=0.5, momentum=0.9)
    apply_checkpoint(fresh, checkpoint, fresh_optimizer)
    assert_same_weights(fresh.state_dict(), model.state_dict())
    assert fresh_optimizer.param_groups[0]["lr"] == 0.001


def test_safetensors_from_another_program_keeps_its_text_metadata(tmp_path):
    model = build_model("seed")
    path = tmp_path / "hub.safetensors"
    safetensors.torch.save_file(model.state_dict(), path, metadata={"format": "pt"})
    checkpoint = load_checkpoint(path)
    assert checkpoint.metadata == {"format": "pt"} and checkpoint.format_version is None


def test_repr_and_summary_say_what_the_file_holds(tmp_path):
    model = build_model("seed")
    path = tmp_path / "run.pt"
    save_checkpoint(path, model, torch.optim.SGD(model.parameters(), lr=0.1), step=42, loss=0.5, metadata=METADATA)
    checkpoint = load_checkpoint(path)
    assert repr(checkpoint) == (
        f"Checkpoint({str(path)!r}, format='pt', tensors=10, step=42, loss=0.5, format_version=1, optimizer_state=yes)"
    )
    assert checkpoint.summary() == "run.pt: 10 tensors, 585,506 values, step 42, loss 0.5 (explorer format 1)"
    assert checkpoint.shapes()["fc1.weight"] == (1200, 400)


def test_metadata_that_would_not_load_weights_only_is_refused_before_writing(tmp_path):
    model = build_model("seed")
    path = tmp_path / "run.pt"
    for bad in ({"shape": (1, 1, 32, 32)}, {"lr": torch.tensor(0.1)}, {"nested": {1: "int key"}}):
        with pytest.raises(TypeError, match="metadata"):
            save_checkpoint(path, model, metadata=bad)
    with pytest.raises(ValueError, match="step"):
        save_checkpoint(path, model, metadata={"step": 3})
    assert not path.exists()


def test_unknown_suffix_is_refused(tmp_path):
    with pytest.raises(CheckpointError, match=r"run\.ckpt: unknown checkpoint type '\.ckpt'"):
        save_checkpoint(tmp_path / "run.ckpt", build_model("seed"), metadata={})


def test_parent_that_is_a_file_gives_a_checkpoint_error(tmp_path):
    (tmp_path / "runs").write_text("a file where a folder should be")
    path = tmp_path / "runs" / "run.pt"
    with pytest.raises(CheckpointError) as caught:
        save_checkpoint(path, build_model("seed"), metadata={})
    assert str(caught.value) == f"{path}: cannot write: Not a directory"


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root ignores folder permissions")
def test_read_only_folder_gives_a_checkpoint_error_and_keeps_the_old_file(tmp_path):
    path = tmp_path / "run.pt"
    save_checkpoint(path, build_model("seed", seed=1), step=1, metadata={})
    old = path.read_bytes()
    tmp_path.chmod(0o555)
    try:
        with pytest.raises(CheckpointError, match="cannot write: Permission denied"):
            save_checkpoint(path, build_model("seed", seed=2), step=2, metadata={})
    finally:
        tmp_path.chmod(0o755)
    assert path.read_bytes() == old


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX")
def test_full_disk_gives_a_checkpoint_error_and_keeps_the_old_file(tmp_path):
    """RLIMIT_FSIZE fails the write with EFBIG the way a full disk fails it with ENOSPC, even as root."""
    import resource
    import signal

    path = tmp_path / "run.safetensors"
    save_checkpoint(path, build_model("seed", seed=1), step=1, metadata={})
    old = path.read_bytes()
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    previous_handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (len(old) // 2, hard))
    try:
        with pytest.raises(CheckpointError) as caught:
            save_checkpoint(path, build_model("seed", seed=2), step=2, metadata={})
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous_handler)
    assert str(caught.value) == f"{path}: cannot write: File too large"
    assert path.read_bytes() == old
    assert list(tmp_path.iterdir()) == [path]
