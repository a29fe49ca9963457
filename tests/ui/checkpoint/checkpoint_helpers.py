"""Fixtures and helpers shared by the checkpoint window tests."""

from pathlib import Path

import pytest
import torch
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QMessageBox

from explorer.core.session import SessionConfig
from explorer.ui.checkpoint.controller import CheckpointController
from explorer.ui.main_window import MainWindow
from explorer.ui.window.driver import WindowDriver
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
