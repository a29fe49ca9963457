"""`explorer.show(model, batch, ...)`: the window on a model object the user already has.

The session is built on the engine thread (explorer.core.live.api.session, handed over as a function), so no
torch op runs on the GUI thread. From a script the call blocks until the window closes, like
matplotlib.pyplot.show(); in IPython/Jupyter with `%gui qt` it returns at once and the window stays live
beside the notebook, stepping and training the notebook's own model object.
"""

from __future__ import annotations

import functools
from typing import Any, Callable, Iterable

from PySide6.QtCore import QCoreApplication, QObject, QSettings, Slot
from PySide6.QtWidgets import QMessageBox

_open_windows: list = []  # windows that outlive the call (IPython): held here until they close


def show(model: Any, batch: Any = None, *, target: Any = None, loss_fn: Callable | None = None,
         data: Iterable | None = None, output: str | None = None, optimizer: Any = None, lr: float = 0.01,
         block: bool | None = None):
    """Open the window on `model` (the arguments are explorer.session's). `block`: wait until the window
    closes; None decides by the environment (not when an IPython Qt event loop runs). Returns the window."""
    from explorer.core.live.api import session
    from explorer.core.live.errors import caller_line
    from explorer.ui.app import create_application, settle_when_ready
    from explorer.ui.engine.host import EngineHost
    from explorer.ui.i18n import choose_language, install_translators
    from explorer.ui.main_window import MainWindow

    build = functools.partial(session, model, batch, target=target, loss_fn=loss_fn, data=data, output=output,
                              optimizer=optimizer, lr=lr, _called_at=caller_line())
    app = create_application()
    settings = QSettings()
    if not getattr(app, "_explorer_translated", False):
        install_translators(app, choose_language(None, settings))
        app._explorer_translated = True
    host = EngineHost()
    window = MainWindow(settings=settings, engine=host)
    window.setWindowTitle(QCoreApplication.translate("show", "explorer - {0}").format(type(model).__name__))
    host.engine.open_failed.connect(_OpenFailedNotice(window).tell)
    host.open_session(build)
    window.show()
    settle_when_ready(app, window)
    if block is None:
        block = not ipython_runs_qt_loop()
    if block:
        app.exec()
    else:
        _open_windows.append(window)
        window.destroyed.connect(lambda *_: _open_windows.remove(window) if window in _open_windows else None)
    return window


class _OpenFailedNotice(QObject):
    """Says on the GUI thread why the model could not be opened. A plain function connected to an engine signal
    would run on the engine thread (PySide6 calls a callable that is no QObject's slot directly from the
    emitting thread), where no widget may be touched: a slot of this object, a child of the window, is queued."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window

    @Slot(str)
    def tell(self, message: str) -> None:
        QMessageBox.warning(self.window, QCoreApplication.translate("show", "Cannot open this model"), message)


def ipython_runs_qt_loop() -> bool:
    """True inside IPython/Jupyter after `%gui qt`: its event loop then runs Qt, so show() must not block."""
    import sys

    if "IPython" not in sys.modules:
        return False
    from IPython import get_ipython

    shell = get_ipython()
    loop = getattr(shell, "active_eventloop", None) if shell is not None else None
    return bool(loop) and str(loop).startswith("qt")
