"""Train in the window, pause, stop, export: the file records the run, and the status bar names the run's settings."""

from explorer.core.checkpoint import load_checkpoint
from explorer.ui.checkpoint.controller import CheckpointController
from .training_helpers import training_window, trigger  # noqa: F401 (fixture)


def test_export_after_training_and_stop_records_the_run(qtbot, training_window, tmp_path):
    window = training_window("digits", optimizer="sgd", lr=0.02, batch_size=32, length=25)
    stepping = window.config_label.text()
    assert "batch 1" in stepping and "manual-sgd" in stepping  # the stepping session's settings
    window.training_actions["train"].trigger()
    qtbot.waitUntil(lambda: window.training_state.phase == "running", timeout=30_000)
    qtbot.waitUntil(lambda: "batch 32" in window.config_label.text(), timeout=10_000)
    assert "sgd, lr 0.02" in window.config_label.text() and "manual-sgd" not in window.config_label.text()
    qtbot.waitUntil(lambda: window.training_state.phase == "idle", timeout=60_000)  # finished: 25 steps

    trigger(qtbot, window, "step", "paused")  # one more step of a new run, then Stop
    assert trigger(qtbot, window, "stop", "idle").step == 1
    assert "batch 1" in window.config_label.text()  # no run: the stepping settings again

    controller = getattr(window, "checkpoints", None) or CheckpointController(window)
    path = tmp_path / "trained.pt"
    controller.export_to(path)
    qtbot.waitUntil(lambda: path.exists(), timeout=30_000)
    checkpoint = load_checkpoint(path)
    meta = checkpoint.metadata
    assert checkpoint.step == 26  # was 0
    assert meta["optimizer_class"] == "SGD" and "momentum_buffer" in checkpoint.optimizer_state["state"][0]
    assert meta["hyperparameters"]["optimizer"] == "sgd" and meta["hyperparameters"]["batch_size"] == 32
    assert meta["dataset"] == "digits" and checkpoint.loss is not None  # was: no loss
    assert 0 <= meta["metrics"]["test_accuracy"] <= 1 and meta["metrics"]["measured_at_step"] == 26  # at the pause
