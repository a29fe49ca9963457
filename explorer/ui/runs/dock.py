"""The Run panel: which run is open, its ranks (one chosen for the curves panel), every rank's loss and
gradient norm overlaid (a rank that diverges or falls out of step shows at once), the model's structure and
parameters as the run recorded them, and the store's problems in words."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

RANK_COLOURS = ((31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40), (148, 103, 189), (140, 86, 75),
                (227, 119, 194), (127, 127, 127), (188, 189, 34), (23, 190, 207))
WARNING_STYLE = "QLabel { background: #fdecea; border: 1px solid #e0a09a; border-radius: 3px; padding: 4px; }"


class RankOverlay(pg.PlotWidget):
    """One quantity over steps, one curve per rank."""

    def __init__(self, title: str, y_label: str, log_y: bool, parent=None):
        super().__init__(parent)
        item = self.getPlotItem()
        item.setTitle(title, size="10pt")
        item.setLabel("bottom", self.tr("step"))
        item.setLabel("left", y_label)
        item.setLogMode(y=log_y)
        for axis in ("left", "bottom"):
            item.getAxis(axis).enableAutoSIPrefix(False)
        self.legend = item.addLegend(offset=(-4, 4), labelTextSize="8pt")
        self.log_y = log_y
        self.curves: dict[int, pg.PlotDataItem] = {}
        self.data: dict[int, tuple[list[float], list[float]]] = {}
        self.setMinimumSize(220, 140)

    def add(self, rank: int, steps, values, label: str) -> None:
        if rank not in self.curves:
            # Rank 0 wide and the others thin on top: equal curves (DDP's averaged gradients) stay visible.
            pen = pg.mkPen(RANK_COLOURS[rank % len(RANK_COLOURS)], width=4 if rank == 0 else 1)
            self.curves[rank] = self.getPlotItem().plot([], [], pen=pen, name=label)
            self.curves[rank].setDownsampling(auto=True, method="peak")
            self.curves[rank].setClipToView(True)
            self.data[rank] = ([], [])
        xs, ys = self.data[rank]
        for x, y in zip(steps, values):
            if math.isfinite(y) and (y > 0 or not self.log_y):
                xs.append(x)
                ys.append(y)

    def reset(self, rank: int) -> None:
        if rank in self.data:
            self.data[rank] = ([], [])

    def redraw(self) -> None:
        for rank, curve in self.curves.items():
            xs, ys = self.data[rank]
            curve.setData(np.array(xs, dtype=np.float64), np.array(ys, dtype=np.float64))


class RunDock(QDockWidget):
    rank_chosen = Signal(int)

    def __init__(self, parent=None):
        super().__init__(self.tr("Run"), parent)
        self.setObjectName("RunDock")
        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 4, 6, 4)
        self.title = QLabel(self.tr("No run open. File > Open run... picks a folder written by explorer.watch."), body)
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.title)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Curves panel shows"), body))
        self.rank_box = QComboBox(body)
        self.rank_box.setObjectName("RunRankBox")
        self.rank_box.setToolTip(self.tr("The rank whose records the Run curves panel draws; the plots below "
                                         "overlay every rank"))
        self.rank_box.activated.connect(lambda i: self.rank_chosen.emit(int(self.rank_box.itemData(i))))
        row.addWidget(self.rank_box, 1)
        layout.addLayout(row)
        self.status = QLabel(" ", body)
        self.status.setObjectName("RunStatus")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.problems = QLabel(body)
        self.problems.setObjectName("RunProblems")
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet(WARNING_STYLE)
        self.problems.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problems.hide()
        layout.addWidget(self.problems)
        splitter = QSplitter(Qt.Orientation.Vertical, body)
        self.loss_overlay = RankOverlay(self.tr("Loss, every rank"), self.tr("loss"), log_y=False)
        self.norm_overlay = RankOverlay(self.tr("Gradient norm (all parameters), every rank"), "\u2016grad\u2016",
                                        log_y=True)
        self.loss_overlay.setToolTip(self.tr("Each rank trains on its own batches: losses differ a little, and a "
                                             "rank whose loss runs away from the others is diverging"))
        self.norm_overlay.setToolTip(self.tr("After DistributedDataParallel averages the gradients, every rank's "
                                             "norm is the same: curves that part mean ranks out of step"))
        self.model_text = QPlainTextEdit(body)
        self.model_text.setObjectName("RunModelText")
        self.model_text.setReadOnly(True)
        self.model_text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        for widget in (self.loss_overlay, self.norm_overlay, self.model_text):
            splitter.addWidget(widget)
        layout.addWidget(splitter, 1)
        self.setWidget(body)

    def set_run(self, run_dir: str) -> None:
        self.title.setText(self.tr("Run {0}").format(run_dir))
        self.rank_box.clear()
        self.status.setText(self.tr("Reading..."))
        for overlay in (self.loss_overlay, self.norm_overlay):
            overlay.getPlotItem().clear()
            overlay.legend.clear()
            overlay.curves.clear()
            overlay.data.clear()

    def set_ranks(self, ranks: list[int], shown: int) -> None:
        if [self.rank_box.itemData(i) for i in range(self.rank_box.count())] != ranks:
            self.rank_box.clear()
            for rank in ranks:
                self.rank_box.addItem(self.tr("rank {0}").format(rank), rank)
        self.rank_box.setCurrentIndex(max(0, self.rank_box.findData(shown)))

    def add_rank_update(self, rank: int, update, reset: bool) -> None:
        if reset:
            self.loss_overlay.reset(rank)
            self.norm_overlay.reset(rank)
        label = self.tr("rank {0}").format(rank)
        metrics = update.metrics
        self.loss_overlay.add(rank, [m.step for m in metrics], [m.loss for m in metrics], label)
        normed = [m for m in metrics if m.grad_norms]
        total = [math.sqrt(sum(n * n for n in m.grad_norms)) for m in normed]
        self.norm_overlay.add(rank, [m.step for m in normed], total, label)

    def redraw(self) -> None:
        self.loss_overlay.redraw()
        self.norm_overlay.redraw()

    def set_model(self, text: str, names, shapes) -> None:
        lines = [text, "", self.tr("Parameters:")]
        lines += [f"  {n}  {tuple(s)}" for n, s in zip(names, shapes)]
        if self.model_text.toPlainText() != "\n".join(lines):
            self.model_text.setPlainText("\n".join(lines))

    def set_status(self, text: str) -> None:
        self.status.setText(text)

    def set_problems(self, problems: list[str]) -> None:
        self.problems.setText("\n".join(problems))
        self.problems.setVisible(bool(problems))
