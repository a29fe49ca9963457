"""The main window's settings file, read and written.

The file is untrusted input like any other: it may be truncated, hold random bytes or have been edited by
hand. Every value read is checked (explorer.ui.settings, explorer.core.config_rules); a bad one keeps its
default, is said once in the status bar and is removed from the file at once, and nothing in the file can
stop the window from opening.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QSettings

from explorer.ui.checkpoint.quit_guard import ASK_ON_QUIT_KEY
from explorer.ui.i18n import LANGUAGES
from explorer.ui.i18n import SETTINGS_KEY as LANGUAGE_KEY
from explorer.ui.settings import (SettingProblem, forget, load_session_config, read_bytes, read_choice,
                                  read_whole_number, save_session_config, unreadable_keys)
from explorer.ui.training.settings import load_train_settings, save_train_settings
from explorer.ui.window.layout import restore_geometry

SETTINGS_VERSION = 1


def read_window_settings(window) -> list[SettingProblem]:
    """Restore the window from its settings; the bad values found (already reset, said and removed)."""
    s = window.settings
    window.settings_message = ""  # what the status bar was told (a hovered button's tip may cover it soon)
    problems: list[SettingProblem] = []
    unreadable = unreadable_keys(s)
    try:
        _restore(window, s, problems)
    except Exception as exc:  # a value no check foresaw: the defaults still open the window
        problems.append(SettingProblem("settings", s.fileName(), f"{type(exc).__name__}: {exc}"))
    if problems or unreadable:
        forget(s, problems, unreadable)
        keys = [p.key for p in problems]
        if unreadable:
            keys.append(QCoreApplication.translate("WindowSettings", "{0} unreadable entries").format(len(unreadable)))
        window.settings_message = QCoreApplication.translate(  # short: the status bar shows one line
            "WindowSettings", "Bad settings reset to their defaults: {0}").format(", ".join(keys))
        window.statusBar().showMessage(window.settings_message, 20000)
    return problems


def _restore(window, s: QSettings, problems: list[SettingProblem]) -> None:
    version = read_whole_number(s, "settings_version", 0, problems)
    read_choice(s, LANGUAGE_KEY, tuple(LANGUAGES), problems)
    read_choice(s, ASK_ON_QUIT_KEY, (True, False, "true", "false"), problems)
    load_session_config(s, problems)  # checked here so that it is said; the engine was given it checked
    window.training_dock.set_settings(load_train_settings(s, problems))
    if version > SETTINGS_VERSION:
        window._geometry_restored = restore_geometry(window, None)  # the default size for this screen
        return  # written by a newer explorer: keep our defaults rather than misread its layout
    geometry = read_bytes(s, "MainWindow/geometry", problems)
    state = read_bytes(s, "MainWindow/state", problems)
    window._geometry_restored = restore_geometry(window, geometry)
    window._layout_restored = state is not None and window.restoreState(state)


def write_window_settings(window) -> None:
    s = window.settings
    s.setValue("settings_version", SETTINGS_VERSION)
    s.beginGroup("MainWindow")
    s.setValue("geometry", window.saveGeometry())
    s.setValue("state", window.saveState())
    s.endGroup()
    if window.engine.config is not None:
        save_session_config(s, window.engine.config)
    save_train_settings(s, window.training_dock.settings())
    s.sync()
