"""The Training panel's hyperparameters, kept in QSettings between runs."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import QSettings

from explorer.core.training.messages import UNITS, TrainSettings
from explorer.ui.settings import load_dataclass, save_dataclass

GROUP = "Training"


def load_train_settings(settings: QSettings) -> TrainSettings:
    """The last settings used; any value that is missing or unreadable keeps its default."""
    loaded = load_dataclass(settings, GROUP, TrainSettings())
    return loaded if loaded.unit in UNITS else dataclasses.replace(loaded, unit=TrainSettings().unit)


def save_train_settings(settings: QSettings, train: TrainSettings) -> None:
    save_dataclass(settings, GROUP, train)
