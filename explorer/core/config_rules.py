"""What a valid session or training setting is: one place that the settings file's reader, the Data and
Optimizer menus and the Training panel take their limits from.

Values come from an untrusted file (the app's settings) as well as from people, so every rule returns a
reason in words instead of clamping: a value outside its range is reset and said, never quietly changed.
"""

from __future__ import annotations

import math
from pathlib import Path

from explorer.core.data.datasets import DATASETS, FOLDER_DATASETS
from explorer.core.models import ModelSpecError, model_spec
from explorer.core.optim import OPTIMIZERS
from explorer.core.training.messages import UNITS

LR_RANGE = (1e-6, 10.0)
SESSION_BATCH_RANGE = (1, 1024)
TRAIN_BATCH_RANGE = (1, 4096)
LENGTH_RANGE = (1, 100_000_000)
SEED_RANGE = (0, 2**31 - 1)
MOMENTUM_RANGE = (0.0, 0.999)


def _whole(value, lo: int, hi: int) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return f"{value!r} is not a whole number"
    if not lo <= value <= hi:
        return f"{value} is outside {lo:,}..{hi:,}"
    return None


def _real(value, lo: float, hi: float) -> str | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return f"{value!r} is not a number"
    if not math.isfinite(value):
        return f"{value} is not a finite number"
    if not lo <= value <= hi:
        return f"{value:g} is outside {lo:g}..{hi:g}"
    return None


def _choice(value, choices) -> str | None:
    return None if value in choices else f"{value!r} is not one of {', '.join(choices)}"


def dataset_problem(name) -> str | None:
    """None for a data set that can be loaded by name (a folder data set's folder must exist)."""
    if not isinstance(name, str):
        return f"{name!r} is not a data set name"
    kind, sep, folder = name.partition(":")
    if kind in DATASETS and not sep:
        return None
    if kind in FOLDER_DATASETS and folder:
        return None if Path(folder).expanduser().is_dir() else f"{folder!r} is not a folder"
    return f"{name!r} is not a data set (one of {', '.join(DATASETS)}, mnist:DIR, folder:DIR)"


SESSION_RULES = {
    "dataset": dataset_problem,
    "batch_size": lambda v: _whole(v, *SESSION_BATCH_RANGE),
    "optimizer": lambda v: _choice(v, OPTIMIZERS),
    "lr": lambda v: _real(v, *LR_RANGE),
    "momentum": lambda v: _real(v, *MOMENTUM_RANGE),
    "seed": lambda v: _whole(v, *SEED_RANGE),
}

TRAIN_RULES = {
    "optimizer": lambda v: _choice(v, OPTIMIZERS),
    "lr": lambda v: _real(v, *LR_RANGE),
    "batch_size": lambda v: _whole(v, *TRAIN_BATCH_RANGE),
    "length": lambda v: _whole(v, *LENGTH_RANGE),
    "unit": lambda v: _choice(v, UNITS),
    "seed": lambda v: _whole(v, *SEED_RANGE),
}


def model_problem(model, kwargs, input_shape) -> str | None:
    """None when the three model fields parse together (a model file is not run, only named)."""
    if not all(isinstance(v, str) for v in (model, kwargs, input_shape)) or not model:
        return "the model, its arguments and input shape must be text"
    try:
        model_spec(model, kwargs, input_shape)
    except ModelSpecError as exc:
        return str(exc)
    return None


def field_problem(rules: dict, name: str, value) -> str | None:
    """Why `value` is no valid `name` under `rules`, or None (fields without a rule take any value of their type)."""
    rule = rules.get(name)
    return rule(value) if rule is not None else None
