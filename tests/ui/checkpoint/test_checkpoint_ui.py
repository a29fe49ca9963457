"""File > Export / Open checkpoint / Open recent and the quit prompt, in a real main window with its engine.

Every check on the model reads the engine's own weights, cloned on the engine thread. Bad files and bad
paths must end in a message box, with the weights bit for bit as they were and the window still working.
"""

import os
import resource
import signal
import struct
from pathlib import Path

import numpy as np
import onnx
import pytest
import torch
import torch.nn as nn
from onnx.reference import ReferenceEvaluator
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QMessageBox

from explorer.core.moves import Move
from explorer.core.checkpoint import load_checkpoint, save_checkpoint
from explorer.core.models import build_model
from explorer.cli import run_cli
from explorer.core.session import SessionConfig, StepSession
from explorer.core.training.loop import TrainConfig
from explorer.core.training.run import TrainingRun
from explorer.ui.checkpoint import controller as checkpoint_controller
from explorer.ui.checkpoint import dialogs as checkpoint_dialogs
from explorer.ui.checkpoint import quit_guard as checkpoint_quit_guard
from explorer.ui.checkpoint.controller import CheckpointController
from explorer.core.checkpoint.tasks import StagedCheckpoint, apply_staged, export_session, read_for_preview
from explorer.ui.main_window import MainWindow
from explorer.ui.checkpoint.recent_files import MAX_RECENT
from explorer.ui.window_driver import WindowDriver
from tests.ui.engine_signals import wait_engine_signal_on

SHOTS = Path("/tmp/shots")


@pytest.fixture
def make_window(qtbot, tmp_path):
    """A main window with its checkpoint controller (the window's own, once it builds one)."""
    windows = []

    def make(config=SessionConfig(dataset="tutorial")):
        settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(config, settings)
        qtbot.addWidget(window)
        window.resize(1200, 800)
        window.show()
        WindowDriver(window).wait_ready()
        controller = getattr(window, "checkpoints", None) or CheckpointController(window)
        windows.append(window)
        return window, controller

    yield make
    for window in windows:
        window.steps_since_export = 0  # no quit prompt while tearing down
        window.close()


def engine_weights(qtbot, window) -> dict[str, torch.Tensor]:
    """The engine's model weights, cloned on the engine thread."""
    token = "test:weights"
    with wait_engine_signal_on(qtbot, window.engine.engine.task_finished, timeout=30_000,
                               check_params_cb=lambda t, result: t == token) as blocker:
        window.engine.run_task(token, lambda s: {n: t.detach().clone() for n, t in s.model.state_dict().items()})
    return blocker.args[1]


def assert_same(a: dict, b: dict) -> None:
    assert list(a) == list(b)
    for name in a:
        assert torch.equal(a[name], b[name]), name


def wait_idle(qtbot, controller) -> None:
    qtbot.waitUntil(lambda: not controller.busy, timeout=60_000)


def wait_message(qtbot, controller) -> QMessageBox:
    qtbot.waitUntil(lambda: controller.message_box is not None and controller.message_box.isVisible(), timeout=60_000)
    return controller.message_box


