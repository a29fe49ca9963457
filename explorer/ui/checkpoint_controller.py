"""File > Export checkpoint, Open checkpoint and Open recent, and the unsaved-training question on quit.

Every torch operation (saving, exporting ONNX, reading and checking a file, applying it) runs on the
engine thread through window.engine.run_task; the GUI gets back plain data (CheckpointPreview,
ExportDone, Applied) or a one-line message. Opening is two tasks: the first reads and checks the file
and keeps the loaded Checkpoint on the engine side (StagedCheckpoint), the preview dialog shows what
it holds, and only Apply runs the second task, which applies exactly what was previewed, all or
nothing. A file that cannot be read or does not fit changes nothing.
"""

from __future__ import annotations

import dataclasses
import itertools
import weakref
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMessageBox, QProgressDialog

from explorer.core.checkpoint import (
    INPUT_SHAPE_KEY,
    MODEL_KWARGS_KEY,
    MODEL_SPEC_KEY,
    SUFFIXES,
    Checkpoint,
    CheckpointError,
    apply_checkpoint,
    check_compatible,
    check_optimizer_fits,
    load_checkpoint,
    plain_data_problem,
    printable,
    save_checkpoint,
)
from explorer.core.onnx_export import ONNX_SUFFIX, export_onnx, onnx_unavailable_reason
from explorer.ui import checkpoint_dialogs
from explorer.ui.recent_files import RecentFiles

TOKEN_PREFIX = "checkpoint:"
LAST_FOLDER_KEY = "Checkpoints/last_folder"
ASK_ON_QUIT_KEY = "Checkpoints/ask_before_quitting"
PROGRESS_DELAY_MS = 300  # a busy dialog only for work that takes longer than this


# ----- plain data handed from the engine thread to the GUI ----------------------------------------------


@dataclass(frozen=True)
class TensorRow:
    """One tensor of the file, set against the model's tensor of that name."""

    name: str
    file_shape: tuple[int, ...] | None  # None: the file lacks it
    model_shape: tuple[int, ...] | None  # None: the model has no such tensor
    values: int

    @property
    def status(self) -> str:
        if self.file_shape is None:
            return "missing"
        if self.model_shape is None:
            return "unexpected"
        return "ok" if self.file_shape == self.model_shape else "wrong shape"

    def shape_text(self) -> str:
        if self.file_shape is None:
            return f"none (model {_dims(self.model_shape)})"
        return _dims(self.file_shape)

    def describe(self) -> str:
        if self.status == "wrong shape":
            return f"{self.name} (file {_dims(self.file_shape)}, model {_dims(self.model_shape)})"
        return self.name


@dataclass(frozen=True)
class OptimizerFacts:
    """The optimizer state a file holds, and whether Apply will load it into the session's optimizer."""

    kind: str | None  # the optimizer's class name; None when the file holds no optimizer state
    entries: int  # parameters with state of their own (momentum, Adam's moments)
    problem: str | None  # why it does not fit the session's optimizer; None when it fits

    @property
    def applies(self) -> bool:
        return self.kind is not None and self.problem is None


@dataclass(frozen=True)
class CheckpointPreview:
    """What a checkpoint holds and whether it fits the session's model: facts only (strings, numbers,
    shapes); the dialog words them, in the user's language."""

    path: str
    format: str  # "pt" or "safetensors"
    format_version: int | None  # None: written by another program
    written_by: str  # explorer and torch versions and the time; "" when the file does not say
    model: str  # the model spec named in the file; "" when none
    dataset: str
    step: int
    loss: float | None
    metrics: tuple[tuple[str, str], ...]
    hyperparameters: tuple[tuple[str, str], ...]
    optimizer: OptimizerFacts
    warnings: tuple[str, ...]
    tensors: tuple[TensorRow, ...]  # the model's order first, then tensors only the file has
    total_values: int

    @property
    def fits(self) -> bool:
        return all(row.status == "ok" for row in self.tensors)

    def __repr__(self) -> str:
        return (f"CheckpointPreview({self.path!r}, step={self.step}, tensors={len(self.tensors)}, "
                f"fits={self.fits}, warnings={len(self.warnings)})")


