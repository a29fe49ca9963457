"""The main window, driven by real clicks on its toolbar, checked against the engine's own session."""

import dataclasses

import numpy as np
import pytest
import torch
from PySide6.QtCore import QSettings, Qt

from explorer.core.moves import Move
from explorer.core.session import SessionConfig
from explorer.ui.graph.view import CURRENT, DONE
from explorer.ui.main_window import MainWindow
from explorer.ui.window.driver import WindowDriver
from tests.ui.windows import open_window


@pytest.fixture
def make_window(qtbot, tmp_path):
    """Builds main windows with settings in tmp_path; closes them (and their engine threads) afterwards."""
    windows = []

    def make(dataset="tutorial", settings_name="settings.ini"):
        window = open_window(qtbot, tmp_path, SessionConfig(dataset=dataset), settings_name=settings_name)
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.close()
        assert not window.engine.thread.isRunning()


def click(qtbot, window, move):
    """Click the toolbar button of a move and wait until the window has drawn the snapshot that answers it."""
    asked = window.move_answers.asked
    button = window.step_toolbar.widgetForAction(window.move_actions[move])
    assert button.isEnabled(), f"{move} is disabled: {window.snapshot.status}"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    request = window.move_answers.asked
    assert request > asked, f"the click on {move} sent no move"
    qtbot.waitUntil(lambda: window.move_answers.drawn(request, window.snapshot), timeout=30_000)
    return window.snapshot


def session_of(window):
    """The engine's session, read only after the engine has answered (tests only: no GUI code does this)."""
    return window.engine.engine.session


def test_clicking_through_a_whole_training_step(qtbot, make_window):
    window = make_window("tutorial")
    session = session_of(window)
    enabled = {m for m, a in window.move_actions.items() if a.isEnabled()}
    assert enabled == set(window.snapshot.legal_moves)
    assert {"update", "compute_loss", "step_backward"}.isdisjoint(enabled)

    # forward, one step at a time: activations grow, the model dock follows the current module
    n = 0
    while Move.STEP_FORWARD in window.snapshot.legal_moves:
        snap = click(qtbot, window, "step_forward")
        n += 1
        assert len(window.activations_dock.cards) == n
        assert window.step_label.text() == str(snap.status)
        if snap.forward[-1].kind == "module":
            assert window.model_dock.highlighted_module() == snap.forward[-1].name
    assert n == len(session.forward_steps) == 12
    assert window.step_label.text() == "forward 12/12: fc3 - forward done"
    np.testing.assert_array_equal(
        window.activations_dock.cards[0].view.values, session.forward_steps[0].output[0].numpy())

    snap = click(qtbot, window, "compute_loss")
    assert snap.loss == pytest.approx(float(session.loss.detach()))
    assert len(window.graph_dock.view.node_items) == 26

    # backward, one node at a time: the highlighted node follows the engine's real order
    i = 0
    while Move.STEP_BACKWARD in window.snapshot.legal_moves:
        snap = click(qtbot, window, "step_backward")
        items = window.graph_dock.view.node_items
        real = session.backward_steps[i].node_id
        last = Move.STEP_BACKWARD not in snap.legal_moves
        # the running node is ringed; after the last one nothing runs and every node, the last too, is ticked
        assert items[real].state == (DONE if last else CURRENT)
        assert all(items[s.node_id].state == DONE for s in session.backward_steps[:i])
        # the inspector follows the running node (not pinned)
        WindowDriver(window).wait_until(lambda: window.inspector_dock.inspection is not None
                                        and window.inspector_dock.inspection.target == ("node", real), "inspector follows")
        i += 1
    assert i == 26

    WindowDriver(window).inspect("param", "conv1.bias")
    shown = window.inspector_dock.inspection
    np.testing.assert_array_equal(shown.views[1].values, session.model.conv1.bias.grad.numpy())

    click(qtbot, window, "update")
    inspection = WindowDriver(window).inspect("param", "conv1.bias")
    record = session.update_record
    assert len(inspection.views) == 4
    np.testing.assert_allclose(inspection.views[3].values, (record.after["conv1.bias"] - record.before["conv1.bias"]).numpy())
    assert torch.equal(session.model.conv1.bias.detach(), record.after["conv1.bias"])
    assert "update" not in {m for m, a in window.move_actions.items() if a.isEnabled()}


