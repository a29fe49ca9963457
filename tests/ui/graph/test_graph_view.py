"""The autograd graph view and dock, drawn from real snapshots of the tutorial's Net."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F
from PySide6.QtCore import QEvent, QPoint, QPointF, QSettings, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QHelpEvent, QImage, QWheelEvent
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QToolTip

from explorer.core.session import SessionConfig, StepSession
from explorer.core.snapshot import GraphPicture, Snapshotter
from explorer.ui.graph import items as graph_items
from explorer.ui.graph.dock import LAST_EXPORT_DIR_KEY, GraphDock
from explorer.ui.graph.export import EXPORT_MARGIN
from explorer.ui.graph.items import CURRENT, DONE, TODO, GraphNodeItem
from explorer.ui.graph.view import AutogradGraphView
from explorer.ui.palette import module_color, text_color_for

SHOTS = Path("/tmp/shots")
STEPS = 9  # backward steps taken for the "mid-backward" snapshots


@pytest.fixture(scope="module")
def stepped():
    """Snapshots of one real session: after the loss, then after each of the first STEPS backward steps."""
    session = StepSession(SessionConfig(dataset="tutorial"))
    session.run_forward()
    session.compute_loss()
    snapper = Snapshotter(session)
    snapshots = [snapper.snapshot()]
    for _ in range(STEPS):
        session.step_backward()
        snapshots.append(snapper.snapshot())
    order = [step.node_id for step in session.backward_steps]
    return snapshots, order


@pytest.fixture
def dock(show):
    return show(GraphDock(), 900, 860)


@pytest.fixture
def settings(tmp_path):
    """QSettings in a temporary folder, never the user's own."""
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    QSettings().clear()
    yield QSettings()
    QSettings().clear()


