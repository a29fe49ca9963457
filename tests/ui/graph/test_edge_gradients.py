"""The gradients on the graph's arrows: a tip when the cursor rests on an arrow, norms on the running node's
arrows; the numbers from real snapshots of the tutorial's Net, checked against the session's own gradients."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPointF
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication

from explorer.core.edge_gradients import THUMBNAIL_SIDE, thumbnail
from explorer.core.moves import Move
from explorer.core.session import SessionConfig, StepSession
from explorer.core.snapshot import Snapshotter
from explorer.ui.graph.dock import GraphDock

SHOTS = Path("/tmp/shots")


@pytest.fixture
def stepped(show):
    """A graph dock showing the tutorial's Net two backward steps in (the loss, then fc3's Addmm)."""
    session = StepSession(SessionConfig(dataset="tutorial"))
    for move in (Move.RUN_FORWARD, Move.LOSS, Move.STEP_BACKWARD, Move.STEP_BACKWARD):
        session.apply(move)
    dock = show(GraphDock(), 900, 860)
    snapshot = Snapshotter(session).snapshot()
    dock.view.set_snapshot(snapshot)
    return dock, session, snapshot


def hover(view, point) -> None:
    pos = view.mapFromScene(point)
    QApplication.sendEvent(view.viewport(), QHelpEvent(QEvent.Type.ToolTip, pos, view.viewport().mapToGlobal(pos)))


def test_every_edge_of_a_node_that_ran_carries_its_gradient(stepped):
    _, session, snapshot = stepped
    fc3 = session.backward_steps[1]
    assert fc3.cls == "AddmmBackward0" and snapshot.current_node == fc3.node_id
    graph = session.graph.graph
    for target in graph.successors(fc3.node_id):
        (slot,) = graph.edges[fc3.node_id, target]["slots"]
        edge = snapshot.edge_gradients[(fc3.node_id, target)]
        assert edge.shape == tuple(fc3.grad_out[slot].shape)
        assert edge.norm == pytest.approx(float(fc3.grad_out[slot].double().norm()))
    assert set(snapshot.edge_gradients) == {e for e in graph.edges if e[0] in {s.node_id for s in session.backward_steps[:2]}}


def test_hovering_an_arrow_shows_shape_norm_and_a_tiny_picture(qtbot, stepped):
    dock, session, snapshot = stepped
    view = dock.view
    fc3 = session.backward_steps[1]
    relu = next(n for n in session.graph.graph.successors(fc3.node_id) if session.graph.graph.nodes[n]["cls"] == "ReluBackward0")
    edge = next(e for e in view.edge_items if (e.source.node_id, e.target.node_id) == (fc3.node_id, relu))
    view.centerOn(edge.midpoint())
    hover(view, edge.midpoint())
    tip = view.edge_gradients.tip
    assert tip.isVisible() and tip.edge == (fc3.node_id, relu)
    norm = float(fc3.grad_out[1].double().norm())
    assert tip.text_label.text().splitlines()[:2] == ["gradient AddmmBackward0 → ReluBackward0", f"shape [1, 84]   norm {norm:.4g}"]
    assert tip.picture_label.pixmap().width() > 0
    SHOTS.mkdir(parents=True, exist_ok=True)
    tip.grab().save(str(SHOTS / "graph-edge-tip.png"))
    # off the arrow, over empty scene: the tip goes
    hover(view, edge.midpoint() + QPointF(300, 0))
    assert not tip.isVisible()


def test_an_arrow_not_run_yet_has_no_tip(stepped):
    dock, session, snapshot = stepped
    view = dock.view
    later = next(e for e in view.edge_items if (e.source.node_id, e.target.node_id) not in snapshot.edge_gradients)
    view.centerOn(later.midpoint())
    hover(view, later.midpoint())
    assert not view.edge_gradients.tip.isVisible()


def test_the_running_nodes_arrows_are_labelled_with_their_norms(stepped):
    dock, session, snapshot = stepped
    view = dock.view
    current = snapshot.current_node
    expected = sorted(f"‖g‖ = {g.norm:.3g}" for (u, v), g in snapshot.edge_gradients.items() if current in (u, v))
    assert len(expected) == 4  # one in from the loss, three out (bias, ReLU, weight's T)
    assert sorted(label.text for label in view.edge_gradients.labels) == expected
    assert all(label.scene() is view.scene() for label in view.edge_gradients.labels)
    view.resetTransform()  # readable size, for the picture
    view.centerOn(view.item_for(current))
    SHOTS.mkdir(parents=True, exist_ok=True)
    dock.grab().save(str(SHOTS / "graph-edge-norms.png"))


def test_labels_follow_the_running_node_and_survive_a_new_scene(stepped):
    dock, session, _ = stepped
    view = dock.view
    session.apply(Move.STEP_BACKWARD)
    snapshot = Snapshotter(session).snapshot()
    view.set_snapshot(snapshot)
    current = snapshot.current_node
    expected = sorted(f"‖g‖ = {g.norm:.3g}" for (u, v), g in snapshot.edge_gradients.items() if current in (u, v))
    assert sorted(label.text for label in view.edge_gradients.labels) == expected
    view.collapse_to_depth(0)
    view.expand_all()
    assert sorted(label.text for label in view.edge_gradients.labels) == expected
    assert all(label.scene() is view.scene() for label in view.edge_gradients.labels)


def test_thumbnails_stay_tiny():
    import torch
    picture, part, stride = thumbnail(torch.randn(4, 6, 100, 60))
    assert max(picture.shape) <= THUMBNAIL_SIDE and part == "[0, 0]" and stride == 5
    picture, part, stride = thumbnail(torch.arange(10.0))
    assert picture.shape == (1, 10) and part == "" and stride == 1
    assert np.array_equal(picture[0], np.arange(10.0, dtype=np.float32))
