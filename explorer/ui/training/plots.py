"""The Training curves panel: live plots of a run, drawn from batched metrics by a timer, never per step.

The engine sends a TrainingUpdate about every 250 ms with all the steps since the last one. Appending only
stores numbers; a timer draws the changed plots that are on screen, one per tick, at most 10 ticks a second
and fewer when drawing is slow (explorer.ui.training.drawing_pace), so watching costs the training only a
few percent.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QGridLayout, QLabel, QWidget

from explorer.core.training.runs import from_plain, to_plain
from explorer.core.training.schedule import BudgetSchedule
from explorer.core.training.smoothing import Ema
from explorer.core.training.messages import TrainingUpdate
from explorer.ui.training.curve_plot import CurvePlot
from explorer.ui.training.drawing_pace import DrawingPace
from explorer.ui.training.histogram_plot import HistogramPlot
from explorer.ui.training.plot_ranges import nice_ceiling
from explorer.ui.training import run_overlays
from explorer.ui.training.runs_list import RunsList, run_colour
from explorer.ui.training.series_list import SeriesList
from explorer.ui.training.series_style import TAB10, series_pens

SMOOTHING = 0.9
GOOD_RATIO = 1e-3  # cs231n's rule of thumb for ||dw|| / ||w|| per update
LOSS_LOG_SPAN = 100.0  # a run's loss spanning this factor (two decades) puts the loss axis on a log scale


# The diagnostics a sampled step measures, as counted in TrainingPlotsDock.counts (gradient norms are "norms").
DIAGNOSTIC_COUNTS = ("update_ratios", "dead_units", "gradient_histograms", "activation_histograms")
SHARES = BudgetSchedule().shares  # the time shares the engine's runs give each optional work, for the texts


def percent(share: float) -> str:
    return f"{share:.1%}"


class TrainingPlotsDock(QDockWidget):
    def __init__(self, parent=None):
        super().__init__(self.tr("Training curves"), parent)
        self.setObjectName("TrainingPlotsDock")
        self.param_names: tuple[str, ...] = ()
        self.run_info: dict = {}  # what the live run trains, for the runs list
        self.total = 0  # the step the run trains up to
        self._ema = Ema(SMOOTHING)
        self._loss_span = (math.inf, 0.0)  # the smallest positive and the largest loss of this run
        self._epoch = 0
        self._epoch_correct = 0.0
        self._epoch_batches = 0
        # Of this run's steps: how many measured each diagnostic (the sampling note, bench/training.py).
        self.counts = dict.fromkeys(("steps", "norms", "diagnostics", *DIAGNOSTIC_COUNTS), 0)
        self.create_plots()
        self.create_layout()
        self.pace = DrawingPace(self.drawables, self._x_end, self._note_sampling, self)
        self.visibilityChanged.connect(self._on_visibility_changed)

    # ----- construction ------------------------------------------------------------------------------
    def create_plots(self) -> None:
        self.loss_plot = CurvePlot(self.tr("Loss"), self.tr("loss"), legend="top right")
        self.loss_plot.set_series([self.tr("per step"), self.tr("smoothed")],
                                  [pg.mkPen(170, 190, 225, width=1), pg.mkPen(TAB10[0], width=2)])
        # 0 to 1 always, with room above 1: an axis zoomed to 0.985..1.0 put the test line under the legend
        self.accuracy_plot = CurvePlot(self.tr("Accuracy"), self.tr("accuracy"), legend="bottom right", skip_gaps=True, antialias=True,
                                       capacity=4096, fixed_y=(0.0, 1.02))
        self.accuracy_plot.set_series([self.tr("train (epoch mean)"), self.tr("test")],
                                      [pg.mkPen(TAB10[0], width=2), pg.mkPen(TAB10[1], width=2)])
        for curve in self.accuracy_plot.curves:
            curve.setSymbol("o")
            curve.setSymbolSize(5)
            curve.setSymbolBrush(curve.opts["pen"].color())
            curve.setSymbolPen(None)
        self.accuracy_note = self._note(self.accuracy_plot, self.tr("accuracy needs a classification data set"))
        self.relu_plot = CurvePlot(self.tr("Dead ReLU units"), self.tr("fraction dead"), legend="top right",
                                   capacity=4096, fixed_y=(0.0, 1.02), mark_sparse=True)  # a fraction: 0 to 1
        self.relu_note = self._note(self.relu_plot, self.tr("no ReLU seen in this model"))
        self.norm_plot = CurvePlot(self.tr("Gradient norm per parameter"), "\u2016grad\u2016", log_y=True,
                                   mark_sparse=True)
        self.ratio_plot = CurvePlot(self.tr("Update / weight per step"), "\u2016\u0394w\u2016 / \u2016w\u2016",
                                    log_y=True, capacity=4096, mark_sparse=True)
        band = pg.LinearRegionItem(values=(math.log10(GOOD_RATIO) - 0.5, math.log10(GOOD_RATIO) + 0.5),
                                   orientation="horizontal", movable=False, brush=pg.mkBrush(60, 170, 80, 35),
                                   pen=pg.mkPen(None))
        band.setZValue(-10)
        self.ratio_plot.addItem(band)
        line = pg.InfiniteLine(pos=math.log10(GOOD_RATIO), angle=0, pen=pg.mkPen(60, 140, 70, width=1, style=Qt.PenStyle.DashLine),
                               label="1e-3", labelOpts={"position": 0.98, "color": (60, 120, 70), "anchors": [(1, 1), (1, 1)]})
        self.ratio_plot.addItem(line)
        self.runs_list = RunsList(self)
        self.runs_list.current_run = self.current_run
        self.runs_list.changed.connect(self._on_runs_changed)
        self.series_list = SeriesList(self)
        self.series_list.visibility_changed.connect(self._on_series_list_visibility_changed)
        self.gradient_histograms = HistogramPlot(self.tr("Gradients over time"), self.tr("gradient value"))
        self.activation_histograms = HistogramPlot(self.tr("Activations over time"), self.tr("activation value"))
        self.plots = (self.loss_plot, self.accuracy_plot, self.relu_plot, self.norm_plot, self.ratio_plot)
        self.drawables = (self.loss_plot, self.norm_plot, self.accuracy_plot, self.ratio_plot, self.relu_plot,
                          self.gradient_histograms, self.activation_histograms)
        self._explain()

    def _note(self, plot: CurvePlot, text: str) -> pg.TextItem:
        note = pg.TextItem(text, color=(120, 120, 120), anchor=(0.5, 0.5))
        note.setParentItem(plot.getPlotItem().getViewBox())
        note.setVisible(False)
        plot.getPlotItem().getViewBox().sigResized.connect(
            lambda vb, n=note: n.setPos(vb.width() / 2, vb.height() / 2))
        return note

    def _explain(self) -> None:
        self.loss_plot.setToolTip(self.tr("The loss of every step's batch (light) and its exponential moving "
                                          "average (dark). It should fall; on the tutorial's data it falls toward 0."))
        self.accuracy_plot.setToolTip(self.tr("Train: the mean accuracy of the batches measured in each epoch. Test: "
                                              "the whole test split, at epoch ends (as many as {0} of the time "
                                              "allows) and at the end of the run.").format(percent(SHARES["test"])))
        self.relu_plot.setToolTip(self.tr("For each ReLU, the share of its units that output 0 for every sample "
                                          "of a sampled batch. Units that stay dead stop learning."))
        self.norm_plot.setToolTip(self.tr("The L2 norm of each parameter's gradient (log scale). Tick parameters "
                                          "in the list to show or hide them."))
        self.ratio_plot.setToolTip(self.tr("How far one update moved each parameter, relative to its size. The "
                                           "green band around 1e-3 is the usual healthy range (cs231n); far above "
                                           "it the learning rate is too high, far below too low."))

    def create_layout(self) -> None:
        body = QWidget(self)
        grid = QGridLayout(body)
        grid.setContentsMargins(4, 4, 4, 4)
        grid.setSpacing(6)
        grid.addWidget(self.loss_plot, 0, 0)
        grid.addWidget(self.accuracy_plot, 0, 1)
        grid.addWidget(self.relu_plot, 0, 2)
        grid.addWidget(self.norm_plot, 1, 0)
        grid.addWidget(self.ratio_plot, 1, 1)
        grid.addWidget(self.series_list, 1, 2)
        grid.addWidget(self.runs_list, 2, 2)
        grid.addWidget(self.gradient_histograms, 2, 0)
        grid.addWidget(self.activation_histograms, 2, 1)
        self.sampling_label = QLabel(self.tr("Press Train (F5) to start."), body)
        self.sampling_label.setWordWrap(True)
        # Room for three lines from the start: a note that grew a line while training would re-lay out the grid
        # and repaint every plot.
        self.sampling_label.setMinimumHeight(3 * self.sampling_label.fontMetrics().lineSpacing() + 4)
        self.sampling_label.setStyleSheet("color: #555;")
        grid.addWidget(self.sampling_label, 3, 0, 1, 3)
        for column, stretch in enumerate((4, 4, 3)):
            grid.setColumnStretch(column, stretch)
        for row in range(3):
            grid.setRowStretch(row, 1)
        self.setWidget(body)

    # ----- data --------------------------------------------------------------------------------------
    def set_param_names(self, names) -> None:
        """The model's parameters, in named_parameters() order: one curve each for norms and update ratios."""
        names = tuple(names)
        if names == self.param_names:
            return
        self.param_names = names
        pens = series_pens(names)
        self.norm_plot.set_series(names, pens)
        self.ratio_plot.set_series(names, pens)
        self.series_list.set_series(names, pens)

    def start_run(self, info: dict | None = None) -> None:
        """A new run: the last one is kept in the runs list (its curves, for comparing), every plot starts
        empty. `info`: what the new run trains (model, data, optimizer, hyperparameters, start_step)."""
        previous = self.current_run()
        self.run_info = dict(info or {})
        for plot in self.plots:
            plot.clear_data()
        self.relu_plot.set_series((), [])
        self.gradient_histograms.clear()
        self.activation_histograms.clear()
        self._ema = Ema(SMOOTHING)
        self._loss_span = (math.inf, 0.0)
        self.loss_plot.set_log_y(False)
        self._epoch, self._epoch_correct, self._epoch_batches = 0, 0.0, 0
        self.counts = dict.fromkeys(self.counts, 0)
        self.total = 0
        self.accuracy_note.setVisible(False)
        self.accuracy_plot.legend.setVisible(True)
        self.relu_note.setVisible(False)
        if previous is not None:
            self.runs_list.add(previous)  # overlaid from now on (and its loss may set the loss axis to log)
        self.redraw()

    def current_run(self):
        """The run on show as a KeptRun (explorer.core.training.runs), or None before its first step."""
        plots = {"loss": self.loss_plot, "accuracy": self.accuracy_plot, "grad_norm": self.norm_plot,
                 "update_ratio": self.ratio_plot, "dead_relu": self.relu_plot}
        return run_overlays.capture(self.run_info, plots)

    def add_run(self, run) -> None:
        """A run from elsewhere (a checkpoint's), kept in the list and overlaid."""
        self.runs_list.add(run)

    def current_run_plain(self) -> dict | None:
        """The live run's curves as plain data, for a checkpoint's metadata; None before any step."""
        run = self.current_run()
        return to_plain(run) if run is not None else None

    def add_run_plain(self, plain: object, path: str) -> None:
        """The run saved in the checkpoint at `path`: kept and overlaid, or a message when it does not read."""
        try:
            run = from_plain(plain)
        except ValueError as exc:
            self.runs_list.tell(self.tr("The run in the checkpoint cannot be shown"), f"{path}: {exc}")
            return
        stem = Path(path).stem
        run.name = f"{stem}: {run.name}" if run.name else stem
        self.add_run(run)

    def _on_runs_changed(self) -> None:
        shown = self.runs_list.book.visible()
        for run in shown:  # a compared run's spike must not flatten the live run either
            if "loss" in run.curves:
                self._choose_loss_scale(run.curves["loss"].y.reshape(-1))
        self.loss_plot.set_overlays(run_overlays.overlays(shown, "loss", "smoothed", run_colour))
        self.accuracy_plot.set_overlays(run_overlays.overlays(shown, "accuracy", "test", run_colour))
        self.redraw()

    def add_update(self, update: TrainingUpdate) -> None:
        metrics = update.metrics
        if not metrics:
            return
        self.total = update.total
        steps = np.fromiter((m.step for m in metrics), np.float64, len(metrics))
        loss = np.fromiter((m.loss for m in metrics), np.float64, len(metrics))
        self.loss_plot.append(steps, np.stack([loss, self._ema.update(loss)], axis=1))
        self._choose_loss_scale(loss)
        normed = [m for m in metrics if m.grad_norms]
        self.counts["steps"] += len(metrics)
        self.counts["norms"] += len(normed)
        if normed and len(normed[0].grad_norms) == len(self.param_names):
            self.norm_plot.append([m.step for m in normed], [m.grad_norms for m in normed])
        self._add_accuracy(metrics)
        for m in metrics:
            if m.diagnostics is not None:
                self._count_diagnostics(m.diagnostics)
                self._add_diagnostics(m.diagnostics)
        self.pace.changed()

    def _choose_loss_scale(self, loss: np.ndarray) -> None:
        """A loss that spans LOSS_LOG_SPAN or more (a first spike of 2,000 over a loss that ends near 0.01, or a
        loss that falls toward 0) goes on a log axis, where the rest of the run is not flattened into the floor."""
        positive = loss[np.isfinite(loss) & (loss > 0)]
        if not positive.size or self.loss_plot.log_y:
            return
        self._loss_span = (min(self._loss_span[0], float(positive.min())), max(self._loss_span[1], float(positive.max())))
        if self._loss_span[1] >= LOSS_LOG_SPAN * self._loss_span[0]:
            self.loss_plot.set_log_y(True)

    def _add_accuracy(self, metrics) -> None:
        """Train: the mean accuracy of the batches measured in each epoch; test: where the core measured it."""
        rows = []
        for m in metrics:
            if m.nonfinite is not None:
                continue
            if m.grad_norms and m.batch_accuracy is None:  # a step with statistics but no accuracy: regression
                self.accuracy_note.setVisible(True)
                self.accuracy_plot.legend.setVisible(False)
                return
            if m.batch_accuracy is not None:
                self._epoch_correct += m.batch_accuracy
                self._epoch_batches += 1
            train = math.nan
            if m.epoch > self._epoch:
                if self._epoch_batches:
                    train = self._epoch_correct / self._epoch_batches
                self._epoch, self._epoch_correct, self._epoch_batches = m.epoch, 0.0, 0
            test = m.test_accuracy if m.test_accuracy is not None else math.nan
            if not (math.isnan(train) and math.isnan(test)):
                rows.append((m.step, train, test))
        if rows:
            rows = np.array(rows)
            self.accuracy_plot.append(rows[:, 0], rows[:, 1:])

    def _count_diagnostics(self, d) -> None:
        self.counts["diagnostics"] += 1
        self.counts["update_ratios"] += d.update_ratios is not None
        self.counts["dead_units"] += bool(d.relu_names)
        self.counts["gradient_histograms"] += bool(d.gradients)
        self.counts["activation_histograms"] += bool(d.activations)

    def _add_diagnostics(self, d) -> None:
        if d.update_ratios is not None and len(d.update_ratios) == len(self.param_names):
            self.ratio_plot.append([d.step], [d.update_ratios])
        if d.relu_names != self.relu_plot.names:
            self.relu_plot.set_series(d.relu_names, series_pens(d.relu_names))
        self.relu_note.setVisible(not d.relu_names)
        if d.relu_names:
            self.relu_plot.append([d.step], [d.dead_relu])
        self.gradient_histograms.add(d.step, d.gradients)
        self.activation_histograms.add(d.step, d.activations)

    def show_sampling(self) -> None:
        """Say how often this run measured the optional statistics so far."""
        steps = self.counts["steps"]

        self.sampling_label.setText(self.tr(
            "Measured so far: gradient norms and batch accuracy on {0:,} of {2:,} steps; histograms, update ratios "
            "and dead ReLUs on {1:,}. Each is measured {3:g} times a second of training (on every step when steps "
            "are slower) while that takes at most {4} of the training time; where it would take more, less often."
        ).format(self.counts["norms"], self.counts["diagnostics"], steps, BudgetSchedule.RATE,
                 percent(BudgetSchedule.CEILING["diagnostics"])))

    # ----- drawing -----------------------------------------------------------------------------------
    def _x_end(self) -> float:
        """The shared step axis ends at the next 1-2-5 ceiling of the last step (at most the run's end)."""
        steps = self.loss_plot.buffer.x
        last = max(float(steps[-1]) if len(steps) else 1.0, run_overlays.step_extent(self.runs_list.book.visible()))
        return min(nice_ceiling(max(last, 10.0)), max(self.total, last)) if self.total else nice_ceiling(last)

    def redraw(self) -> None:
        """Draw every plot on screen that changed (a run paused or ended, or the panel came into view)."""
        x_end = self._x_end()
        for item in self.drawables:
            if item.isVisible():
                item.redraw(x_end)
        self._note_sampling()

    def add_test_point(self, step: int, accuracy: float) -> None:
        """A test accuracy measured outside the steps (when the run paused)."""
        self.accuracy_plot.append([step], [[math.nan, accuracy]])

    def finish(self) -> None:
        """The run paused or ended: the plots it left undrawn are drawn (one per turn of the event loop)."""
        self.pace.finish()

    def _note_sampling(self) -> None:
        if self.counts["steps"]:
            self.show_sampling()

    def _on_visibility_changed(self, visible: bool) -> None:
        if visible:  # plots skipped while hidden catch up, and a run going on is drawn again
            self.redraw()
            self.pace.shown()

    def _on_series_list_visibility_changed(self, name: str, visible: bool) -> None:
        self.norm_plot.set_series_visible(name, visible)
        self.ratio_plot.set_series_visible(name, visible)
