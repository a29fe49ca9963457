"""The Training panel's hyperparameters, kept in QSettings between runs."""

from __future__ import annotations

from PySide6.QtCore import QSettings

from explorer.core.config_rules import TRAIN_RULES
from explorer.core.training.messages import TrainSettings
from explorer.ui.settings import SettingProblem, load_dataclass, save_dataclass

GROUP = "Training"


def load_train_settings(settings: QSettings, problems: list[SettingProblem] | None = None) -> TrainSettings:
    """The last settings used; a value that is missing keeps its default, and so does a bad one (in `problems`)."""
    return load_dataclass(settings, GROUP, TrainSettings(), TRAIN_RULES, problems)


def save_train_settings(settings: QSettings, train: TrainSettings) -> None:
    save_dataclass(settings, GROUP, train)
