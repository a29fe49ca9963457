"""Closing early and closing while a file is written: no error from the start-up settler, no lost file."""

import gc

import torch
from PySide6.QtCore import QSettings

from explorer.core.session import SessionConfig
from explorer.ui.app import Settler, collect_garbage_on_the_gui_thread, settle_when_ready
from explorer.ui.main_window import MainWindow
from explorer.ui.window.driver import WindowDriver


def test_closing_within_a_second_of_the_first_paint_leaves_the_settler_quiet(qtbot, qapp, tmp_path):
    """Each delay lands the close at another point of the settler's work: before its timer saw the snapshot,
    while the engine makes the optimizer, after it answered. pytest-qt fails the test on any exception
    raised in a slot ("Signal source has been deleted" was one)."""
    try:
        for i, delay in enumerate((0, 0, 5, 20, 60, 150, 250, 400)):
            settings = QSettings(str(tmp_path / f"s{i}.ini"), QSettings.Format.IniFormat)
            window = MainWindow(SessionConfig(dataset="tutorial"), settings)
            qtbot.addWidget(window)
            window.show()
            settler = settle_when_ready(qapp, window)
            assert isinstance(settler, Settler)
            WindowDriver(window).wait_ready()
            qtbot.wait(delay)
            window.close()
            qtbot.waitUntil(lambda: not window.engine.thread.isRunning(), timeout=30_000)
            assert not window.isVisible()
            qtbot.wait(450)  # two more of the settler's 200 ms ticks, and any late answer of the engine
    finally:
        collect_garbage_on_the_gui_thread(qapp).timer.stop()
        gc.unfreeze()  # as tests/ui/test_garbage.py: later tests go on collecting
        gc.disable()


def test_closing_while_a_checkpoint_is_written_keeps_the_whole_file(qtbot, tmp_path):
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    window = MainWindow(SessionConfig(dataset="digits"), settings)
    qtbot.addWidget(window)
    window.show()
    WindowDriver(window).wait_ready()
    target = tmp_path / "at-close.pt"
    window.checkpoints.export_to(target)
    window.close()  # at once: the export is queued or running on the engine thread
    qtbot.waitUntil(lambda: not window.engine.thread.isRunning(), timeout=30_000)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=30_000)
    state = torch.load(target, weights_only=True)
    assert set(state["model_state_dict"]) == {n for n, _ in window.engine.engine.session.model.named_parameters()}
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".") or p.suffix == ".tmp"]
