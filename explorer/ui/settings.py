"""Frozen dataclasses of settings (the session's, the training panel's) kept in QSettings between runs."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import QSettings

from explorer.core.session import SessionConfig

GROUP = "Session"


def load_dataclass(settings: QSettings, group: str, default):
    """`default` with every field found in `group`; a missing or unreadable value keeps its default."""
    values = {}
    settings.beginGroup(group)
    try:
        for f in dataclasses.fields(default):
            raw = settings.value(f.name)
            if raw is None:
                continue
            try:
                values[f.name] = type(getattr(default, f.name))(raw)
            except (TypeError, ValueError):
                pass
    finally:
        settings.endGroup()
    return dataclasses.replace(default, **values)


def save_dataclass(settings: QSettings, group: str, value) -> None:
    settings.beginGroup(group)
    for f in dataclasses.fields(value):
        settings.setValue(f.name, getattr(value, f.name))
    settings.endGroup()


def load_session_config(settings: QSettings) -> SessionConfig:
    return load_dataclass(settings, GROUP, SessionConfig())


def save_session_config(settings: QSettings, config: SessionConfig) -> None:
    save_dataclass(settings, GROUP, config)
