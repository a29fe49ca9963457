"""The checkpoint window tests' fixture: a main window with its checkpoint controller."""

import pytest
from PySide6.QtCore import QSettings

from explorer.core.session import SessionConfig
from explorer.ui.checkpoint.controller import CheckpointController
from explorer.ui.main_window import MainWindow
from explorer.ui.window.driver import WindowDriver


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
