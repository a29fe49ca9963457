"""The Guided tutorial dock: walks through the tutorial page's cells, running each one in the app.

It drives the engine only through the moves every toolbar button uses, so the user may wander off with the
toolbar and come back: "Run this step" brings the app back to the cell's result from wherever it is.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDockWidget, QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QScrollArea, QVBoxLayout, QWidget,
)

from explorer.core.chain_rule.explanation import NodeExplanation
from explorer.core.moves import Move
from explorer.core.snapshot import GraphPicture, Inspection, ModelInfo, SessionSnapshot
from explorer.core.walk.cells import CellRun
from explorer.ui.tutorial.steps import TUTORIAL_CONFIG, TutorialStep, prelude_code, tutorial_steps
from explorer.core.wording import dims
from explorer.ui.phrases import status_text


def grad_fn_chain(graph: GraphPicture | None, length: int = 3) -> list[str]:
    """Node ids of loss.grad_fn, then next_functions towards the input, following non-leaf nodes."""
    if graph is None:
        return []
    targets = {v for _, v in graph.edges}
    roots = [n for n in graph.node_ids if n not in targets]
    if not roots:
        return []
    chain = [roots[0]]
    while len(chain) < length:
        nexts = [v for u, v in graph.edges if u == chain[-1] and graph.attrs[v].get("cls") != "AccumulateGrad"]
        if not nexts:
            break
        chain.append(nexts[0])
    return chain


def fc3_addmm(graph: GraphPicture | None) -> str | None:
    """The node of fc3's Linear (the tutorial's last layer), None before a graph exists."""
    if graph is None:
        return None
    return next((n for n in graph.node_ids if graph.attrs[n].get("cls") == "AddmmBackward0"
                 and graph.attrs[n].get("module") == "fc3"), None)


def _bracketed(value: float) -> str:
    return f"({value:.4g})" if value < 0 else f"{value:.4g}"


def _numbers(values: np.ndarray, limit: int = 10) -> str:
    flat = values.reshape(-1)
    text = ", ".join(f"{v:.4f}" for v in flat[:limit])
    return f"[{text}{', ...' if flat.size > limit else ''}]"


class TutorialDock(QDockWidget):
    move_requested = Signal(str)
    reconfigure_requested = Signal(dict)
    inspect_requested = Signal(str, str)
    panel_requested = Signal(str)  # object name of the dock to bring forward
    nodes_highlighted = Signal(list)  # graph node ids of the grad_fn chain
    # (token, fn): run fn(session) on the engine thread, in order with the moves; the answer comes to on_synced.
    # A step sends two: the copy of the model its cell runs on, before its moves, and the cell itself after them.
    task_requested = Signal(str, object)
    step_started = Signal()  # before a step's requests go out (the window pauses training: the step needs the engine)
    explain_requested = Signal(str, object, object, bool)  # node id, slot, index, numeric (the chain rule step)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(self.tr("Guided tutorial"), parent)
        self.setObjectName("TutorialDock")
        self.steps: tuple[TutorialStep, ...] = tutorial_steps()
        self.index = 0
        self.snapshot: SessionSnapshot | None = None
        self.model_info: ModelInfo | None = None
        self.inspection: Inspection | None = None
        self.explanation: NodeExplanation | None = None  # the chain rule step's worked element
        self._config: dict = {}
        self._awaiting_chain = False  # the grad_fn step highlights the chain once the graph has arrived
        self.started = False  # whether any step has been run (opening the dock runs the first one)
        self._sync_token = ""  # results show only once the engine has answered the last run's moves
        self._runs = 0
        self.printed = ""  # what the step's cell printed when the engine ran it on the app's model
        body = QWidget(self)
        layout = QVBoxLayout(body)
        self.progress_label = QLabel(body)
        self.title_label = QLabel(body)
        title_font = QFont(self.title_label.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 1.3)
        title_font.setBold(True)
        self.title_label.setFont(title_font)
        self.title_label.setWordWrap(True)
        self.explanation_label = QLabel(body)
        self.explanation_label.setWordWrap(True)
        self.explanation_label.setTextFormat(Qt.TextFormat.RichText)
        self.code_view = QPlainTextEdit(body)
        self.code_view.setReadOnly(True)
        mono = QFont("monospace")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        self.code_view.setFont(mono)
        self.code_view.setMaximumHeight(190)
        self.result_label = QLabel(body)
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result_label.setStyleSheet("background: #f1f8e9; border: 1px solid #aed581; padding: 6px;")
        self.printed_view = QPlainTextEdit(body)
        self.printed_view.setObjectName("CellOutput")
        self.printed_view.setReadOnly(True)
        self.printed_view.setFont(mono)
        self.printed_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.printed_view.setMaximumHeight(150)
        self.run_button = QPushButton(self.tr("Run this step"), body)
        self.run_button.setToolTip(self.tr("Run the code above in the app (from wherever the step stands now)"))
        self.show_button = QPushButton(self.tr("Show me"), body)
        self.show_button.setToolTip(self.tr("Bring forward the panel that shows the result"))
        self.start_over_button = QPushButton(self.tr("Start over"), body)
        self.start_over_button.setToolTip(self.tr("Back to the first step"))
        self.start_over_button.clicked.connect(lambda: self.go(0))
        self.setup_label = QLabel(self.tr(
            "This walk follows the Chinese edition of the page: its Net has fc1 400→1200 (the English page has "
            "120) and its target is 1, 2, ..., 10 (the English page uses a random one). So the walk switches the "
            "data to <b>tutorial</b>: one random 1×32×32 input, that target, MSELoss and the plain update rule "
            "with lr 0.01."), body)
        self.setup_label.setWordWrap(True)
        self.setup_label.setStyleSheet("color: #555;")
        self.back_button = QPushButton(self.tr("< Back"), body)
        self.next_button = QPushButton(self.tr("Next >"), body)
        self.run_button.clicked.connect(self.run_step)
        self.show_button.clicked.connect(self._on_show_button_clicked)
        self.back_button.clicked.connect(lambda: self.go(self.index - 1))
        self.next_button.clicked.connect(lambda: self.go(self.index + 1))
        # two short rows: one long row was wider than a narrow panel, and Next went out of sight
        actions = QHBoxLayout()
        actions.addWidget(self.run_button)
        actions.addWidget(self.show_button)
        actions.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.start_over_button)
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.next_button)
        layout.addWidget(self.progress_label)
        layout.addWidget(self.title_label)
        layout.addWidget(self.explanation_label)
        layout.addWidget(QLabel(self.tr("In PyTorch:"), body))
        layout.addWidget(self.code_view)
        layout.addWidget(QLabel(self.tr("It prints (run just now on the app's model):"), body))
        layout.addWidget(self.printed_view)
        layout.addWidget(QLabel(self.tr("In this app, just now:"), body))
        layout.addWidget(self.result_label)
        layout.addLayout(actions)
        layout.addLayout(buttons)
        layout.addWidget(self.setup_label)
        layout.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # texts wrap instead
        self.setMinimumWidth(380)
        scroll.setWidget(body)
        self.setWidget(scroll)
        self._show_step()

    # ----- navigation --------------------------------------------------------------------------------
    @property
    def step(self) -> TutorialStep:
        return self.steps[self.index]

    def go(self, index: int) -> None:
        """Move to a step and run it, as a reader turning the page and running the cell."""
        if 0 <= index < len(self.steps):
            self.index = index
            self._show_step()
            self.run_step()

    def show_step(self, index: int, *, started: bool = False) -> None:
        """Show a step without running it (a rebuilt window picks up where the old one was)."""
        self.index = max(0, min(index, len(self.steps) - 1))
        self.started = started
        self._show_step()

    def run_step(self) -> None:
        self.step_started.emit()
        self.started = True
        self._runs += 1
        self._sync_token = f"tutorial-step-{self._runs}"
        self.inspection = None  # an older inspection must not pass for this step's result
        self.printed = ""
        self.explanation = None
        self._update_result()
        changes = {k: v for k, v in TUTORIAL_CONFIG.items() if self._config.get(k) != v}
        if changes:
            self.reconfigure_requested.emit(changes)
        cell = CellRun(self.step.code, prelude_code(self.step))
        if self.snapshot is not None and self.snapshot.phase == "backward" and not changes:
            # A backward the user is stepping through ends visibly (every node ticked) before the step moves on:
            # the session refuses a new batch in the middle of one.
            self.move_requested.emit(Move.RUN_BACKWARD)
        self.task_requested.emit(f"{self._sync_token}-copy", cell.take)  # the model as the step begins
        for move in self.step.moves:
            self.move_requested.emit(move)
        if self.step.inspect is not None:
            self.inspect_requested.emit(*self.step.inspect)
        self.panel_requested.emit(self.step.panel)
        self._awaiting_chain = self.step.key == "grad_fn"
        self.task_requested.emit(self._sync_token, cell.run)

    def on_synced(self, token: str, result=None) -> None:
        """The engine has run every move of the step and then its cell: `result` is what the cell printed
        (or, from task_failed, why it could not run); what arrives now is this step's result."""
        if token == self._sync_token:
            self._sync_token = ""
            self.printed = result if isinstance(result, str) else ""
            if self.step.key == "chain_rule":
                self._open_chain_rule()
            self._update_result()

    def _open_chain_rule(self) -> None:
        """Open the Inspector on fc3's AddmmBackward0 and work the largest element of dL/dx (its slot 1: mat1)."""
        graph = self.snapshot.graph if self.snapshot is not None else None
        node = fc3_addmm(graph)
        if node is not None:
            self.inspect_requested.emit("node", node)
            self.explain_requested.emit(node, 1, None, True)

    def set_explanation(self, explanation: NodeExplanation) -> None:
        graph = self.snapshot.graph if self.snapshot is not None else None
        if self.step.key == "chain_rule" and explanation.node_id == fc3_addmm(graph) and explanation.worked is not None \
                and explanation.worked.slot == 1:
            self.explanation = explanation
            self._update_result()

    def _show_step(self) -> None:
        s = self.step
        self.progress_label.setText(self.tr("Step {0} of {1}").format(self.index + 1, len(self.steps)))
        self.title_label.setText(s.title)
        self.explanation_label.setText(s.explanation)
        self.code_view.setPlainText(s.code)
        self.back_button.setEnabled(self.index > 0)
        self.start_over_button.setVisible(self.index > 0)
        self.next_button.setEnabled(self.index < len(self.steps) - 1)
        self._update_result()

    def _on_show_button_clicked(self) -> None:
        self.panel_requested.emit(self.step.panel)

    # ----- what the app computed ---------------------------------------------------------------------
    def set_snapshot(self, snapshot: SessionSnapshot) -> None:
        self.snapshot = snapshot
        self._config = dict(snapshot.config)
        if self._awaiting_chain and snapshot.graph is not None:
            chain = grad_fn_chain(snapshot.graph)
            if chain:
                self._awaiting_chain = False
                self.nodes_highlighted.emit(chain)
        self._update_result()

    def set_model_info(self, info: ModelInfo) -> None:
        self.model_info = info
        self._update_result()

    def set_inspection(self, inspection: Inspection) -> None:
        """Keep only what this step asked for: the inspector's own re-reads (whenever the weights change) are
        answered on the same signal, and may arrive after the step's own."""
        if self.step.inspect is None or tuple(inspection.target) != tuple(self.step.inspect):
            return
        self.inspection = inspection
        self._update_result()

    def _update_result(self) -> None:
        self.result_label.setText(self.result_text() or self.tr("Press <b>Run this step</b>."))
        self.printed_view.setPlainText(self.printed)

    def result_text(self) -> str:
        """The cell's output, from the app's own numbers (empty until they have arrived)."""
        if self._sync_token:
            return ""  # the step's moves are still running
        key, snap, info = self.step.key, self.snapshot, self.model_info
        if key in ("define", "parameters") and info is not None:
            first = dims(info.param_shapes[0]) if info.param_shapes else "-"
            return self.tr("{0}: {1} parameter tensors, {2} numbers; params[0] ({3}) is {4}").format(
                info.class_name, len(info.param_names), f"{info.total_params:,}",
                info.param_names[0] if info.param_names else "-", first)
        if snap is None:
            return ""
        if key == "forward" and snap.prediction is not None:
            return status_text(snap.prediction)
        if key == "backward_random" and snap.backward_total and snap.graph is not None and snap.graph.root == "output":
            return self.tr("backward ran {0} autograd nodes, from the output to every parameter").format(
                snap.backward_total)
        if key == "mini_batch":
            shape = dims(snap.input.stats.shape)
            return self.tr("one sample: {0}; the batch the network sees: 1×{0}").format(shape)
        if key == "loss" and snap.loss is not None:
            return self.tr("loss = {0:.4f}").format(snap.loss)
        if key == "grad_fn" and snap.graph is not None:
            chain = grad_fn_chain(snap.graph)
            return " → ".join(self._node_text(snap.graph, n) for n in chain)
        if key in ("grad_before", "grad_after", "update"):
            return self._bias_text()
        if key == "chain_rule":
            return self._chain_rule_text()
        return ""

    def _chain_rule_text(self) -> str:
        e = self.explanation
        if e is None or e.worked is None:
            return ""
        w = e.worked
        i = w.index[-1]
        terms = " + ".join(f"{_bracketed(t.grad)} × {_bracketed(t.factor)}" for t in w.terms)
        if w.rest_count:
            terms += " + " + self.tr("(the other {0} terms: {1})").format(w.rest_count, _bracketed(w.rest_sum))
        text = f"dL/dx[0, {i}] = Σⱼ dL/dy[0, j] · W[j, {i}] = {terms} = {w.total:.6g}<br>"
        text += self.tr("autograd: {0:.6g}").format(w.autograd)
        if e.numeric is not None:
            text += "<br>" + self.tr("numeric check (L(x+ε) − L(x−ε)) / 2ε = {0:.6g}, relative error {1:.2g}").format(
                e.numeric.value, e.numeric.relative)
        return text

    @staticmethod
    def _node_text(graph: GraphPicture, node_id: str) -> str:
        attrs = graph.attrs[node_id]
        module = attrs.get("module")
        return attrs.get("cls", "?") + (f" ({module or 'forward'})" if module is not None else "")

    def _bias_text(self) -> str:
        ins = self.inspection
        if ins is None or ins.target != ("param", "conv1.bias") or len(ins.views) < 2:
            return ""
        grad = ins.views[1]
        text = self.tr("conv1.bias.grad = {0}").format("None" if grad is None else _numbers(grad.values))
        if self.step.key == "update" and len(ins.views) >= 4 and ins.views[3] is not None:
            text += "<br>" + self.tr("change of conv1.bias = {0}").format(_numbers(ins.views[3].values))
        return text


def connect_tutorial(dock: TutorialDock, host) -> None:
    """Wire the dock to an EngineHost: its requests go to the engine, the engine's answers come back."""
    dock.move_requested.connect(host.move)
    dock.reconfigure_requested.connect(lambda changes: host.reconfigure(**changes))
    dock.inspect_requested.connect(host.inspect)
    host.engine.snapshot_ready.connect(dock.set_snapshot)
    host.engine.model_changed.connect(dock.set_model_info)
    host.engine.inspected.connect(dock.set_inspection)
    dock.task_requested.connect(host.run_task)
    dock.explain_requested.connect(host.explain_requested)
    host.explainer.explained.connect(dock.set_explanation)
    host.engine.task_finished.connect(dock.on_synced)
    host.engine.task_failed.connect(dock.on_synced)
