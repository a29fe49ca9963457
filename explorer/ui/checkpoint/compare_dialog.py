"""File > Compare checkpoints: two files side by side, tensor by tensor, with a picture of the difference.

The files are read and compared on the engine thread (explorer.core.checkpoint.compare); the dialog gets
plain numbers and a view of B - A per tensor, shown by the Inspector's own tensor widget (the shell hands
over a factory for it: ui families do not import each other).
"""

from __future__ import annotations

import math
from pathlib import Path

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from explorer.core.checkpoint.compare import ComparisonForDisplay, compare_for_display
from explorer.core.wording import dims
from explorer.ui.checkpoint.dialogs import show_message

TOKEN = "checkpoint-compare"


class CompareDialog(QDialog):
    def __init__(self, shown: ComparisonForDisplay, make_tensor_widget, parent=None):
        super().__init__(parent)
        self.shown = shown
        c = shown.comparison
        self.setWindowTitle(self.tr("Compare checkpoints"))
        self.resize(1000, 640)
        layout = QVBoxLayout(self)
        files = QLabel(self.tr("A: {0} (step {1})\nB: {2} (step {3})").format(
            c.path_a, shown.step_a, c.path_b, shown.step_b), self)
        files.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(files)
        self.differences_label = QLabel(self)
        self.differences_label.setTextFormat(Qt.TextFormat.PlainText)
        self.differences_label.setWordWrap(True)
        self.differences_label.setStyleSheet("QLabel { background: #fdecea; padding: 4px; }")
        if not c.same_architecture:
            lines = c.differences()
            more = len(lines) - 12
            text = self.tr("The two checkpoints hold different models:") + "\n" + "\n".join(lines[:12])
            if more > 0:
                text += "\n" + self.tr("... and {0} more").format(more)
            self.differences_label.setText(text)
        self.differences_label.setVisible(not c.same_architecture)
        layout.addWidget(self.differences_label)
        self.table = QTableWidget(len(c.tensors), 6, self)
        self.table.setHorizontalHeaderLabels([self.tr("tensor"), self.tr("shape"), self.tr("norm A"),
                                              self.tr("norm B"), self.tr("change \u2016B\u2212A\u2016/\u2016A\u2016"),
                                              self.tr("cosine")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        for row, t in enumerate(c.tensors):
            cells = (t.name, dims(t.shape), f"{t.norm_a:.5g}", f"{t.norm_b:.5g}",
                     "-" if math.isnan(t.relative_change) else f"{t.relative_change:.3%}",
                     "-" if math.isnan(t.cosine) else f"{t.cosine:.5f}")
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column >= 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        self.picture = make_tensor_widget(self)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.table)
        splitter.addWidget(self.picture)
        splitter.setSizes([260, 380])
        layout.addWidget(splitter, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.table.currentCellChanged.connect(self._on_current_cell_changed)
        if c.tensors:
            self.table.selectRow(0)
        else:
            self.table.hide()
            self.picture.set_view(None, empty_text=self.tr("No tensor is in both files with the same shape."))

    def _on_current_cell_changed(self, row: int, *args) -> None:
        tensors = self.shown.comparison.tensors
        if 0 <= row < len(tensors):
            view = self.shown.differences.get(tensors[row].name)
            self.picture.set_view(view, symmetric=True, empty_text=self.tr("too big to picture"))


class CompareController(QObject):
    """File > Compare checkpoints...: ask for two files, compare them on the engine thread, show the dialog."""

    def __init__(self, window, make_tensor_widget):
        super().__init__(window)
        self.window = window
        self.make_tensor_widget = make_tensor_widget
        self.dialog: CompareDialog | None = None
        self.message_box = None
        self.action = QAction(self.tr("&Compare checkpoints..."), window)
        self.action.setObjectName("action_compare_checkpoints")
        self.action.setToolTip(self.tr("Two checkpoints side by side: per tensor the norms, the relative change, "
                                       "the cosine similarity and a picture of the difference"))
        self.action.triggered.connect(self._on_action_triggered)
        engine = window.engine.engine
        engine.task_finished.connect(self._on_engine_task_finished)
        engine.task_failed.connect(self._on_engine_task_failed)

    def _on_action_triggered(self) -> None:
        title, files = self.tr("Compare checkpoints: file {0}"), self.tr("Checkpoints (*.pt *.safetensors)")
        a, _ = QFileDialog.getOpenFileName(self.window, title.format("A"), "", files)
        if not a:
            return
        b, _ = QFileDialog.getOpenFileName(self.window, title.format("B"), str(Path(a).parent), files)
        if b:
            self.compare(a, b)

    def compare(self, a: str | Path, b: str | Path) -> None:
        """Read and compare on the engine thread (a running training pauses first); the dialog follows."""
        pause = getattr(self.window.engine, "pause", None)
        if pause is not None:
            pause()
        self.window.engine.run_task(TOKEN, lambda s: compare_for_display(a, b))

    def _on_engine_task_finished(self, token: str, result: object) -> None:
        if token != TOKEN:
            return
        self.dialog = CompareDialog(result, self.make_tensor_widget, self.window)
        self.dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog.destroyed.connect(lambda: setattr(self, "dialog", None))
        self.dialog.open()

    def _on_engine_task_failed(self, token: str, message: str) -> None:
        if token == TOKEN:
            self.message_box = show_message(self.window, self.tr("Cannot compare"), message)
