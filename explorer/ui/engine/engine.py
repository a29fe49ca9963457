"""The engine: a QObject living in the engine thread, the one thread that owns the model and runs every torch op.

The GUI talks to it only through queued signals and gets back immutable snapshots (explorer.core.snapshot).
Measured on 2 cores: torch ops on the GUI thread as well as on a worker make their OpenMP pools fight and
halve training speed, so even building the model happens here.

Training runs here too, inside one slot that loops over a TrainingRun's steps and sends their metrics in
batches (one signal every ~250 ms, never one per step). A queued slot cannot interrupt that loop, so Pause
and Stop set threading.Events that the loop checks between steps. Pausing returns from the slot (the run
keeps its generator, optimizer and batch stream), so a paused engine answers inspect and move requests;
Resume enters the loop again.

Every slot reports its own failures: an exception that left a slot would be printed by Qt and lost, and a
training run would stay "running" with every control waiting for an answer that never comes.
"""


from __future__ import annotations

import threading
import time
from typing import Callable

from PySide6.QtCore import QObject, Signal, Slot

import torch

from explorer.core.devices import device_choices, gui_friendly_threads, thread_choices
from explorer.core.training.diagnostics import first_nonfinite_parameter
from explorer.core.models import ModelSpecError, model_failure
from explorer.core.moves import Move
from explorer.core.session import SessionConfig, SessionError, StepSession
from explorer.core.snapshot import Snapshotter, inspect, model_info
from explorer.core.training.loop import TrainConfig, test_accuracy
from explorer.core.training.messages import RateMeter, TrainingState, TrainingUpdate, TrainSettings
from explorer.core.live.training import live_training_run
from explorer.core.training.run import TrainingRun, session_run
from explorer.core.wording import Phrase
from explorer.ui.phrases import notice_text
from explorer.ui.engine.run_messages import (ACCURACY, FINISHED, MODEL_CHANGED, MODEL_MOVED, NONFINITE_STEP,
                                               NONFINITE_WEIGHTS, PAUSED, RESET, STEP_FAILED, STOPPED, TESTED, say)

UPDATE_INTERVAL_S = 0.25  # metrics go to the GUI in one batch every 250 ms: each wakes the GUI thread


