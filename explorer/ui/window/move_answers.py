"""Which snapshot answers which move: the engine names it (Engine.move_answered) just before sending it.

Other snapshots can arrive between a move's request and its answer (a task's, such as the start-up settler's, a
training-mode switch, a reopened model), so a newer serial alone does not say that the move has run.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Slot

from explorer.core.moves import Move
from explorer.core.snapshot import SessionSnapshot


class MoveAnswers(QObject):
    """A QObject of the GUI thread, so that the engine's signal is queued to it (a plain callable would run on
    the engine thread)."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.asked = 0  # the id of the last move this window asked for
        self._answer = (0, 0)  # (request id, snapshot serial) of the newest answer heard

    def ask(self, host, move: Move) -> int:
        """Send the move through the EngineHost; returns its request id."""
        self.asked = host.move(move)
        return self.asked

    @Slot(int, int)
    def on_answered(self, request: int, serial: int) -> None:
        self._answer = (request, serial)

    def drawn(self, request: int, snapshot: SessionSnapshot | None) -> bool:
        """Whether `snapshot` (the one drawn) is the answer to `request`, or newer than it. Requests run in the
        order they were sent, so the answer to a later one (the guided walk's own moves) answers it too."""
        answered, serial = self._answer
        return answered >= request and snapshot is not None and snapshot.serial >= serial
