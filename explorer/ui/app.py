"""Start the desktop app: QApplication, global plot style, the main window."""

from __future__ import annotations

import argparse

from explorer.ui.window.options import window_parser
import dataclasses
import sys

from PySide6.QtCore import QObject, QTimer, Slot
from PySide6.QtWidgets import QApplication

ORGANIZATION = "explorer"
APPLICATION = "explorer"


def parse_gui_args(argv: list[str]) -> argparse.Namespace:
    return window_parser().parse_args(argv)


def configure_plots() -> None:
    import pyqtgraph as pg

    pg.setConfigOptions(antialias=True, background="w", foreground="k")


def create_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or [sys.argv[0]])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName("explorer")
    configure_plots()
    collect_garbage_on_the_gui_thread(app)
    return app


def collect_garbage_on_the_gui_thread(app: QApplication):
    """Garbage is collected on the GUI thread only (see explorer.ui.garbage); one collector per application."""
    from explorer.ui.garbage import GuiThreadCollector

    if not hasattr(app, "_explorer_gc"):
        app._explorer_gc = GuiThreadCollector(app)
    return app._explorer_gc


def make_the_optimizer(session) -> None:
    """The stepping session makes its optimizer on first use (explorer.core.session): make it now."""
    session.optimizer  # noqa: B018 (the property builds it)


class Settler(QObject):
    """Once the window shows its first model, has the engine make the session's optimizer (torch.optim's first
    one imports torch._dynamo and sympy: ~150,000 more objects), then freezes what is alive (the imported
    modules, mostly) out of gc's scans: full collections then take milliseconds instead of a fifth of a second.
    A QObject on the GUI thread, so the engine's answer (and the collection) arrives on this thread.
    A window closed before it settled ends its engine thread (and deletes the engine): then nothing is asked."""

    TOKEN = "settle-garbage"

    def __init__(self, app: QApplication, window):
        super().__init__(window)
        self.app, self.window = app, window
        self.timer = QTimer(self)
        self.timer.timeout.connect(self._on_timer_timeout)
        self.timer.start(200)
        window.engine.thread.finished.connect(self.timer.stop)

    @Slot()
    def _on_timer_timeout(self) -> None:
        if self.window.snapshot is None:
            return
        self.timer.stop()
        if getattr(self.window, "_closing", False) or not self.window.engine.thread.isRunning():
            return  # closed first: the engine is stopping or gone
        engine = self.window.engine
        engine.engine.task_finished.connect(self._on_engine_task_done)
        engine.engine.task_failed.connect(self._on_engine_task_done)
        engine.run_task(self.TOKEN, make_the_optimizer)

    @Slot(str, object)
    def _on_engine_task_done(self, token: str, _answer=None) -> None:
        if token == self.TOKEN:
            engine = self.window.engine.engine
            try:
                engine.task_finished.disconnect(self._on_engine_task_done)
                engine.task_failed.disconnect(self._on_engine_task_done)
            except RuntimeError:  # the answer came after an early close had deleted the engine (and these)
                return
            collect_garbage_on_the_gui_thread(self.app).freeze_survivors()


def settle_when_ready(app: QApplication, window) -> Settler:
    return Settler(app, window)


def run_app(argv: list[str]) -> int:
    args = parse_gui_args(argv)
    app = create_application()
    from PySide6.QtCore import QSettings

    from explorer.ui.i18n import SETTINGS_KEY as LANGUAGE_KEY
    from explorer.ui.i18n import choose_language, install_translators
    from explorer.ui.main_window import MainWindow
    from explorer.ui.settings import load_session_config

    settings = QSettings()
    language = choose_language(args.lang, settings)
    install_translators(app, language)
    if args.lang:
        settings.setValue(LANGUAGE_KEY, language)  # an explicit choice sticks; the system's is asked anew
    config = load_session_config(settings)
    overrides = {k: v for k, v in (("model", args.model), ("dataset", args.dataset), ("seed", args.seed),
                                   ("model_kwargs", args.model_kwargs), ("input_shape", args.input_shape),
                                   ("eval_mode", args.eval))
                 if v is not None}
    if args.model is not None:  # another model: the last one's constructor arguments and shape do not carry over
        overrides.setdefault("model_kwargs", "")
        overrides.setdefault("input_shape", "")
    window = MainWindow(dataclasses.replace(config, **overrides), settings)
    window.show()
    settle_when_ready(app, window)
    if args.tutorial:
        window.show_tutorial()
    if args.run:
        window.runs.open_run(args.run)
    return app.exec()
