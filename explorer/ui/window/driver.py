"""Drive a MainWindow like a user, synchronously: trigger a move, wait until its result is drawn.

Used by `explorer screenshots`, the benchmarks and the GUI tests, so all three wait the same way.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer

from explorer.core.moves import Move
from explorer.core.snapshot import SessionSnapshot


class DriverTimeout(RuntimeError):
    pass


class WindowDriver:
    def __init__(self, window, timeout_s: float = 60.0):
        self.window = window
        self.timeout_s = timeout_s

    def wait_until(self, predicate, what: str) -> None:
        deadline = time.monotonic() + self.timeout_s
        loop = QEventLoop()
        timer = QTimer()
        timer.timeout.connect(loop.quit)
        timer.start(5)
        try:
            while not predicate():
                if time.monotonic() > deadline:
                    raise DriverTimeout(f"timed out waiting for {what}")
                loop.exec()
        finally:
            timer.stop()
        QCoreApplication.processEvents()

    def wait_ready(self) -> SessionSnapshot:
        """Wait for the first drawn snapshot (the engine builds the model in its thread)."""
        self.wait_until(lambda: self.window.snapshot is not None, "the first snapshot")
        return self.window.snapshot

    def move(self, move: Move) -> SessionSnapshot:
        """Trigger the move's action as a click would, and wait until the snapshot that answers it is drawn (the
        engine names it: a snapshot something else published meanwhile does not count)."""
        action = self.window.move_actions[move]
        if not action.isEnabled():
            raise RuntimeError(f"{move} is not enabled now ({self.window.snapshot.status})")
        answers = self.window.move_answers
        asked = answers.asked
        action.trigger()
        if answers.asked == asked:
            raise RuntimeError(f"{move} was triggered but not sent to the engine")
        request = answers.asked
        self.wait_until(lambda: answers.drawn(request, self.window.snapshot), str(move))
        return self.window.snapshot

    def repeat(self, move: Move, times: int) -> SessionSnapshot:
        for _ in range(times):
            snapshot = self.move(move)
        return snapshot

    def inspect(self, kind: str, key: str):
        before = self.window.inspector_dock.inspection
        self.window.engine.inspect(kind, key)
        self.wait_until(lambda: self.window.inspector_dock.inspection is not before
                        and self.window.inspector_dock.inspection.target == (kind, key), f"inspect {kind} {key}")
        return self.window.inspector_dock.inspection
