"""Big autograd graphs in the graph dock: module groups, search, the zoomed-out overview, long edges."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
import torch.nn as nn
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFontMetrics

from explorer.core.autograd.graph import trace_graph
from explorer.core.layout import layered_layout_with_bends
from explorer.core.autograd.module_attribution import record_node_modules
from explorer.core.session import SessionConfig, StepSession
from explorer.core.snapshot import GraphPicture, Snapshotter
from explorer.ui.graph.dock import GraphDock
from explorer.ui.graph.items import CURRENT, DONE, LABEL_PX, MIN_READABLE_PX, TODO, GraphNodeItem
from explorer.ui.graph.overview import GraphOverview
from tests.core.live import third_party

SHOTS = Path("/tmp/shots")


def picture_of(model: nn.Module, x: torch.Tensor) -> GraphPicture:
    """What the engine would hand over for `model` on `x` with the loss mean(out ** 2)."""
    with record_node_modules(model) as node_modules:
        loss = model(x).pow(2).mean()
    g = trace_graph(loss, model=model, node_modules=node_modules).graph
    for _, attrs in g.nodes(data=True):
        if attrs["module"] is None and attrs["param"] is None:
            attrs["module"] = "loss"
    positions, bends = layered_layout_with_bends(g)
    ids = tuple(g.nodes)
    return GraphPicture(ids, {n: dict(g.nodes[n]) for n in ids}, positions, tuple(g.edges), "loss",
                        bends={edge: tuple(points) for edge, points in bends.items()},
                        module_classes={name: type(m).__name__ for name, m in model.named_modules()})


def transformer(layers: int, d_model: int = 16) -> nn.Module:
    torch.manual_seed(0)
    layer = nn.TransformerEncoderLayer(d_model=d_model, nhead=2, dim_feedforward=2 * d_model, batch_first=True)
    return nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)


@pytest.fixture(scope="module")
def tf3() -> GraphPicture:
    return picture_of(transformer(3), torch.randn(1, 4, 16))


@pytest.fixture
def dock(show):
    return show(GraphDock(), 900, 800)


def _shot(widget, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert widget.grab().save(str(SHOTS / name))


def _box_pos(view, node_id: str):
    view.centerOn(view.node_items[node_id])
    return view.mapFromScene(view.node_items[node_id].scenePos())


# ----- module groups ----------------------------------------------------------------------------------------
def test_a_transformer_opens_as_its_blocks_and_a_double_click_opens_one(dock, tf3, qtbot):
    view = dock.view
    view.set_graph(tf3)
    groups = sorted(n for n, item in view.node_items.items() if item.is_group)
    assert groups == ["group:layers.0", "group:layers.1", "group:layers.2"]
    assert len(view.node_items) < 10  # the blocks and the loss's few nodes
    block = view.node_items["group:layers.1"]
    assert block.label.startswith("layers.1") and f"({block.count} nodes)" in block.label
    assert block.sublabel == "TransformerEncoderLayer"
    assert block.rect.height() > view.node_items[next(n for n in view.node_items if not n.startswith("group:"))].rect.height()
    tip = view.node_tooltip("group:layers.1")
    assert "TransformerEncoderLayer" in tip and f"{block.count} nodes inside" in tip
    _shot(dock, "graph_scale_blocks.png")

    with qtbot.waitSignal(view.groups_changed):
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=_box_pos(view, "group:layers.1"))
    assert "group:layers.1" not in view.node_items
    assert {"group:layers.1.self_attn", "group:layers.1.linear1"} <= set(view.node_items)
    own = [n for n in tf3.node_ids if tf3.attrs[n]["module"] == "layers.1"]  # the block's residual adds
    assert own and all(n in view.node_items for n in own)
    assert dock.expand_all_action.isEnabled()
    _shot(dock, "graph_scale_one_block_open.png")

    dock.expand_all_action.trigger()
    assert len(view.node_items) == len(tf3.node_ids) and not view.collapsed
    assert not dock.expand_all_action.isEnabled()
    depth_actions = dock.collapse_menu.actions()
    assert [a.text() for a in depth_actions] == ["Top level (depth 1)", "Depth 2"]
    depth_actions[1].trigger()
    assert "group:layers.2.self_attn" in view.node_items and "group:layers.2" not in view.node_items
    depth_actions[0].trigger()
    assert sorted(n for n in view.node_items if n.startswith("group:")) == groups


def test_the_context_menu_opens_and_closes_modules(dock, tf3):
    view = dock.view
    view.set_graph(tf3)
    menu = view.context_menu("group:layers.0")
    texts = [a.text() for a in menu.actions() if a.text()]
    assert texts[:2] == ["Open layers.0", "Open everything inside layers.0"]
    next(a for a in menu.actions() if a.text() == "Open everything inside layers.0").trigger()
    node = next(n for n in tf3.node_ids if tf3.attrs[n]["module"] == "layers.0.self_attn")
    assert node in view.node_items  # nothing inside layers.0 is collapsed now
    menu = view.context_menu(node)
    assert [a.text() for a in menu.actions() if a.text()][:2] == ["Close layers.0.self_attn", "Close layers.0"]
    next(a for a in menu.actions() if a.text() == "Close layers.0").trigger()
    assert "group:layers.0" in view.node_items and node not in view.node_items
    assert view.item_for(node) is view.node_items["group:layers.0"]


def test_the_next_pass_of_the_same_model_keeps_the_scene_and_the_open_modules(dock, tf3):
    view = dock.view
    view.set_graph(tf3)
    view.expand_group("layers.2")
    before = view.node_items
    again = GraphPicture(tf3.node_ids, {n: dict(a) for n, a in tf3.attrs.items()}, dict(tf3.positions), tf3.edges,
                         "loss", dict(tf3.bends), dict(tf3.module_classes))
    view.set_graph(again)
    assert view.picture is again and view.node_items == before and "layers.2" not in view.collapsed


# ----- the backward highlight inside a collapsed module -----------------------------------------------------
class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(16, 16)
        self.norm = nn.LayerNorm(16)

    def forward(self, x):
        return x + self.norm(torch.relu(self.fc(x)))


class Deep(nn.Module):
    """Eighteen residual blocks in a ModuleList: more than 150 autograd nodes."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Linear(32 * 32, 16)
        self.blocks = nn.ModuleList(Block() for _ in range(18))
        self.head = nn.Linear(16, 10)

    def forward(self, x):
        x = self.stem(torch.flatten(x, 1))
        for block in self.blocks:
            x = block(x)
        return self.head(x)


