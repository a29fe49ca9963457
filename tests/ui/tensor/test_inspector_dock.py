"""The Inspector dock, driven like the main window drives it, by a real stepping session of the tutorial's Net."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPointF
from PySide6.QtWidgets import QComboBox

from explorer.core.moves import Move
from explorer.core.session import SessionConfig, StepSession
from explorer.core.snapshot import Snapshotter, inspect, model_info, tensor_view
from explorer.ui.tensor.inspector_dock import InspectorDock, running_target
from explorer.ui.tensor.mosaic import TILE_GAP
from explorer.ui.tensor.widgets import TensorWidget

SHOTS = Path("/tmp/shots")


class Engine:
    """Stands in for the engine thread: answers the dock's requests from the session, counts them."""

    def __init__(self, dock: InspectorDock):
        self.session = StepSession(SessionConfig(dataset="digits"))
        self.snapshotter = Snapshotter(self.session)
        self.dock = dock
        self.requests: list[tuple[str, str]] = []
        dock.inspect_requested.connect(self._on_dock_inspect_requested)
        dock.set_model_info(model_info(self.session))
        self.publish()

    def _on_dock_inspect_requested(self, kind: str, key: str) -> None:
        self.requests.append((kind, key))
        self.dock.set_inspection(inspect(self.session, kind, key))

    def move(self, *moves: Move):
        """Make these session moves (method names), then hand the dock the snapshot, as the engine does."""
        for move in moves:
            self.session.apply(move)
        return self.publish()

    def publish(self):
        snapshot = self.snapshotter.snapshot()
        self.dock.set_snapshot(snapshot)
        return snapshot

    def step(self, move: Move):
        """A move the user asked for, drawn as the main window draws it: follow (StepInView), then set_snapshot."""
        self.session.apply(move)
        snapshot = self.snapshotter.snapshot()
        self.dock.follow(snapshot)
        self.dock.set_snapshot(snapshot)
        return snapshot


@pytest.fixture
def dock(show):
    return show(InspectorDock(), 1300, 420)


@pytest.fixture
def engine(dock):
    return Engine(dock)


def choose(qtbot, combo: QComboBox, prefix: str) -> None:
    """Pick a chooser entry by typing, as a keyboard user would."""
    combo.setFocus()
    qtbot.keyClicks(combo, prefix)
    assert combo.currentText().startswith(prefix)


def numpy_of(t) -> np.ndarray:
    return t.detach().cpu().numpy()


def column(dock: InspectorDock, i: int) -> TensorWidget:
    return dock.columns[i].tensor_widget


def visible_columns(dock: InspectorDock) -> int:
    return sum(not c.isHidden() for c in dock.columns)


def tiles(widget: TensorWidget) -> np.ndarray:
    """The tiles of the widget's mosaic in reading order (row by row), gaps dropped, from its layout."""
    layout, image = widget.image_plot.mosaic_layout, widget.image_plot.image.image
    h, w, step_h, step_w = layout.tile_h, layout.tile_w, layout.tile_h + layout.gap, layout.tile_w + layout.gap
    corners = [divmod(k, layout.cols) for k in range(int(np.prod(layout.lead_shape)))]
    return np.stack([image[r * step_h: r * step_h + h, c * step_w: c * step_w + w] for r, c in corners])


def grid(widget: TensorWidget) -> tuple[int, int]:
    layout = widget.image_plot.mosaic_layout
    return layout.rows, layout.cols


