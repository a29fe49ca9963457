"""The runs kept in this session (and opened from checkpoints), listed beside the curves: tick a run to lay
its curves over the live ones, double-click its name to rename it, Delete to forget it, Export to save its
curves as CSV or a TensorBoard event file."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from explorer.core.training.run_export import tensorboard_unavailable_reason, write_csv, write_tensorboard
from explorer.core.training.runs import KeptRun, RunBook
from explorer.ui.training.series_style import TAB10

# Kept runs take the palette after the live run's own two colours (blue: loss and train, orange: test).
RUN_COLOURS = TAB10[2:]


def run_colour(run: KeptRun) -> QColor:
    return QColor(RUN_COLOURS[run.colour % len(RUN_COLOURS)])


class RunsList(QWidget):
    changed = Signal()  # a run was added, shown, hidden, renamed or deleted

    def __init__(self, parent=None):
        super().__init__(parent)
        self.book = RunBook()
        self.message_box: QMessageBox | None = None
        title = QLabel(self.tr("<b>Runs</b> (tick to compare)"), self)
        self.list = QListWidget(self)
        self.list.setObjectName("RunsList")
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.list.setToolTip(self.tr("Runs of this session, kept when the next run starts, and runs opened with "
                                     "a checkpoint. Tick to overlay; double-click to rename."))
        self.list.itemChanged.connect(self._on_item_changed)
        self.delete_button = QPushButton(self.tr("Delete"), self)
        self.delete_button.clicked.connect(self._on_delete_clicked)
        self.export_button = QPushButton(self.tr("Export..."), self)
        self.export_button.setToolTip(self.tr("Save the chosen run's curves as CSV, or as a TensorBoard event file"))
        self.export_button.clicked.connect(self._on_export_clicked)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.delete_button)
        buttons.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(title)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self.current_run = None  # a callable giving the live run as a KeptRun, set by the curves panel
        self._refresh()

    def add(self, run: KeptRun) -> KeptRun:
        kept = self.book.add(run)
        self._refresh()
        self.changed.emit()
        return kept

    def selected(self) -> KeptRun | None:
        item = self.list.currentItem()
        return self.book.find(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    def _refresh(self) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for run in self.book:
            item = QListWidgetItem(run.name)
            item.setData(Qt.ItemDataRole.UserRole, run.name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEditable)
            item.setCheckState(Qt.CheckState.Checked if run.visible else Qt.CheckState.Unchecked)
            item.setToolTip(run.describe())
            swatch = QPixmap(12, 12)
            swatch.fill(run_colour(run))
            item.setIcon(QIcon(swatch))
            self.list.addItem(item)
        self.list.blockSignals(False)
        self.delete_button.setEnabled(len(self.book) > 0)

    def _on_item_changed(self, item: QListWidgetItem) -> None:
        name = item.data(Qt.ItemDataRole.UserRole)
        run = self.book.find(name)
        visible = item.checkState() == Qt.CheckState.Checked
        if visible != run.visible:
            self.book.set_visible(name, visible)
        if item.text() != name:
            try:
                self.book.rename(name, item.text())
            except ValueError as exc:
                self.tell(self.tr("Cannot rename the run"), str(exc))
        self._refresh()
        self.changed.emit()

    def _on_delete_clicked(self) -> None:
        run = self.selected()
        if run is not None:
            self.book.delete(run.name)
            self._refresh()
            self.changed.emit()

    def _on_export_clicked(self) -> None:
        run = self.selected() or (self.current_run() if self.current_run is not None else None)
        if run is None:
            self.tell(self.tr("Nothing to export"), self.tr("Train a run first, or choose one in the list."))
            return
        csv_filter = self.tr("CSV (*.csv)")
        tb_filter = self.tr("TensorBoard event file (a folder)")
        filters = csv_filter if tensorboard_unavailable_reason() else f"{csv_filter};;{tb_filter}"
        path, chosen = QFileDialog.getSaveFileName(self, self.tr("Export run"), f"{run.name}.csv", filters)
        if path:
            self.export(run, path, tensorboard=chosen == tb_filter)

    def export(self, run: KeptRun, path: str, tensorboard: bool = False) -> None:
        try:
            if tensorboard:
                write_tensorboard(run, path.removesuffix(".csv"))
            else:
                write_csv(run, path)
        except (OSError, RuntimeError) as exc:
            self.tell(self.tr("Export failed"), f"{path}: {exc}")

    def tell(self, title: str, text: str) -> None:
        self.message_box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, self)
        self.message_box.open()
