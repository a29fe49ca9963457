"""The Inspector's Chain rule view, clicked like a user: a backward node of a real pass, a cell of a gradient
picture picks the worked element, Check numerically shows the numeric check. The engine stands in here (it
answers synchronously from the session); test_chain_rule_window.py goes through the real engine thread."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import torch.nn as nn
from PySide6.QtCore import QPointF, Qt

from explorer.core.chain_rule.session_nodes import explain_session_node
from explorer.core.moves import Move
from explorer.core.session import SessionConfig, StepSession
from explorer.core.snapshot import Snapshotter, inspect, model_info
from explorer.ui.tensor.inspector_dock import InspectorDock

SHOTS = Path("/tmp/shots")


class Engine:
    """Answers the dock's inspect and explain requests from a session that has run forward, loss and backward."""

    def __init__(self, dock: InspectorDock, dataset: str = "digits"):
        self.session = StepSession(SessionConfig(dataset=dataset, batch_size=2))
        for move in (Move.RUN_FORWARD, Move.LOSS, Move.RUN_BACKWARD):
            self.session.apply(move)
        self.dock = dock
        self.explain_requests: list[tuple] = []
        dock.inspect_requested.connect(lambda kind, key: dock.set_inspection(inspect(self.session, kind, key)))
        dock.explain_requested.connect(self._on_dock_explain_requested)
        dock.set_model_info(model_info(self.session))
        dock.set_snapshot(Snapshotter(self.session).snapshot())

    def _on_dock_explain_requested(self, node_id, slot, index, numeric) -> None:
        self.explain_requests.append((node_id, slot, index, numeric))
        self.dock.set_explanation(explain_session_node(self.session, node_id, slot=slot, index=index, numeric=numeric))

    def node(self, cls: str, module: str | None = None) -> str:
        """The id of the first node backward ran of this class (and module, when given)."""
        return next(s.node_id for s in self.session.backward_steps if s.cls == cls and module in (None, s.module))

    def open(self, node_id: str) -> None:
        self.dock.expect("node", node_id)
        self.dock.inspect_requested.emit("node", node_id)


@pytest.fixture
def dock(show):
    return show(InspectorDock(), 1400, 460)


@pytest.fixture
def engine(dock):
    return Engine(dock)


def click_bar(qtbot, chart, i: int) -> None:
    qtbot.wait(20)  # the layout settles, so the view maps as it will when the click arrives
    y = float(chart.heights[i]) / 2
    qtbot.mouseClick(chart.viewport(), Qt.MouseButton.LeftButton,
                     pos=chart.mapFromScene(chart.plot.vb.mapViewToScene(QPointF(i, y))))


def click_cell(qtbot, plot, index: tuple[int, ...]) -> None:
    qtbot.wait(20)
    r, c = plot.mosaic_layout.cell_of(index)
    qtbot.mouseClick(plot.viewport(), Qt.MouseButton.LeftButton,
                     pos=plot.mapFromScene(plot.plot.vb.mapViewToScene(QPointF(c + 0.5, r + 0.5))))


def test_fc3_addmm_shows_its_rule_saved_tensors_and_the_largest_element(dock, engine):
    node = engine.node("AddmmBackward0", "fc3")
    engine.open(node)
    view = dock.chain_rule_view
    assert not view.isHidden()
    text = view.body_label.text()
    assert "dL/dx = dL/dy · mat2ᵀ = dL/dy · W" in text
    assert "_saved_mat1</code> [2, 84]" in text and "fc3.weightᵀ" in text
    assert "_sym_sizes" not in text  # torch's bookkeeping is left out
    worked = view.explanation.worked
    step = next(s for s in engine.session.backward_steps if s.node_id == node)
    grad = step.grad_out[worked.slot].detach().abs()
    assert float(grad[worked.index]) == pytest.approx(float(grad.max()))  # the largest by default
    assert f"autograd: {worked.autograd:.6g}" in view.worked_label.text()


def test_clicking_a_cell_of_dl_dx_works_that_element(qtbot, dock, engine):
    node = engine.node("AddmmBackward0", "fc3")
    engine.open(node)
    view = dock.chain_rule_view
    # columns: gradient in 0 (dL/dy), then out 0 (self = the bias), out 1 (mat1 = x), out 2 (mat2)
    n_in = len(view.explanation.gradients_in)
    widget = dock.columns[n_in + 1].tensor_widget
    image = widget.image_plot
    click_cell(qtbot, image, (1, 3))
    worked = view.explanation.worked
    assert engine.explain_requests[-1] == (node, 1, (1, 3), False)
    assert (worked.slot, worked.index) == (1, (1, 3))
    step = next(s for s in engine.session.backward_steps if s.node_id == node)
    assert worked.autograd == pytest.approx(float(step.grad_out[1][1, 3]))
    # dL/dx[1, 3] = Σⱼ dL/dy[1, j] · W[j, 3]: ten terms, four listed, the rest summed
    assert worked.total == pytest.approx(worked.autograd, rel=1e-5, abs=1e-7)
    assert len(worked.terms) == 4 and worked.rest_count == 6
    assert all(t.index[0] == 1 for t in worked.terms)
    shown = view.worked_label.text()
    assert "dL/dmat1[1, 3] = Σⱼ dL/dy[j] · ∂y[j]/∂mat1[1, 3]" in shown
    assert "the other 6 terms" in shown
    assert image.marker.isVisible() and image.marker.rect().topLeft() == QPointF(3, 1)