def in_last_block(snapshot, node_id: str) -> bool:
    module = snapshot.graph.attrs[node_id]["module"] or ""
    return module == "blocks.17" or module.startswith("blocks.17.")


def test_the_current_node_inside_a_collapsed_module_lights_up_its_box(dock):
    session = StepSession(SessionConfig(dataset="tutorial"), model=Deep())
    session.run_forward()
    session.compute_loss()
    snapper = Snapshotter(session)
    view = dock.view
    dock.set_snapshot(snapper.snapshot())
    assert len(session.graph.graph) > 150 and "blocks.17" in view.collapsed
    seen_current_group = False
    while True:
        session.step_backward()
        snapshot = snapper.snapshot()
        dock.set_snapshot(snapshot)
        current = snapshot.current_node
        if in_last_block(snapshot, current):
            box = view.node_items["group:blocks.17"]
            assert box.state == CURRENT and view.item_for(current) is box
            # the done ids include the one running now
            assert box.done_count == sum(in_last_block(snapshot, n) for n in snapshot.backward_done_ids)
            assert all(e.state == CURRENT for e in view.edge_items if e.source is box)
            if not seen_current_group and box.done_count:
                _shot(dock, "graph_scale_backward_in_group.png")
                seen_current_group = True
        if (snapshot.graph.attrs[current]["module"] or "").startswith("blocks.16"):
            break
    assert seen_current_group
    box = view.node_items["group:blocks.17"]
    assert box.state == DONE and box.done_count == box.count  # all its nodes ran
    assert view.node_items["group:blocks.0"].state == TODO


