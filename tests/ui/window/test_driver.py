"""A move's answer is the snapshot the engine names for it, not any newer one: another task's snapshot that
arrives first (as the start-up settler's does) is neither the driver's answer nor what the status bar reports."""

import threading

import pytest
from PySide6.QtCore import QObject, QTimer, Slot

from explorer.core.moves import Move
from explorer.ui.window.driver import WindowDriver
from tests.ui.windows import open_window


class Serials(QObject):
    """The serials of the snapshots the engine sends, heard on the GUI thread."""

    def __init__(self):
        super().__init__()
        self.serials: list[int] = []

    @Slot(object)
    def on_snapshot(self, snapshot) -> None:
        self.serials.append(snapshot.serial)


@pytest.fixture
def window(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path)
    yield window
    window.close()
    assert not window.engine.thread.isRunning()


def hold_the_engine(window) -> threading.Event:
    """Run a task that keeps the engine thread busy until the returned event is set; it publishes a snapshot
    when it ends, as every task does."""
    began, release = threading.Event(), threading.Event()

    def hold(session):
        began.set()
        release.wait(10)

    window.engine.run_task("hold", hold)
    assert began.wait(10)
    return release


def test_a_snapshot_another_task_publishes_is_not_the_moves_answer(window):
    drive = WindowDriver(window, timeout_s=30)
    release = hold_the_engine(window)
    before = window.snapshot.serial
    sent = Serials()
    window.engine.engine.snapshot_ready.connect(sent.on_snapshot)
    QTimer.singleShot(100, release.set)  # the task ends, and publishes, after the move was asked for
    snapshot = drive.move(Move.RUN_FORWARD)
    assert len(sent.serials) == 2 and before < sent.serials[0] < sent.serials[1]  # the task's, then the move's
    assert snapshot.serial == sent.serials[1]
    assert snapshot.phase == "forward done" and len(snapshot.forward) > 0


def test_the_status_bar_reports_a_move_from_its_own_answer(window):
    """Next batch's message names the batch the move loaded, not the one the task's snapshot still showed."""
    drive = WindowDriver(window, timeout_s=30)
    assert window.snapshot.batch_index == 0
    release = hold_the_engine(window)
    messages = []
    window.statusBar().messageChanged.connect(messages.append)
    QTimer.singleShot(100, release.set)
    drive.move(Move.NEXT_BATCH)
    assert window.snapshot.batch_index == 1
    said = [m for m in messages if m.startswith("Loaded batch")]
    assert said == ["Loaded batch 2"]
