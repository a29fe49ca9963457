"""File > Export checkpoint, Open checkpoint and Open recent: the menu actions, their dialogs and the
bookkeeping of the tasks they hand the engine thread.

Every torch operation (saving, exporting ONNX, reading and checking a file, applying it) runs on the
engine thread through window.engine.run_task (the tasks are in checkpoint_tasks.py); the GUI gets
back plain data or a one-line message. Opening shows a preview first, and only its Apply changes
the model. The question on quit with unexported training is checkpoint_quit_guard.py's.
"""

from __future__ import annotations

import itertools
from pathlib import Path

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMessageBox, QProgressDialog

from explorer.core.checkpoint import SUFFIXES
from explorer.core.checkpoint.onnx_export import ONNX_SUFFIX, onnx_unavailable_reason
from explorer.ui.checkpoint import dialogs as checkpoint_dialogs
from explorer.core.checkpoint.preview import CheckpointPreview
from explorer.ui.checkpoint.quit_guard import UnsavedTrainingGuard
from explorer.core.checkpoint.tasks import (
    StagedCheckpoint,
    apply_staged,
    discard_staged,
    export_session,
    paused_run,
    read_for_preview,
)
from explorer.ui.checkpoint.recent_files import RecentFiles

TOKEN_PREFIX = "checkpoint:"
LAST_FOLDER_KEY = "Checkpoints/last_folder"
PROGRESS_DELAY_MS = 300  # a busy dialog only for work that takes longer than this


