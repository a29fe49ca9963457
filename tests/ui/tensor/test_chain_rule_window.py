"""The Chain rule view in the main window: its requests go to the real engine thread and its answers come back."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt

from explorer.core.moves import Move
from explorer.core.session import SessionConfig
from explorer.ui.main_window import MainWindow
from explorer.ui.window.driver import WindowDriver
from tests.ui.tensor.test_chain_rule_view import SHOTS, click_cell
from tests.ui.windows import open_window


def test_click_and_check_numerically_through_the_engine_thread(qtbot, tmp_path):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(SessionConfig(dataset="digits", batch_size=2), settings)
    qtbot.addWidget(window)
    window.resize(1400, 900)
    window.show()
    driver = WindowDriver(window)
    try:
        driver.wait_ready()
        for move in (Move.RUN_FORWARD, Move.LOSS, Move.RUN_BACKWARD):
            driver.move(move)
        graph = window.snapshot.graph
        node = next(n for n in window.snapshot.backward_done_ids
                    if graph.attrs[n]["cls"] == "AddmmBackward0" and graph.attrs[n].get("module") == "fc3")
        driver.inspect("node", node)
        dock = window.inspector_dock
        view = dock.chain_rule_view
        assert view.isVisible() and view.explanation.node_id == node
        n_in = len(view.explanation.gradients_in)
        click_cell(qtbot, dock.columns[n_in + 1].tensor_widget.image_plot, (0, 7))
        qtbot.waitUntil(lambda: view.explanation.worked.index == (0, 7), timeout=30_000)
        assert "dL/dmat1[0, 7]" in view.worked_label.text()
        qtbot.mouseClick(view.check_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: view.explanation.numeric is not None, timeout=30_000)
        assert view.explanation.numeric.index == (0, 7) and view.explanation.numeric.relative < 1e-4
        assert "relative error" in view.numeric_label.text()
    finally:
        window.close()
    assert not window.engine.thread.isRunning()


def test_the_guided_walk_opens_the_chain_rule_on_fc3(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path)
    try:
        window.show_tutorial()
        dock = window.tutorial_dock
        dock.go(next(i for i, s in enumerate(dock.steps) if s.key == "chain_rule"))
        view = window.inspector_dock.chain_rule_view
        qtbot.waitUntil(lambda: view.explanation is not None and view.explanation.worked.slot == 1
                        and view.explanation.numeric is not None, timeout=30_000)
        assert view.explanation.cls == "AddmmBackward0" and view.explanation.module == "fc3"
        assert view.isVisible() and "dL/dmat1[0, " in view.worked_label.text()
        assert "relative error" in view.numeric_label.text()
        qtbot.waitUntil(lambda: "relative error" in dock.result_text(), timeout=30_000)
        SHOTS.mkdir(parents=True, exist_ok=True)
        window.grab().save(str(SHOTS / "main-guided-chain-rule.png"))
    finally:
        window.steps_since_export = 0
        window.close()
