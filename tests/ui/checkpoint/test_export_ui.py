"""File > Export from the window: what the engine holds reaches the file, and failures keep the window and the old file."""

import resource
import signal
from pathlib import Path

import numpy as np
import onnx
import pytest
import torch
from onnx.reference import ReferenceEvaluator
from PySide6.QtCore import Qt

from explorer.core.training.run import session_run
from explorer.core.moves import Move
from explorer.core.checkpoint import load_checkpoint
from explorer.core.models import build_model
from explorer.cli import run_cli
from explorer.core.session import SessionConfig, StepSession
from explorer.core.training.loop import TrainConfig
from explorer.ui.checkpoint import controller as checkpoint_controller
from explorer.ui.checkpoint import dialogs as checkpoint_dialogs
from explorer.core.checkpoint.tasks import StagedCheckpoint, apply_staged, export_session, read_for_preview
from explorer.ui.window.driver import WindowDriver

from .checkpoint_helpers import engine_weights, assert_same, wait_idle, wait_message, dismiss


def test_file_menu_holds_export_open_and_recent_above_quit(make_window):
    window, controller = make_window()
    actions = window.file_menu.actions()
    assert actions[:3] == [controller.export_action, controller.open_action, controller.recent.menu.menuAction()]
    assert actions[-1] is window.quit_action
    assert ".onnx" in controller.export_action.toolTip()
    assert not controller.recent.menu.menuAction().isEnabled()  # nothing opened yet


@pytest.mark.parametrize("suffix", [".pt", ".safetensors"])
def test_export_writes_what_the_engine_holds_and_plain_libraries_read_it(qtbot, make_window, tmp_path, suffix):
    window, controller = make_window()
    driver = WindowDriver(window)
    for move in ("run_forward", "compute_loss", "run_backward", "update"):
        driver.move(move)  # the weights are no longer the initial ones
    window.steps_since_export = 1
    path = tmp_path / "exports" / f"run{suffix}"
    path.parent.mkdir()
    controller.export_to(path)
    wait_idle(qtbot, controller)

    weights = engine_weights(qtbot, window)
    if suffix == ".pt":
        plain = torch.load(path, weights_only=True)["model_state_dict"]
    else:
        import safetensors.torch

        plain = safetensors.torch.load_file(path)
    assert_same({name: plain[name] for name in weights}, weights)
    checkpoint = load_checkpoint(path)
    assert checkpoint.metadata["model"] == "seed" and checkpoint.metadata["dataset"] == "tutorial"
    assert checkpoint.metadata["hyperparameters"]["optimizer"] == "manual-sgd"
    assert window.steps_since_export == 0
    assert controller.recent.paths()[0] == path
    assert window.settings.value(checkpoint_controller.LAST_FOLDER_KEY) == str(path.parent)
    assert f"Exported run{suffix}" in window.statusBar().currentMessage()


def test_export_records_the_models_constructor_arguments(qtbot, make_window, tmp_path):
    window, controller = make_window(SessionConfig(model="mlp", model_kwargs='{"hidden": 24}', dataset="tutorial"))
    controller.export_to(tmp_path / "mlp.safetensors")
    wait_idle(qtbot, controller)
    checkpoint = load_checkpoint(tmp_path / "mlp.safetensors")
    assert checkpoint.metadata["model"] == "mlp" and checkpoint.metadata["model_kwargs"] == '{"hidden": 24}'
    assert "model_kwargs" not in checkpoint.metadata["hyperparameters"]
    assert checkpoint.shapes()["fc1.weight"] == (24, 1024)


def test_the_menu_action_asks_for_a_file_and_exports_onnx_with_a_busy_dialog(qtbot, make_window, tmp_path, monkeypatch):
    window, controller = make_window()
    path = tmp_path / "net.onnx"
    asked = []
    monkeypatch.setattr(checkpoint_dialogs, "ask_export_path",
                        lambda parent, folder, reason: asked.append((folder, reason)) or path)
    controller.progress.setMinimumDuration(0)  # shown at once, however fast this machine exports
    controller.export_action.trigger()
    qtbot.waitUntil(controller.progress.isVisible, timeout=30_000)
    assert "Exporting net.onnx" in controller.progress.labelText()
    wait_idle(qtbot, controller)
    assert not controller.progress.isVisible()
    assert asked == [(str(Path.home()), None)]
    assert controller.recent.paths() == []  # explorer cannot open .onnx files, so they are not offered

    proto = onnx.load(path)
    onnx.checker.check_model(proto, full_check=True)
    x = torch.randn(2, 1, 32, 32)
    (out,) = ReferenceEvaluator(proto).run(None, {"input": x.numpy()})
    model = build_model("seed", seed=0)
    model.load_state_dict(engine_weights(qtbot, window))
    with torch.no_grad():
        np.testing.assert_allclose(out, model(x).numpy(), rtol=1e-4, atol=1e-5)