class CheckpointController(QObject):
    """Adds File > Export checkpoint, Open checkpoint and Open recent to a MainWindow, and asks before
    quitting with training that was never exported (quit_guard)."""

    def __init__(self, window: QMainWindow):
        super().__init__(window)
        self.window = window
        self.settings = window.settings
        self.staged = StagedCheckpoint()
        self.message_box: QMessageBox | None = None  # the message on screen, if any (tests read it)
        self.preview_dialog: checkpoint_dialogs.CheckpointPreviewDialog | None = None
        self._tokens = itertools.count(1)
        self._pending: dict[str, str] = {}  # token -> what it does ("export", "read", "apply", "discard")
        self.progress = QProgressDialog(window)
        self.progress.setObjectName("CheckpointProgress")
        self.progress.setWindowTitle(self.tr("Checkpoint"))
        self.progress.setCancelButton(None)  # a torch op on the engine thread cannot be interrupted halfway
        self.progress.setRange(0, 0)  # busy indicator: the engine reports no fractions
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setMinimumDuration(PROGRESS_DELAY_MS)
        self.progress.setAutoReset(False)  # a busy range (0, 0) is "at its maximum" from the start
        self.progress.reset()  # stops the timer that would show it after its minimum duration; hides it
        self._create_actions()
        self.recent = RecentFiles(self.settings, window)
        self.recent.open_requested.connect(self.open_path)
        window.add_file_actions([self.export_action, self.open_action, self.recent.menu.menuAction()])
        engine = window.engine.engine
        engine.task_finished.connect(self._on_engine_task_finished)
        engine.task_failed.connect(self._on_engine_task_failed)
        # The shell sets these: the live run's curves as plain data (saved with an export), and where the
        # run saved in an applied checkpoint goes (the curves panel, to compare it).
        self.run_provider = lambda: None
        self.run_opened = lambda plain, path: None
        self.quit_guard = UnsavedTrainingGuard(window, lambda: self.busy, self._ask_export_path, self.export_to)

    def _create_actions(self) -> None:
        self.export_action = QAction(self.tr("&Export checkpoint..."), self.window)
        self.export_action.setObjectName("action_export_checkpoint")
        self.export_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Save))
        self.onnx_reason = onnx_unavailable_reason()
        tip = self.tr("Save the model as .pt (weights, optimizer state, step), .safetensors (weights) or .onnx")
        if self.onnx_reason:
            tip = self.tr("Save the model as .pt (weights, optimizer state, step) or .safetensors (weights). "
                          "ONNX is unavailable: {0}").format(self.onnx_reason)
        self.export_action.setToolTip(tip)
        self.export_action.setStatusTip(tip)
        self.export_action.triggered.connect(self._on_export_triggered)
        self.open_action = QAction(self.tr("&Open checkpoint..."), self.window)
        self.open_action.setObjectName("action_open_checkpoint")
        self.open_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Open))
        tip = self.tr("Show what a .pt or .safetensors file holds, then apply it to the model; no code in it runs")
        self.open_action.setToolTip(tip)
        self.open_action.setStatusTip(tip)
        self.open_action.triggered.connect(self._on_open_triggered)
        self.window.file_menu.setToolTipsVisible(True)

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    # ----- export --------------------------------------------------------------------------------------
    def _on_export_triggered(self) -> None:
        path = self._ask_export_path()
        if path is not None:
            self.export_to(path)

    def _ask_export_path(self) -> Path | None:
        return checkpoint_dialogs.ask_export_path(self.window, self._last_folder(), self.onnx_reason)

    def export_to(self, path: str | Path) -> None:
        """Export the session to `path` (the suffix picks the format) on the engine thread."""
        path = Path(path)
        if self.busy:
            return
        self._remember_folder(path)
        if path.suffix.lower() == ONNX_SUFFIX and self.onnx_reason:
            self._fail(self.tr("Export failed"), f"{path}: {self.onnx_reason}")
            return
        curves = self.run_provider()
        self._run("export", self.tr("Exporting {0}...").format(path.name),
                  lambda s: export_session(s, path, curves=curves))

    # ----- open ----------------------------------------------------------------------------------------
    def _on_open_triggered(self) -> None:
        path = checkpoint_dialogs.ask_open_path(self.window, self._last_folder())
        if path is not None:
            self.open_path(path)

    def open_path(self, path: str | Path) -> None:
        """Read and check `path` on the engine thread, then show the preview; nothing is applied yet."""
        path = Path(path)
        if self.busy:
            return
        self._remember_folder(path)
        staged, engine = self.staged, self.window.engine.engine
        self._run("read", self.tr("Reading {0}...").format(path.name),
                  lambda s: read_for_preview(s, path, staged, paused_run(engine)))

    def _show_preview(self, preview: CheckpointPreview) -> None:
        dialog = checkpoint_dialogs.CheckpointPreviewDialog(preview, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(self._on_preview_accepted)
        dialog.rejected.connect(self._on_preview_rejected)
        self.preview_dialog = dialog
        dialog.open()

    def _on_preview_accepted(self) -> None:
        self.preview_dialog = None
        staged = self.staged
        engine = self.window.engine.engine
        self._run("apply", self.tr("Applying the checkpoint..."), lambda s: apply_staged(s, staged, paused_run(engine)))

    def _on_preview_rejected(self) -> None:
        self.preview_dialog = None
        staged = self.staged
        self._run("discard", "", lambda s: discard_staged(s, staged))  # frees the tensors held for Apply

    # ----- engine answers ------------------------------------------------------------------------------
    def _run(self, kind: str, label: str, fn) -> None:
        token = f"{TOKEN_PREFIX}{kind}:{next(self._tokens)}"
        self._pending[token] = kind
        if label:
            self.progress.setLabelText(label)
            self.progress.setValue(0)  # starts the minimum-duration clock; shown only if the work is slow
        self._pause_training()
        self.window.engine.run_task(token, fn)

    def _pause_training(self) -> None:
        """A running training loop holds the engine thread and a task waits for it to pause; the busy
        dialog is modal, so the user could not press Pause: ask for the pause here (harmless when idle)."""
        pause = getattr(self.window.engine, "pause", None)  # EngineHost.pause, where the engine trains
        if pause is not None:
            pause()

    def _finish(self, token: str) -> str | None:
        kind = self._pending.pop(token, None)
        if kind is not None and not self._pending:
            self.progress.reset()
        return kind

    def _on_engine_task_finished(self, token: str, result: object) -> None:
        kind = self._finish(token)
        if kind == "export":
            self.window.steps_since_export = 0
            if Path(result.path).suffix.lower() in SUFFIXES:  # an .onnx file cannot be opened again
                self.recent.add(result.path)
            self.window.statusBar().showMessage(self.tr("Exported {0}").format(result.summary), 8000)
            self.quit_guard.export_finished()
        elif kind == "read":
            self.recent.add(result.path)
            self._show_preview(result)
        elif kind == "apply":
            self.window.steps_since_export = 0
            if result.optimizer_applied:
                text = self.tr("Loaded weights and optimizer state from {0} (step {1})")
            else:
                text = self.tr("Loaded weights from {0} (step {1})")
            self.window.statusBar().showMessage(text.format(Path(result.path).name, result.step), 8000)
            if result.run is not None:
                self.run_opened(result.run, result.path)

    def _on_engine_task_failed(self, token: str, message: str) -> None:
        kind = self._finish(token)
        if kind == "export":
            self.quit_guard.export_failed()
            self._fail(self.tr("Export failed"), message)
        elif kind == "read":
            self._fail(self.tr("Cannot open checkpoint"), message)
        elif kind == "apply":
            self._fail(self.tr("Checkpoint not applied"), message)

    def _fail(self, title: str, message: str) -> None:
        box = checkpoint_dialogs.show_message(self.window, title, self.tr("{0}\n\nNothing was changed.").format(message))
        box.finished.connect(self._on_message_box_finished)
        self.message_box = box

    def _on_message_box_finished(self) -> None:
        if self.message_box is self.sender():
            self.message_box = None  # the box deletes itself once closed

    # ----- settings ------------------------------------------------------------------------------------
    def _last_folder(self) -> str:
        folder = self.settings.value(LAST_FOLDER_KEY, "")
        return folder if isinstance(folder, str) and folder and Path(folder).is_dir() else str(Path.home())

    def _remember_folder(self, path: Path) -> None:
        self.settings.setValue(LAST_FOLDER_KEY, str(path.absolute().parent))

    def __repr__(self) -> str:
        return f"CheckpointController(pending={sorted(self._pending.values())}, staged={self.staged!r})"