def _shot(widget, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert widget.grab().save(str(SHOTS / name))


def _states(view: AutogradGraphView) -> dict[str, str]:
    return {node_id: item.state for node_id, item in view.node_items.items()}


# ----- palette ----------------------------------------------------------------------------------------
def test_module_colours_are_stable_distinct_and_readable():
    names = ["conv1", "conv2", "fc1", "fc2", "fc3"]
    colours = [module_color(n).name() for n in names]
    assert len(set(colours)) == len(names)
    assert colours == [module_color(n).name() for n in names]  # deterministic
    greys = {module_color(n).name() for n in ("", "loss", None)}
    assert len(greys) == 3 and not greys & set(colours)
    for name in ("", "loss", None):
        c = module_color(name)
        assert c.red() == c.green() == c.blue()  # neutral
    for name in names + ["", "loss"]:
        assert text_color_for(module_color(name)) == QColor("black")
    assert text_color_for(QColor("#202020")) == QColor("white")


# ----- the scene ----------------------------------------------------------------------------------------
def test_scene_has_one_item_per_node_and_edge(dock, stepped):
    snapshots, _ = stepped
    dock.set_snapshot(snapshots[0])
    view = dock.view
    assert len(view.node_items) == 26
    assert len(view.edge_items) == 25
    labels = {item.label for item in view.node_items.values()}
    assert {"MseLossBackward0", "AddmmBackward0", "conv1.bias"} <= labels
    params = {item.label for item in view.node_items.values() if item.is_param}
    assert len(params) == 10 and "fc1.weight" in params
    forward_ops = [i for i in view.node_items.values() if i.label == "ReluBackward0"]
    assert forward_ops and all(i.sublabel == "forward" for i in forward_ops)  # F.relu in Net.forward
    addmm = next(i for i in view.node_items.values() if i.label == "AddmmBackward0")
    tip = view.node_tooltip(addmm.node_id)
    assert "mat1: 1\u00d7" in tip and "module: fc" in tip and tip.startswith("AddmmBackward0")
    bias = next(i for i in view.node_items.values() if i.label == "conv1.bias")
    assert "parameter: conv1.bias" in view.node_tooltip(bias.node_id)
    for u, v in snapshots[0].graph.edges:  # every edge starts at u and ends at v
        edge = next(e for e in view.edge_items if e.source.node_id == u and e.target.node_id == v)
        assert edge.source is view.node_items[u] and edge.target is view.node_items[v]
    _shot(dock, "graph_dock_fit.png")


def test_labels_never_overlap(dock, stepped):
    dock.set_snapshot(stepped[0][0])
    items = list(dock.view.node_items.values())
    rects = [item.mapRectToScene(item.rect) for item in items]
    for i, a in enumerate(rects):
        for b in rects[i + 1:]:
            assert not a.intersects(b)
    fonts = graph_items.Fonts()
    for item in items:  # every label fits in its box
        room = item.rect.width() - 2 * graph_items.PAD_X
        assert QFontMetricsF(fonts.bold if item.is_param else fonts.label).horizontalAdvance(item.label) <= room
        assert QFontMetricsF(fonts.sub).horizontalAdvance(item.sublabel) <= room


def test_same_picture_keeps_the_scene(dock, stepped):
    snapshots, _ = stepped
    dock.set_snapshot(snapshots[0])
    before = dock.view.node_items
    dock.set_snapshot(snapshots[1])  # same graph object, one more backward step
    assert snapshots[1].graph is snapshots[0].graph
    assert all(before[n] is item for n, item in dock.view.node_items.items())


def test_backward_steps_move_the_highlight_along_the_real_order(dock, stepped, monkeypatch):
    snapshots, order = stepped
    view = dock.view
    dock.set_snapshot(snapshots[0])
    assert set(_states(view).values()) == {TODO}
    restyled = []
    original = GraphNodeItem.set_state
    monkeypatch.setattr(GraphNodeItem, "set_state", lambda item, state: (restyled.append(item.node_id), original(item, state)))
    for i in range(1, STEPS + 1):
        restyled.clear()
        dock.set_snapshot(snapshots[i])
        states = _states(view)
        assert snapshots[i].current_node == order[i - 1]
        assert [n for n, s in states.items() if s == CURRENT] == [order[i - 1]]
        assert {n for n, s in states.items() if s == DONE} == set(order[: i - 1])
        assert sum(s == TODO for s in states.values()) == 26 - i
        assert len(restyled) == (1 if i == 1 else 2)  # only the old and the new current node change
        if i == 5:
            _shot(dock, "graph_dock_backward.png")
    out_of_current = [e for e in view.edge_items if e.source.node_id == order[STEPS - 1]]
    assert out_of_current and all(e.state == CURRENT for e in out_of_current)
    view.set_backward_state((), None)  # a new pass: everything back to not run
    assert set(_states(view).values()) == {TODO}


def test_current_node_is_scrolled_into_view(dock, stepped):
    snapshots, order = stepped
    view = dock.view
    dock.set_snapshot(snapshots[0])
    for _ in range(4):
        view.zoom_in()
    view.centerOn(view.node_items[order[-1]])  # far from the loss end
    dock.set_snapshot(snapshots[1])
    item = view.node_items[order[0]]
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    assert visible.contains(item.mapRectToScene(item.rect))


def test_zoom_and_fit(dock, stepped):
    dock.set_snapshot(stepped[0][0])
    view = dock.view
    fitted = view.zoom
    scene = view.sceneRect()
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    # Fit shows the whole graph, or stops at a readable size with the top (the loss) in view
    assert visible.contains(scene.adjusted(2, 2, -2, -2)) or (
        fitted == pytest.approx(view.READABLE_SCALE) and visible.top() <= scene.top() + 2)
    assert fitted * graph_items.LABEL_PX >= 9
    dock.whole_action.trigger()
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    assert visible.contains(scene.adjusted(2, 2, -2, -2)) and view.zoom <= fitted
    dock.fit_action.trigger()
    dock.zoom_in_action.trigger()
    assert view.zoom == pytest.approx(fitted * view.ZOOM_STEP)
    dock.zoom_out_action.trigger()
    dock.zoom_out_action.trigger()
    assert view.zoom == pytest.approx(fitted / view.ZOOM_STEP)
    dock.fit_action.trigger()
    assert view.zoom == pytest.approx(fitted)
    for _ in range(3):
        view.zoom_in()
    _shot(dock, "graph_dock_zoomed.png")
    assert view.zoom * graph_items.LABEL_PX >= 8  # readable when zoomed in


def test_wheel_zooms_around_the_cursor(dock, stepped):
    dock.set_snapshot(stepped[0][0])
    view = dock.view
    view.zoom_in()
    view.zoom_in()
    item = next(i for i in view.node_items.values() if i.label == "AddmmBackward0")
    view.centerOn(item)
    under_cursor = view.mapFromScene(item.scenePos()) + QPoint(-150, -100)  # far from the view's centre
    fixed = view.mapToScene(under_cursor)
    before = view.zoom
    wheel = QWheelEvent(QPointF(under_cursor), QPointF(view.viewport().mapToGlobal(under_cursor)), QPoint(0, 0),
                        QPoint(0, 120), Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(view.viewport(), wheel)
    assert view.zoom == pytest.approx(before * view.ZOOM_STEP)
    moved = view.mapFromScene(fixed) - under_cursor
    assert abs(moved.x()) <= 1 and abs(moved.y()) <= 1  # the point under the cursor stays put


def test_clicking_a_node_selects_it_and_asks_to_inspect_it(dock, stepped, qtbot):
    dock.set_snapshot(stepped[0][0])
    view = dock.view
    item = next(i for i in view.node_items.values() if i.label == "conv1.bias")
    view.zoom_in()
    view.centerOn(item)
    pos = view.mapFromScene(item.scenePos())
    with qtbot.waitSignal(view.node_clicked) as clicked, qtbot.waitSignal(dock.inspect_requested) as inspect:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert clicked.args == [item.node_id]
    QApplication.sendEvent(view.viewport(), QHelpEvent(QEvent.Type.ToolTip, pos, view.viewport().mapToGlobal(pos)))
    assert QToolTip.text() == view.node_tooltip(item.node_id)
    assert inspect.args == ["node", item.node_id]
    assert view.selected_node == item.node_id and item.selected


def test_empty_state_shows_a_hint(dock, stepped):
    dock.set_snapshot(stepped[0][0])
    dock.view.set_graph(None)
    assert dock.view.node_items == {} and dock.view.scene().items() == []
    empty = GraphDock()
    empty.resize(500, 300)
    empty.show()
    assert not empty.export_png_action.isEnabled() and not empty.fit_action.isEnabled()
    _shot(empty, "graph_dock_empty.png")
    image = empty.view.viewport().grab().toImage()
    dark = sum(image.pixelColor(x, y).lightness() < 200 for x in range(0, image.width(), 2)
               for y in range(0, image.height(), 2))
    assert dark > 20  # the hint text is drawn
    empty.close()


# ----- export -----------------------------------------------------------------------------------------
def test_export_png_and_svg(dock, stepped, tmp_path):
    dock.set_snapshot(stepped[0][5])
    view = dock.view
    png, svg = tmp_path / "graph.png", tmp_path / "graph.svg"
    view.export_png(png)
    view.export_svg(svg)
    image = QImage(str(png))
    assert not image.isNull() and image.width() > 0 and image.height() > 0
    bounds = view.scene().itemsBoundingRect()
    assert image.width() == pytest.approx(2 * (bounds.width() + 2 * EXPORT_MARGIN), abs=2)
    assert image.pixelColor(1, 1) == QColor("white")
    text = svg.read_text(encoding="utf-8")
    assert "<svg" in text and "MseLossBackward0" in text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.png", "graph.svg"]  # no temporary files left


def test_export_to_a_missing_folder_raises_and_leaves_nothing(dock, stepped, tmp_path):
    dock.set_snapshot(stepped[0][0])
    missing = tmp_path / "no such folder"
    for export in (dock.view.export_png, dock.view.export_svg):
        with pytest.raises(OSError, match="does not exist"):
            export(missing / "graph.png")
    assert not missing.exists() and list(tmp_path.iterdir()) == []


def test_export_without_a_graph_is_refused(qtbot, tmp_path):
    view = AutogradGraphView()
    qtbot.addWidget(view)
    with pytest.raises(ValueError):
        view.export_png(tmp_path / "graph.png")
    assert list(tmp_path.iterdir()) == []


def test_dock_export_remembers_the_folder_and_warns_naming_the_file(dock, stepped, tmp_path, settings, monkeypatch):
    dock.set_snapshot(stepped[0][0])
    target = tmp_path / "out" / "picture"  # no suffix: the dock adds it
    target.parent.mkdir()
    asked = []

    def save_dialog(parent, title, start, filter_):
        asked.append(start)
        return str(target), filter_

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_dialog)
    dock.export_svg_action.trigger()
    assert (target.parent / "picture.svg").stat().st_size > 0
    assert settings.value(LAST_EXPORT_DIR_KEY) == str(target.parent)
    dock.export_png_action.trigger()
    assert asked[-1] == os.path.join(str(target.parent), "autograd_graph.png")  # starts in the last folder
    assert QImage(str(target.parent / "picture.png")).width() > 0

    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: warnings.append(text))
    target = tmp_path / "gone" / "graph.png"
    dock.export_png_action.trigger()
    assert len(warnings) == 1 and str(target) in warnings[0]
    assert not target.parent.exists()