def save(dock: InspectorDock, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert dock.grab().save(str(SHOTS / name))


def test_chooser_lists_every_parameter_and_the_input(dock, engine):
    combo = dock.target_combo
    texts = [combo.itemText(i) for i in range(combo.count())]
    names = [n for n, _ in engine.session.model.named_parameters()]
    assert [t.split()[0] for t in texts] == names + ["input"]
    assert texts[0] == "conv1.weight  [6, 1, 5, 5]"
    assert dock.hint_label.isVisibleTo(dock) and not dock.scroll_area.isVisibleTo(dock)


def test_conv1_bias_before_and_after_backward(qtbot, dock, engine):
    s = engine.session
    engine.move(Move.RUN_FORWARD, Move.LOSS)
    choose(qtbot, dock.target_combo, "conv1.b")
    assert dock.target == ("param", "conv1.bias")
    assert visible_columns(dock) == 2
    value, grad = column(dock, 0), column(dock, 1)
    np.testing.assert_array_equal(value.bar_chart.heights, numpy_of(s.named_parameters["conv1.bias"]))
    assert value.values_label.isVisibleTo(dock) and value.values_label.text().count(":") == 6
    assert grad.view is None
    assert grad.stack.currentWidget() is grad.empty_label
    assert grad.empty_label.text() == "None - no backward since the start or zero_grad"
    assert "conv1.bias.grad is None" in dock.notes_label.text()

    # the dock asks again by itself: the session moved past conv1.bias's AccumulateGrad node
    engine.move(Move.ZERO_GRAD, Move.RUN_BACKWARD)
    assert engine.requests[-1] == ("param", "conv1.bias")
    expected = numpy_of(s.grad_of("conv1.bias"))
    assert np.abs(expected).sum() > 0
    np.testing.assert_array_equal(grad.bar_chart.heights, expected)
    np.testing.assert_array_equal(grad.view.values, expected)
    assert grad.values_label.text().startswith(f"0:\u00a0{expected[0]:.4g}")
    save(dock, "inspector_conv1_bias_after_backward.png")


def test_zero_grad_sets_the_gradients_to_none_as_todays_torch_does(qtbot, dock, engine):
    engine.move(Move.RUN_FORWARD, Move.LOSS, Move.RUN_BACKWARD, Move.UPDATE, Move.RUN_FORWARD, Move.LOSS, Move.ZERO_GRAD)
    choose(qtbot, dock.target_combo, "conv1.b")
    grad = column(dock, 1)
    assert grad.view is None and grad.stack.currentWidget() is grad.empty_label  # net.zero_grad(): None since 2.0
    assert "since the start or zero_grad" in grad.empty_label.text()


def test_conv1_weight_one_in_channel_is_a_near_square_grid(qtbot, dock, engine):
    s = engine.session
    engine.move(Move.RUN_FORWARD, Move.LOSS, Move.RUN_BACKWARD)
    choose(qtbot, dock.target_combo, "conv1.w")
    for i, tensor in enumerate((s.named_parameters["conv1.weight"], s.grad_of("conv1.weight"))):
        widget = column(dock, i)
        assert widget.image_plot.mosaic_layout.lead_shape == (6, 1)
        assert grid(widget) == (2, 3)  # the columns are wider than tall: 2 rows of 3 filters, not a 6-high strip
        image = widget.image_plot.image.image
        assert image.shape == (2 * 5 + TILE_GAP, 3 * 5 + 2 * TILE_GAP)
        np.testing.assert_array_equal(tiles(widget), numpy_of(tensor)[:, 0])
        assert np.isnan(image[5]).all() and np.isnan(image[:, 5]).all() and np.isnan(image[:, 11]).all()  # gaps
    assert column(dock, 0).hover_label.text() == "6 tiles of 5×5 (out 0-5, in 0)"
    save(dock, "inspector_conv1_weight_with_grad.png")


def test_one_in_channel_grid_turns_to_fit_a_tall_view(qtbot, dock, engine):
    choose(qtbot, dock.target_combo, "conv1.w")
    widget = column(dock, 0)
    dock.resize(600, 1100)  # two columns of under 300 pixels, each far taller than wide
    qtbot.waitUntil(lambda: grid(widget) == (3, 2))
    assert widget.image_plot.image.image.shape == (3 * 5 + 2 * TILE_GAP, 2 * 5 + TILE_GAP)
    np.testing.assert_array_equal(tiles(widget), numpy_of(engine.session.named_parameters["conv1.weight"])[:, 0])
    dock.resize(1300, 420)
    qtbot.waitUntil(lambda: grid(widget) == (2, 3))


def test_conv2_weight_keeps_one_row_per_out_and_one_column_per_in_channel(qtbot, dock, engine):
    choose(qtbot, dock.target_combo, "conv2.w")
    widget = column(dock, 0)
    weight = numpy_of(engine.session.named_parameters["conv2.weight"])
    assert weight.shape == (16, 6, 5, 5)
    assert grid(widget) == (16, 6)
    assert widget.image_plot.image.image.shape == (16 * 5 + 15 * TILE_GAP, 6 * 5 + 5 * TILE_GAP)
    np.testing.assert_array_equal(tiles(widget), weight.reshape(96, 5, 5))
    assert widget.hover_label.text() == "16 × 6 tiles of 5×5 (rows: out, columns: in)"


def test_a_single_filter_is_one_tile(show):
    widget = show(TensorWidget(), 400, 300)
    weight = np.arange(25, dtype=np.float32).reshape(1, 1, 5, 5) - 12
    widget.set_view(tensor_view("conv.weight", weight), tile_axes=("out", "in"))
    assert grid(widget) == (1, 1)
    np.testing.assert_array_equal(widget.image_plot.image.image, weight[0, 0])  # no gaps, nothing else
    assert widget.hover_label.text() == " "  # one tile: no "1 tiles of ..." line


def test_hover_reads_the_value_and_index_under_the_cursor(qtbot, dock, engine):
    choose(qtbot, dock.target_combo, "conv1.w")
    widget = column(dock, 0)
    plot = widget.image_plot
    qtbot.wait(20)  # let the layout settle, so the view maps the same way when the mouse arrives
    # the centre of pixel (row 1, col 3) of the third filter (out channel 2), wherever the grid put it
    layout = plot.mosaic_layout
    tile_row, tile_col = divmod(2, layout.cols)
    x, y = tile_col * (layout.tile_w + layout.gap) + 3.5, tile_row * (layout.tile_h + layout.gap) + 1.5
    qtbot.mouseMove(plot.viewport(), plot.mapFromScene(plot.plot.vb.mapViewToScene(QPointF(x, y))))
    weight = numpy_of(engine.session.named_parameters["conv1.weight"])
    assert widget.hover_label.text() == f"[2, 0, 1, 3] = {weight[2, 0, 1, 3]:.4g}"


def test_fc1_weight_is_a_heatmap_strided_for_display(qtbot, dock, engine):
    choose(qtbot, dock.target_combo, "fc1.w")
    widget = column(dock, 0)
    weight = numpy_of(engine.session.named_parameters["fc1.weight"])
    assert weight.shape == (1200, 400)
    plot = widget.image_plot
    assert widget.stack.currentWidget() is plot
    np.testing.assert_array_equal(plot.image.image, weight[::2, ::2])  # capped near 1024 pixels a side
    assert plot.image.mapRectToParent(plot.image.boundingRect()).height() == 1200  # axes count real rows
    assert plot.plot.getAxis("left").labelText == "rows (1200)"
    assert widget.view.stats.shape == (1200, 400)  # stats stay those of the whole tensor
    assert widget.stats_label.text().startswith("shape\u00a0[1200,\u00a0400]")


def test_update_adds_before_and_change_columns(qtbot, dock, engine):
    s = engine.session
    engine.move(Move.RUN_FORWARD, Move.LOSS, Move.RUN_BACKWARD)
    choose(qtbot, dock.target_combo, "conv1.w")
    before = numpy_of(s.named_parameters["conv1.weight"]).copy()
    engine.move(Move.UPDATE)
    assert visible_columns(dock) == 4
    after = numpy_of(s.named_parameters["conv1.weight"])
    np.testing.assert_array_equal(tiles(column(dock, 0)), after[:, 0])
    np.testing.assert_array_equal(tiles(column(dock, 2)), before[:, 0])
    np.testing.assert_allclose(tiles(column(dock, 3)), (after - before)[:, 0], atol=1e-9)
    assert [c.caption.text() for c in dock.columns] == [
        "conv1.weight", "conv1.weight.grad", "before update", "change: after - before"]
    assert "lr=0.01" in dock.notes_label.text()
    save(dock, "inspector_after_update_4_columns.png")


def test_no_new_request_when_nothing_it_shows_has_changed(qtbot, dock, engine):
    engine.move(Move.RUN_FORWARD, Move.LOSS)
    choose(qtbot, dock.target_combo, "conv1.b")
    asked = len(engine.requests)
    snapshot = engine.publish()
    dock.set_snapshot(snapshot)  # the very same snapshot again
    engine.publish()  # a new serial, same state
    engine.move(Move.STEP_BACKWARD)  # the loss node: conv1.bias's gradient is not written yet
    assert len(engine.requests) == asked
    engine.move(Move.RUN_BACKWARD)
    assert len(engine.requests) == asked + 1


def test_inspections_routed_from_other_views(dock, engine):
    s = engine.session
    engine.move(Move.RUN_FORWARD, Move.LOSS)
    dock.set_inspection(inspect(s, "activation", "0"))
    assert dock.target_combo.currentIndex() == -1
    assert dock.title_label.text() == "forward 1: conv1"
    output = column(dock, visible_columns(dock) - 1)
    assert output.view.values.shape == (1, 6, 28, 28)
    dock.set_inspection(inspect(s, "input", ""))
    assert dock.target_combo.currentText() == "input"
    np.testing.assert_array_equal(column(dock, 0).view.values, numpy_of(s.inputs))


def test_a_followed_step_is_asked_for_once(dock, engine):
    """Following the running step asks once: the re-read after it sees the request already made for this
    snapshot (it asked, and drew, every followed step twice, and worked each node's chain rule twice)."""
    asked = len(engine.requests)
    forward = running_target(engine.step(Move.RUN_FORWARD))
    assert engine.requests[asked:] == [forward]
    engine.step(Move.LOSS)
    node = running_target(engine.step(Move.RUN_BACKWARD))
    assert engine.requests[asked:] == [forward, node]
    assert dock.inspection.target == node and dock.chain_rule_view.explanation is not None
    engine.step(Move.UPDATE)  # the node's gradients stay what they were: nothing to ask again
    assert engine.requests[asked:] == [forward, node]
    assert dock.inspection.explanation is not None and dock.chain_rule_view.isVisible()


def test_a_closed_dock_asks_once_it_opens_again(qtbot, dock, engine):
    """Closed, the dock asks for nothing while the session steps (no pictures, no chain rule worked); opened
    again, it asks once for what it would show now: the running node, with its chain rule."""
    engine.step(Move.RUN_FORWARD)
    dock.close()
    asked = len(engine.requests)
    engine.step(Move.LOSS)
    node = running_target(engine.step(Move.RUN_BACKWARD))
    engine.step(Move.UPDATE)
    assert len(engine.requests) == asked
    dock.show()
    qtbot.waitUntil(lambda: len(engine.requests) == asked + 1)
    assert engine.requests[-1] == node
    assert dock.inspection.target == node
    assert dock.chain_rule_view.isVisible() and dock.chain_rule_view.explanation.node_id == node[1]
    save(dock, "inspector_reopened_on_the_running_node.png")
