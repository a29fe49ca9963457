"""File > Open model... and Open data...: the dialogs, and applying a choice as a new engine session.

The engine builds the new session on its thread and dry-runs the model on the data there; if anything
fails, it keeps the session it had and says why (engine.failed). This controller then shows that
message in a box and puts the host's configuration back, so the next change (a learning rate, a batch
size) builds on the model that is actually loaded, not on the one that failed.
"""

from __future__ import annotations

import html
import json

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMessageBox, QSizePolicy, QSpacerItem

from explorer.core.models import ModelSpec, ModelSpecError, format_input_shape, model_spec
from explorer.core.session import SessionConfig
from explorer.ui.open.data_dialog import OpenDataDialog
from explorer.ui.open.model_dialog import OpenModelDialog

MESSAGE_WIDTH = 640  # pixels: a failure's code lines read better unbroken


def details_html(details: str, closing: str) -> str:
    """A failure's details as rich text: the user's code lines (indented, as tracebacks print them)
    keep their spaces and columns in a fixed font; other lines are ordinary paragraphs."""
    blocks: list[tuple[bool, list[str]]] = []
    for line in details.splitlines():
        is_code = line.startswith("  ")
        if blocks and blocks[-1][0] == is_code:
            blocks[-1][1].append(line)
        else:
            blocks.append((is_code, [line]))
    parts = []
    for is_code, lines in blocks:
        if is_code:
            code = html.escape("\n".join(lines), quote=False)
            parts.append(f'<pre style="white-space: pre-wrap">{code}</pre>')
        else:
            parts += [f"<p>{html.escape(line, quote=False)}</p>" for line in lines if line.strip()]
    return "".join(parts) + f"<p>{html.escape(closing, quote=False)}</p>"


class ModelDataController(QObject):
    """Adds File > Open model... and Open data... to a MainWindow and applies what the user chooses."""

    def __init__(self, window: QMainWindow):
        super().__init__(window)
        self.window = window
        self.model_dialog: OpenModelDialog | None = None
        self.data_dialog: OpenDataDialog | None = None
        self.message_box: QMessageBox | None = None  # the last failure shown (tests read it)
        self._pending: tuple[str, str, SessionConfig | None] | None = None  # what, its name, the config before
        self.open_model_action = QAction(self.tr("Open &model..."), window, triggered=self.open_model,
                                         statusTip=self.tr("A built-in model or your own nn.Module from a Python file"))
        self.open_model_action.setObjectName("action_open_model")
        self.open_data_action = QAction(self.tr("Open &data..."), window, triggered=self.open_data,
                                        statusTip=self.tr("Digits, the tutorial's input, MNIST files or an image folder"))
        self.open_data_action.setObjectName("action_open_data")
        window.add_file_actions([self.open_model_action, self.open_data_action])
        engine = window.engine.engine
        engine.failed.connect(self._on_engine_failed)
        engine.model_changed.connect(self._on_engine_model_changed)

    def __repr__(self) -> str:
        return f"ModelDataController(pending={self._pending[1] if self._pending else None!r})"

    # ----- dialogs -----------------------------------------------------------------------------------
    def open_model(self) -> OpenModelDialog:
        """Show the model dialog (window-modal, without blocking); Open applies the choice."""
        config = self.window.engine.config or SessionConfig()
        self.model_dialog = OpenModelDialog(self.window, self._current_spec(), config.eval_mode)
        self.model_dialog.accepted.connect(lambda d=self.model_dialog: self.apply_model(d.model_spec(), d.eval_mode()))
        self.model_dialog.finished.connect(self.model_dialog.deleteLater)  # after accepted: deleteLater waits
        self.model_dialog.open()
        return self.model_dialog

    def open_data(self) -> OpenDataDialog:
        config = self.window.engine.config or SessionConfig()
        self.data_dialog = OpenDataDialog(self.window, config.dataset)
        self.data_dialog.accepted.connect(lambda d=self.data_dialog: self.apply_dataset(d.dataset_name()))
        self.data_dialog.finished.connect(self.data_dialog.deleteLater)  # each open makes a new one
        self.data_dialog.open()
        return self.data_dialog

    def _current_spec(self) -> ModelSpec:
        config = self.window.engine.config or SessionConfig()
        try:
            return model_spec(config.model, config.model_kwargs, config.input_shape, config.output)
        except ModelSpecError:
            return ModelSpec(config.model)

    # ----- applying ----------------------------------------------------------------------------------
    def apply_model(self, spec: ModelSpec, eval_mode: bool | None = None) -> None:
        """Ask for a session on `spec`, stepped in eval mode or training mode (None: the mode in use now)."""
        mode = {} if eval_mode is None else {"eval_mode": eval_mode}
        self._request("model", spec.text, model=spec.text, model_kwargs=json.dumps(spec.kwargs) if spec.kwargs else "",
                      input_shape=format_input_shape(spec.input_shape), output=spec.output, **mode)

    def apply_dataset(self, name: str) -> None:
        self._request("data", name, dataset=name)

    def _request(self, what: str, name: str, **changes) -> None:
        self._pending = (what, name, self.window.engine.config)
        self.window.engine.reconfigure(**changes)
        self.window.statusBar().showMessage(self.tr("Opening {0}...").format(name))

    def _on_engine_model_changed(self, info) -> None:
        if self._pending is not None:
            self.window.statusBar().showMessage(self.tr("Opened {0}").format(self._pending[1]), 4000)
            self._pending = None

    def _on_engine_failed(self, message: str) -> None:
        if self._pending is None:
            return  # a failed move: the window's status bar shows it
        what, name, before = self._pending
        self._pending = None
        self.window.engine.config = before  # the engine kept the old session: so does the host's config
        title = self.tr("Could not open the model") if what == "model" else self.tr("Could not open the data")
        headline, _, details = message.partition("\n")
        box = QMessageBox(QMessageBox.Icon.Warning, title, f"<p>{html.escape(headline, quote=False)}</p>",
                          QMessageBox.StandardButton.Ok, self.window)
        box.setObjectName("OpenFailedMessage")
        box.setTextFormat(Qt.TextFormat.RichText)  # for both texts: escaped, since paths and code may hold '<'
        box.finished.connect(box.deleteLater)
        box.setInformativeText(details_html(details, self.tr("explorer keeps the model and data it had.")))
        layout = box.layout()  # wide enough for a line of code: the usual spacer-row way to widen a QMessageBox
        layout.addItem(QSpacerItem(MESSAGE_WIDTH, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding),
                       layout.rowCount(), 0, 1, layout.columnCount())
        self.message_box = box
        box.open()
