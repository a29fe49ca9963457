"""File > Open data: the built-in data sets, a folder of MNIST-format IDX files, or an image folder.
The dialog returns a data set name ("digits", "mnist:DIR", "folder:DIR"); the engine loads it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QButtonGroup, QDialog, QFileDialog, QGridLayout, QLineEdit, QPushButton, QRadioButton, QVBoxLayout, QWidget,
)

from explorer.core.data.datasets import DatasetError
from explorer.core.data.idx import mnist_files
from explorer.ui.open.model_dialog import error_label, hint_label, open_cancel_buttons


class OpenDataDialog(QDialog):
    """Choose a data set; `dataset_name()` is the choice once the dialog is accepted."""

    def __init__(self, parent: QWidget | None = None, current: str = "digits"):
        super().__init__(parent)
        self.setObjectName("OpenDataDialog")
        self.setWindowTitle(self.tr("Open data"))
        self._name: str | None = None
        self._build()
        self._show_current(current)
        self._on_kind_toggled()

    def _build(self) -> None:
        self.radios = {
            "digits": QRadioButton(self.tr("&Digits: 1,797 handwritten 8\u00d78 digits (classification)"), self),
            "tutorial": QRadioButton(self.tr("&Tutorial: one random input, target 1..10 (MSELoss)"), self),
            "mnist": QRadioButton(self.tr("&MNIST-format folder: IDX files, optionally .gz"), self),
            "folder": QRadioButton(self.tr("&Image folder: one subfolder of PNG or JPEG images per class"), self),
        }
        self.kind_group = QButtonGroup(self)
        for radio in self.radios.values():
            self.kind_group.addButton(radio)
        self.kind_group.buttonToggled.connect(self._on_kind_toggled)
        self.folder_edits: dict[str, QLineEdit] = {}
        self.browse_buttons: dict[str, QPushButton] = {}
        for kind in ("mnist", "folder"):
            edit = QLineEdit(self)
            edit.setPlaceholderText(self.tr("folder"))
            button = QPushButton(self.tr("Browse..."), self)
            button.clicked.connect(lambda checked=False, k=kind: self._on_browse_button_clicked(k))
            self.folder_edits[kind], self.browse_buttons[kind] = edit, button
        hint = hint_label(self.tr(
            "An MNIST folder holds train-images-idx3-ubyte and train-labels-idx1-ubyte, and t10k-images-idx3-ubyte "
            "and t10k-labels-idx1-ubyte for testing. Images are brought to the model's input size and channels: "
            "MNIST's 28\u00d728 is padded to 32\u00d732 for the tutorial's Net, other sizes are resized. An image "
            "folder with train/ and test/ subfolders gives that split; otherwise every fifth image of each class "
            "is kept for testing."), self)
        self.error_label = error_label(self)
        self.buttons = open_cancel_buttons(self)

        grid = QGridLayout()
        grid.setColumnMinimumWidth(0, 20)  # folder rows sit indented under their choice
        row = 0
        for kind, radio in self.radios.items():
            radio.setMinimumWidth(0)
            grid.addWidget(radio, row, 0, 1, 3)
            row += 1
            if kind in self.folder_edits:
                grid.addWidget(self.folder_edits[kind], row, 1)
                grid.addWidget(self.browse_buttons[kind], row, 2)
                row += 1
        grid.setColumnStretch(1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(hint)
        layout.addWidget(self.error_label)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.resize(620, self.sizeHint().height())

    def _show_current(self, name: str) -> None:
        kind, _, folder = name.partition(":")
        self.radios.get(kind, self.radios["digits"]).setChecked(True)
        if kind in self.folder_edits:
            self.folder_edits[kind].setText(folder)

    def set_folder(self, kind: str, folder: str) -> None:
        """Choose `kind` ("mnist" or "folder") with `folder`, as Browse would."""
        self.radios[kind].setChecked(True)
        self.folder_edits[kind].setText(folder)

    def _on_kind_toggled(self, *args) -> None:
        for kind, edit in self.folder_edits.items():
            chosen = self.radios[kind].isChecked()
            edit.setEnabled(chosen)
            self.browse_buttons[kind].setEnabled(chosen)

    def _on_browse_button_clicked(self, kind: str) -> None:
        start = self.folder_edits[kind].text().strip() or str(Path.home())
        folder = QFileDialog.getExistingDirectory(self, self.tr("Choose a data folder"), start)
        if folder:
            self.set_folder(kind, folder)

    # ----- result ------------------------------------------------------------------------------------
    def dataset_name(self) -> str | None:
        """The accepted data set name (None before the dialog was accepted)."""
        return self._name

    def accept(self) -> None:
        try:
            self._name = self._read_name()
        except DatasetError as exc:
            self.error_label.setText(str(exc))
            self.error_label.show()
            return
        super().accept()

    def _read_name(self) -> str:
        kind = next(k for k, radio in self.radios.items() if radio.isChecked())
        if kind not in self.folder_edits:
            return kind
        text = self.folder_edits[kind].text().strip()
        if not text:
            raise DatasetError(self.tr("Choose a folder."))
        folder = Path(text).expanduser()
        if not folder.is_dir():
            raise DatasetError(self.tr("{0}: no such folder").format(text))
        if kind == "mnist" and mnist_files(folder, "train") is None:  # the engine would say so too, later
            raise DatasetError(self.tr("{0}: no train-images-idx3-ubyte and train-labels-idx1-ubyte files "
                                       "(optionally .gz)").format(text))
        return f"{kind}:{text}"
