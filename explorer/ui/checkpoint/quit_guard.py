"""The question on quit when training was never exported: Save (export, then close), Discard or Cancel.

An event filter on the window's Close event; the prompt opens without blocking, so the engine keeps
answering while it is up. "Don't ask again" is kept in QSettings.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QMainWindow, QMessageBox

from explorer.ui.checkpoint import dialogs as checkpoint_dialogs

ASK_ON_QUIT_KEY = "Checkpoints/ask_before_quitting"


class UnsavedTrainingGuard(QObject):
    """Holds back the window's Close while window.steps_since_export > 0 and asks what to do.

    `busy()` says whether a checkpoint task is running (no prompt then); `ask_path()` asks where to
    export and `export(path)` starts the export; the owner reports its end with export_finished or
    export_failed.
    """

    def __init__(self, window: QMainWindow, busy: Callable[[], bool], ask_path: Callable[[], Path | None],
                 export: Callable[[Path], None]):
        super().__init__(window)
        self.window = window
        self.settings = window.settings
        self.prompt: QMessageBox | None = None  # the question on screen, if any (tests read it)
        self._busy, self._ask_path, self._export = busy, ask_path, export
        self._close_after_export = False
        self._close_confirmed = False
        window.installEventFilter(self)

    def export_finished(self) -> None:
        """An export ended well: close now if it was the prompt's Save."""
        if self._close_after_export:
            self._close_confirmed = True
            self.window.close()

    def export_failed(self) -> None:
        self._close_after_export = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Close and not self._may_close():
            event.ignore()
            return True
        return super().eventFilter(watched, event)

    def _may_close(self) -> bool:
        steps = int(getattr(self.window, "steps_since_export", 0))
        if getattr(self.window, "_closing", False):
            return True  # a close already let through is finishing (the step in flight may have added steps)
        snapshot = getattr(self.window, "snapshot", None)
        if snapshot is not None and snapshot.live:
            return True  # the trained weights are in the user's own model object, which outlives the window
        if self._close_confirmed or steps <= 0 or not self._ask_on_quit():
            return True
        if self.prompt is None and not self._busy():
            self.prompt = checkpoint_dialogs.unsaved_training_prompt(self.window, steps)
            self.prompt.finished.connect(self._on_prompt_finished)
            self.prompt.open()
        return False

    def _on_prompt_finished(self) -> None:
        prompt, self.prompt = self.prompt, None
        prompt.deleteLater()  # read now; deleted once this slot has returned
        answer = prompt.standardButton(prompt.clickedButton())
        if prompt.checkBox().isChecked() and answer != QMessageBox.StandardButton.Cancel:
            self.settings.setValue(ASK_ON_QUIT_KEY, False)
        if answer == QMessageBox.StandardButton.Discard:
            self._close_confirmed = True
            self.window.close()
        elif answer == QMessageBox.StandardButton.Save:
            path = self._ask_path()
            if path is not None:
                self._close_after_export = True
                self._export(path)

    def _ask_on_quit(self) -> bool:
        value = self.settings.value(ASK_ON_QUIT_KEY, True)
        return value not in (False, "false", "0", 0)

    def __repr__(self) -> str:
        return (f"UnsavedTrainingGuard(prompt={'open' if self.prompt is not None else 'none'}, "
                f"close_after_export={self._close_after_export})")
