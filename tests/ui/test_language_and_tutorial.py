"""Switching language keeps the session; the guided walk opens from the Help menu."""

import pytest
import shiboken6
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from explorer.core.moves import Move
from explorer.core.session import SessionConfig
from explorer.ui.i18n import install_translators
from explorer.ui.window.language_switch import switch_language
from explorer.ui.main_window import MainWindow
from explorer.ui.window.driver import WindowDriver


@pytest.fixture
def window(qtbot, tmp_path, close_at_end):
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    w = MainWindow(SessionConfig(dataset="digits"), settings)
    close_at_end(w)  # not qtbot.addWidget: a language switch deletes it
    w.show()
    WindowDriver(w).wait_ready()
    yield w
    install_translators(QApplication.instance(), "en")  # translators are global: leave English behind


def test_switching_to_chinese_keeps_the_pass_in_progress(qtbot, window):
    drive = WindowDriver(window)
    drive.repeat(Move.STEP_FORWARD, 2)
    engine, session = window.engine, window.engine.engine.session
    new = switch_language(window, "zh_CN")
    qtbot.addWidget(new)
    qtbot.waitUntil(lambda: new.snapshot is not None and new.model_dock.info is not None, timeout=30_000)
    assert new.engine is engine and new.engine.engine.session is session
    assert len(new.snapshot.forward) == 2
    assert new.step_label.text().startswith("前向 2/12：")
    assert new.file_menu.title() == "文件(&F)"
    assert new.model_dock.summary.text().startswith("Net：10 个参数张量")
    # the training buttons' texts are literals in QCoreApplication.translate, where lupdate finds them
    assert [a.text() for a in new.training_actions.values()] == ["训练(&T)", "暂停(&P)", "继续(&U)", "停止(&O)", "单步(&S)"]
    assert new.training_actions["resume"].statusTip().startswith("从暂停处继续训练")
    qtbot.waitUntil(lambda: not shiboken6.isValid(window), timeout=5_000)  # closed and deleted
    assert engine.thread.isRunning()
    WindowDriver(new).move(Move.STEP_FORWARD)  # the new window drives the same session on
    assert session.forward_shown == 3
    new.close()
    assert not engine.thread.isRunning()


def test_help_opens_the_guided_walk_on_the_pages_setup(qtbot, window):
    window.tutorial_action.trigger()
    assert window.tutorial_dock.isVisible()
    qtbot.waitUntil(lambda: window.engine.config.dataset == "tutorial", timeout=30_000)
    qtbot.waitUntil(lambda: "585,506" in window.tutorial_dock.result_text(), timeout=30_000)
    window.close()


def test_the_walk_in_the_window_rings_the_chain_flashes_its_panel_and_leaves_f11_to_the_reader(qtbot, window):
    drive = WindowDriver(window)
    dock = window.tutorial_dock
    window.tutorial_action.trigger()
    qtbot.waitUntil(lambda: "585,506" in dock.result_text(), timeout=30_000)
    assert "tutorial" in window.statusBar().currentMessage()  # it says why the data changed
    dock.go(6)  # loss.grad_fn and its next_functions
    qtbot.waitUntil(lambda: len(window.graph_dock.view.search_matches) == 3, timeout=30_000)
    ringed = [window.graph_dock.view.node_items[n] for n in window.graph_dock.view.search_matches]
    assert [item.label for item in ringed] == ["MseLossBackward0", "AddmmBackward0", "ReluBackward0"]
    dock.show_button.click()  # "Show me" with the graph already in front: its title lights up
    assert "background" in window.graph_dock.styleSheet()
    qtbot.waitUntil(lambda: window.graph_dock.styleSheet() == "", timeout=3_000)
    dock.go(8)  # conv1.bias.grad after backward: the reader steps its node with F11
    qtbot.waitUntil(lambda: dock.result_text() == "conv1.bias.grad = None", timeout=30_000)  # not written yet
    assert window.move_actions[Move.STEP_BACKWARD].isEnabled()
    drive.move(Move.STEP_BACKWARD)
    qtbot.waitUntil(lambda: "conv1.bias.grad = [" in dock.result_text(), timeout=30_000)
    assert window.inspector_dock.target == ("param", "conv1.bias")  # the walk's tensor stayed
    window.close()


def test_the_old_window_is_deleted_after_a_switch_and_the_engine_goes_on(qtbot, window):
    engine, docks = window.engine, [window.inspector_dock, window.graph_dock]
    new = switch_language(window, "zh_CN")
    qtbot.addWidget(new)
    # deleteLater ran: the closed window and its docks are gone, not only hidden
    qtbot.waitUntil(lambda: not shiboken6.isValid(window), timeout=5_000)
    assert not any(shiboken6.isValid(dock) for dock in docks)
    WindowDriver(new).wait_until(lambda: new.snapshot is not None and new.model_dock.info is not None, "zh_CN")
    assert new.engine is engine and engine.thread.isRunning() and shiboken6.isValid(engine.engine)
    WindowDriver(new).move(Move.STEP_FORWARD)  # nothing still wired to the deleted window answers the engine
    assert new.snapshot.phase == "forward"
    new.close()
    qtbot.waitUntil(lambda: not engine.thread.isRunning(), timeout=30_000)  # the thread ends cleanly


def test_a_run_message_made_before_a_switch_is_said_in_the_new_language(qtbot, window):
    window.training_actions["step"].trigger()  # one training step, then the run waits paused
    qtbot.waitUntil(lambda: window.training_state.phase == "paused", timeout=30_000)
    window.engine.set_device("cpu")  # ends the paused run with a message the engine made in English
    qtbot.waitUntil(lambda: window.training_state.phase == "idle", timeout=30_000)
    assert window.training_dock.message.text().startswith("The model moved to cpu; the training run ended.")
    new = switch_language(window, "zh_CN")
    qtbot.addWidget(new)
    qtbot.waitUntil(lambda: new.model_dock.info is not None, timeout=30_000)
    text = new.training_dock.message.text()
    assert text.startswith("模型已移到 cpu") and "training run ended" not in text, text
    engine = new.engine
    new.steps_since_export = 0  # the step's weights are the test's: closing must not ask to save them
    new.close()
    qtbot.waitUntil(lambda: not engine.thread.isRunning(), timeout=30_000)  # before qtbot deletes the window
