"""Model specs: 'seed' (the tutorial's Net) or 'path/to/file.py:ClassName' (a user's own nn.Module).

A user's file runs as Python code when it is loaded: that is what opening a model means.
Every failure becomes a ModelSpecError whose message names the file and keeps the user's own
traceback lines, so the caller can show it and keep the model it had.
"""

from __future__ import annotations

import importlib.util
import sys
import traceback
from dataclasses import dataclass, field
from pathlib import Path

import torch.nn as nn

from explorer.core.net import Net
from explorer.core.seeding import seeded_init

BUILTIN_MODELS = {"seed": Net}
# The input each built-in model expects for one sample batch (N, C, H, W).
BUILTIN_INPUT_SHAPES = {"seed": (1, 1, 32, 32)}


class ModelSpecError(Exception):
    """A model spec that cannot be turned into an nn.Module; the message is for the user."""


@dataclass(frozen=True)
class ModelSpec:
    """What to build: a built-in name or a file and class, with constructor keyword arguments."""

    text: str = "seed"
    kwargs: dict = field(default_factory=dict)

    @property
    def is_builtin(self) -> bool:
        return self.text in BUILTIN_MODELS

    def file_and_class(self) -> tuple[Path, str]:
        path, sep, cls = self.text.rpartition(":")
        if not sep or not path or not cls:
            raise ModelSpecError(
                f"model spec {self.text!r}: expected one of {sorted(BUILTIN_MODELS)} "
                "or 'path/to/file.py:ClassName'"
            )
        return Path(path), cls

    def __str__(self) -> str:
        return self.text


def parse_spec(text: str | ModelSpec) -> ModelSpec:
    return text if isinstance(text, ModelSpec) else ModelSpec(text.strip() or "seed")


def build_model(spec: str | ModelSpec = "seed", seed: int = 0) -> nn.Module:
    """Build the model a spec names, with initial weights drawn from `seed`."""
    spec = parse_spec(spec)
    if spec.is_builtin:
        with seeded_init(seed):
            return BUILTIN_MODELS[spec.text](**spec.kwargs)
    path, cls_name = spec.file_and_class()
    cls = _load_class(path, cls_name)
    try:
        with seeded_init(seed):
            model = cls(**spec.kwargs)
    except Exception as exc:
        raise ModelSpecError(f"{path}: {cls_name}(...) failed: {_user_traceback(exc, path)}") from None
    return model


def input_shape_for(spec: str | ModelSpec) -> tuple[int, ...] | None:
    """The sample input shape of a built-in model; None for a user's model (ask the user)."""
    return BUILTIN_INPUT_SHAPES.get(parse_spec(spec).text)


def _load_class(path: Path, cls_name: str) -> type:
    if not path.is_file():
        raise ModelSpecError(f"{path}: no such file")
    module_name = f"explorer_user_model_{abs(hash(str(path.resolve())))}"
    module_spec = importlib.util.spec_from_file_location(module_name, path)
    if module_spec is None or module_spec.loader is None:
        raise ModelSpecError(f"{path}: not a Python file")
    module = importlib.util.module_from_spec(module_spec)
    try:
        module_spec.loader.exec_module(module)
    except Exception as exc:
        raise ModelSpecError(f"{path}: does not import: {_user_traceback(exc, path)}") from None
    cls = getattr(module, cls_name, None)
    if cls is None:
        raise ModelSpecError(f"{path}: has no class {cls_name!r}")
    if not (isinstance(cls, type) and issubclass(cls, nn.Module)):
        raise ModelSpecError(f"{path}: {cls_name!r} is not an nn.Module subclass")
    sys.modules.setdefault(module_name, module)  # so pickling-free helpers can find it again
    return cls


def _user_traceback(exc: BaseException, path: Path) -> str:
    """The exception and the traceback lines that point into the user's file."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if Path(f.filename) == path]
    where = "".join(traceback.format_list(frames)).rstrip()
    message = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    return f"{message}\n{where}" if where else message