def test_illegal_moves_are_disabled_and_follow_the_phase(qtbot, make_window):
    window = make_window("digits")
    actions = window.move_actions
    assert actions["step_forward"].isEnabled() and not actions["update"].isEnabled()
    click(qtbot, window, "run_forward")
    assert not actions["step_forward"].isEnabled()
    assert actions["compute_loss"].isEnabled() and actions["backward_from_output"].isEnabled()
    click(qtbot, window, "backward_from_output")
    assert window.snapshot.graph.root == "output"
    assert not actions["compute_loss"].isEnabled() and not actions["zero_grad"].isEnabled()


def test_closing_mid_pass_stops_the_engine_cleanly(qtbot, make_window):
    window = make_window("digits")
    click(qtbot, window, "step_forward")
    click(qtbot, window, "step_forward")
    window.move_actions[Move.STEP_FORWARD].trigger()  # one more in flight while closing
    window.close()
    assert not window.engine.thread.isRunning()


def test_layout_and_session_settings_are_restored(qtbot, make_window, tmp_path):
    window = make_window("tutorial", "restore.ini")
    window.inspector_dock.hide()
    window.resize(720, 540)  # inside the offscreen screen (800x600), which clamps geometry
    size = (window.size().width(), window.size().height())  # as the window's minimum size allowed
    window.close()
    settings = QSettings(str(tmp_path / "restore.ini"), QSettings.Format.IniFormat)
    again = MainWindow(settings=settings)
    qtbot.addWidget(again)
    again.show()
    WindowDriver(again).wait_ready()
    assert again.engine.config.dataset == "tutorial"
    assert again.inspector_dock.isHidden()
    assert (again.size().width(), again.size().height()) == size
    again.close()


def test_choosing_a_data_set_starts_a_new_session(qtbot, make_window):
    window = make_window("tutorial")
    serial = window.snapshot.serial
    window.session_menus.dataset_actions["digits"].trigger()
    qtbot.waitUntil(lambda: window.snapshot.serial > serial and window.snapshot.config["dataset"] == "digits",
                    timeout=30_000)
    assert str(window.snapshot.target).startswith("target: ")
    assert window.session_menus.dataset_actions["digits"].isChecked()


def test_the_last_inspection_asked_for_wins_over_a_re_read_of_the_old_one(qtbot, make_window):
    """The inspector re-reads its target when the weights change; a target asked for just before that change
    (here from outside the dock, as the guided tutorial does) must not be replaced by the old one."""
    window = make_window()
    drive = WindowDriver(window)
    drive.inspect("param", "conv1.weight")
    window.engine.inspect("param", "fc1.weight")
    # A snapshot after a weight change reaches the dock before that answer (as after a training pause).
    snapshot = window.snapshot
    changed = dataclasses.replace(snapshot, serial=snapshot.serial + 1, param_version=snapshot.param_version + 1)
    window.inspector_dock.set_snapshot(changed)
    qtbot.waitUntil(lambda: window.inspector_dock.inspection.target != ("param", "conv1.weight"), timeout=10_000)
    qtbot.wait(300)  # every answer has arrived by now
    assert window.inspector_dock.target == ("param", "fc1.weight")
    assert window.inspector_dock.inspection.target == ("param", "fc1.weight")


def test_an_answer_to_an_older_inspection_is_dropped(qtbot, make_window):
    window = make_window()
    drive = WindowDriver(window)
    old = drive.inspect("param", "conv1.weight")
    window.inspector_dock.expect("param", "fc2.bias")
    window.inspector_dock.set_inspection(old)  # arrives after the newer request: not shown
    assert window.inspector_dock.target == ("param", "fc2.bias")
    new = drive.inspect("param", "fc2.bias")
    assert new.target == ("param", "fc2.bias") and window.inspector_dock.inspection is new
