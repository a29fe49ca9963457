"""The engine thread: the one thread that owns the model and runs every torch op.

The GUI talks to it only through queued signals and gets back immutable snapshots (explorer.core.snapshot).
Measured on 2 cores: torch ops on the GUI thread as well as on a worker make their OpenMP pools fight and
halve training speed, so even building the model happens here.
"""

from __future__ import annotations

import dataclasses
import traceback
from typing import Callable

from PySide6.QtCore import QObject, QThread, Signal, Slot

from explorer.core.models import ModelSpecError
from explorer.core.session import SessionConfig, SessionError, StepSession
from explorer.core.snapshot import Snapshotter, inspect, model_info


class Engine(QObject):
    """Lives in the engine thread. Slots run there; signals carry plain data back to the GUI."""

    snapshot_ready = Signal(object)  # SessionSnapshot
    model_changed = Signal(object)  # ModelInfo
    inspected = Signal(object)  # Inspection
    failed = Signal(str)  # a user-facing message; the session is unchanged
    task_finished = Signal(str, object)  # token, what the task returned
    task_failed = Signal(str, str)  # token, a one-line message

    def __init__(self):
        super().__init__()
        self.session: StepSession | None = None
        self._snapshotter: Snapshotter | None = None

    @Slot(object)
    def configure(self, config: SessionConfig) -> None:
        """Build a new session; on failure the old one stays and `failed` says why."""
        try:
            session = StepSession(config)
        except Exception as exc:  # a user's model or data file may raise anything
            known = isinstance(exc, (ModelSpecError, SessionError, ValueError, OSError))
            self.failed.emit(str(exc) if known else f"{type(exc).__name__}: {exc}")
            if self.session is not None or config == SessionConfig():
                return
            session = StepSession(SessionConfig())  # nothing loaded yet: start on the defaults instead
        self.session = session
        self._snapshotter = Snapshotter(session)
        self.model_changed.emit(model_info(session))
        self._publish()

    @Slot(str)
    def move(self, name: str) -> None:
        if self.session is None:
            return
        try:
            getattr(self.session, name)()
        except SessionError as exc:
            self.failed.emit(str(exc))
        except Exception as exc:
            self.failed.emit(f"{name.replace('_', ' ')} failed: {type(exc).__name__}: {exc}")
            traceback.print_exc()
        self._publish()

    @Slot(str, str)
    def inspect(self, kind: str, key: str) -> None:
        if self.session is None:
            return
        try:
            self.inspected.emit(inspect(self.session, kind, key))
        except (KeyError, IndexError, ValueError, TypeError) as exc:
            self.failed.emit(f"cannot inspect {kind} {key!r}: {exc}")

    @Slot(str, object)
    def run_task(self, token: str, fn: Callable[[StepSession], object]) -> None:
        """Run fn(session) here, on the thread that owns the model, and report its result or failure.

        The task may change the weights or replace the model: views get a fresh snapshot either way, and
        model_changed when the model object is a new one.
        """
        if self.session is None:
            self.task_failed.emit(token, "no model is loaded yet")
            return
        model = self.session.model
        try:
            result = fn(self.session)
        except Exception as exc:  # a task reads user files and models: report anything, keep running
            message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            self.task_failed.emit(token, message)
        else:
            self.task_finished.emit(token, result)
        self.session.param_version += 1  # the task may have changed weights: the inspector re-asks
        if self.session.model is not model:
            self.model_changed.emit(model_info(self.session))
        self._publish()

    def _publish(self) -> None:
        self.snapshot_ready.emit(self._snapshotter.snapshot())


class EngineHost(QObject):
    """Owned by the GUI: starts the engine thread and forwards requests to it through queued signals."""

    configure_requested = Signal(object)
    move_requested = Signal(str)
    inspect_requested = Signal(str, str)
    task_requested = Signal(str, object)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.thread = QThread()
        self.thread.setObjectName("explorer-engine")
        self.engine = Engine()
        self.engine.moveToThread(self.thread)
        self.configure_requested.connect(self.engine.configure)
        self.move_requested.connect(self.engine.move)
        self.inspect_requested.connect(self.engine.inspect)
        self.task_requested.connect(self.engine.run_task)
        self.thread.finished.connect(self.engine.deleteLater)
        self.thread.start()
        self.config: SessionConfig | None = None

    def configure(self, config: SessionConfig) -> None:
        self.config = config
        self.configure_requested.emit(config)

    def reconfigure(self, **changes) -> None:
        self.configure(dataclasses.replace(self.config or SessionConfig(), **changes))

    def move(self, name: str) -> None:
        self.move_requested.emit(name)

    def inspect(self, kind: str, key: str) -> None:
        self.inspect_requested.emit(kind, key)

    def run_task(self, token: str, fn: Callable[[StepSession], object]) -> None:
        """Run fn(session) on the engine thread; the answer comes as engine.task_finished/task_failed(token, ...).

        A task asked for while training runs waits until training pauses or stops.
        """
        self.task_requested.emit(token, fn)

    def shutdown(self, timeout_ms: int = 5000) -> bool:
        """Let the move in flight finish, then stop the thread. True when it stopped in time."""
        if not self.thread.isRunning():
            return True
        self.thread.quit()
        return self.thread.wait(timeout_ms)