# ----- search ------------------------------------------------------------------------------------------------
def test_search_finds_opens_and_steps_through_matches(dock, tf3, qtbot):
    view = dock.view
    view.set_graph(tf3)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    bar = dock.search_bar
    assert bar.isVisible() and bar.field.hasFocus()
    qtbot.keyClicks(bar.field, "LayerNorm")
    layer_norms = [n for n in tf3.node_ids if "layernorm" in tf3.attrs[n]["cls"].lower()]
    assert len(layer_norms) == 6 and sorted(view.search_matches) == sorted(layer_norms)
    assert bar.count_label.text() == "6 matches"
    assert view.node_items["group:layers.0"].matches == 2  # norm1 and norm2 inside the closed block
    qtbot.keyClick(bar.field, Qt.Key.Key_Return)
    first = view.search_matches[0]
    assert bar.count_label.text() == "1 of 6"
    assert view.node_items[first].matches == 1 and view.selected_node == first  # its module opened
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    assert visible.contains(view.node_items[first].scenePos())
    _shot(dock, "graph_scale_search.png")
    qtbot.keyClick(bar.field, Qt.Key.Key_F3)
    assert bar.count_label.text() == "2 of 6" and view.selected_node == view.search_matches[1]
    qtbot.keyClick(bar.field, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    assert bar.count_label.text() == "1 of 6"
    qtbot.mouseClick(bar.previous_button, Qt.MouseButton.LeftButton)
    assert bar.count_label.text() == "6 of 6"  # wraps around
    bar.field.setText("self_attn.out_proj.weight")
    assert len(view.search_matches) == 3 and bar.count_label.text() == "3 matches"
    bar.field.setText("no such thing")
    assert bar.count_label.text() == "no match" and not bar.next_button.isEnabled()
    qtbot.keyClick(bar.field, Qt.Key.Key_Escape)
    assert not bar.isVisible() and view.search_matches == []
    assert all(item.matches == 0 for item in view.node_items.values())


# ----- thousands of nodes ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def tf28() -> GraphPicture:
    return picture_of(transformer(28), torch.randn(1, 4, 16))


def test_a_graph_of_2000_nodes_draws_collapsed_and_expanded(dock, tf28, monkeypatch):
    assert len(tf28.node_ids) > 2000
    view = dock.view
    view.set_graph(tf28)
    assert len(view.node_items) < 40
    assert not view.grab().isNull()
    view.expand_all()
    assert len(view.node_items) == len(tf28.node_ids) and len(view.edge_items) == len(tf28.edges)
    done = tf28.node_ids[:900]
    view.set_backward_state(done, tf28.node_ids[900])
    view.fit(whole=True)
    overview_paints, item_paints = [], []
    paint = GraphOverview.paint
    monkeypatch.setattr(GraphOverview, "paint", lambda o, *a: (overview_paints.append(a), paint(o, *a)))
    monkeypatch.setattr(GraphNodeItem, "paint", lambda item, *a: item_paints.append(item))
    image = view.viewport().grab().toImage()
    assert overview_paints and not item_paints  # zoomed out: one batched overview, no per-item paints
    colours = {image.pixelColor(x, y).name() for x in range(0, image.width(), 3) for y in range(0, image.height(), 3)}
    assert len(colours) > 5  # boxes in their module colours, green done ones, arrows
    _shot(dock, "graph_scale_2000_fit.png")
    monkeypatch.undo()
    view.centerOn(view.node_items[tf28.node_ids[900]])
    for _ in range(30):
        if view.zoom * LABEL_PX >= MIN_READABLE_PX:
            break
        view.zoom_in()
    assert view.node_items[tf28.node_ids[0]].isVisible()  # readable again: the items are back
    assert not view.grab().isNull()
    _shot(dock, "graph_scale_2000_zoomed.png")


def test_zoomed_out_clicks_pick_the_nearest_box(dock, tf28, qtbot):
    view = dock.view
    view.set_graph(tf28)
    view.expand_all()
    view.fit(whole=True)
    target = tf28.node_ids[500]
    pos = view.mapFromScene(view.node_items[target].scenePos())
    with qtbot.waitSignal(view.node_clicked) as clicked:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    picked = view.node_items[clicked.args[0]]
    assert (view.mapFromScene(picked.scenePos()) - pos).manhattanLength() <= 8
    assert view.selected_node == clicked.args[0]


# ----- long edges --------------------------------------------------------------------------------------------
class Skip(nn.Module):
    """A long skip connection over a chain of Linear layers."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Linear(8, 8)
        self.chain = nn.Sequential(*(nn.Linear(8, 8) for _ in range(5)))

    def forward(self, x):
        x = self.stem(x)
        return self.chain(x) + x


def test_long_edges_run_through_the_layout_bends_and_around_the_boxes(dock):
    picture = picture_of(Skip(), torch.randn(1, 8))
    assert picture.bends
    view = dock.view
    view.set_graph(picture)
    assert not view.collapsed
    edges = {(e.source.node_id, e.target.node_id): e for e in view.edge_items}
    rects = {n: item.mapRectToScene(item.rect) for n, item in view.node_items.items()}
    for (u, v), bends in picture.bends.items():
        edge = edges[u, v]
        assert len(edge.via) == len(bends)
        ys = [p.y() for p in edge.polyline_points()]
        assert ys == sorted(ys)  # down, row by row
        points = edge.polyline_points()
        for a, b in zip(points, points[1:]):  # sample the straight segments: they never enter another box
            for k in range(1, 20):
                p = a + (b - a) * (k / 20)
                assert not any(r.contains(p) for n, r in rects.items() if n not in (u, v))
    _shot(dock, "graph_scale_long_edges.png")


def test_pixel_layout_keeps_boxes_clear_of_edges_passing_their_row():
    from explorer.ui.graph.pixel_layout import H_GAP, pixel_layout

    positions = {"a": (0.0, 0.0), "b": (1.0, 1.0), "c": (0.0, 2.0)}
    centres, via = pixel_layout(positions, {("a", "c"): [(0.0, 1.0)]}, {n: (100.0, 30.0) for n in positions})
    (bend,) = via["a", "c"]
    assert centres["b"][0] - 50 - bend[0] >= H_GAP - 1e-9
    assert centres["a"][1] < bend[1] == centres["b"][1] < centres["c"][1]


# ----- names in the zoomed-out overview --------------------------------------------------------------------
def painted_names(dock, qtbot) -> list[tuple[str, object]]:
    view = dock.view
    view.fit_whole()
    qtbot.wait(10)
    assert view._overview_on  # zoomed out below readable text: the overview paints
    dock.grab()  # a paint, so the overview names what fits
    return list(view._overview.painted_labels)


def assert_names_fit(dock, labels) -> None:
    """Every name drawn is whole or elided to its place, inside the view, and none covers another."""
    viewport = QRectF(dock.view.viewport().rect())
    for i, (text, rect, font) in enumerate(labels):
        assert text and QFontMetrics(font).horizontalAdvance(text) <= rect.width() + 1, (text, rect)
        assert font.pixelSize() >= 9  # readable at any zoom
        assert viewport.adjusted(-2, -2, 2, 2).contains(rect.center()), (text, rect)
        for other_text, other, _ in labels[i + 1:]:
            assert not rect.intersects(other), (text, other_text)


def test_a_resnet18_at_whole_graph_names_its_modules(show, qtbot):
    resnet18 = third_party.resnet18()
    dock = show(GraphDock(), 640, 360)  # the graph area of a 1280x720 window
    dock.view.set_graph(picture_of(resnet18, torch.randn(2, 3, 32, 32)))
    labels = painted_names(dock, qtbot)
    names = [text for text, _, _ in labels]
    assert {"layer1", "layer2", "layer3", "layer4"} <= set(names), names
    assert_names_fit(dock, labels)
    _shot(dock, "graph-resnet18-whole-640x360.png")
    # every box, named or not, says what it is under the cursor
    view = dock.view
    for node_id, item in view.node_items.items():
        at = view.mapFromScene(item.sceneBoundingRect().center())
        found = view.node_at(at)
        assert found is not None and view.node_tooltip(found.node_id), node_id
    # bigger, the blocks are named too; collapsed, each box carries its module's name
    dock.resize(1000, 600)
    labels = painted_names(dock, qtbot)
    assert {"layer1.0", "layer4.1"} <= {text for text, _, _ in labels}
    assert_names_fit(dock, labels)
    view.collapse_to_depth(1)
    dock.resize(640, 360)
    labels = painted_names(dock, qtbot)
    assert {"conv1", "layer1", "layer4", "fc"} <= {text for text, _, _ in labels}, labels
    assert_names_fit(dock, labels)
    _shot(dock, "graph-resnet18-collapsed-whole-640x360.png")


def test_the_tutorial_net_at_whole_graph_names_its_layers(show, qtbot):
    from explorer.core.models import build_model

    dock = show(GraphDock(), 640, 360)
    dock.view.set_graph(picture_of(build_model("seed", seed=0), torch.randn(1, 1, 32, 32)))
    labels = painted_names(dock, qtbot)
    assert {"fc1", "fc2", "fc3"} <= {text for text, _, _ in labels}
    assert_names_fit(dock, labels)
    _shot(dock, "graph-net-whole-640x360.png")