class Engine(QObject):
    """Lives in the engine thread. Slots run there; signals carry plain data back to the GUI."""

    snapshot_ready = Signal(object)  # SessionSnapshot
    # request id, serial of the snapshot that answers it (0: none could be made); sent just before that snapshot
    move_answered = Signal(int, int)
    model_changed = Signal(object)  # ModelInfo
    inspected = Signal(object)  # Inspection
    failed = Signal(str)  # a user-facing message; the session is unchanged
    notice = Signal(object)  # a Phrase: a setting the new session could not take as asked, and what it took instead
    training_mode_set = Signal(bool)  # the user's train/eval choice took effect (the host's config follows it)
    open_failed = Signal(str)  # a session built by open_session could not be made; the message says why
    error = Signal(str)  # an exception a slot caught (a move, an inspection, a view): what failed, for people
    task_finished = Signal(str, object)  # token, what the task returned
    task_failed = Signal(str, str)  # token, a one-line message
    training_update = Signal(object)  # TrainingUpdate
    training_state = Signal(object)  # TrainingState
    devices_found = Signal(object, object, int)  # tuple[DeviceChoice, ...], thread choices, threads in use
    device_changed = Signal(str)  # the device the model is on now
    threads_changed = Signal(int)

    def __init__(self):
        super().__init__()
        self.session: StepSession | None = None
        self._snapshotter: Snapshotter | None = None
        self.run: TrainingRun | None = None
        # Set from the GUI thread, read by the training loop between steps; only the GUI clears them,
        # and only while no loop runs (it waits for the engine's TrainingState before it enables the actions).
        self.pause_requested = threading.Event()
        self.stop_requested = threading.Event()
        self._rate = RateMeter()
        self._slice = (0, 0.0)  # steps and seconds of the last stretch of training, for the next TrainingState
        self._devices_reported = False

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
        if self.session is not None and self.session.device != session.device:
            session.to(self.session.device)  # a new session stays on the device the user chose
        self._install(session)

    @Slot(object)
    def open_session(self, build: Callable[[], StepSession]) -> None:
        """Install the session build() makes here, on the engine thread: explorer.show() hands over a user's
        live model this way, so that no torch op runs on the GUI thread. It stays on the model's own device."""
        try:
            session = build()
        except Exception as exc:  # the user's model, batch and loss may raise anything
            self.open_failed.emit(str(exc) or type(exc).__name__)
            return
        self._install(session)

    @Slot(bool)
    def set_training_mode(self, training: bool) -> None:
        """The mode the moves step in (a live model keeps the user's until they switch it); `failed` says why a
        switch to training mode is refused (batch norm at one sample)."""
        if self.session is None:
            return
        try:
            self.session.set_training(training)
        except SessionError as exc:
            self.failed.emit(notice_text(exc.phrase) if exc.phrase is not None else str(exc))
        else:
            self.training_mode_set.emit(training)
        self._publish()

    def _install(self, session: StepSession) -> None:
        if not self._devices_reported:
            self._devices_reported = True
            torch.set_num_threads(gui_friendly_threads())  # Training > CPU threads changes it
            self.devices_found.emit(device_choices(), thread_choices(), torch.get_num_threads())
        self._end_run("")
        if self.session is not None:
            self.session.close()  # a live model goes back to its owner's mode and device
        self.session = session
        self._snapshotter = Snapshotter(session)
        self.model_changed.emit(model_info(session))
        for notice in session.notices:
            self.notice.emit(notice)
        if session.ownership is not None:  # a live model stays where its owner put it: the menu follows
            self.device_changed.emit(str(session.device))
        self._publish()

    @Slot(object, int)
    def move(self, move: Move, request: int = 0) -> None:
        """Apply the move; `request` (EngineHost.move's id) names the snapshot that answers it (move_answered)."""
        if self.session is None:
            self.move_answered.emit(request, 0)
            return
        try:
            if move is Move.RESET:
                self._end_run(parts=(Phrase(RESET),))
            self.session.apply(move)
        except SessionError as exc:
            self.failed.emit(str(exc))
        except Exception as exc:
            self.error.emit(self.tr("{0} failed: {1}").format(move.words, self._failure(exc)))
        self._publish(answering=request)

    @Slot(str, str)
    def inspect(self, kind: str, key: str) -> None:
        if self.session is None:
            return
        try:
            self.inspected.emit(inspect(self.session, kind, key))
        except Exception as exc:  # a user's model may hold anything
            self.error.emit(self.tr("Cannot inspect {0} {1}: {2}").format(kind, key, self._failure(exc)))

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
            self._end_run(parts=(Phrase(MODEL_CHANGED),))
            self.model_changed.emit(model_info(self.session))
        self._publish()

    # ----- training ----------------------------------------------------------------------------------
    @Slot(object)
    def start_training(self, settings: TrainSettings) -> None:
        """A new run from the current weights, with a fresh optimizer and the settings' batch order."""
        if self.session is None:
            return
        self._end_run("")
        s = self.session
        try:
            if s.data is not None:
                config = TrainConfig(optimizer=settings.optimizer, lr=settings.lr, batch_size=settings.batch_size,
                                     steps=settings.steps(s.data.train_size), seed=settings.seed)
                self.run = session_run(s, config)  # recorded in the session's history of its weights
                for notice in self.run.notices:  # batch norm at one sample trains on two: said, as at opening
                    self.notice.emit(notice)
            else:  # a live model: the user's batches (their DataLoader's size), loss, optimizer and output name
                self.run = live_training_run(s, settings)
        except Exception as exc:  # bad settings, or an optimizer the model's parameters do not suit
            self.training_state.emit(TrainingState("idle", message=self._failure(exc), error=True))
            return
        self._train()

    @Slot(float)
    def resume_training(self, lr: float) -> None:
        """Go on with the paused run, with this learning rate from the next step on."""
        if self.run is None:
            return
        if lr != self.run.config.lr:
            try:
                self.run.set_lr(lr)
            except ValueError as exc:
                self._send_state("paused", str(exc))
                return
        self._train()

    @Slot(object)
    def step_training(self, settings: TrainSettings) -> None:
        """One optimizer step: of the paused run, or of a new run that then waits paused."""
        if self.run is None:
            self.pause_requested.set()  # a new run takes its one step, then waits
            self.start_training(settings)
            return
        self.resume_training(settings.lr)

    @Slot()
    def stop_training(self) -> None:
        if self.run is not None:
            self._end_run(parts=(Phrase(STOPPED, (self.run.step,)),))
            self._publish()

    @Slot(str)
    def set_device(self, name: str) -> None:
        """Move the model, its data and the stepping optimizer; a paused run ends (its optimizer stays behind)."""
        if self.session is None:
            return
        try:
            self.session.to(name)
        except Exception as exc:  # e.g. "Torch not compiled with CUDA enabled"
            self.failed.emit(self.tr("Cannot move the model to {0}: {1}").format(name, self._failure(exc)))
            self._publish()
            return
        self._end_run(parts=(Phrase(MODEL_MOVED, (name,)),))
        self.device_changed.emit(str(self.session.device))
        self._publish()

    @Slot(int)
    def set_threads(self, n: int) -> None:
        """CPU threads for torch's operators. On a busy or 2-core machine one thread is often several times
        faster for small models: a second one waits at every parallel operator for a core."""
        torch.set_num_threads(max(1, n))
        self.threads_changed.emit(torch.get_num_threads())

    def _train(self) -> None:
        """Take steps until Pause, Stop, the end of the run, or a non-finite loss or gradient.

        Entered with Pause already requested (Step, or Pause pressed before the loop began), it takes one step.
        """
        run, take_one = self.run, self.pause_requested.is_set()
        self._slice = (0, 0.0)
        self._rate.restart()
        self._send_state("running")
        pending: list = []
        began = last_sent = time.perf_counter()
        self._rate.mark(last_sent, run.step)
        ended, taken, last, error = "", 0, None, None
        while True:
            if self.stop_requested.is_set():
                ended = "stop"
                break
            if self.pause_requested.is_set() and not (take_one and taken == 0):
                ended = "pause"
                break
            try:
                metrics = run.next()
            except Exception as exc:  # the user's forward, loss or data: the run ends, the controls come back
                ended, error = "error", exc
                break
            if metrics is None:
                ended = "finished"
                break
            taken += 1
            last = metrics
            pending.append(metrics)
            if metrics.nonfinite is not None:
                ended = "nonfinite"
                break
            now = time.perf_counter()
            if now - last_sent >= UPDATE_INTERVAL_S:
                self._send_update(pending, now)
                pending, last_sent = [], now
        self._send_update(pending, time.perf_counter())
        self._slice = (taken, time.perf_counter() - began)
        self.session.weights_changed()  # views re-read the weights; the stepping pass restarts from them
        self.session.back_to_stepping_mode()  # the run trained in training mode; the moves step in the session's
        if ended == "error":
            self._end_run(parts=(Phrase(STEP_FAILED, (run.step, run.step + 1, self._failure(error))),), error=True)
        elif ended == "stop":
            self._end_run(parts=(Phrase(STOPPED, (run.step,)),))
        elif ended == "finished":
            parts = (Phrase(FINISHED, (run.step,)),)
            if last is not None and last.test_accuracy is not None:
                parts += (Phrase(ACCURACY, (last.train_accuracy, last.test_accuracy)),)
            self._end_run(parts=parts)
        elif ended == "nonfinite":
            bad = last
            template = (NONFINITE_WEIGHTS if first_nonfinite_parameter(run.model) is not None  # Resume would fail again
                        else NONFINITE_STEP)
            self._send_state("paused", nonfinite=bad,
                             parts=(Phrase(template, (bad.step, bad.nonfinite_origin or bad.nonfinite)),))
        else:
            # Where the run stands, measured now (outside the timed training): the curves get a test point.
            try:
                tested = test_accuracy(run.model, run.data, run.output)
            except Exception:  # the next step will say what fails; a pause still pauses
                tested = None
            self.session.history.measured(test_accuracy=tested)
            parts = (Phrase(PAUSED, (run.step,)),) + ((Phrase(TESTED, (tested,)),) if tested is not None else ())
            self._send_state("paused", test=tested, parts=parts)
        self._publish()

    def _send_update(self, pending: list, now: float) -> None:
        if not pending:
            return
        run = self.run
        self._rate.mark(now, pending[-1].step)
        self.training_update.emit(TrainingUpdate(
            tuple(pending), pending[-1].step, run.config.steps, self._rate.steps_per_s,
            self._rate.seconds_left(pending[-1].step, run.config.steps)))

    def _send_state(self, phase: str, message: str = "", nonfinite=None, test: float | None = None,
                    parts: tuple = ()) -> None:
        run = self.run
        self.training_state.emit(TrainingState(
            phase, run.step if run else 0, run.config.steps if run else 0, message or say(parts),
            nonfinite.step if nonfinite is not None else None,
            (nonfinite.nonfinite_origin or nonfinite.nonfinite) if nonfinite is not None else "",
            run.steps_per_epoch if run else 0, *self._slice, test_accuracy=test, message_parts=parts,
            optimizer=run.config.optimizer if run else "", lr=run.config.lr if run else 0.0,
            batch_size=run.config.batch_size if run else 0))

    def _end_run(self, message: str = "", parts: tuple = (), error: bool = False) -> None:
        """Forget the run (the weights keep what it trained); tell the GUI when there was one."""
        if self.run is None:
            return
        step, total, per_epoch = self.run.step, self.run.config.steps, self.run.steps_per_epoch
        self.run = None
        self.training_state.emit(TrainingState("idle", step, total, message or say(parts), steps_per_epoch=per_epoch,
                                               slice_steps=self._slice[0], slice_seconds=self._slice[1],
                                               message_parts=parts, error=error))

    def _failure(self, exc: BaseException) -> str:
        """An exception in words, with the lines of the user's own model file that raised it."""
        return model_failure(exc, self.session.config.model if self.session is not None else "seed")

    def _publish(self, answering: int = 0) -> None:
        """Send a fresh snapshot; `answering`: the move request it answers, announced just before it."""
        try:
            snapshot = self._snapshotter.snapshot()
        except Exception as exc:  # the views keep the last snapshot; the user learns why
            self.error.emit(self.tr("Cannot show the model's state: {0}").format(self._failure(exc)))
            if answering:
                self.move_answered.emit(answering, 0)
            return
        if answering:
            self.move_answered.emit(answering, snapshot.serial)
        self.snapshot_ready.emit(snapshot)