@dataclass(frozen=True)
class ExportDone:
    path: str
    summary: str


@dataclass(frozen=True)
class Applied:
    path: str
    step: int
    optimizer_applied: bool


class StagedCheckpoint:
    """The Checkpoint read for a preview, kept for Apply. Touched only by tasks on the engine thread."""

    def __init__(self):
        self.checkpoint: Checkpoint | None = None

    def __repr__(self) -> str:
        return f"StagedCheckpoint({self.checkpoint!r})"


# ----- tasks: these run on the engine thread, with the session ------------------------------------------


def export_session(session, path: Path, run=None) -> ExportDone:
    """Write the session's model (and the optimizer that trains it, for .pt) to `path`, by suffix.

    `run` is the engine's paused training run, if any: its optimizer, settings and steps are what
    the weights were trained with. CheckpointError on failure.
    """
    optimizer, step, metadata = training_record(session, run)
    if path.suffix.lower() == ONNX_SUFFIX:
        result = export_onnx(path, session.model, session.inputs, metadata={**metadata, "step": step})
        return ExportDone(str(path), result.summary())
    save_checkpoint(path, session.model, optimizer, step=step, loss=last_loss(session), metadata=metadata)
    tensors = len(session.model.state_dict())
    return ExportDone(str(path), f"{path.name}: {tensors} tensors, step {step}")


def training_record(session, run=None) -> tuple:
    """(optimizer, step, metadata) of the training behind the session's weights: the paused run's
    when there is one (its optimizer and TrainConfig), else the stepping session's."""
    metadata = session_metadata(session)
    if run is None:
        return session.optimizer, training_step(session), metadata
    metadata["hyperparameters"] = {key: value for key, value in dataclasses.asdict(run.config).items()
                                   if plain_data_problem(value, key) is None}
    return run.optimizer, training_step(session) + run.step, metadata


def read_for_preview(session, path: Path, staged: StagedCheckpoint, run=None) -> CheckpointPreview:
    """Read and check `path` without touching the model; keep it staged for apply_staged."""
    staged.checkpoint = None
    checkpoint = load_checkpoint(path)
    preview = build_preview(checkpoint, session.model, run.optimizer if run is not None else session.optimizer)
    staged.checkpoint = checkpoint
    return preview


def apply_staged(session, staged: StagedCheckpoint, run=None) -> Applied:
    """Apply the previewed checkpoint: weights, and the optimizer's state when it fits; all or nothing.

    The optimizer is the one that trains these weights next: the paused run's (`run`), else the session's.
    """
    checkpoint, staged.checkpoint = staged.checkpoint, None
    if checkpoint is None:
        raise CheckpointError("no checkpoint is waiting to be applied; open it again")
    target = run.optimizer if run is not None else session.optimizer
    optimizer = target if _optimizer_problem(session.model, target, checkpoint) is None else None
    hyperparameters = [{k: v for k, v in group.items() if k != "params"} for group in target.param_groups]
    apply_checkpoint(session.model, checkpoint, optimizer)
    if optimizer is not None:
        # The state (momentum, Adam's moments, step counts) resumes; the current settings (lr) stay.
        for group, settings in zip(optimizer.param_groups, hyperparameters):
            group.update(settings)
    session.weights_changed()
    # Steps count on from the checkpoint's: a paused run adds its own steps to this base.
    set_training_step(session, checkpoint.step - (run.step if run is not None else 0))
    return Applied(str(checkpoint.path), checkpoint.step, optimizer is not None)


def discard_staged(session, staged: StagedCheckpoint) -> None:
    staged.checkpoint = None


