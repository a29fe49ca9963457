"""Closing the main window while the engine thread works.

A QThread destroyed while it runs aborts the process ("QThread: Destroyed while thread ... is still
running"), and waiting for a slow step on the GUI thread freezes the window for as long as the step takes.
So the window asks the engine to stop at its next safe point (explorer.ui.engine.host.EngineHost.request_stop),
waits a moment (the usual case: the engine is idle or between two short steps), and otherwise stays open,
says that it is finishing, takes no new work, and closes itself when the thread has ended. A checkpoint
being written is a task that runs to its end before the thread stops (and its write is atomic anyway).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QMainWindow

WAIT_MS = 300  # what a close may hold the GUI thread before it shows that it is finishing instead


def engine_stopped(window: QMainWindow) -> bool:
    """True when the window's engine thread has ended (waiting up to WAIT_MS); otherwise shows that the window
    is finishing and has it closed again when the thread ends."""
    thread = window.engine.thread
    if thread.wait(WAIT_MS):
        return True
    if not getattr(window, "_finishing", False):
        window._finishing = True
        text = QCoreApplication.translate("Closing", "Finishing the current step before closing...")
        window.step_label.setText(text)
        window.statusBar().showMessage(text)
        for widget in (window.menuBar(), *window.findChildren(type(window.step_toolbar)), *window.docks,
                       *window.training_docks, window.tutorial_dock):
            widget.setEnabled(False)  # no new work: the engine takes none now
        thread.finished.connect(window.close, Qt.ConnectionType.QueuedConnection)
    return False
