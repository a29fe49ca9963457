"""The stepping commands as QActions: text, shortcut, status tip and icon, in the tutorial's order.

Which ones are enabled is decided by the core session (snapshot.legal_moves), never here.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QStyle, QWidget

from explorer.core.moves import Move


# Texts go through QCoreApplication.translate written out in full: that is the form lupdate finds.
@dataclass(frozen=True)
class MoveSpec:
    move: Move
    text: str
    shortcut: str
    tip: str
    icon: QStyle.StandardPixmap | None


def moves() -> tuple[MoveSpec, ...]:
    sp = QStyle.StandardPixmap
    return (
        MoveSpec(Move.STEP_FORWARD, QCoreApplication.translate("SessionActions", "Step &forward"), "F10",
                 QCoreApplication.translate("SessionActions", "Run the network one layer (module or op) further on the current batch"), sp.SP_ArrowRight),
        MoveSpec(Move.RUN_FORWARD, QCoreApplication.translate("SessionActions", "&Run forward"), "Shift+F10",
                 QCoreApplication.translate("SessionActions", "Finish the forward pass"), sp.SP_MediaSeekForward),
        MoveSpec(Move.LOSS, QCoreApplication.translate("SessionActions", "&Loss"), "Ctrl+L",
                 QCoreApplication.translate("SessionActions", "Compare the output with the target: loss = criterion(output, target)"), sp.SP_DialogApplyButton),
        MoveSpec(Move.STEP_BACKWARD, QCoreApplication.translate("SessionActions", "Step &backward"), "F11",
                 QCoreApplication.translate("SessionActions", "Run one more autograd node of loss.backward(), in the order the engine runs them"), sp.SP_ArrowLeft),
        MoveSpec(Move.RUN_BACKWARD, QCoreApplication.translate("SessionActions", "Run back&ward"), "Shift+F11",
                 QCoreApplication.translate("SessionActions", "Finish loss.backward()"), sp.SP_MediaSeekBackward),
        MoveSpec(Move.BACKWARD_FROM_OUTPUT, QCoreApplication.translate("SessionActions", "Backward from &output"), "Ctrl+Shift+B",
                 QCoreApplication.translate("SessionActions", "The tutorial's out.backward(torch.randn(1, 10)): backward from the output with a random gradient"),
                 None),
        MoveSpec(Move.ZERO_GRAD, QCoreApplication.translate("SessionActions", "&Zero grad"), "Ctrl+0",
                 QCoreApplication.translate("SessionActions", "net.zero_grad(): set every parameter's gradient to zero"), sp.SP_DialogResetButton),
        MoveSpec(Move.UPDATE, QCoreApplication.translate("SessionActions", "&Update weights"), "Ctrl+U",
                 QCoreApplication.translate("SessionActions", "weight = weight - learning_rate * gradient (or the chosen optimizer's step)"), sp.SP_DialogSaveButton),
        MoveSpec(Move.NEXT_BATCH, QCoreApplication.translate("SessionActions", "&Next batch"), "Ctrl+N",
                 QCoreApplication.translate("SessionActions", "Load the next mini-batch of the data set"), sp.SP_MediaSkipForward),
        MoveSpec(Move.RESET, QCoreApplication.translate("SessionActions", "Rese&t"), "Ctrl+R",
                 QCoreApplication.translate("SessionActions", "Fresh weights from the seed, the first batch, nothing computed"), sp.SP_BrowserReload),
    )


def create_move_actions(parent: QWidget, trigger) -> dict[Move, QAction]:
    """One QAction per move; triggering it calls trigger(move)."""
    actions: dict[Move, QAction] = {}
    style = parent.style()
    for spec in moves():
        action = QAction(spec.text, parent)
        action.setObjectName(f"action_{spec.move.value}")
        action.setShortcut(QKeySequence(spec.shortcut))
        action.setStatusTip(spec.tip)
        action.setToolTip(f"{spec.text.replace('&', '')} ({spec.shortcut})\n{spec.tip}")
        if spec.icon is not None:
            action.setIcon(style.standardIcon(spec.icon))
        action.setEnabled(False)
        action.triggered.connect(lambda checked=False, m=spec.move: trigger(m))
        actions[spec.move] = action
    return actions


def standard_shortcut(key: QKeySequence.StandardKey, fallback: str) -> QKeySequence:
    """The platform's shortcut, or a fallback where the platform has none (offscreen Qt has none for Quit)."""
    return QKeySequence(key) if QKeySequence.keyBindings(key) else QKeySequence(fallback)


def set_enabled_moves(actions: dict[Move, QAction], legal: frozenset[Move] | set[Move]) -> None:
    for move, action in actions.items():
        action.setEnabled(move in legal)

