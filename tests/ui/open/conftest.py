"""Shared by the Open model / Open data tests: a real, shown main window on the digits data."""

import pytest
from PySide6.QtCore import QSettings

from explorer.core.session import SessionConfig
from explorer.ui.main_window import MainWindow
from explorer.ui.window.driver import WindowDriver


@pytest.fixture
def window(qtbot, tmp_path):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    w = MainWindow(SessionConfig(dataset="digits"), settings)
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    WindowDriver(w).wait_ready()
    yield w
    w.steps_since_export = 0
    w.close()
