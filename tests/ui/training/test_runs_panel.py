"""Runs side by side in a real window: a finished run is kept when the next starts, overlaid in its own colour,
renamed, hidden and deleted; its curves travel with the checkpoint and come back when it is applied."""

from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt

from explorer.core.training.messages import TrainSettings

from .training_helpers import training_window, trigger  # noqa: F401 (fixture)

SHOTS = Path("/tmp/shots")


def item_named(runs, name):
    return next(runs.list.item(i) for i in range(runs.list.count()) if runs.list.item(i).text() == name)


def test_runs_are_kept_compared_renamed_hidden_and_deleted(qtbot, training_window, tmp_path):
    window = training_window("digits", optimizer="sgd", lr=0.02, batch_size=8, length=60)
    plots, runs = window.training_plots_dock, window.training_plots_dock.runs_list
    trigger(qtbot, window, "train", "idle", timeout=120_000)
    first_loss = plots.loss_plot.buffer.y[:, 1].copy()
    assert len(runs.book) == 0  # the live run is not listed twice
    window.training_dock.set_settings(TrainSettings("adam", 0.001, 8, 60, "steps", 1))
    trigger(qtbot, window, "train", "idle", timeout=120_000)

    (kept,) = runs.book.runs
    assert (kept.name, kept.model, kept.data, kept.optimizer) == ("run 1", "seed", "digits", "sgd")
    assert kept.hyperparameters["lr"] == 0.02 and (kept.start_step, kept.end_step) == (0, 60)
    np.testing.assert_array_equal(kept.curves["loss"].y[:, 1], first_loss)
    (overlay,) = plots.loss_plot.overlays
    np.testing.assert_array_equal(overlay.getData()[1], np.log10(first_loss) if plots.loss_plot.log_y else first_loss)
    assert overlay.label == "run 1" and len(plots.accuracy_plot.overlays) == 1
    plots.redraw()
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert plots.grab().save(str(SHOTS / "ui-training-two-runs.png"))

    item_named(runs, "run 1").setText("sgd, lr 0.02")
    assert runs.book.runs[0].name == "sgd, lr 0.02" and plots.loss_plot.overlays[0].label == "sgd, lr 0.02"
    item_named(runs, "sgd, lr 0.02").setCheckState(Qt.CheckState.Unchecked)
    assert plots.loss_plot.overlays == [] and not runs.book.runs[0].visible
    runs.export(runs.book.runs[0], str(tmp_path / "run.csv"))
    assert (tmp_path / "run.csv").read_text().startswith("curve,series,step,value\nloss,per step,1,")
    runs.list.setCurrentRow(0)
    runs.delete_button.click()
    assert len(runs.book) == 0 and runs.list.count() == 0


def test_a_runs_curves_come_back_when_its_checkpoint_is_applied(qtbot, training_window, tmp_path):
    window = training_window("digits", optimizer="sgd", lr=0.02, batch_size=8, length=40)
    plots, controller = window.training_plots_dock, window.checkpoints
    trigger(qtbot, window, "train", "idle", timeout=120_000)
    saved = plots.current_run()
    controller.export_to(tmp_path / "monday.pt")
    qtbot.waitUntil(lambda: not controller.busy, timeout=60_000)
    controller.open_path(tmp_path / "monday.pt")
    qtbot.waitUntil(lambda: controller.preview_dialog is not None and controller.preview_dialog.isVisible(),
                    timeout=60_000)
    qtbot.mouseClick(controller.preview_dialog.apply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(plots.runs_list.book) == 1, timeout=60_000)
    (opened,) = plots.runs_list.book.runs
    assert opened.name == "monday" and opened.optimizer == "sgd" and opened.end_step == 40
    for key, curve in saved.curves.items():
        np.testing.assert_array_equal(opened.curves[key].y, curve.y)
    assert plots.loss_plot.overlays[0].label == "monday"
