"""The Activations dock, fed real snapshots of the tutorial's Net stepping forward on a digit."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt

from explorer.core.session import SessionConfig, StepSession
from explorer.core.snapshot import Snapshotter, tensor_view
from explorer.ui.tensor.activations_dock import ActivationsDock
from explorer.ui.tensor.mosaic import TILE_GAP

SHOTS = Path("/tmp/shots")
CONV2_STEP = 4  # conv1, relu, max_pool2d, conv2


@pytest.fixture
def session():
    return StepSession(SessionConfig(dataset="digits"))


@pytest.fixture
def dock(show):
    return show(ActivationsDock(), 380, 860)


def grid_tiles(image: np.ndarray, n: int, cols: int, h: int, w: int) -> np.ndarray:
    """The first n (h, w) tiles of a near-square mosaic, row by row."""
    return np.stack([image[(k // cols) * (h + TILE_GAP):][:h, (k % cols) * (w + TILE_GAP):][:, :w] for k in range(n)])


def save(dock: ActivationsDock, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert dock.grab().save(str(SHOTS / name))


def test_empty_state_shows_the_input_and_a_hint(dock, session):
    dock.set_snapshot(Snapshotter(session).snapshot())
    assert dock.cards == []
    assert dock.hint_label.isVisibleTo(dock)
    assert "Step forward (F10)" in dock.hint_label.text()
    image = dock.input_card.tensor_widget.image_plot.image.image
    np.testing.assert_array_equal(image, session.inputs[0, 0].numpy())  # one grey 32×32 picture
    assert dock.input_card.title_label.text() == "input -> 1×32×32"
    assert not dock.prediction_chart.isVisibleTo(dock)
    assert dock.target_label.text() == "target: 9"


def test_cards_follow_the_forward_steps(qtbot, dock, session):
    snapper = Snapshotter(session)
    for _ in range(CONV2_STEP):
        session.step_forward()
        dock.set_snapshot(snapper.snapshot())
    assert len(dock.cards) == CONV2_STEP
    for i, card in enumerate(dock.cards):
        step = session.forward_steps[i]
        shape = "×".join(str(n) for n in step.output.shape[1:])
        assert card.title_label.text() == f"{i + 1}. {step.title} -> {shape}"
    assert dock.cards[3].title_label.text() == "4. conv2 -> 16×10×10"
    assert not dock.hint_label.isVisibleTo(dock)
    assert [card.current for card in dock.cards] == [False, False, False, True]

    conv1_image = dock.cards[0].tensor_widget.image_plot.image.image  # 6 maps of 28×28, 2 rows of 3
    assert conv1_image.shape == (2 * 28 + TILE_GAP, 3 * 28 + 2 * TILE_GAP)
    np.testing.assert_array_equal(grid_tiles(conv1_image, 6, 3, 28, 28), session.forward_steps[0].output[0].numpy())
    qtbot.wait(20)  # the layout places the new cards from the event loop, as it would on screen
    save(dock, "activations_mid_forward_conv2.png")

    kept = list(dock.cards)
    session.step_forward()
    dock.set_snapshot(snapper.snapshot())
    assert dock.cards[:CONV2_STEP] == kept  # the same card objects: only the new step got a card
    assert [card.current for card in dock.cards] == [False] * CONV2_STEP + [True]


def test_finished_forward_shows_prediction_and_bars(qtbot, dock, session):
    session.run_forward()
    snapshot = Snapshotter(session).snapshot()
    dock.set_snapshot(snapshot)
    assert len(dock.cards) == len(session.forward_steps) == 12
    fc3 = dock.cards[-1].tensor_widget
    np.testing.assert_array_equal(fc3.bar_chart.heights, session.output[0].detach().numpy())
    assert fc3.values_label.isVisibleTo(dock)  # ten logits: every number is listed
    assert dock.prediction_label.text() == str(snapshot.prediction)
    assert str(snapshot.prediction).startswith("prediction: ")
    np.testing.assert_array_equal(dock.prediction_chart.heights, snapshot.output_probs)
    ticks = dock.prediction_chart.plot.getAxis("bottom")._tickLevels[0]
    assert [label for _, label in ticks] == list(snapshot.class_names)
    assert dock.target_label.text() == str(snapshot.target)
    qtbot.wait(20)
    save(dock, "activations_after_forward_prediction.png")


def test_clicking_a_card_asks_to_inspect_it(qtbot, dock, session):
    session.run_forward()
    dock.set_snapshot(Snapshotter(session).snapshot())
    dock.scroll_area.ensureWidgetVisible(dock.cards[0])
    with qtbot.waitSignal(dock.inspect_requested) as blocker:
        qtbot.mouseClick(dock.cards[0].title_label, Qt.MouseButton.LeftButton)
    assert blocker.args == ["activation", "0"]

    picture = dock.cards[3].tensor_widget.image_plot
    dock.scroll_area.ensureWidgetVisible(dock.cards[3])
    centre = QPoint(picture.viewport().width() // 2, picture.viewport().height() // 2)
    with qtbot.waitSignal(dock.inspect_requested) as blocker:
        qtbot.mouseClick(picture.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert blocker.args == ["activation", "3"]

    with qtbot.waitSignal(dock.inspect_requested) as blocker:
        qtbot.mouseClick(dock.input_card.title_label, Qt.MouseButton.LeftButton)
    assert blocker.args == ["input", ""]


def test_a_new_pass_refills_the_cards_with_its_tensors(dock, session):
    snapper = Snapshotter(session)
    session.run_forward()
    dock.set_snapshot(snapper.snapshot())
    old_first = dock.cards[0]
    session.next_batch()
    dock.set_snapshot(snapper.snapshot())
    assert dock.cards == [] and dock.hint_label.isVisibleTo(dock)
    session.step_forward()
    dock.set_snapshot(snapper.snapshot())
    assert len(dock.cards) == 1 and dock.cards[0] is old_first  # reused: building plots is slow
    np.testing.assert_array_equal(dock.cards[0].view.values, session.forward_steps[0].output[0].numpy())
    assert dock.cards[0].view is not None and dock.cards[0].tensor_widget.view is dock.cards[0].view
    np.testing.assert_array_equal(dock.input_card.tensor_widget.view.values, session.inputs[0].numpy())


def test_backward_highlights_the_module_it_is_in(dock, session):
    snapper = Snapshotter(session)
    session.run_forward()
    session.compute_loss()
    while True:
        session.step_backward()
        snapshot = snapper.snapshot()
        if snapshot.current_module == "fc2":
            break
    dock.set_snapshot(snapshot)
    current = [card.title_label.text() for card in dock.cards if card.current]
    assert current == ["10. fc2 -> 84"]


def picture_ranges(card) -> tuple[list[float], list[float]]:
    return card.tensor_widget.image_plot.plot.vb.viewRange()


def assert_fits_the_picture(qtbot, card, height: int, width: int) -> None:
    """The axes span the picture (2% padding), not the empty sides a locked aspect adds to a wide or tall view."""
    def fitted():
        (x0, x1), (y0, y1) = picture_ranges(card)
        margin_x, margin_y = 0.05 * width, 0.05 * height
        return (-margin_x <= x0 <= 0 and width <= x1 <= width + margin_x
                and -margin_y <= y0 <= 0 and height <= y1 <= height + margin_y)
    qtbot.waitUntil(fitted, timeout=3_000)


def test_the_input_picture_fills_its_view_at_every_size(qtbot, show, session):
    dock = show(ActivationsDock(), 380, 860)
    dock.set_snapshot(Snapshotter(session).snapshot())
    card = dock.input_card
    assert_fits_the_picture(qtbot, card, 32, 32)  # a 32x32 digit in a card wider than high
    vb = card.tensor_widget.image_plot.plot.vb
    assert abs(vb.width() / vb.height() - 1) < 0.05  # the view took the picture's shape: square pixels
    save(dock, "activations-input-fitted.png")
    for width, height in ((900, 860), (260, 860)):
        dock.resize(width, height)
        assert_fits_the_picture(qtbot, card, 32, 32)
    # another data set: another shape, fitted too
    wide = tensor_view("input", np.random.default_rng(0).random((1, 1, 28, 56), np.float32))
    card.set_content("input -> 1×1×28×56", wide, module=None, image=True)
    assert_fits_the_picture(qtbot, card, 28, 56)
    dock.resize(380, 860)
    assert_fits_the_picture(qtbot, card, 28, 56)
