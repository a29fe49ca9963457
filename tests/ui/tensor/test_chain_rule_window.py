"""The Chain rule view in the main window: its requests go to the real engine thread and its answers come back."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt

from explorer.core.moves import Move
from explorer.core.session import SessionConfig
from explorer.ui.main_window import MainWindow
from explorer.ui.window_driver import WindowDriver
from tests.ui.tensor.test_chain_rule_view import click_cell


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
