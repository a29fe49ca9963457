"""Switch the window's language without losing the session.

Qt widgets keep the texts they were built with, so the window is built again in the new language around the
same engine thread (model, weights, optimizer and pass in progress stay where they are), takes over the old
window's layout and counters, and the old window closes without stopping the engine and is deleted.
"""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from explorer.ui.i18n import SETTINGS_KEY, install_translators


def switch_language(window, language: str):
    app = QApplication.instance()
    install_translators(app, language)
    window.settings.setValue(SETTINGS_KEY, language)
    window.write_settings()
    new = type(window)(settings=window.settings, engine=window.engine)  # its own class: no import back into main_window
    new.language_actions[language].setChecked(True)
    new.take_over(window)
    new.show()
    app._explorer_window = new  # the only reference: a top-level window has no parent to keep it alive
    # Closed is not gone: a top-level window without WA_DeleteOnClose stays in memory with all its docks and
    # plots. The engine thread is the new window's now (its parent), so deleting the old one leaves it running.
    window.deleteLater()
    return new


TAKE_OVER_TOKEN = "window-taken-over"


def take_over(new, old) -> None:
    """`new` becomes the window of `old`'s engine and session: its layout, state and counters."""
    new.restoreGeometry(old.saveGeometry())  # maximized or not, the screen
    if not (old.isMaximized() or old.isFullScreen()):
        new.setGeometry(old.geometry())  # exactly the old size: restoreGeometry may shrink it to fit a screen
    new._layout_restored = new.restoreState(old.saveState())
    new.steps_since_export, old.steps_since_export = old.steps_since_export, 0
    if old.device_menus.found is not None:
        new._on_engine_devices_found(*old.device_menus.found)
    new._on_engine_training_state(old.training_state)
    new.tutorial_dock.show_step(old.tutorial_dock.index, started=old.tutorial_dock.started)
    new.model_dock.keep_expanded(old.model_dock.collapsed_modules())
    # The engine answers a task with a fresh snapshot; the task's result is the model's structure.
    from explorer.core.snapshot import model_info

    # A bound method of the window, never a plain function: a function has no thread of its own, so Qt called
    # it on the engine thread, which then built the model tree's widgets there (the QBasicTimer warnings).
    new.engine.engine.task_finished.connect(new.on_engine_taken_over)
    new.engine.run_task(TAKE_OVER_TOKEN, model_info)
    old.hand_over()
