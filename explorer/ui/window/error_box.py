"""A failure on the engine thread, shown to the user: a non-blocking warning box whose first line says what
failed and whose details keep the user's own code lines in a fixed font."""

from __future__ import annotations

import html

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QMainWindow, QMessageBox

from explorer.ui.open.controller import details_html


def show_engine_error(window: QMainWindow, message: str) -> QMessageBox:
    headline, _, details = message.partition("\n")
    title = QCoreApplication.translate("EngineError", "Something failed")
    box = QMessageBox(QMessageBox.Icon.Warning, title, f"<p>{html.escape(headline, quote=False)}</p>",
                      QMessageBox.StandardButton.Ok, window)
    box.setObjectName("EngineErrorMessage")
    box.setTextFormat(Qt.TextFormat.RichText)  # escaped: paths and code may hold '<'
    box.setInformativeText(details_html(details, QCoreApplication.translate(
        "EngineError", "The model keeps the weights it had; every control can be used again.")))
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # one box per failure, none left behind
    box.open()
    return box