def build_preview(checkpoint: Checkpoint, model, optimizer) -> CheckpointPreview:
    meta = checkpoint.metadata
    found = checkpoint.shapes()
    expected = {name: tuple(t.shape) for name, t in model.state_dict().items()}
    rows = [TensorRow(name, found.get(name), shape, checkpoint.model_state[name].numel() if name in found else 0)
            for name, shape in expected.items()]
    rows += [TensorRow(name, shape, None, checkpoint.model_state[name].numel())
             for name, shape in found.items() if name not in expected]
    return CheckpointPreview(
        path=printable(checkpoint.path),
        format=checkpoint.format,
        format_version=checkpoint.format_version,
        written_by=_written_by(checkpoint),
        model=printable(meta.get(MODEL_SPEC_KEY, "")),
        dataset=printable(meta.get("dataset", "")),
        step=checkpoint.step,
        loss=checkpoint.loss,
        metrics=_pairs(meta.get("metrics")),
        hyperparameters=_pairs(meta.get("hyperparameters")),
        optimizer=_optimizer_facts(checkpoint, model, optimizer),
        warnings=tuple(printable(w) for w in checkpoint.warnings),
        tensors=tuple(TensorRow(printable(r.name), r.file_shape, r.model_shape, r.values) for r in rows),
        total_values=checkpoint.numel(),
    )


def session_metadata(session) -> dict:
    """What the session was: model, data set and the plain-valued settings."""
    config = dataclasses.asdict(session.config)
    model_keys = {MODEL_SPEC_KEY: "model", MODEL_KWARGS_KEY: "model_kwargs", INPUT_SHAPE_KEY: "input_shape"}
    hyperparameters = {key: value for key, value in config.items()
                       if key not in (*model_keys.values(), "dataset") and plain_data_problem(value, key) is None}
    loss = last_loss(session)
    return {
        **{key: config[field] for key, field in model_keys.items() if config.get(field)},  # "": the default
        "dataset": session.config.dataset,
        "hyperparameters": hyperparameters,
        "metrics": {"loss": loss} if loss is not None else {},
    }


# Optimizer steps a model's weights had been through before the current training run, set when a
# checkpoint is applied. Keyed by the model object: a reset builds a new model, whose weights start at 0.
# Read and written only on the engine thread.
_BASE_STEPS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def training_step(session) -> int:
    """The steps behind the session's weights before the current run: 0 for fresh weights."""
    return _BASE_STEPS.get(session.model, 0)


def set_training_step(session, step: int) -> None:
    _BASE_STEPS[session.model] = step


def last_loss(session) -> float | None:
    loss = getattr(session, "loss", None)
    return None if loss is None else float(loss.detach())


def _paused_run(engine):
    """The engine's training run, paused between two steps (a task only runs while no training loop does);
    None when there is none. Called on the engine thread."""
    return getattr(engine, "run", None)


def _optimizer_problem(model, optimizer, checkpoint: Checkpoint) -> str | None:
    if checkpoint.optimizer_state is None:
        return "none in the file"
    try:
        check_compatible(model, checkpoint)  # the optimizer's check assumes the weights fit
        check_optimizer_fits(model, optimizer, checkpoint)
    except CheckpointError as exc:
        return printable(str(exc).removeprefix(f"{checkpoint.path}: "))
    return None


def _optimizer_facts(checkpoint: Checkpoint, model, optimizer) -> OptimizerFacts:
    if checkpoint.optimizer_state is None:
        return OptimizerFacts(None, 0, None)
    kind = printable(checkpoint.metadata.get("optimizer_class", "optimizer"))
    return OptimizerFacts(kind, len(checkpoint.optimizer_state["state"]), _optimizer_problem(model, optimizer, checkpoint))


def _written_by(checkpoint: Checkpoint) -> str:
    meta = checkpoint.metadata
    parts = [f"{label} {meta[key]}" for label, key in (("explorer", "explorer_version"), ("torch", "torch_version"))
             if key in meta]
    if "saved_at" in meta:
        parts.append(str(meta["saved_at"]).replace("T", " ").replace("+00:00", " UTC"))
    return printable(", ".join(parts))


def _pairs(value: object) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, dict):
        return ()
    return tuple((printable(key), printable(_value_text(item))) for key, item in value.items())


def _value_text(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.6g}"
    if value == "":
        return '""'
    return "n/a" if value is None else str(value)


def _dims(shape: tuple[int, ...] | None) -> str:
    if shape is None:
        return ""
    return "\u00d7".join(map(str, shape)) if shape else "scalar"


