"""The Training panel's hyperparameters, kept in QSettings between runs."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import QSettings

from explorer.core.training_messages import UNITS, TrainSettings

GROUP = "Training"


def load_train_settings(settings: QSettings) -> TrainSettings:
    """The last settings used; any value that is missing or unreadable keeps its default."""
    default = TrainSettings()
    values = {}
    settings.beginGroup(GROUP)
    try:
        for f in dataclasses.fields(TrainSettings):
            raw = settings.value(f.name)
            if raw is None:
                continue
            try:
                values[f.name] = type(getattr(default, f.name))(raw)
            except (TypeError, ValueError):
                pass
    finally:
        settings.endGroup()
    if values.get("unit", "steps") not in UNITS:
        values.pop("unit")
    return dataclasses.replace(default, **values)


def save_train_settings(settings: QSettings, train: TrainSettings) -> None:
    settings.beginGroup(GROUP)
    for f in dataclasses.fields(train):
        settings.setValue(f.name, getattr(train, f.name))
    settings.endGroup()
