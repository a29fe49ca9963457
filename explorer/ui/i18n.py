"""Languages: Qt's own translation system (QTranslator over .qm files built from resources/translations/*.ts).

The language comes from --lang, else the saved setting, else the system locale; English needs no file.
"""

from __future__ import annotations

from importlib.resources import files

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QSettings, QTranslator

LANGUAGES = {"en": "English", "zh_CN": "简体中文"}
SETTINGS_KEY = "language"


def system_language() -> str:
    return "zh_CN" if QLocale.system().name().startswith("zh") else "en"


def choose_language(requested: str | None, settings: QSettings) -> str:
    for candidate in (requested, settings.value(SETTINGS_KEY)):
        if candidate in LANGUAGES:
            return candidate
    return system_language()


def translation_file(language: str):
    return files("explorer.resources") / "translations" / f"explorer_{language}.qm"


def install_translators(app: QCoreApplication, language: str) -> list[QTranslator]:
    """Install Qt's own strings (dialog buttons) and explorer's for `language`; returns them to keep alive.

    Translators installed earlier by this function are removed first, so switching language is one call.
    """
    for old in getattr(app, "_explorer_translators", []):
        app.removeTranslator(old)
    installed: list[QTranslator] = []
    if language != "en":
        qt = QTranslator(app)
        if qt.load(QLocale(language), "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
            installed.append(qt)
        ours = QTranslator(app)
        if ours.load(str(translation_file(language))):
            installed.append(ours)
        for t in installed:
            app.installTranslator(t)
    app._explorer_translators = installed
    app._explorer_language = language
    return installed


def current_language() -> str:
    """The language install_translators last installed ("en" before any): for texts the core writes in both."""
    return getattr(QCoreApplication.instance(), "_explorer_language", "en")
