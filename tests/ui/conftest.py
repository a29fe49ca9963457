"""Shared GUI-test fixtures: the app's plot style, and showing a widget the way a user would see it."""

import gc

import pytest
import shiboken6

from explorer.ui.app import configure_plots


@pytest.fixture(scope="session", autouse=True)
def collect_garbage_on_the_test_thread():
    """As the app does (explorer.ui.app.collect_garbage_on_the_gui_thread): no automatic collection, which could
    run on an engine thread and destroy Qt objects there; collect after each test on this thread instead."""
    gc.disable()
    yield
    gc.enable()


@pytest.fixture(autouse=True)
def collect_after_each_test():
    yield
    gc.collect()


@pytest.fixture(autouse=True)
def app_plot_style():
    """What the app sets at start-up (white plots, black text)."""
    configure_plots()


@pytest.fixture
def show(qtbot):
    """show(widget, width, height): add it to qtbot (closed afterwards), size it, show it, wait for it."""

    def show_widget(widget, width: int, height: int):
        qtbot.addWidget(widget)
        widget.resize(width, height)
        widget.show()
        qtbot.waitExposed(widget)
        return widget

    return show_widget




@pytest.fixture
def close_at_end():
    """close_at_end(window): closed after the test if it still exists. For main windows a language switch may
    replace: the switch deletes the old window, and qtbot.addWidget would then close a deleted object."""
    windows = []
    yield windows.append
    for window in windows:
        if shiboken6.isValid(window):
            window.close()
            window.deleteLater()
