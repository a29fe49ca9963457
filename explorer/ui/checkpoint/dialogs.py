"""The dialogs of File > Export and Open checkpoint: choosing a file, the preview shown before anything is
applied, error messages and the unsaved-training question on quit.

They show plain data (CheckpointPreview, strings); they never touch torch. Messages open window-modal
without blocking (QDialog.open), so the engine keeps answering while one is up.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from explorer.core.checkpoint.preview import CheckpointPreview

PROBLEM_COLOR = QColor("#b3261e")
WARNING_STYLE = "background: #fff4d6; border: 1px solid #e0b000; border-radius: 4px; padding: 6px;"
PROBLEM_STYLE = "background: #fdecea; border: 1px solid #d93025; border-radius: 4px; padding: 6px;"
FITS_STYLE = "background: #e6f4ea; border: 1px solid #34a853; border-radius: 4px; padding: 6px;"


def export_filters(onnx_reason: str | None) -> list[str]:
    """File-type filters for the export dialog; ONNX says why it is unavailable when it is."""
    if onnx_reason is None:
        onnx = QCoreApplication.translate("CheckpointDialogs", "ONNX model (*.onnx)")
    else:
        onnx = QCoreApplication.translate("CheckpointDialogs", "ONNX - unavailable: {0} (*.onnx)").format(onnx_reason)
    return [
        QCoreApplication.translate("CheckpointDialogs", "PyTorch checkpoint: weights, optimizer state, step (*.pt)"),
        QCoreApplication.translate("CheckpointDialogs", "safetensors: weights only (*.safetensors)"),
        onnx,
    ]


def ask_export_path(parent: QWidget, folder: str, onnx_reason: str | None) -> Path | None:
    """The file to export to, with the suffix of the chosen file type added when none was typed."""
    filters = export_filters(onnx_reason)
    name, chosen = QFileDialog.getSaveFileName(
        parent, QCoreApplication.translate("CheckpointDialogs", "Export checkpoint"),
        str(Path(folder) / "checkpoint.pt"), ";;".join(filters), filters[0],
    )
    if not name:
        return None
    path = Path(name)
    if path.suffix.lower() not in (".pt", ".safetensors", ".onnx"):
        suffix = chosen.rpartition("(*")[2].rstrip(")") or ".pt"
        path = path.with_name(path.name + suffix)
    return path


def ask_open_path(parent: QWidget, folder: str) -> Path | None:
    name, _ = QFileDialog.getOpenFileName(
        parent, QCoreApplication.translate("CheckpointDialogs", "Open checkpoint"), folder,
        ";;".join([QCoreApplication.translate("CheckpointDialogs", "Checkpoints (*.pt *.safetensors)"),
                   QCoreApplication.translate("CheckpointDialogs", "All files (*)")]),
    )
    return Path(name) if name else None


def show_message(parent: QWidget, title: str, text: str, icon=QMessageBox.Icon.Warning) -> QMessageBox:
    """A window-modal message that does not block; returned so that callers (and tests) can reach it."""
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("CheckpointMessage")
    box.setTextFormat(Qt.TextFormat.PlainText)  # text from a file must not be read as HTML
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def unsaved_training_prompt(parent: QWidget, steps: int) -> QMessageBox:
    """Save / Discard / Cancel for quitting with training that was never exported (not yet opened)."""
    box = QMessageBox(parent)
    box.setObjectName("UnsavedTrainingPrompt")
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(QCoreApplication.translate("CheckpointDialogs", "Quit explorer"))
    if steps == 1:
        box.setText(QCoreApplication.translate("CheckpointDialogs", "1 training step since the last export."))
    else:
        box.setText(QCoreApplication.translate("CheckpointDialogs", "{0} training steps since the last export.").format(steps))
    box.setInformativeText(
        QCoreApplication.translate("CheckpointDialogs", "Export a checkpoint before quitting? Without one, the trained weights are lost."))
    box.setStandardButtons(
        QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel
    )
    box.setDefaultButton(QMessageBox.StandardButton.Save)
    dont_ask = QCheckBox(QCoreApplication.translate("CheckpointDialogs", "Don't ask again when quitting"), box)  # parented: Python must not delete it
    box.setCheckBox(dont_ask)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    return box


def _wrap(text: str, width: int = 64) -> str:
    """Lines of at most about `width` characters, broken after ", " or "; " where possible."""
    lines, line = [], ""
    for piece in re.split(r"(?<=[,;] )", text):
        if line and len(line) + len(piece) > width:
            lines.append(line.rstrip())
            line = ""
        line += piece
    lines.append(line)
    return "\n".join(lines)


class CheckpointPreviewDialog(QDialog):
    """What a checkpoint file holds, and whether it fits the model, before anything is applied.

    Accepting it (the Apply button) is the caller's signal to apply; Apply is disabled when the file
    does not fit, and the banner then lists every missing, unexpected and wrong-shaped tensor.
    """

    def __init__(self, preview: CheckpointPreview, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("CheckpointPreviewDialog")
        self.setWindowTitle(self.tr("Open checkpoint - {0}").format(Path(preview.path).name))
        self.preview = preview
        layout = QVBoxLayout(self)

        title = QLabel(Path(preview.path).name, self)
        font = QFont(title.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.25)
        title.setFont(font)
        path = QLabel(preview.path, self)
        path.setStyleSheet("color: #555;")
        path.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(title)
        layout.addWidget(path)

        self.banner = QLabel(self._banner_text(), self)
        self.banner.setObjectName("FitBanner")
        self.banner.setWordWrap(True)
        self.banner.setTextFormat(Qt.TextFormat.PlainText)
        self.banner.setStyleSheet(FITS_STYLE if preview.fits else PROBLEM_STYLE)
        layout.addWidget(self.banner)
        self.warning_label = QLabel("\n".join(self.tr("Warning: {0}").format(w) for w in preview.warnings), self)
        self.warning_label.setObjectName("WarningBanner")
        self.warning_label.setWordWrap(True)
        self.warning_label.setTextFormat(Qt.TextFormat.PlainText)
        self.warning_label.setStyleSheet(WARNING_STYLE)
        self.warning_label.setVisible(bool(preview.warnings))
        layout.addWidget(self.warning_label)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.fact_labels: dict[str, QLabel] = {}
        for key, label, value in self._facts():
            # Wrapped here at list separators: a word-wrapped QLabel in a form misjudges its height.
            field = QLabel(_wrap(value), self)
            self.fact_labels[key] = field
            field.setTextFormat(Qt.TextFormat.PlainText)
            field.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(label, field)
        layout.addLayout(form)

        self.table = self._tensor_table()
        layout.addWidget(self.table, 1)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.apply_button = self.buttons.addButton(self.tr("&Apply to model"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.apply_button.setObjectName("ApplyButton")
        self.apply_button.setEnabled(preview.fits)
        self.apply_button.setDefault(preview.fits)
        if not preview.fits:
            self.apply_button.setToolTip(self.tr("The tensors in this file do not fit the model in the session"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(640, 620)

    def _banner_text(self) -> str:
        p = self.preview
        if p.fits:
            text = self.tr("Fits the model in this session: {0} tensors, {1} values. Nothing changes until you apply.")
            return text.format(len(p.tensors), f"{p.total_values:,}")
        lines = [self.tr("Does not fit the model in this session; nothing will be changed.")]
        for status, label in (("missing", self.tr("Missing in the file")), ("unexpected", self.tr("Not in the model")),
                              ("wrong shape", self.tr("Wrong shape"))):
            rows = [row for row in p.tensors if row.status == status]
            if rows:
                names = ", ".join(row.describe() for row in rows)
                lines.append(self.tr("{0} ({1}): {2}").format(label, len(rows), names))
        return "\n".join(lines)

    def _facts(self) -> list[tuple[str, str, str]]:
        """(key, label, text) rows; the key names the row for code (fact_labels)."""
        p = self.preview
        loss = self.tr("n/a") if p.loss is None else f"{p.loss:.6g}"
        facts = [("format", self.tr("Format:"), self._format_text())]
        if p.written_by:
            facts.append(("written_by", self.tr("Written by:"), p.written_by))
        facts += [
            ("model", self.tr("Model:"), p.model or self.tr("not named in the file")),
            ("dataset", self.tr("Data set:"), p.dataset or self.tr("not named in the file")),
            ("step", self.tr("Step:"), str(p.step)),
            ("loss", self.tr("Loss:"), loss),
        ]
        if p.metrics:
            facts.append(("metrics", self.tr("Metrics:"), ", ".join(f"{k} = {v}" for k, v in p.metrics)))
        if p.hyperparameters:
            facts.append(("hyperparameters", self.tr("Hyperparameters:"),
                          ", ".join(f"{k} = {v}" for k, v in p.hyperparameters)))
        facts.append(("optimizer", self.tr("Optimizer state:"), self._optimizer_text()))
        return facts

    def _format_text(self) -> str:
        p = self.preview
        if p.format_version is None:
            return self.tr(".{0} file with no explorer metadata (written by another program)").format(p.format)
        return self.tr(".{0} file, explorer format {1}").format(p.format, p.format_version)

    def _optimizer_text(self) -> str:
        p, o = self.preview, self.preview.optimizer
        if o.kind is None:
            if p.format == "safetensors":
                return self.tr("none (.safetensors holds weights only); the session's optimizer keeps its state")
            return self.tr("none saved; the session's optimizer keeps its state")
        if o.entries:
            held = self.tr("{0}, state for {1} parameters").format(o.kind, o.entries)
        else:
            held = self.tr("{0}, no per-parameter state").format(o.kind)
        if not p.fits:
            return held
        if o.applies:
            return self.tr("{0}; applied with the weights, so training resumes where it stopped").format(held)
        return self.tr("{0}; not applied ({1}): weights only").format(held, o.problem)

    def _tensor_table(self) -> QTableWidget:
        rows = self.preview.tensors
        table = QTableWidget(len(rows), 3, self)
        table.setObjectName("TensorTable")
        table.setHorizontalHeaderLabels([self.tr("Tensor"), self.tr("Shape in file"), self.tr("Values")])
        table.verticalHeader().setVisible(False)
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
        table.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # nothing to edit: no focus frame on the first cell
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setAlternatingRowColors(True)
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        for r, row in enumerate(rows):
            shape = row.shape_text()
            cells = [row.name if row.status == "ok" else f"{row.name}  ({row.status})", shape,
                     f"{row.values:,}" if row.file_shape is not None else ""]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c == 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if row.status != "ok":
                    item.setForeground(PROBLEM_COLOR)
                table.setItem(r, c, item)
        return table
