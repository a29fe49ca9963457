"""File > Open model: a built-in model, or a class from a Python file, with constructor arguments, an input shape,
the output that is the prediction, and the mode the model is stepped in (training or eval). The dialog only reads the file's text (its classes are found by parsing it); the file runs
when the engine builds the model, and the dialog says so."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtWidgets import (
    QButtonGroup, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
    QPushButton, QRadioButton, QVBoxLayout, QWidget,
)

from explorer.core.models import (
    BUILTIN_MODELS, ModelSpec, ModelSpecError, find_module_classes, format_input_shape, parse_input_shape,
    parse_kwargs,
)

NOTICE_STYLE = "background: #fff4ce; border: 1px solid #e0c060; border-radius: 3px; padding: 6px;"
ERROR_STYLE = "color: #b00020;"
HINT_STYLE = "color: #555555;"


def hint_label(text: str, parent: QWidget) -> QLabel:
    """Grey explanatory text that wraps."""
    label = QLabel(text, parent)
    label.setStyleSheet(HINT_STYLE)
    label.setWordWrap(True)
    return label


def error_label(parent: QWidget) -> QLabel:
    """Red text for why Open did not close the dialog; hidden until there is a reason."""
    label = QLabel(parent)
    label.setObjectName("ErrorLabel")
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.hide()
    return label


def open_cancel_buttons(dialog: QDialog) -> QDialogButtonBox:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel, dialog)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


class OpenModelDialog(QDialog):
    """Choose a model; `model_spec()` and `eval_mode()` are the choice once the dialog is accepted."""

    def __init__(self, parent: QWidget | None = None, current: ModelSpec | None = None, eval_mode: bool = False):
        super().__init__(parent)
        self.setObjectName("OpenModelDialog")
        self.setWindowTitle(self.tr("Open model"))
        self._spec: ModelSpec | None = None
        self._build()
        self._show_current(current or ModelSpec())
        (self.eval_radio if eval_mode else self.train_radio).setChecked(True)
        self._on_source_toggled()

    # ----- construction ------------------------------------------------------------------------------
    def _build(self) -> None:
        self.builtin_radio = QRadioButton(self.tr("&Built-in model"), self)
        self.file_radio = QRadioButton(self.tr("Your own model from a &Python file"), self)
        self.source_group = QButtonGroup(self)
        self.source_group.addButton(self.builtin_radio)
        self.source_group.addButton(self.file_radio)
        self.source_group.buttonToggled.connect(self._on_source_toggled)

        self.builtin_combo = QComboBox(self)
        titles = {
            "seed": self.tr("seed: the tutorial's Net (LeNet-style, fc1 400\u21921200)"),
            "resnet": self.tr("resnet: a small ResNet with batch norm and skip connections"),
            "mlp": self.tr("mlp: a multilayer perceptron (flatten, 128 hidden units, 10 scores)"),
        }
        for name in BUILTIN_MODELS:
            self.builtin_combo.addItem(titles.get(name, name), name)

        self.path_edit = QLineEdit(self)
        self.path_edit.setPlaceholderText(self.tr("path/to/model.py"))
        self.path_edit.editingFinished.connect(self._on_path_edit_editing_finished)
        self.browse_button = QPushButton(self.tr("B&rowse..."), self)
        self.browse_button.clicked.connect(self._on_browse_button_clicked)
        self.class_combo = QComboBox(self)
        self.class_combo.setEditable(True)  # a class the parser cannot see can still be typed
        self.class_combo.setMinimumContentsLength(16)
        self.classes_label = hint_label("", self)
        self.notice_label = QLabel(self.tr(
            "<b>The file runs as Python code</b> when the model is opened, with your permissions, like "
            "<code>python model.py</code> would. Open only files you trust."), self)
        self.notice_label.setObjectName("RunsCodeNotice")
        self.notice_label.setStyleSheet(NOTICE_STYLE)
        self.notice_label.setWordWrap(True)

        self.kwargs_edit = QLineEdit(self)
        self.kwargs_edit.setPlaceholderText('{"width": 64}')
        self.shape_edit = QLineEdit(self)
        self.shape_edit.setPlaceholderText(self.tr("e.g. 1,28,28"))
        shape_hint = hint_label(self.tr(
            "One sample, without the batch dimension. Leave it empty for the built-in model's shape or the "
            "data's own; data is brought to it (images are padded or resized)."), self)
        self.output_edit = QLineEdit(self)
        self.output_edit.setObjectName("OutputEdit")
        self.output_edit.setPlaceholderText(self.tr("e.g. logits"))
        output_hint = hint_label(self.tr(
            "For a model that returns a tuple, dict or Hugging Face output: the entry that is the prediction "
            "(a key, a field or an index). Leave it empty for a tensor, an entry called logits, or a tuple's "
            "first tensor; any other output is refused and its entries listed."), self)
        # The mode the moves step in: the session's starting mode, which Training > Train mode switches later.
        self.train_radio = QRadioButton(self.tr("&Training mode"), self)
        self.train_radio.setObjectName("TrainModeRadio")
        self.eval_radio = QRadioButton(self.tr("&Eval mode"), self)
        self.eval_radio.setObjectName("EvalModeRadio")
        self.mode_group = QButtonGroup(self)
        self.mode_group.addButton(self.train_radio)
        self.mode_group.addButton(self.eval_radio)
        mode_hint = hint_label(self.tr(
            "Eval mode is model.eval(): dropout off, batch norm on its running statistics, so a batch of one sample "
            "works. In training mode a batch-norm model may need two samples (the batch is raised and the status bar "
            "says so). Training (Train) always runs in training mode; Training > Train mode switches later."), self)
        self.error_label = error_label(self)
        self.buttons = open_cancel_buttons(self)

        file_row = QHBoxLayout()
        file_row.addWidget(self.path_edit, 1)
        file_row.addWidget(self.browse_button)
        self.file_form = QFormLayout()
        self.file_form.addRow(self.tr("File:"), file_row)
        self.file_form.addRow(self.tr("Class:"), self.class_combo)
        self.file_form.addRow("", self.classes_label)
        options = QFormLayout()
        options.addRow(self.tr("Constructor arguments (JSON):"), self.kwargs_edit)
        options.addRow(self.tr("Input shape:"), self.shape_edit)
        options.addRow("", shape_hint)
        options.addRow(self.tr("Prediction output:"), self.output_edit)
        options.addRow("", output_hint)
        mode_row = QHBoxLayout()
        mode_row.addWidget(self.train_radio)
        mode_row.addWidget(self.eval_radio)
        mode_row.addStretch(1)
        options.addRow(self.tr("Step in:"), mode_row)
        options.addRow("", mode_hint)

        layout = QVBoxLayout(self)
        layout.addWidget(self.builtin_radio)
        layout.addWidget(self.builtin_combo)
        layout.addSpacing(8)
        layout.addWidget(self.file_radio)
        layout.addLayout(self.file_form)
        layout.addWidget(self.notice_label)
        layout.addSpacing(8)
        layout.addLayout(options)
        layout.addWidget(self.error_label)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.resize(560, self.sizeHint().height())

    def _show_current(self, spec: ModelSpec) -> None:
        if spec.is_builtin:
            self.builtin_radio.setChecked(True)
            self.builtin_combo.setCurrentIndex(max(0, self.builtin_combo.findData(spec.text)))
        else:
            self.file_radio.setChecked(True)
            path, _, cls = spec.text.rpartition(":")
            self.set_path(path)
            self.class_combo.setCurrentText(cls)
        self.kwargs_edit.setText(json.dumps(spec.kwargs) if spec.kwargs else "")
        self.shape_edit.setText(format_input_shape(spec.input_shape))
        self.output_edit.setText(spec.output)

    # ----- the file and its classes ------------------------------------------------------------------
    def set_path(self, path: str) -> None:
        """Show `path` and offer the nn.Module classes its text defines (the file is parsed, not run)."""
        self.path_edit.setText(path)
        self._refresh_classes()

    def _refresh_classes(self) -> None:
        typed = self.class_combo.currentText()
        self.class_combo.clear()
        path = Path(self.path_edit.text().strip())
        if not self.path_edit.text().strip():
            self.classes_label.setText("")
            return
        try:
            classes = find_module_classes(path)
        except (OSError, SyntaxError, UnicodeDecodeError, ValueError) as exc:
            self.classes_label.setText(self.tr("Cannot list its classes: {0}").format(str(exc).splitlines()[0]))
            self.class_combo.setCurrentText(typed)
            return
        self.class_combo.addItems(classes)
        if typed in classes or (typed and not classes):
            self.class_combo.setCurrentText(typed)
        if classes:
            self.classes_label.setText(self.tr("nn.Module classes in this file: {0}").format(", ".join(classes)))
        else:
            self.classes_label.setText(self.tr("No nn.Module class found by reading the file; type the class name."))

    def _on_path_edit_editing_finished(self) -> None:
        self._refresh_classes()

    def _on_browse_button_clicked(self) -> None:
        start = self.path_edit.text().strip() or str(Path.home())
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open a model file"), start,
                                              self.tr("Python files (*.py);;All files (*)"))
        if path:
            self.set_path(path)

    def _on_source_toggled(self, *args) -> None:
        from_file = self.file_radio.isChecked()
        self.builtin_combo.setEnabled(not from_file)
        for widget in (self.path_edit, self.browse_button, self.class_combo, self.classes_label):
            widget.setEnabled(from_file)
        self.notice_label.setVisible(from_file)

    # ----- result ------------------------------------------------------------------------------------
    def model_spec(self) -> ModelSpec | None:
        """The accepted choice (None before the dialog was accepted)."""
        return self._spec

    def eval_mode(self) -> bool:
        """Whether the model is to be stepped in eval mode (SessionConfig.eval_mode)."""
        return self.eval_radio.isChecked()

    def accept(self) -> None:
        try:
            self._spec = self._read_spec()
        except ModelSpecError as exc:
            self.error_label.setText(str(exc))
            self.error_label.show()
            return
        super().accept()

    def _read_spec(self) -> ModelSpec:
        kwargs = parse_kwargs(self.kwargs_edit.text())
        shape = parse_input_shape(self.shape_edit.text())
        output = self.output_edit.text().strip()
        if self.builtin_radio.isChecked():
            return ModelSpec(self.builtin_combo.currentData(), kwargs, shape, output)
        path_text, cls = self.path_edit.text().strip(), self.class_combo.currentText().strip()
        if not path_text:
            raise ModelSpecError(self.tr("Choose a Python file."))
        if not Path(path_text).is_file():
            raise ModelSpecError(self.tr("{0}: no such file").format(path_text))
        if not cls.isidentifier():
            raise ModelSpecError(self.tr("Choose or type the name of the model's class."))
        return ModelSpec(f"{path_text}:{cls}", kwargs, shape, output)