def dismiss(qtbot, controller) -> None:
    """Click OK on the message on screen; the controller lets go of it (the box deletes itself)."""
    qtbot.mouseClick(controller.message_box.button(QMessageBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: controller.message_box is None)


def open_preview(qtbot, controller, path):
    controller.open_path(path)
    wait_idle(qtbot, controller)
    qtbot.waitUntil(lambda: controller.preview_dialog is not None and controller.preview_dialog.isVisible())
    return controller.preview_dialog


def fact(dialog, key: str) -> str:
    """A row of the preview's form as one line (the dialog wraps long ones)."""
    return dialog.fact_labels[key].text().replace("\n", " ")


def save_shot(widget, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert widget.grab().save(str(SHOTS / name))


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


def test_open_shows_the_file_before_applying_and_apply_loads_weights_and_optimizer(qtbot, make_window, tmp_path):
    window, controller = make_window(SessionConfig(dataset="tutorial", optimizer="sgd", lr=0.01))
    donor = build_model("seed", seed=42)
    optimizer = torch.optim.SGD(donor.parameters(), lr=0.5, momentum=0.9)
    donor(torch.randn(1, 1, 32, 32)).sum().backward()
    optimizer.step()
    path = tmp_path / "donor.pt"
    metadata = {"model": "seed", "dataset": "tutorial", "metrics": {"loss": 0.125, "accuracy": 0.75},
                "hyperparameters": {"optimizer": "sgd", "lr": 0.5, "batch_size": 4}}
    save_checkpoint(path, donor, optimizer, step=321, loss=0.125, metadata=metadata)
    before = engine_weights(qtbot, window)

    dialog = open_preview(qtbot, controller, path)
    preview = dialog.preview
    assert (preview.step, preview.loss, preview.model, preview.dataset) == (321, 0.125, "seed", "tutorial")
    assert preview.fits and dialog.apply_button.isEnabled()
    assert ("accuracy", "0.75") in preview.metrics
    assert preview.optimizer.applies
    assert fact(dialog, "optimizer") == "SGD, state for 10 parameters; applied with the weights, so training resumes where it stopped"
    assert fact(dialog, "format") == ".pt file, explorer format 1"
    assert dialog.table.rowCount() == 10 and dialog.table.item(4, 0).text() == "fc1.weight"
    assert dialog.table.item(4, 1).text() == "1200\u00d7400"
    assert_same(engine_weights(qtbot, window), before)  # the preview changed nothing
    save_shot(dialog, "ui-checkpoint-preview.png")

    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, controller)
    assert_same(engine_weights(qtbot, window), donor.state_dict())
    assert "Loaded weights and optimizer state from donor.pt (step 321)" in window.statusBar().currentMessage()

    # The optimizer's state resumed; the session keeps its own learning rate.
    token = "test:optimizer"
    with wait_engine_signal_on(qtbot, window.engine.engine.task_finished, check_params_cb=lambda t, r: t == token) as blocker:
        window.engine.run_task(token, lambda s: s.optimizer.state_dict())
    state = blocker.args[1]
    assert state["param_groups"][0]["lr"] == 0.01
    assert torch.equal(state["state"][4]["momentum_buffer"], optimizer.state_dict()["state"][4]["momentum_buffer"])

    # The next export carries the checkpoint's step on; after Reset (fresh weights) steps count from 0.
    controller.export_to(tmp_path / "again.pt")
    wait_idle(qtbot, controller)
    assert load_checkpoint(tmp_path / "again.pt").step == 321
    WindowDriver(window).move(Move.RESET)
    controller.export_to(tmp_path / "fresh.pt")
    wait_idle(qtbot, controller)
    assert load_checkpoint(tmp_path / "fresh.pt").step == 0


def test_a_state_dict_saved_by_plain_pytorch_opens_and_applies(qtbot, make_window, tmp_path):
    window, controller = make_window()
    donor = build_model("seed", seed=13)
    torch.save(donor.state_dict(), tmp_path / "plain.pt")
    dialog = open_preview(qtbot, controller, tmp_path / "plain.pt")
    assert fact(dialog, "format") == ".pt file with no explorer metadata (written by another program)"
    assert fact(dialog, "model") == "not named in the file" and dialog.preview.fits
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, controller)
    assert_same(engine_weights(qtbot, window), donor.state_dict())


def test_a_paused_training_run_exports_its_optimizer_and_steps_and_the_cli_resumes_it_exactly(tmp_path):
    """The engine's training (a TrainingRun on the session's model) to a .pt, then `explorer train --resume`:
    bit for bit the weights of one uninterrupted CLI run. The task functions run here on the test thread."""
    session = StepSession(SessionConfig(dataset="digits", seed=0))
    run = TrainingRun(session.model, session.data, TrainConfig(optimizer="sgd", lr=0.02, batch_size=8, steps=50))
    for _ in range(3):
        run.next()
    half = tmp_path / "gui.pt"
    export_session(session, half, run)
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
    other_run = TrainingRun(other.model, other.data, TrainConfig(optimizer="sgd", lr=0.01, batch_size=8, steps=50))
    other_run.next()
    staged = StagedCheckpoint()
    assert read_for_preview(other, half, staged, other_run).optimizer.applies
    apply_staged(other, staged, other_run)
    assert_same(other.model.state_dict(), checkpoint.model_state)
    assert torch.equal(other_run.optimizer.state_dict()["state"][4]["momentum_buffer"], momentum)
    assert other_run.optimizer.param_groups[0]["lr"] == 0.01  # the run keeps its own learning rate
    other_run.next()
    export_session(other, tmp_path / "later.pt", other_run)
    assert load_checkpoint(tmp_path / "later.pt").step == 4