# ----- the controller: menus, dialogs and task bookkeeping on the GUI thread ----------------------------


class CheckpointController(QObject):
    """Adds File > Export checkpoint, Open checkpoint and Open recent to a MainWindow, and asks before
    quitting with training that was never exported (an event filter on the window's Close event)."""

    def __init__(self, window: QMainWindow):
        super().__init__(window)
        self.window = window
        self.settings = window.settings
        self.staged = StagedCheckpoint()
        self.message_box: QMessageBox | None = None  # the message on screen, if any (tests read it)
        self.preview_dialog: checkpoint_dialogs.CheckpointPreviewDialog | None = None
        self.quit_prompt: QMessageBox | None = None
        self._tokens = itertools.count(1)
        self._pending: dict[str, str] = {}  # token -> what it does ("export", "read", "apply", "discard")
        self._close_after_export = False
        self._close_confirmed = False
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
        window.installEventFilter(self)

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
        path = checkpoint_dialogs.ask_export_path(self.window, self._last_folder(), self.onnx_reason)
        if path is not None:
            self.export_to(path)

    def export_to(self, path: str | Path) -> None:
        """Export the session to `path` (the suffix picks the format) on the engine thread."""
        path = Path(path)
        if self.busy:
            return
        self._remember_folder(path)
        if path.suffix.lower() == ONNX_SUFFIX and self.onnx_reason:
            self._fail(self.tr("Export failed"), f"{path}: {self.onnx_reason}")
            return
        engine = self.window.engine.engine  # read on the engine thread, inside the task
        self._run("export", self.tr("Exporting {0}...").format(path.name),
                  lambda s: export_session(s, path, _paused_run(engine)))

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
                  lambda s: read_for_preview(s, path, staged, _paused_run(engine)))

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
        self._run("apply", self.tr("Applying the checkpoint..."), lambda s: apply_staged(s, staged, _paused_run(engine)))

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
            if self._close_after_export:
                self._close_confirmed = True
                self.window.close()
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

    def _on_engine_task_failed(self, token: str, message: str) -> None:
        kind = self._finish(token)
        if kind == "export":
            self._close_after_export = False
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

    # ----- quitting with unsaved training --------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Close and not self._may_close():
            event.ignore()
            return True
        return super().eventFilter(watched, event)

    def _may_close(self) -> bool:
        steps = int(getattr(self.window, "steps_since_export", 0))
        if self._close_confirmed or steps <= 0 or not self._ask_on_quit():
            return True
        if self.quit_prompt is None and not self.busy:
            self.quit_prompt = checkpoint_dialogs.unsaved_training_prompt(self.window, steps)
            self.quit_prompt.finished.connect(self._on_quit_prompt_finished)
            self.quit_prompt.open()
        return False

    def _on_quit_prompt_finished(self) -> None:
        prompt, self.quit_prompt = self.quit_prompt, None
        answer = prompt.standardButton(prompt.clickedButton())
        if prompt.checkBox().isChecked() and answer != QMessageBox.StandardButton.Cancel:
            self.settings.setValue(ASK_ON_QUIT_KEY, False)
        if answer == QMessageBox.StandardButton.Discard:
            self._close_confirmed = True
            self.window.close()
        elif answer == QMessageBox.StandardButton.Save:
            path = checkpoint_dialogs.ask_export_path(self.window, self._last_folder(), self.onnx_reason)
            if path is not None:
                self._close_after_export = True
                self.export_to(path)

    def _ask_on_quit(self) -> bool:
        value = self.settings.value(ASK_ON_QUIT_KEY, True)
        return value not in (False, "false", "0", 0)

    # ----- settings ------------------------------------------------------------------------------------
    def _last_folder(self) -> str:
        folder = self.settings.value(LAST_FOLDER_KEY, "")
        return folder if isinstance(folder, str) and folder and Path(folder).is_dir() else str(Path.home())

    def _remember_folder(self, path: Path) -> None:
        self.settings.setValue(LAST_FOLDER_KEY, str(path.absolute().parent))

    def __repr__(self) -> str:
        return f"CheckpointController(pending={sorted(self._pending.values())}, staged={self.staged!r})"
