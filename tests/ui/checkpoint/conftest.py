"""The checkpoint window tests' fixture: a main window with its checkpoint controller."""

import pytest

from explorer.core.session import SessionConfig
from explorer.ui.checkpoint.controller import CheckpointController
from tests.ui.windows import open_window


@pytest.fixture
def make_window(qtbot, tmp_path):
    """A main window with its checkpoint controller (the window's own, once it builds one)."""
    windows = []

    def make(config=SessionConfig(dataset="tutorial")):
        window = open_window(qtbot, tmp_path, config, size=(1200, 800))
        controller = getattr(window, "checkpoints", None) or CheckpointController(window)
        windows.append(window)
        return window, controller

    yield make
    for window in windows:
        window.steps_since_export = 0  # no quit prompt while tearing down
        window.close()
