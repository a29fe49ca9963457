"""The File > Open recent menu: the last checkpoints opened or exported, kept in QSettings.

Files that have gone missing since stay listed, disabled and marked, so that a file on an unplugged
drive is not forgotten; opening one that vanished after the menu was drawn is the caller's clear error.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtWidgets import QMenu, QWidget

SETTINGS_KEY = "Checkpoints/recent_files"
MAX_RECENT = 8


class RecentFiles(QObject):
    """A most-recent-first list of paths in QSettings, shown as a menu whose entries emit open_requested."""

    open_requested = Signal(str)  # the path chosen from the menu

    def __init__(self, settings: QSettings, parent: QWidget | None = None, limit: int = MAX_RECENT):
        super().__init__(parent)
        self.settings = settings
        self.limit = limit
        self.menu = QMenu(self.tr("Open &recent"), parent)
        self.menu.setObjectName("RecentFilesMenu")
        self.menu.setToolTipsVisible(True)
        self.menu.aboutToShow.connect(self._on_menu_about_to_show)
        stored = self.settings.value(SETTINGS_KEY)
        kept = [str(p) for p in self.paths()]
        if stored is not None and stored != kept and stored != (kept[0] if len(kept) == 1 else None):
            self.settings.setValue(SETTINGS_KEY, kept)  # a bloated or damaged list: store only what is kept
        self._on_menu_about_to_show()  # drawn now too, so the menu is right before it is ever opened

    def paths(self) -> list[Path]:
        value = self.settings.value(SETTINGS_KEY, [])
        if isinstance(value, str):  # QSettings returns a one-item list as a plain string
            value = [value]
        if not isinstance(value, (list, tuple)):  # a damaged settings file: no list at all
            return []
        return [Path(text) for text in value if isinstance(text, str) and text][: self.limit]

    def add(self, path: str | Path) -> None:
        path = Path(path).absolute()
        paths = [path, *(p for p in self.paths() if p != path)]
        self._store(paths[: self.limit])

    def clear(self) -> None:
        self._store([])

    def _store(self, paths: list[Path]) -> None:
        self.settings.setValue(SETTINGS_KEY, [str(p) for p in paths])
        self._on_menu_about_to_show()

    def _on_menu_about_to_show(self) -> None:
        self.menu.clear()
        paths = self.paths()
        for index, path in enumerate(paths, start=1):
            exists = path.is_file()
            text = self.tr("&{0} {1}").format(index, path.name) if index < 10 else path.name
            action = self.menu.addAction(text if exists else self.tr("{0} (missing)").format(text))
            action.setToolTip(str(path) if exists else self.tr("{0} no longer exists").format(path))
            action.setStatusTip(action.toolTip())
            action.setEnabled(exists)
            action.triggered.connect(lambda checked=False, p=str(path): self.open_requested.emit(p))
        if paths:
            self.menu.addSeparator()
        clear = self.menu.addAction(self.tr("&Clear list"), self.clear)
        clear.setEnabled(bool(paths))
        self.menu.menuAction().setEnabled(bool(paths))

    def __repr__(self) -> str:
        return f"RecentFiles({len(self.paths())} of at most {self.limit})"
