"""Follows a run directory off the GUI thread: a worker thread polls the store every POLL_MS and sends each
rank's new steps, as the training panel's own messages, to the GUI thread (queued signals)."""

from __future__ import annotations

from PySide6.QtCore import QMetaObject, QObject, Qt, QThread, QTimer, Signal, Slot

from explorer.core.watch.follow import RunFollower
from explorer.core.watch.reader import RunStoreError

POLL_MS = 1000


class _Worker(QObject):
    polled = Signal(object, object, object)  # updates (list[RankUpdate]), rank info (dict), problems (list[str])
    failed = Signal(str)

    def __init__(self, run_dir: str):
        super().__init__()
        self.run_dir = run_dir
        self.follower: RunFollower | None = None
        self.timer: QTimer | None = None

    @Slot()
    def start(self) -> None:
        try:
            self.follower = RunFollower(self.run_dir)
        except RunStoreError as exc:
            self.failed.emit(str(exc))
            return
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.poll)
        self.timer.start()
        self.poll()

    @Slot()
    def poll(self) -> None:
        if self.follower is None:
            return
        try:
            updates = self.follower.poll()
        except Exception as exc:  # noqa: BLE001 - an untrusted store must never take the window down
            self.failed.emit(f"{self.run_dir}: {exc}")
            return
        info = {rank: RankInfo(r.rank, r.world_size, r.param_names, r.param_shapes, r.model_text, str(r.path),
                               r.meta.get("host", ""), r.meta.get("pid", ""))
                for rank, r in self.follower.reader.ranks.items()}
        self.polled.emit(updates, info, list(self.follower.problems))

    @Slot()
    def stop(self) -> None:
        if self.timer is not None:
            self.timer.stop()
        if self.follower is not None:
            self.follower.close()
            self.follower = None


class RankInfo:
    """What the window shows about one rank besides its curves (plain data)."""

    def __init__(self, rank, world_size, param_names, param_shapes, model_text, path, host, pid):
        self.rank, self.world_size = rank, world_size
        self.param_names, self.param_shapes = tuple(param_names), tuple(param_shapes)
        self.model_text, self.path, self.host, self.pid = model_text, path, host, pid


class RunPoller(QObject):
    """Polls one run directory on its own thread until stop()."""

    polled = Signal(object, object, object)
    failed = Signal(str)

    def __init__(self, run_dir: str, parent=None):
        super().__init__(parent)
        self.run_dir = run_dir
        self.thread = QThread(self)
        self.thread.setObjectName("explorer-run-poller")
        self.worker = _Worker(run_dir)
        self.worker.moveToThread(self.thread)
        self.worker.polled.connect(self.polled)
        self.worker.failed.connect(self.failed)
        self.thread.started.connect(self.worker.start)
        self.thread.finished.connect(self.worker.deleteLater)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        if self.thread.isRunning():
            # The worker's timer and SQLite connection belong to its thread: stopped there, and waited for.
            QMetaObject.invokeMethod(self.worker, "stop", Qt.ConnectionType.BlockingQueuedConnection)
            self.thread.quit()
            self.thread.wait(5000)
