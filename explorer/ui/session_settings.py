"""The stepping session's configuration, kept in QSettings between runs."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import QSettings

from explorer.core.session import SessionConfig

GROUP = "Session"


def load_session_config(settings: QSettings) -> SessionConfig:
    """The last session's configuration; any field that is missing or unreadable keeps its default."""
    default = SessionConfig()
    values = {}
    settings.beginGroup(GROUP)
    try:
        for f in dataclasses.fields(SessionConfig):
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


def save_session_config(settings: QSettings, config: SessionConfig) -> None:
    settings.beginGroup(GROUP)
    for f in dataclasses.fields(config):
        settings.setValue(f.name, getattr(config, f.name))
    settings.endGroup()