class OtherNet(nn.Module):
    """Shares some names with the tutorial's Net: conv2 has other shapes, fc3 is gone, head is new."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5)
        self.conv2 = nn.Conv2d(6, 8, 3)
        self.fc1 = nn.Linear(400, 1200)
        self.fc2 = nn.Linear(1200, 84)
        self.head = nn.Linear(84, 2)


def test_a_file_for_another_model_lists_every_mismatch_and_changes_nothing(qtbot, make_window, tmp_path):
    window, controller = make_window()
    path = tmp_path / "other.pt"
    save_checkpoint(path, OtherNet(), step=7, metadata={"model": "other_net.py:OtherNet", "dataset": "tutorial"})
    before = engine_weights(qtbot, window)

    dialog = open_preview(qtbot, controller, path)
    assert not dialog.preview.fits and not dialog.apply_button.isEnabled()
    banner = dialog.banner.text()
    assert "Does not fit the model in this session; nothing will be changed." in banner
    assert "Missing in the file (2): fc3.weight, fc3.bias" in banner
    assert "Not in the model (2): head.weight, head.bias" in banner
    assert ("Wrong shape (2): conv2.weight (file 8\u00d76\u00d73\u00d73, model 16\u00d76\u00d75\u00d75), "
            "conv2.bias (file 8, model 16)") in banner
    save_shot(dialog, "ui-checkpoint-mismatch.png")
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Cancel), Qt.MouseButton.LeftButton)
    wait_idle(qtbot, controller)
    assert_same(engine_weights(qtbot, window), before)


class RunsCode:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch '{self.marker}'",))


def bad_files(folder: Path) -> dict[str, str]:
    """Untrusted files, each with a fragment its one-line error must contain."""
    good = folder / "good.pt"
    save_checkpoint(good, build_model("seed", seed=5), step=1, metadata={"model": "seed"})
    data = good.read_bytes()
    (folder / "truncated.pt").write_bytes(data[: len(data) // 2])
    (folder / "random.safetensors").write_bytes(os.urandom(4096))
    (folder / "empty.pt").write_bytes(b"")
    (folder / "folder.pt").mkdir()
    (folder / "huge-header.safetensors").write_bytes(struct.pack("<Q", 2**62) + b"{}")
    torch.save({"model_state_dict": {"w": torch.zeros(2)}, "step": RunsCode(folder / "PAYLOAD_RAN")}, folder / "evil.pt")
    torch.save({"model_state_dict": build_model("seed").state_dict(), "metadata": {"format_version": 7}},
               folder / "future.pt")
    return {
        "truncated.pt": "truncated",
        "random.safetensors": "not a readable safetensors file",
        "empty.pt": "empty file (0 bytes)",
        "folder.pt": "is a folder",
        "huge-header.safetensors": "header too large",
        "evil.pt": "refused: the file asks to run or build",
        "future.pt": "written by a newer explorer (format 7)",
        "missing.pt": "no such file",
    }


def test_untrusted_files_give_a_one_line_message_and_leave_the_weights_bit_identical(qtbot, make_window, tmp_path):
    window, controller = make_window()
    cases = bad_files(tmp_path)
    before = engine_weights(qtbot, window)
    for name, fragment in cases.items():
        controller.open_path(tmp_path / name)
        box = wait_message(qtbot, controller)
        first_line = box.text().splitlines()[0]
        assert first_line.startswith(f"{tmp_path / name}: ") and fragment in first_line, first_line
        assert "Traceback" not in box.text() and box.windowTitle() == "Cannot open checkpoint"
        assert controller.preview_dialog is None
        dismiss(qtbot, controller)
    assert not (tmp_path / "PAYLOAD_RAN").exists(), "opening a checkpoint ran code from it"
    assert_same(engine_weights(qtbot, window), before)
    assert window.isVisible() and window.snapshot is not None


def test_nan_weights_are_shown_as_a_warning_before_applying(qtbot, make_window, tmp_path):
    window, controller = make_window()
    model = build_model("seed")
    with torch.no_grad():
        model.fc2.weight[0, 0] = float("nan")
    path = tmp_path / "diverged.safetensors"
    save_checkpoint(path, model, step=9, metadata={"model": "seed"})
    dialog = open_preview(qtbot, controller, path)
    assert dialog.warning_label.isVisible()
    assert dialog.warning_label.text() == "Warning: 1 tensor holds NaN or Inf values: fc2.weight"
    assert fact(dialog, "optimizer").startswith("none (.safetensors holds weights only)")
    dialog.reject()
    wait_idle(qtbot, controller)


def test_an_optimizer_of_another_kind_is_left_alone_and_the_weights_still_apply(qtbot, make_window, tmp_path):
    window, controller = make_window()  # the session's optimizer is the tutorial's manual rule
    donor = build_model("seed", seed=8)
    adam = torch.optim.Adam(donor.parameters())
    donor(torch.zeros(1, 1, 32, 32)).sum().backward()
    adam.step()
    path = tmp_path / "adam.pt"
    save_checkpoint(path, donor, adam, step=2, metadata={"model": "seed"})
    dialog = open_preview(qtbot, controller, path)
    assert not dialog.preview.optimizer.applies
    assert "not applied (holds Adam state, but the optimizer is ManualSGD): weights only" in fact(dialog, "optimizer")
    dialog.accept()
    wait_idle(qtbot, controller)
    assert_same(engine_weights(qtbot, window), donor.state_dict())
    assert "Loaded weights from adam.pt (step 2)" in window.statusBar().currentMessage()


def test_recent_files_most_recent_first_missing_ones_disabled_and_at_most_eight(qtbot, make_window, tmp_path):
    window, controller = make_window()
    paths = []
    for index in range(MAX_RECENT + 2):
        path = tmp_path / f"run{index}.safetensors"
        save_checkpoint(path, build_model("seed"), metadata={"model": "seed"})
        controller.recent.add(path)
        paths.append(path)
    assert controller.recent.paths() == paths[::-1][:MAX_RECENT]
    paths[-1].unlink()
    menu = controller.recent.menu
    menu.aboutToShow.emit()
    entries = [a for a in menu.actions() if not a.isSeparator()]
    assert entries[0].text() == "&1 run9.safetensors (missing)" and not entries[0].isEnabled()
    assert entries[1].text() == "&2 run8.safetensors" and entries[1].isEnabled()
    assert entries[-1].text() == "&Clear list"

    entries[1].trigger()  # opening from the menu shows the preview
    wait_idle(qtbot, controller)
    qtbot.waitUntil(lambda: controller.preview_dialog is not None)
    assert controller.preview_dialog.preview.path == str(paths[8])
    controller.preview_dialog.reject()
    wait_idle(qtbot, controller)
    assert controller.recent.paths()[0] == paths[8]  # opened, so now the most recent
    clear = [a for a in menu.actions() if a.text() == "&Clear list"]  # the menu was rebuilt
    clear[0].trigger()
    assert controller.recent.paths() == [] and not menu.menuAction().isEnabled()


def quit_prompt(qtbot, window, controller) -> QMessageBox:
    assert window.close() is False
    qtbot.waitUntil(lambda: controller.quit_guard.prompt is not None and controller.quit_guard.prompt.isVisible())
    return controller.quit_guard.prompt


def test_quitting_with_unsaved_training_asks_and_cancel_keeps_the_window(qtbot, make_window):
    window, controller = make_window()
    window.steps_since_export = 5
    prompt = quit_prompt(qtbot, window, controller)
    assert prompt.text() == "5 training steps since the last export."
    save_shot(prompt, "ui-checkpoint-quit-prompt.png")
    qtbot.mouseClick(prompt.button(QMessageBox.StandardButton.Cancel), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: controller.quit_guard.prompt is None)
    assert window.isVisible() and window.engine.thread.isRunning()

    prompt = quit_prompt(qtbot, window, controller)
    qtbot.mouseClick(prompt.button(QMessageBox.StandardButton.Discard), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.isVisible())
    assert not window.engine.thread.isRunning()


def test_save_on_quit_exports_then_closes_and_a_failed_save_keeps_the_window(qtbot, make_window, tmp_path, monkeypatch):
    window, controller = make_window()
    window.steps_since_export = 2
    (tmp_path / "not-a-folder").write_text("x")
    targets = iter([tmp_path / "not-a-folder" / "run.pt", tmp_path / "run.pt"])
    monkeypatch.setattr(checkpoint_dialogs, "ask_export_path", lambda *args: next(targets))

    prompt = quit_prompt(qtbot, window, controller)
    qtbot.mouseClick(prompt.button(QMessageBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    box = wait_message(qtbot, controller)
    assert "Not a directory" in box.text()
    dismiss(qtbot, controller)
    assert window.isVisible()

    prompt = quit_prompt(qtbot, window, controller)
    qtbot.mouseClick(prompt.button(QMessageBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=30_000)
    assert load_checkpoint(tmp_path / "run.pt").metadata["model"] == "seed"


def test_no_prompt_without_unsaved_steps_or_after_dont_ask_again(qtbot, make_window):
    window, controller = make_window()
    window.steps_since_export = 4
    prompt = quit_prompt(qtbot, window, controller)
    prompt.checkBox().setChecked(True)
    qtbot.mouseClick(prompt.button(QMessageBox.StandardButton.Discard), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.isVisible())
    assert window.settings.value(checkpoint_quit_guard.ASK_ON_QUIT_KEY) in (False, "false")

    second, second_controller = make_window()
    second.steps_since_export = 4
    assert second.close() is True and second_controller.quit_guard.prompt is None
