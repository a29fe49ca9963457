"""A checkable list of curve names with their line swatches: the legend of plots too busy for one inside."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QIcon, QPen
from PySide6.QtWidgets import QListWidget, QListWidgetItem

from explorer.ui.training.series_style import pen_swatch


class SeriesList(QListWidget):
    visibility_changed = Signal(str, bool)  # name, visible

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("SeriesList")
        self.setIconSize(pen_swatch(QPen()).size())
        self.setToolTip(self.tr("Tick or untick a parameter to show or hide its curves"))
        self.itemChanged.connect(self._on_item_changed)

    def set_series(self, names, pens: list[QPen]) -> None:
        self.blockSignals(True)
        self.clear()
        for name, pen in zip(names, pens):
            item = QListWidgetItem(QIcon(pen_swatch(pen)), name, self)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
        self.blockSignals(False)

    def _on_item_changed(self, item: QListWidgetItem) -> None:
        self.visibility_changed.emit(item.text(), item.checkState() == Qt.CheckState.Checked)
