"""File > Open run... and `explorer --run DIR`: a run recorded by explorer.watch in the window, followed live.

Shell wiring between two families: the runs family (explorer.ui.runs: the poller thread, the Run panel with
ranks overlaid) and the training family's curves panel, a second instance of which ("Run curves") draws the
chosen rank's records exactly as it draws the app's own training (rank 0 by default).
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMainWindow

from explorer.ui.runs.dock import RunDock
from explorer.ui.runs.poller import RunPoller
from explorer.ui.training.plots import TrainingPlotsDock

LAST_FOLDER_KEY = "Runs/last_folder"
QUIET_S = 5.0  # no new record for this long: say the run looks finished or paused


class RunView(QObject):
    def __init__(self, window: QMainWindow):
        super().__init__(window)
        self.window = window
        self.open_action = QAction(self.tr("Open &run..."), window)
        self.open_action.setObjectName("action_open_run")
        self.open_action.setStatusTip(self.tr("Follow a training run recorded with explorer.watch(model, DIR)"))
        self.open_action.triggered.connect(self.choose_run)
        window.add_file_actions([self.open_action])
        self.dock: RunDock | None = None
        self.plots: TrainingPlotsDock | None = None
        self.poller: RunPoller | None = None
        self.run_dir: str | None = None
        self.history: dict[int, list] = {}  # rank -> its TrainingUpdates since its last reset
        self.info: dict = {}
        self.shown_rank = 0
        self.last_news = time.monotonic()
        self.polls = 0
        window.installEventFilter(self)

    # ----- opening ---------------------------------------------------------------------------------------
    def choose_run(self) -> None:
        start = str(self.window.settings.value(LAST_FOLDER_KEY, "") or Path.home())
        folder = QFileDialog.getExistingDirectory(self.window, self.tr("Open run"), start)
        if folder:
            self.window.settings.setValue(LAST_FOLDER_KEY, folder)
            self.open_run(folder)

    def open_run(self, run_dir: str) -> None:
        self.close_run()
        self._create_docks()
        self.run_dir = str(run_dir)
        self.history, self.info, self.shown_rank, self.polls = {}, {}, 0, 0
        self.dock.set_run(self.run_dir)
        self.dock.set_problems([])
        self.plots.start_run()
        self.plots.sampling_label.setText(self.tr("Reading {0}...").format(self.run_dir))
        self.dock.show()
        self.plots.show()
        self.dock.raise_()
        self.plots.raise_()
        self.last_news = time.monotonic()
        self.poller = RunPoller(self.run_dir, self)
        self.poller.polled.connect(self._on_poller_polled)
        self.poller.failed.connect(self._on_poller_failed)
        self.poller.start()

    def _create_docks(self) -> None:
        if self.dock is not None:
            return
        w = self.window
        self.dock = RunDock(w)
        self.dock.rank_chosen.connect(self.show_rank)
        self.plots = TrainingPlotsDock(w)
        self.plots.setObjectName("RunPlotsDock")
        self.plots.setWindowTitle(self.tr("Run curves"))
        self.plots.accuracy_note.setText(self.tr("watcher.log(accuracy=...) draws the accuracy here"))
        w.tabifyDockWidget(w.model_dock, self.dock)
        w.tabifyDockWidget(w.training_plots_dock, self.plots)
        w.view_menu.insertAction(w.view_menu.actions()[0], self.plots.toggleViewAction())
        w.view_menu.insertAction(w.view_menu.actions()[0], self.dock.toggleViewAction())

    def close_run(self) -> None:
        if self.poller is not None:
            self.poller.stop()
            self.poller.deleteLater()
            self.poller = None

    # ----- following ---------------------------------------------------------------------------------------
    def _on_poller_polled(self, updates, info, problems) -> None:
        self.polls += 1
        self.info = info
        ranks = sorted(info)
        if ranks and self.shown_rank not in info:
            self.shown_rank = 0 if 0 in info else ranks[0]
        for u in updates:
            history = self.history.setdefault(u.rank, [])
            if u.reset:
                history.clear()
            history.append(u.update)
            self.dock.add_rank_update(u.rank, u.update, u.reset)
            if u.update.metrics:
                self.last_news = time.monotonic()
            if u.rank == self.shown_rank:
                if u.reset:
                    self._start_plots()
                self.plots.add_update(u.update)
        self.dock.set_ranks(ranks, self.shown_rank)
        self.dock.set_problems(problems)
        shown = info.get(self.shown_rank)
        if shown is not None:
            self.dock.set_model(shown.model_text, shown.param_names, shown.param_shapes)
        self.dock.set_status(self._status_text(ranks))
        if updates:
            self.plots.finish()
            self.dock.redraw()
        self._say_sampling()

    def _on_poller_failed(self, message: str) -> None:
        self.dock.set_problems([message])
        self.dock.set_status(self.tr("The run cannot be read."))

    def show_rank(self, rank: int) -> None:
        """Draw another rank's records in the Run curves panel."""
        if rank == self.shown_rank or rank not in self.info:
            return
        self.shown_rank = rank
        self._start_plots()
        for update in self.history.get(rank, []):
            self.plots.add_update(update)
        self.plots.finish()
        self._say_sampling()
        info = self.info[rank]
        self.dock.set_model(info.model_text, info.param_names, info.param_shapes)

    def _start_plots(self) -> None:
        self.plots.start_run()
        info = self.info.get(self.shown_rank)
        if info is not None:
            self.plots.set_param_names(info.param_names)

    def _status_text(self, ranks: list[int]) -> str:
        if not ranks:
            return self.tr("No rank file (rank-*.sqlite) yet; waiting for the run to start.")
        world = max(i.world_size for i in self.info.values())
        last = {r: (self.history[r][-1].step if self.history.get(r) else 0) for r in ranks}
        steps = ", ".join(self.tr("rank {0} at step {1:,}").format(r, last[r]) for r in ranks)
        text = self.tr("{0} of {1} rank(s): {2}.").format(len(ranks), world, steps)
        quiet = time.monotonic() - self.last_news
        if quiet >= QUIET_S:
            text += " " + self.tr("No new records for {0:.0f} s: the run has finished or is paused.").format(quiet)
        else:
            text += " " + self.tr("Following the run as it is written.")
        return text

    def _say_sampling(self) -> None:
        counts = self.plots.counts
        if counts["steps"]:
            self.plots.sampling_label.setText(self.tr(
                "Rank {0}: {1:,} steps read; gradient norms on {2:,} of them, histograms, update ratios and dead "
                "ReLUs on {3:,} (as often as the watcher's time share allowed).").format(
                self.shown_rank, counts["steps"], counts["norms"], counts["diagnostics"]))

    def eventFilter(self, watched, event) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Close:
            self.close_run()  # the poller's thread must end before the window's objects go
        return False
