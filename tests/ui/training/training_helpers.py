"""Shared by the training GUI tests: a window factory and clicking a training action until the engine answers."""

import pytest
import torch
from PySide6.QtCore import QSettings

from explorer.core.session import SessionConfig
from explorer.core.training.messages import TrainSettings
from explorer.ui.main_window import MainWindow
from explorer.ui.window.driver import WindowDriver


@pytest.fixture
def training_window(qtbot, tmp_path):
    """training_window(dataset, **settings): a shown main window with the Training panel set; closed after.

    window.states lists every TrainingState the window has received, in order.
    """
    windows = []
    default_threads = torch.get_num_threads()

    def make(dataset="tutorial", threads=1, **settings):
        ini = QSettings(str(tmp_path / f"settings{len(windows)}.ini"), QSettings.Format.IniFormat)
        window = MainWindow(SessionConfig(dataset=dataset), ini)
        window.states = []
        window.engine.engine.training_state.connect(window.states.append)
        qtbot.addWidget(window)
        window.resize(1400, 900)
        window.show()
        windows.append(window)
        WindowDriver(window).wait_ready()
        # One torch thread: on a shared 2-core machine a second one waits at every operator for a core
        # and a test's few hundred steps take minutes instead of seconds.
        qtbot.waitUntil(lambda: threads in window.device_menus.thread_actions, timeout=10_000)
        window.device_menus.thread_actions[threads].trigger()
        window.training_dock.set_settings(TrainSettings(**settings))
        return window

    yield make
    for window in windows:
        window.steps_since_export = 0  # no "save the trained weights?" prompt (the checkpoint tests cover it)
        window.close()
        assert not window.engine.thread.isRunning()
    torch.set_num_threads(default_threads)


def trigger(qtbot, window, name, until_phase, timeout=30_000):
    """Click a training action as soon as it is enabled; wait for a new TrainingState in `until_phase`."""
    action = window.training_actions[name]
    qtbot.waitUntil(action.isEnabled, timeout=timeout)
    seen = len(window.states)
    action.trigger()
    # window.states is appended on the engine thread as each state is sent (a plain callable's connection is
    # direct), the window's own slot a moment later on the GUI thread: wait until the window has the newest one.
    def answered():
        fresh = [s for s in window.states[seen:] if s.phase == until_phase]
        return bool(fresh) and window.training_state == fresh[-1]

    qtbot.waitUntil(answered, timeout=timeout)
    return window.training_state
