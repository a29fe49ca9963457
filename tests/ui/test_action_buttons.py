"""Tool buttons follow their action without piling up connections (Qt 6.11 reconnects on every change)."""

from PySide6.QtCore import SIGNAL
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow

from explorer.ui.window.action_buttons import follow_actions


def test_a_toolbar_button_follows_its_action_with_one_connection(qtbot):
    window = QMainWindow()
    qtbot.addWidget(window)
    action = QAction("Step", window, checkable=True)
    toolbar = window.addToolBar("t")
    toolbar.addAction(action)
    assert follow_actions(window) == 1
    assert follow_actions(window) == 0  # once per button
    window.show()
    button = toolbar.widgetForAction(action)
    start = action.receivers(SIGNAL("changed()"))
    for i in range(500):
        action.setEnabled(i % 2 == 1)
    action.setText("Run")
    action.setToolTip("tip")
    action.setChecked(True)
    assert action.receivers(SIGNAL("changed()")) == start  # without the filter: start + 503
    assert button.isEnabled() and button.text() == "Run" and button.toolTip() == "tip" and button.isChecked()
    action.setEnabled(False)
    assert not button.isEnabled()


def test_the_main_window_buttons_keep_one_connection_over_many_moves(qtbot, tmp_path):
    from PySide6.QtCore import QSettings

    from explorer.core.moves import Move
    from explorer.core.session import SessionConfig
    from explorer.ui.main_window import MainWindow
    from explorer.ui.window.driver import WindowDriver

    window = MainWindow(SessionConfig(dataset="tutorial"), QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    driver = WindowDriver(window)
    driver.wait_ready()
    before = {m: a.receivers(SIGNAL("changed()")) for m, a in window.move_actions.items()}
    for _ in range(5):
        for move in (Move.RUN_FORWARD, Move.LOSS, Move.RUN_BACKWARD, Move.UPDATE, Move.NEXT_BATCH):
            driver.move(move)
    after = {m: a.receivers(SIGNAL("changed()")) for m, a in window.move_actions.items()}
    assert after == before
    button = window.step_toolbar.widgetForAction(window.move_actions[Move.UPDATE])
    assert button.isEnabled() == window.move_actions[Move.UPDATE].isEnabled()
    window.close()
