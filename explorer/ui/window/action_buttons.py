"""Tool buttons that follow their action without piling up connections.

Qt 6.11's QToolButton answers every change of its default action (ActionChanged: enabled, text, ...) by
setting that action again, which connects to the action's changed() signal once more. The stepping actions
change state about ten times per cycle of forward, loss, backward, update and next batch, so after 2,000
cycles every setEnabled() called 20,000 slots: a cycle slowed from 238 to 336 ms, and Reset could not bring
it back (the connections belong to the buttons, which live as long as the window). Measured: 400 receivers
of changed() after start-up, 1,750 after 75 cycles; with this filter, 1 throughout.

The filter takes the ActionChanged event itself and copies the action's state onto the button, as
QToolButton would, without setting the default action again. Harmless on Qt versions without the fault.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QToolButton, QWidget
from shiboken6 import isValid


class ButtonFollower(QObject):
    """An event filter owned by one tool button (it dies with it, so it never sees a half-destroyed one)."""

    def __init__(self, button: QToolButton):
        super().__init__(button)
        self.button = button
        button.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.ActionChanged or watched is not self.button:
            return False
        action = event.action()
        if action is None or not isValid(action) or action is not self.button.defaultAction():
            return False
        watched = self.button
        # Only what differs: each setter of a button in a tool bar may re-lay out the tool bar.
        b, a = watched, action
        if b.isEnabled() != a.isEnabled():
            b.setEnabled(a.isEnabled())
        if b.text() != a.iconText():
            b.setText(a.iconText())
        if b.icon().cacheKey() != a.icon().cacheKey():
            b.setIcon(a.icon())
        if b.toolTip() != a.toolTip():
            b.setToolTip(a.toolTip())
        if b.statusTip() != a.statusTip():
            b.setStatusTip(a.statusTip())
        if b.isCheckable() != a.isCheckable():
            b.setCheckable(a.isCheckable())
        if a.isCheckable() and b.isChecked() != a.isChecked():
            b.setChecked(a.isChecked())
        if b.font() != a.font():
            b.setFont(a.font())
        return True


def follow_actions(root: QWidget) -> int:
    """Give every tool button with a default action under `root` a ButtonFollower (once); returns how many."""
    buttons = [b for b in root.findChildren(QToolButton)
               if b.defaultAction() is not None and not b.findChildren(ButtonFollower)]
    for button in buttons:
        ButtonFollower(button)
    return len(buttons)
