"""The Training panel: hyperparameters, the run's buttons, a progress bar with speed and time left,
and the run's state in words (the NaN guard's message among them)."""

from __future__ import annotations

import math

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QDockWidget,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QSizePolicy,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from explorer.core.config_rules import LENGTH_RANGE, LR_RANGE, SEED_RANGE, TRAIN_BATCH_RANGE
from explorer.core.optim import OPTIMIZERS
from explorer.core.training.messages import UNITS, TrainingState, TrainingUpdate, TrainSettings
from explorer.ui.phrases import engine_text

PROGRESS_INTERVAL_MS = 500  # each progress repaint wakes the GUI thread (and takes the GIL): 2 a second
WARNING_STYLE = "QLabel { background: #fdecea; border: 1px solid #e0a09a; border-radius: 3px; padding: 4px; }"
PLAIN_STYLE = "QLabel { padding: 4px; }"


def duration_text(seconds: float) -> str:
    if not math.isfinite(seconds):
        return "-"
    if seconds < 59.5:
        return f"{seconds:.1f} s" if seconds < 9.95 else f"{seconds:.0f} s"
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


class TrainingDock(QDockWidget):
    def __init__(self, actions: dict[str, QAction], parent=None):
        super().__init__(self.tr("Training"), parent)
        self.setObjectName("TrainingDock")
        self.state = TrainingState("idle")
        self._update: TrainingUpdate | None = None
        self._progress_timer = QTimer(self)
        self._progress_timer.setSingleShot(True)
        self._progress_timer.setInterval(PROGRESS_INTERVAL_MS)
        self._progress_timer.timeout.connect(self._on_progress_timer_timeout)
        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addLayout(self._create_form())
        layout.addLayout(self._create_buttons(actions))
        layout.addLayout(self._create_progress())
        self.message = QLabel(self.tr("Set the hyperparameters and press Train."), body)
        self.message.setObjectName("TrainingMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.setStyleSheet(PLAIN_STYLE)
        layout.addWidget(self.message)
        layout.addStretch(1)
        self.setWidget(body)

    # ----- construction ------------------------------------------------------------------------------
    def _create_form(self) -> QFormLayout:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.optimizer_box = QComboBox()
        labels = {"manual-sgd": self.tr("tutorial's rule: w -= lr \u00b7 grad"), "sgd": self.tr("SGD, momentum 0.9"),
                  "adam": self.tr("Adam")}
        for name in OPTIMIZERS:
            self.optimizer_box.addItem(labels.get(name, name), name)
        self.lr_box = QDoubleSpinBox()
        self.lr_box.setDecimals(6)
        self.lr_box.setRange(*LR_RANGE)
        self.lr_box.setStepType(QAbstractSpinBox.StepType.AdaptiveDecimalStepType)
        self.lr_box.setToolTip(self.tr("Learning rate. While paused it can be changed: Resume uses the new value."))
        self.batch_box = QSpinBox()
        self.batch_box.setRange(*TRAIN_BATCH_RANGE)
        self.length_box = QSpinBox()
        self.length_box.setRange(*LENGTH_RANGE)
        self.length_box.setGroupSeparatorShown(True)
        self.unit_box = QComboBox()
        for unit, label in zip(UNITS, (self.tr("steps"), self.tr("epochs"))):
            self.unit_box.addItem(label, unit)
        length = QHBoxLayout()
        length.addWidget(self.length_box, 1)
        length.addWidget(self.unit_box)
        self.seed_box = QSpinBox()
        self.seed_box.setRange(*SEED_RANGE)
        self.seed_box.setToolTip(self.tr("Seed of the batch order (the weights are the ones the model has now)"))
        form.addRow(self.tr("Optimizer"), self.optimizer_box)
        form.addRow(self.tr("Learning rate"), self.lr_box)
        form.addRow(self.tr("Batch size"), self.batch_box)
        form.addRow(self.tr("Train for"), length)
        form.addRow(self.tr("Seed"), self.seed_box)
        self.locked_while_run = (self.optimizer_box, self.batch_box, self.length_box, self.unit_box, self.seed_box)
        self.set_settings(TrainSettings())
        return form

    def _create_buttons(self, actions: dict[str, QAction]) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(2)
        self.buttons = {}
        for name in ("train", "pause", "resume", "stop", "step"):
            button = QToolButton()
            button.setDefaultAction(actions[name])
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            row.addWidget(button)
            self.buttons[name] = button
        return row

    def _create_progress(self) -> QVBoxLayout:
        box = QVBoxLayout()
        box.setSpacing(1)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setFormat(self.tr("no run yet"))
        self.speed_label = QLabel(" ")
        self.speed_label.setObjectName("TrainingSpeed")
        box.addWidget(self.progress)
        box.addWidget(self.speed_label)
        return box

    # ----- settings ----------------------------------------------------------------------------------
    def settings(self) -> TrainSettings:
        return TrainSettings(self.optimizer_box.currentData(), self.lr_box.value(), self.batch_box.value(),
                             self.length_box.value(), self.unit_box.currentData(), self.seed_box.value())

    def set_settings(self, s: TrainSettings) -> None:
        index = self.optimizer_box.findData(s.optimizer)
        self.optimizer_box.setCurrentIndex(max(0, index))
        self.lr_box.setValue(s.lr)
        self.batch_box.setValue(s.batch_size)
        self.length_box.setValue(s.length)
        self.unit_box.setCurrentIndex(max(0, self.unit_box.findData(s.unit)))
        self.seed_box.setValue(s.seed)

    # ----- the run -----------------------------------------------------------------------------------
    def reset(self) -> None:
        """A new model or data set: no run, no speed, no message of the old one."""
        self.set_state(TrainingState("idle"))
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setFormat(self.tr("no run yet"))
        self.speed_label.setText(" ")
        self.message.setText(self.tr("Set the hyperparameters and press Train."))

    def set_state(self, state: TrainingState) -> None:
        self.state = state
        for box in self.locked_while_run:
            box.setEnabled(not state.has_run)
        self.lr_box.setEnabled(state.phase != "running")
        if state.total:
            self.progress.setRange(0, state.total)
            self.progress.setValue(state.step)
        if state.phase != "running":
            self._update = None  # a throttled update would bring back "time left" after the run stopped
            self.progress.setFormat(self.tr("step %v of %m"))
        if state.phase != "running" and state.slice_steps and state.slice_seconds > 0:
            self.speed_label.setText(self.tr("{0:,.0f} steps/s").format(state.slice_steps / state.slice_seconds))
        # from its templates where the engine gave them: a window rebuilt in another language says it in that one
        said = engine_text(state.message_parts)
        text = said or state.message or {"running": self.tr("Training..."), "paused": self.tr("Paused."),
                                 "idle": ""}.get(state.phase, "")
        if state.slice_steps and state.slice_seconds > 0:
            text += " " + self.tr("{0:,} steps in {1}.").format(state.slice_steps, duration_text(state.slice_seconds))
        self.message.setText(text)
        self.message.setStyleSheet(WARNING_STYLE if state.nonfinite_step is not None else PLAIN_STYLE)

    def set_update(self, update: TrainingUpdate) -> None:
        """Show the newest update at most every PROGRESS_INTERVAL_MS."""
        self._update = update
        if not self._progress_timer.isActive():
            self._on_progress_timer_timeout()

    def _on_progress_timer_timeout(self) -> None:
        update, self._update = self._update, None
        if update is None:
            return
        self._progress_timer.start()
        # QProgressBar.setValue repaints at once, inside the call, and a call from Python holds the GIL that the
        # engine thread needs throughout (measured: the bar was 60% of the GUI thread's GIL time while training).
        # With updates off it only marks the bar dirty, and the event loop paints it in C++ without the GIL.
        self.progress.setUpdatesEnabled(False)
        self.progress.setRange(0, update.total)
        self.progress.setValue(update.step)
        if math.isfinite(update.steps_per_s):
            # In the bar's own text: a changed format only repaints the bar, where a label's new text would
            # re-lay out the whole window (0.6 ms of the GUI thread, twice a second, taken from the training).
            self.progress.setFormat(self.tr("step %v of %m \u00b7 {0:,.0f} steps/s \u00b7 {1} left").format(
                update.steps_per_s, duration_text(update.seconds_left)))
        self.progress.setUpdatesEnabled(True)