def test_without_the_onnx_extra_the_menu_says_why_and_onnx_is_refused(qtbot, make_window, tmp_path, monkeypatch):
    reason = "ONNX export needs onnxscript: install explorer[onnx]"
    monkeypatch.setattr(checkpoint_controller, "onnx_unavailable_reason", lambda: reason)
    window, controller = make_window()
    assert "ONNX is unavailable: " + reason in controller.export_action.toolTip()
    assert window.file_menu.toolTipsVisible()
    assert any("unavailable: " + reason in f for f in checkpoint_dialogs.export_filters(reason))
    controller.export_to(tmp_path / "net.onnx")
    box = wait_message(qtbot, controller)
    assert "install explorer[onnx]" in box.text()
    assert not (tmp_path / "net.onnx").exists()


def test_export_into_a_folder_that_is_a_file_shows_a_message_and_the_window_keeps_working(qtbot, make_window, tmp_path):
    window, controller = make_window()
    (tmp_path / "exports").write_text("a file, not a folder")
    path = tmp_path / "exports" / "run.pt"
    window.steps_since_export = 3
    controller.export_to(path)
    box = wait_message(qtbot, controller)
    assert box.text().splitlines()[0] == f"{path}: cannot write: Not a directory"
    assert box.windowTitle() == "Export failed"
    dismiss(qtbot, controller)
    assert window.steps_since_export == 3  # nothing was saved
    qtbot.mouseClick(window.step_toolbar.widgetForAction(window.move_actions[Move.STEP_FORWARD]), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: str(window.snapshot.status).startswith("forward 1/"), timeout=30_000)


def test_a_full_disk_shows_a_message_and_keeps_the_previous_file(qtbot, make_window, tmp_path):
    """RLIMIT_FSIZE fails the engine thread's write with EFBIG, as a full disk fails it with ENOSPC."""
    window, controller = make_window()
    path = tmp_path / "run.pt"
    controller.export_to(path)
    wait_idle(qtbot, controller)
    old = path.read_bytes()
    WindowDriver(window).move(Move.RUN_FORWARD)
    previous_handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (len(old) // 2, hard))
    try:
        controller.export_to(path)
        box = wait_message(qtbot, controller)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous_handler)
    assert box.text().splitlines()[0] == f"{path}: cannot write: File too large"
    assert path.read_bytes() == old
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run.pt", "settings.ini"]


def test_a_paused_training_run_exports_its_optimizer_and_steps_and_the_cli_resumes_it_exactly(tmp_path):
    """The engine's training (a TrainingRun on the session's model) to a .pt, then `explorer train --resume`:
    bit for bit the weights of one uninterrupted CLI run. The task functions run here on the test thread."""
    session = StepSession(SessionConfig(dataset="digits", seed=0))
    run = session_run(session, TrainConfig(optimizer="sgd", lr=0.02, batch_size=8, steps=50))
    for _ in range(3):
        run.next()
    half = tmp_path / "gui.pt"
    export_session(session, half)
    checkpoint = load_checkpoint(half)
    assert checkpoint.step == 3 and checkpoint.metadata["optimizer_class"] == "SGD"
    assert checkpoint.metadata["hyperparameters"]["batch_size"] == 8
    momentum = run.optimizer.state_dict()["state"][4]["momentum_buffer"]
    assert torch.equal(checkpoint.optimizer_state["state"][4]["momentum_buffer"], momentum)

    resumed, straight = tmp_path / "resumed.pt", tmp_path / "straight.pt"
    assert run_cli(["train", "--resume", str(half), "--steps", "6", "--out", str(resumed)]) == 0
    assert run_cli(["train", "--dataset", "digits", "--optimizer", "sgd", "--lr", "0.02", "--batch-size", "8",
                    "--seed", "0", "--steps", "6", "--out", str(straight)]) == 0
    a, b = load_checkpoint(resumed), load_checkpoint(straight)
    assert a.step == b.step == 6
    assert_same(a.model_state, b.model_state)

    # Applied to a session with a paused run of its own: the run's optimizer gets the state, steps count on.
    other = StepSession(SessionConfig(dataset="digits", seed=5))
    other_run = session_run(other, TrainConfig(optimizer="sgd", lr=0.01, batch_size=8, steps=50))
    other_run.next()
    staged = StagedCheckpoint()
    assert read_for_preview(other, half, staged, other_run).optimizer.applies
    apply_staged(other, staged, other_run)
    assert_same(other.model.state_dict(), checkpoint.model_state)
    assert torch.equal(other_run.optimizer.state_dict()["state"][4]["momentum_buffer"], momentum)
    assert other_run.optimizer.param_groups[0]["lr"] == 0.01  # the run keeps its own learning rate
    other_run.next()
    export_session(other, tmp_path / "later.pt")
    assert load_checkpoint(tmp_path / "later.pt").step == 4