# ----- other graphs -----------------------------------------------------------------------------------
class SkipNet(nn.Module):
    """y = fc2(relu(fc1(h))) + h: a DAG with a skip connection."""

    def __init__(self):
        super().__init__()
        self.fc0 = nn.Linear(32 * 32, 10)
        self.fc1 = nn.Linear(10, 16)
        self.fc2 = nn.Linear(16, 10)

    def forward(self, x):
        h = self.fc0(torch.flatten(x, 1))
        return self.fc2(F.relu(self.fc1(h))) + h


def test_dag_with_a_skip_connection_draws(dock):
    session = StepSession(SessionConfig(dataset="tutorial"), model=SkipNet())
    session.run_forward()
    session.compute_loss()
    snapper = Snapshotter(session)
    session.step_backward()
    session.step_backward()
    snapshot = snapper.snapshot()
    dock.set_snapshot(snapshot)
    view = dock.view
    add = next(n for n, a in snapshot.graph.attrs.items() if a["cls"] == "AddBackward0")
    assert len([e for e in view.edge_items if e.source.node_id == add]) == 2  # the skip and the main path
    assert len(view.node_items) == len(snapshot.graph.node_ids)
    assert view.node_items[snapshot.current_node].state == CURRENT
    _shot(dock, "graph_dock_skip.png")


