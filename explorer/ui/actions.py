"""The stepping commands as QActions: text, shortcut, status tip and icon, in the tutorial's order.

Which ones are enabled is decided by the core session (snapshot.legal_moves), never here.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QStyle, QWidget


def _tr(text: str) -> str:
    return QCoreApplication.translate("SessionActions", text)


@dataclass(frozen=True)
class MoveSpec:
    move: str  # a explorer.core.session.Move value
    text: str
    shortcut: str
    tip: str
    icon: QStyle.StandardPixmap | None


def moves() -> tuple[MoveSpec, ...]:
    sp = QStyle.StandardPixmap
    return (
        MoveSpec("step_forward", _tr("Step &forward"), "F10",
                 _tr("Run the network one layer (module or op) further on the current batch"), sp.SP_ArrowRight),
        MoveSpec("run_forward", _tr("&Run forward"), "Shift+F10",
                 _tr("Finish the forward pass"), sp.SP_MediaSeekForward),
        MoveSpec("compute_loss", _tr("&Loss"), "Ctrl+L",
                 _tr("Compare the output with the target: loss = criterion(output, target)"), sp.SP_DialogApplyButton),
        MoveSpec("step_backward", _tr("Step &backward"), "F11",
                 _tr("Run one more autograd node of loss.backward(), in the order the engine runs them"), sp.SP_ArrowLeft),
        MoveSpec("run_backward", _tr("Run back&ward"), "Shift+F11",
                 _tr("Finish loss.backward()"), sp.SP_MediaSeekBackward),
        MoveSpec("backward_from_output", _tr("Backward from &output"), "Ctrl+Shift+B",
                 _tr("The tutorial's out.backward(torch.randn(1, 10)): backward from the output with a random gradient"),
                 None),
        MoveSpec("zero_grad", _tr("&Zero grad"), "Ctrl+0",
                 _tr("net.zero_grad(): set every parameter's gradient to zero"), sp.SP_DialogResetButton),
        MoveSpec("update", _tr("&Update weights"), "Ctrl+U",
                 _tr("weight = weight - learning_rate * gradient (or the chosen optimizer's step)"), sp.SP_DialogSaveButton),
        MoveSpec("next_batch", _tr("&Next batch"), "Ctrl+N",
                 _tr("Load the next mini-batch of the data set"), sp.SP_MediaSkipForward),
        MoveSpec("reset", _tr("Rese&t"), "Ctrl+R",
                 _tr("Fresh weights from the seed, the first batch, nothing computed"), sp.SP_BrowserReload),
    )


def create_move_actions(parent: QWidget, trigger) -> dict[str, QAction]:
    """One QAction per move; triggering it calls trigger(move_name)."""
    actions: dict[str, QAction] = {}
    style = parent.style()
    for spec in moves():
        action = QAction(spec.text, parent)
        action.setObjectName(f"action_{spec.move}")
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


def set_enabled_moves(actions: dict[str, QAction], legal: frozenset[str] | set[str]) -> None:
    for move, action in actions.items():
        action.setEnabled(move in legal)

