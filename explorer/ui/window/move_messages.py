"""What a move did, for the status bar's message area: the moves whose result no panel shows by itself."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from explorer.core.moves import Move
from explorer.core.snapshot import SessionSnapshot


def move_done_text(move: Move, snapshot: SessionSnapshot) -> str:
    """What the move did ('' for the moves whose result the step line and the panels already show)."""
    if move is Move.ZERO_GRAD:
        return QCoreApplication.translate("Status", "Zero grad: every parameter's gradient is cleared")
    if move is Move.UPDATE:
        c = snapshot.config
        return QCoreApplication.translate("Status", "Updated the weights ({0}, lr={1})").format(
            c.get("optimizer"), f"{c.get('lr', 0):g}")
    if move is Move.NEXT_BATCH:
        return QCoreApplication.translate("Status", "Loaded batch {0}").format(snapshot.batch_index + 1)
    if move is Move.RESET:
        return QCoreApplication.translate("Status", "Reset: fresh weights from seed {0}, the first batch").format(
            snapshot.config.get("seed"))
    return ""
