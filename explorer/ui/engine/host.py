"""The GUI's side of the engine thread: starts it, forwards requests to the Engine (explorer.ui.engine.engine)
through queued signals, and stops it at the next safe point when the window closes."""

from __future__ import annotations

import dataclasses
import itertools
from typing import Callable

from PySide6.QtCore import QObject, Qt, QThread, Signal

from explorer.core.moves import Move
from explorer.core.session import SessionConfig, StepSession
from explorer.core.training.messages import TrainSettings
from explorer.ui.engine.engine import Engine
from explorer.ui.engine.explainer import Explainer

__all__ = ["Engine", "EngineHost"]


class EngineHost(QObject):
    """Owned by the GUI: starts the engine thread and forwards requests to it through queued signals."""

    configure_requested = Signal(object)
    open_requested = Signal(object)
    training_mode_requested = Signal(bool)
    move_requested = Signal(object, int)  # a Move, its request id (see move)
    inspect_requested = Signal(str, str)
    inspect_asked = Signal(str, str)  # every inspection anyone asks for (the inspector shows the latest)
    explain_requested = Signal(str, object, object, bool)  # node id, slot, index, numeric: see explainer.explained
    task_requested = Signal(str, object)
    train_requested = Signal(object)
    resume_requested = Signal(float)
    train_step_requested = Signal(object)
    stop_requested = Signal()
    device_requested = Signal(str)
    threads_requested = Signal(int)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.thread = QThread()
        self.thread.setObjectName("explorer-engine")
        self.engine = Engine()
        self.engine.moveToThread(self.thread)
        self.explainer = Explainer(self.engine)  # the chain rule at one node, on the engine's thread
        self.explainer.moveToThread(self.thread)
        self.explain_requested.connect(self.explainer.explain)
        self.configure_requested.connect(self.engine.configure)
        self.open_requested.connect(self.engine.open_session)
        self.training_mode_requested.connect(self.engine.set_training_mode)
        self.engine.training_mode_set.connect(self._on_engine_training_mode_set)  # queued: a bound method of ours
        self.move_requested.connect(self.engine.move)
        self.inspect_requested.connect(self.engine.inspect)
        self.task_requested.connect(self.engine.run_task)
        self.train_requested.connect(self.engine.start_training)
        self.resume_requested.connect(self.engine.resume_training)
        self.train_step_requested.connect(self.engine.step_training)
        self.stop_requested.connect(self.engine.stop_training)
        self.device_requested.connect(self.engine.set_device)
        self.threads_requested.connect(self.engine.set_threads)
        self.thread.finished.connect(self._give_back_model, Qt.ConnectionType.DirectConnection)
        self.thread.finished.connect(self.engine.deleteLater)
        self.thread.finished.connect(self.explainer.deleteLater)
        self.thread.start()
        self.config: SessionConfig | None = None
        self._move_requests = itertools.count(1)

    def configure(self, config: SessionConfig) -> None:
        self.config = config
        self.configure_requested.emit(config)

    def reconfigure(self, **changes) -> None:
        self.configure(dataclasses.replace(self.config or SessionConfig(), **changes))

    def open_session(self, build: Callable[[], StepSession]) -> None:
        """Install the session build() makes on the engine thread (engine.open_failed says when it cannot)."""
        self.config = None  # not a session a config describes: nothing to save or reconfigure from
        self.open_requested.emit(build)

    def set_training_mode(self, training: bool) -> None:
        self.training_mode_requested.emit(training)

    def _on_engine_training_mode_set(self, training: bool) -> None:
        """Training > Train mode took effect: a session built later from this config (another batch size, data
        set or model) starts in the mode the user chose, and the settings file keeps it."""
        if self.config is not None:
            self.config = dataclasses.replace(self.config, eval_mode=not training)

    def move(self, move: Move) -> int:
        """Ask for the move; returns its request id, which engine.move_answered names with the serial of the
        snapshot that answers it (other snapshots, e.g. a task's, may arrive between)."""
        request = next(self._move_requests)
        self.move_requested.emit(Move(move), request)
        return request

    def inspect(self, kind: str, key: str) -> None:
        self.inspect_asked.emit(kind, key)
        self.inspect_requested.emit(kind, key)

    def run_task(self, token: str, fn: Callable[[StepSession], object]) -> None:
        """Run fn(session) on the engine thread; the answer comes as engine.task_finished/task_failed(token, ...).

        A task asked for while training runs waits until training pauses or stops.
        """
        self.task_requested.emit(token, fn)

    # Training: call these only when the engine's last TrainingState allows them (the window's actions do).
    def train(self, settings: TrainSettings) -> None:
        self.engine.pause_requested.clear()
        self.engine.stop_requested.clear()
        self.train_requested.emit(settings)

    def pause(self) -> None:
        self.engine.pause_requested.set()  # the loop sees it between two steps

    def resume(self, lr: float) -> None:
        self.engine.pause_requested.clear()
        self.resume_requested.emit(lr)

    def step_once(self, settings: TrainSettings) -> None:
        """One optimizer step, then the run waits paused."""
        self.engine.stop_requested.clear()
        self.engine.pause_requested.set()
        self.train_step_requested.emit(settings)

    def stop(self) -> None:
        self.engine.stop_requested.set()
        self.stop_requested.emit()  # ends a paused run, which no loop would see the event in

    def set_device(self, name: str) -> None:
        self.device_requested.emit(name)

    def set_threads(self, n: int) -> None:
        self.threads_requested.emit(n)

    def request_stop(self) -> None:
        """Ask the engine thread to end at its next safe point, without waiting: a training run stops between
        two steps; a move or task (a checkpoint being written among them) already asked for runs to its end;
        then the thread's event loop quits."""
        if self.thread.isRunning():
            self.engine.stop_requested.set()
            self.thread.quit()

    def shutdown(self, timeout_ms: int = 5000) -> bool:
        """request_stop, then wait for the thread; True when it stopped in time."""
        self.request_stop()
        return self.thread.wait(timeout_ms)

    def _give_back_model(self) -> None:
        """Runs on the engine thread as it ends (a direct connection to its `finished`): a live model goes back
        to its owner's mode and device there, where every torch op of the session ran."""
        if self.engine.session is not None:
            self.engine.session.close()
