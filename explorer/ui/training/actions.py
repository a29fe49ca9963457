"""Train, Pause, Resume, Stop and Step (one optimizer step) as QActions, and which are enabled when.

Every action waits for the engine's answer: after a click, the training actions stay disabled until the
engine reports its new TrainingState, so no request can race the training loop.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QStyle, QWidget

# Which actions each engine phase allows.
ENABLED_IN = {
    "idle": {"train", "step"},
    "running": {"pause", "stop"},
    "paused": {"resume", "step", "stop"},
}


@dataclass(frozen=True)
class TrainingActionSpec:
    name: str
    text: str
    shortcut: str
    tip: str
    icon: QStyle.StandardPixmap


def training_actions() -> tuple[TrainingActionSpec, ...]:
    """Each text is a literal inside QCoreApplication.translate(...): pyside6-lupdate only collects those (a
    wrapper function's argument never reached the translation file, and the buttons stayed English)."""
    sp = QStyle.StandardPixmap
    return (
        TrainingActionSpec(
            "train", QCoreApplication.translate("TrainingActions", "&Train"), "F5",
            QCoreApplication.translate("TrainingActions", "Train from the current weights with the Training panel's "
                                                          "settings (the curves start over)"),
            sp.SP_MediaPlay),
        TrainingActionSpec(
            "pause", QCoreApplication.translate("TrainingActions", "&Pause"), "F6",
            QCoreApplication.translate("TrainingActions", "Pause after the current step; every panel then shows the "
                                                          "weights as they are"),
            sp.SP_MediaPause),
        TrainingActionSpec(
            "resume", QCoreApplication.translate("TrainingActions", "Res&ume"), "F7",
            QCoreApplication.translate("TrainingActions", "Go on training where the run paused (with the learning "
                                                          "rate now in the panel)"),
            sp.SP_MediaSeekForward),
        TrainingActionSpec(
            "stop", QCoreApplication.translate("TrainingActions", "St&op"), "Shift+F5",
            QCoreApplication.translate("TrainingActions", "End the run; the weights keep what it trained"),
            sp.SP_MediaStop),
        TrainingActionSpec(
            "step", QCoreApplication.translate("TrainingActions", "One &step"), "F8",
            QCoreApplication.translate("TrainingActions", "One optimizer step (zero_grad, forward, loss, backward, "
                                                          "step) on the next batch, then pause"),
            sp.SP_MediaSkipForward),
    )


def create_training_actions(parent: QWidget, trigger) -> dict[str, QAction]:
    """One QAction per training command; triggering it calls trigger(name)."""
    actions: dict[str, QAction] = {}
    style = parent.style()
    for spec in training_actions():
        action = QAction(style.standardIcon(spec.icon), spec.text, parent)
        action.setObjectName(f"action_training_{spec.name}")
        action.setShortcut(QKeySequence(spec.shortcut))
        action.setStatusTip(spec.tip)
        action.setToolTip(f"{spec.text.replace('&', '')} ({spec.shortcut})\n{spec.tip}")
        action.triggered.connect(lambda checked=False, n=spec.name: trigger(n))
        actions[spec.name] = action
    set_enabled_training(actions, "idle")
    return actions


def set_enabled_training(actions: dict[str, QAction], phase: str | None) -> None:
    """Enable what `phase` allows; None (a request is on its way to the engine) enables nothing."""
    allowed = ENABLED_IN.get(phase, set()) if phase is not None else set()
    for name, action in actions.items():
        action.setEnabled(name in allowed)
