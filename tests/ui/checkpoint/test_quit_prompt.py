"""The quit prompt: unsaved training asks before the window closes."""


from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from explorer.core.checkpoint import load_checkpoint
from explorer.ui.checkpoint import dialogs as checkpoint_dialogs
from explorer.ui.checkpoint import quit_guard as checkpoint_quit_guard

from .checkpoint_helpers import wait_message, dismiss, save_shot


def quit_prompt(qtbot, window, controller) -> QMessageBox:
    assert window.close() is False
    qtbot.waitUntil(lambda: controller.quit_guard.prompt is not None and controller.quit_guard.prompt.isVisible())
    return controller.quit_guard.prompt


def test_quitting_with_unsaved_training_asks_and_cancel_keeps_the_window(qtbot, make_window):
    window, controller = make_window()
    window.steps_since_export = 5
    prompt = quit_prompt(qtbot, window, controller)
    assert prompt.text() == "5 training steps since the last export."
    save_shot(prompt, "ui-checkpoint-quit-prompt.png")
    qtbot.mouseClick(prompt.button(QMessageBox.StandardButton.Cancel), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: controller.quit_guard.prompt is None)
    assert window.isVisible() and window.engine.thread.isRunning()

    prompt = quit_prompt(qtbot, window, controller)
    qtbot.mouseClick(prompt.button(QMessageBox.StandardButton.Discard), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.isVisible())
    assert not window.engine.thread.isRunning()


def test_save_on_quit_exports_then_closes_and_a_failed_save_keeps_the_window(qtbot, make_window, tmp_path, monkeypatch):
    window, controller = make_window()
    window.steps_since_export = 2
    (tmp_path / "not-a-folder").write_text("x")
    targets = iter([tmp_path / "not-a-folder" / "run.pt", tmp_path / "run.pt"])
    monkeypatch.setattr(checkpoint_dialogs, "ask_export_path", lambda *args: next(targets))

    prompt = quit_prompt(qtbot, window, controller)
    qtbot.mouseClick(prompt.button(QMessageBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    box = wait_message(qtbot, controller)
    assert "Not a directory" in box.text()
    dismiss(qtbot, controller)
    assert window.isVisible()

    prompt = quit_prompt(qtbot, window, controller)
    qtbot.mouseClick(prompt.button(QMessageBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=30_000)
    assert load_checkpoint(tmp_path / "run.pt").metadata["model"] == "seed"


def test_no_prompt_without_unsaved_steps_or_after_dont_ask_again(qtbot, make_window):
    window, controller = make_window()
    window.steps_since_export = 4
    prompt = quit_prompt(qtbot, window, controller)
    prompt.checkBox().setChecked(True)
    qtbot.mouseClick(prompt.button(QMessageBox.StandardButton.Discard), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.isVisible())
    assert window.settings.value(checkpoint_quit_guard.ASK_ON_QUIT_KEY) in (False, "false")

    second, second_controller = make_window()
    second.steps_since_export = 4
    assert second.close() is True and second_controller.quit_guard.prompt is None
