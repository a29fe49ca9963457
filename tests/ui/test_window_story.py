"""The whole story of the tutorial page, as a person clicks it, on three common screen sizes.

Open, step forward through the net, the loss, step backward node by node, update, zero grad, train, pause,
stop, export, open the file back, open another model, switch language and back. After every action: the
window keeps the size it was given, no two visible docks overlap, every dock is at least its minimum, the
Inspector shows what the step ran, and the status bar has said what each action did. A Qt warning printed on
the way fails the test (pyproject.toml: qt_log_level_fail).
"""

import itertools

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QDockWidget

from explorer.core.models import ModelSpec
from explorer.core.moves import Move
from explorer.core.session import SessionConfig
from explorer.core.training.messages import TrainSettings
from explorer.ui.i18n import install_translators
from explorer.ui.window.language_switch import switch_language
from explorer.ui.main_window import MainWindow
from explorer.ui.tensor.inspector_dock import running_target
from explorer.ui.window.driver import WindowDriver
from explorer.ui.window.layout import DOCK_MINIMUMS

SIZES = [(1280, 720), (1600, 1000), (1920, 1080)]


def visible_docks(window):
    """Docks a person sees: shown, docked, and inside the window (a tab behind another is parked outside)."""
    area = window.rect()
    return [d for d in window.findChildren(QDockWidget)
            if d.isVisible() and not d.isFloating() and area.intersects(d.geometry())]


def check_layout(window, size, what: str) -> None:
    QApplication.processEvents()
    assert (window.width(), window.height()) == size, f"the window resized itself at: {what}"
    docks = visible_docks(window)
    assert len(docks) >= 4, what
    for dock in docks:
        minimum = DOCK_MINIMUMS[dock.objectName()]
        g = dock.geometry()
        assert g.width() >= minimum.width() and g.height() >= minimum.height(), (what, dock.objectName(), g)
        assert window.rect().contains(g), (what, dock.objectName(), g)
    for a, b in itertools.combinations(docks, 2):
        assert not a.geometry().intersects(b.geometry()), (what, a.objectName(), b.objectName())


def wait_inspector_shows(drive, window) -> None:
    target = running_target(window.snapshot)
    if target is not None:
        drive.wait_until(lambda: window.inspector_dock.inspection is not None
                         and window.inspector_dock.inspection.target == target, f"the inspector on {target}")


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_the_tutorial_story_at_every_screen_size(qtbot, tmp_path, size, close_at_end):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(SessionConfig(dataset="tutorial"), settings)
    close_at_end(window)  # not qtbot.addWidget: the language switch deletes it
    window.resize(*size)
    window.show()
    drive = WindowDriver(window)
    drive.wait_ready()
    messages = []
    window.statusBar().messageChanged.connect(messages.append)
    check_layout(window, size, "open")

    def said(prefix: str) -> None:
        drive.wait_until(lambda: any(m.startswith(prefix) for m in messages), f"the status bar to say {prefix!r}")

    while Move.STEP_FORWARD in window.snapshot.legal_moves:
        drive.move(Move.STEP_FORWARD)
        wait_inspector_shows(drive, window)
        check_layout(window, size, f"forward {len(window.snapshot.forward)}")
    assert window.inspector_dock.inspection.target == ("activation", str(window.snapshot.forward[-1].index))
    drive.move(Move.LOSS)
    window.training_plots_dock.raise_()  # the curves' tab in front: stepping backward must bring the graph back
    while Move.STEP_BACKWARD in window.snapshot.legal_moves:
        snapshot = drive.move(Move.STEP_BACKWARD)
        wait_inspector_shows(drive, window)
        assert window.inspector_dock.inspection.target == ("node", snapshot.current_node)
        assert window.graph_dock.isVisible()
        check_layout(window, size, f"backward {len(snapshot.backward_done_ids)}")
    drive.move(Move.UPDATE)
    said("Updated the weights")
    drive.move(Move.ZERO_GRAD)
    said("Zero grad")
    check_layout(window, size, "update and zero grad")

    # train, pause, stop
    window.training_dock.set_settings(TrainSettings("sgd", 0.01, 4, 100_000, "steps", 0))
    window.training_actions["train"].trigger()
    drive.wait_until(lambda: window.training_plots_dock.counts["steps"] >= 20, "20 training steps")
    check_layout(window, size, "training")
    window.training_actions["pause"].trigger()
    drive.wait_until(lambda: window.training_state.phase == "paused", "the run to pause")
    window.training_actions["stop"].trigger()
    drive.wait_until(lambda: window.training_state.phase == "idle", "the run to stop")
    check_layout(window, size, "stopped")

    # export, then open the file back
    path = tmp_path / "story.pt"
    window.checkpoints.export_to(path)
    drive.wait_until(lambda: not window.checkpoints.busy, "the export")
    said("Exported")
    window.checkpoints.open_path(path)
    drive.wait_until(lambda: window.checkpoints.preview_dialog is not None
                     and window.checkpoints.preview_dialog.isVisible(), "the checkpoint preview")
    qtbot.mouseClick(window.checkpoints.preview_dialog.apply_button, Qt.MouseButton.LeftButton)
    drive.wait_until(lambda: not window.checkpoints.busy, "the weights to load")
    said("Loaded weights")
    check_layout(window, size, "checkpoint opened")

    # another model: clean panels
    serial = window.snapshot.serial
    window.model_data.apply_model(ModelSpec("mlp"))
    drive.wait_until(lambda: window.snapshot.serial > serial and window.snapshot.config.get("model") == "mlp",
                     "the mlp")
    said("Opened mlp")
    assert window.training_plots_dock.counts["steps"] == 0
    assert window.training_plots_dock.gradient_histograms.chooser.count() == 0
    assert window.inspector_dock.target is None
    assert "Stopped" not in window.training_dock.message.text()
    check_layout(window, size, "another model")

    # language and back: the same size, the same layout rules
    try:
        chinese = switch_language(window, "zh_CN")
        close_at_end(chinese)
        drive = WindowDriver(chinese)
        drive.wait_until(lambda: chinese.snapshot is not None and chinese.model_dock.info is not None, "zh_CN window")
        check_layout(chinese, size, "zh_CN")
        english = switch_language(chinese, "en")
        qtbot.addWidget(english)
        drive = WindowDriver(english)
        drive.wait_until(lambda: english.snapshot is not None and english.model_dock.info is not None, "en window")
        check_layout(english, size, "back to English")
    finally:
        install_translators(QApplication.instance(), "en")
    english.steps_since_export = 0
    english.close()
