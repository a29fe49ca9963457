"""Shared by the Open model / Open data tests: a real, shown main window on the digits data."""

import pytest

from explorer.core.session import SessionConfig
from tests.ui.windows import open_window


@pytest.fixture
def window(qtbot, tmp_path):
    w = open_window(qtbot, tmp_path, SessionConfig(dataset="digits"), size=(1280, 800))
    yield w
    w.steps_since_export = 0
    w.close()
