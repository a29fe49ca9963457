"""Shared GUI-test fixtures: the app's plot style, and showing a widget the way a user would see it."""

import pytest

from explorer.ui.app import configure_plots


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
