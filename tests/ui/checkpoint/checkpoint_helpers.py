"""Helpers shared by the checkpoint window tests (the make_window fixture is in conftest.py)."""

from pathlib import Path

import torch
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from tests.ui.engine_signals import wait_engine_signal_on

SHOTS = Path("/tmp/shots")


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