def test_check_numerically_shows_the_relative_error(qtbot, dock, engine):
    node = engine.node("AddmmBackward0", "fc3")
    engine.open(node)
    view = dock.chain_rule_view
    assert view.numeric_label.text() == ""
    qtbot.mouseClick(view.check_button, Qt.MouseButton.LeftButton)
    numeric = view.explanation.numeric
    assert numeric is not None and engine.explain_requests[-1][3] is True
    shown = re.search(r"relative error: ([0-9.e+-]+)", view.numeric_label.text())
    assert shown is not None and float(shown.group(1)) == pytest.approx(numeric.relative, rel=0.05, abs=1e-12)
    assert numeric.relative < 1e-4
    assert f"= {numeric.value:.6g}" in view.numeric_label.text()
    assert view.check_button.isEnabled()


def test_a_click_on_a_filter_of_conv1_works_that_weight(qtbot, dock, engine):
    node = engine.node("ConvolutionBackward0", "conv1")
    engine.open(node)
    view = dock.chain_rule_view
    n_in = len(view.explanation.gradients_in)
    slot = next(c.slot for c in view.explanation.checks if len(c.shape) == 4)  # the weight's gradient
    plot = dock.columns[n_in + slot].tensor_widget.image_plot
    click_cell(qtbot, plot, (2, 0, 1, 3))
    worked = view.explanation.worked
    assert (worked.slot, worked.index) == (slot, (2, 0, 1, 3))
    assert worked.total == pytest.approx(worked.autograd, rel=1e-4, abs=1e-6)
    qtbot.mouseClick(view.check_button, Qt.MouseButton.LeftButton)
    assert view.explanation.numeric.index == (2, 0, 1, 3) and view.explanation.numeric.relative < 1e-4


def test_a_click_on_the_incoming_gradient_of_an_elementwise_node_works_the_same_cell(qtbot, dock, engine):
    node = engine.node("ReluBackward0")  # the ReLU after fc2: dL/dy and dL/dx are both [2, 84]
    engine.open(node)
    view = dock.chain_rule_view
    click_cell(qtbot, dock.columns[0].tensor_widget.image_plot, (1, 5))
    worked = view.explanation.worked
    assert (worked.slot, worked.index) == (0, (1, 5))
    assert len(worked.terms) <= 1 and worked.rest_count == 0  # ReLU: one term, dL/dy[1, 5] · (0 or 1)


def test_a_node_not_run_yet_says_so_and_hides_the_check(show):
    dock = show(InspectorDock(), 1000, 400)
    session = StepSession(SessionConfig(dataset="digits", batch_size=2))
    for move in (Move.RUN_FORWARD, Move.LOSS):
        session.apply(move)
    node = next(iter(session.graph.graph.nodes))
    dock.expect("node", node)
    dock.set_inspection(inspect(session, "node", node))
    assert dock.chain_rule_view.explanation is None
    assert dock.chain_rule_view.check_button.isHidden()
    assert "once this node has run" in dock.chain_rule_view.body_label.text()


def test_accumulate_grad_works_the_parameters_grad_and_checks_the_real_loss(qtbot, dock, engine):
    node = next(s.node_id for s in engine.session.backward_steps if s.param == "fc3.weight")
    engine.open(node)
    view = dock.chain_rule_view
    assert "p.grad = p.grad + dL/dp" in view.body_label.text()
    click_cell(qtbot, dock.columns[0].tensor_widget.image_plot, (4, 7))  # the one picture: dL/dp that came in
    assert view.explanation.worked.index == (4, 7)
    assert "fc3.weight.grad[4, 7] = " in view.worked_label.text()
    qtbot.mouseClick(view.check_button, Qt.MouseButton.LeftButton)
    numeric = view.explanation.numeric
    assert numeric.kind == "loss" and numeric.index == (4, 7) and numeric.relative < 1e-4
    assert "the model's loss, rerun in float64" in view.numeric_label.text()


class CumsumNet(nn.Module):
    """A user model with an op that has no written rule."""

    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(32 * 32, 10)

    def forward(self, x):
        return self.fc(x.flatten(1)).cumsum(1)


def test_a_node_without_a_rule_says_so_and_still_shows_its_numbers(show):
    dock = show(InspectorDock(), 1200, 420)
    session = StepSession(SessionConfig(dataset="digits", batch_size=2), model=CumsumNet())
    for move in (Move.RUN_FORWARD, Move.LOSS, Move.RUN_BACKWARD):
        session.apply(move)
    node = next(s.node_id for s in session.backward_steps if s.cls == "CumsumBackward0")
    dock.expect("node", node)
    dock.set_inspection(inspect(session, "node", node))
    view = dock.chain_rule_view
    assert "No written rule" in view.body_label.text() and "the rule gives nothing here" in view.body_label.text()
    assert view.check_button.isHidden() and view.worked_label.text() == ""
    assert sum(not c.isHidden() for c in dock.columns) == 2  # dL/dy and dL/dx are still pictured