def _big_picture(layers: int = 400, width: int = 5) -> GraphPicture:
    """A synthetic layered graph of layers * width nodes, each feeding two nodes of the next layer."""
    ids, attrs, positions, edges = [], {}, {}, []
    modules = [f"blocks.{k}" for k in range(12)]
    for layer in range(layers):
        for col in range(width):
            node_id = f"n{layer * width + col}"
            ids.append(node_id)
            attrs[node_id] = {"cls": "AddmmBackward0", "label": "AddmmBackward0", "param": None,
                              "module": modules[layer % len(modules)], "saved": [["mat1", [1, 8]]]}
            positions[node_id] = (float(col), float(layer))
            if layer:
                edges += [(f"n{(layer - 1) * width + col}", node_id), (f"n{(layer - 1) * width + (col + 1) % width}", node_id)]
    return GraphPicture(tuple(ids), attrs, positions, tuple(edges), "loss")


def test_big_graph_opens_by_module_and_paints_an_overview_when_zoomed_out(dock, monkeypatch):
    picture = _big_picture()
    view = dock.view
    view.set_graph(picture)
    assert view.collapsed == {f"blocks.{k}" for k in range(12)}  # too big to open expanded
    view.expand_all()
    assert len(view.node_items) == 2000 and len(view.edge_items) == 2 * 5 * 399
    view.set_backward_state(picture.node_ids[:700], picture.node_ids[699])
    view.fit(whole=True)
    assert view.zoom * graph_items.LABEL_PX < graph_items.MIN_READABLE_PX
    painted = []
    monkeypatch.setattr(GraphNodeItem, "paint", lambda item, *args: painted.append(item))
    image = view.grab()
    assert not image.isNull() and not painted  # the overview draws the boxes, not 2000 Python paints
    assert not any(item.isVisible() for item in view.node_items.values())
    _shot(dock, "graph_dock_big_zoomed_out.png")
