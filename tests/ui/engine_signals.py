"""Waiting in a test for a signal that the engine thread emits."""

import contextlib

from PySide6.QtCore import QObject, Signal


class GuiThreadRelay(QObject):
    """Re-emits, on the GUI thread, a signal sent from the engine thread. pytest-qt's waitSignal connects
    directly, so its clean-up (stopping its timer) ran on the engine thread: "Timers cannot be stopped from
    another thread". A QObject of this thread gets the signal queued instead."""

    fired = Signal(object)  # the original arguments, as a tuple

    def __init__(self, signal):
        super().__init__()
        self.args: list = []
        signal.connect(self.on_signal)

    def on_signal(self, *args) -> None:
        self.fired.emit(args)


@contextlib.contextmanager
def wait_engine_signal_on(qtbot, signal, timeout: int = 30_000, check_params_cb=None):
    """Like qtbot.waitSignal(signal, ...) for an engine-thread signal; the relay's .args are its arguments."""
    relay = GuiThreadRelay(signal)
    check = (lambda args: check_params_cb(*args)) if check_params_cb is not None else None
    try:
        with qtbot.waitSignal(relay.fired, timeout=timeout, check_params_cb=check) as blocker:
            yield relay
        relay.args = list(blocker.args[0])
    finally:
        signal.disconnect(relay.on_signal)
