"""A wrapping text line that keeps all its lines visible inside splitters and scroll areas."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from explorer.ui.tensor.style import monospace_font


class WrappingLabel(QLabel):
    """A word-wrapped label that claims the height its wrapped lines need.

    Layouts inside splitters and scroll areas size a plain wrapping QLabel as if it were one line, which
    clips the rest; this one re-states its minimum height for its current width.
    """

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWordWrap(True)
        self.setFont(monospace_font(-1))
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Minimum)

    def setText(self, text: str) -> None:
        super().setText(text)
        self._claim_height()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._claim_height()

    def _claim_height(self) -> None:
        height = self.heightForWidth(self.width()) if self.width() > 0 else -1
        self.setMinimumHeight(max(height, self.fontMetrics().height()))
