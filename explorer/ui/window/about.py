"""Help > About explorer."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget


def show_about(parent: QWidget) -> None:
    QMessageBox.about(parent, QCoreApplication.translate("MainWindow", "About explorer"), QCoreApplication.translate(
        "MainWindow",
        "<b>explorer</b> steps through a PyTorch network's forward and backward passes one layer and one "
        "autograd node at a time, and shows every weight, gradient and activation on the way.<br><br>"
        "It grew out of the PyTorch tutorial \"Neural Networks\" (Chinese edition)."))
