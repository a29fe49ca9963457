"""Switch the window's language without losing the session.

Qt widgets keep the texts they were built with, so the window is built again in the new language around the
same engine thread (model, weights, optimizer and pass in progress stay where they are), takes over the old
window's layout and counters, and the old window closes without stopping the engine.
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
    return new
