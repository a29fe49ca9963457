"""Model specs: a built-in name ('seed' is the tutorial's Net), 'path/to/file.py:ClassName' (a user's own
nn.Module), or 'package.module:callable' (a class or factory function in an importable module, such as
torchvision.models:resnet18), with constructor keyword arguments and, where the model cannot say, its input shape.

A user's file runs as Python code when it is loaded, and a named module is imported when it is built: that is
what opening a model means, so callers build a spec only when the user named it (never on a file's say-so).
Every failure becomes a ModelSpecError whose message names the file and keeps the user's own
traceback lines, so the caller can show it and keep the model it had.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import re
import sys
import traceback
from dataclasses import dataclass, field
from pathlib import Path

import torch
import torch.nn as nn

from explorer.core.builtin_models import MLP, SmallResNet
from explorer.core.net import Net
from explorer.core.outputs import OutputError, select_output
from explorer.core.seeding import seeded_init

BUILTIN_MODELS: dict[str, type[nn.Module]] = {"seed": Net, "resnet": SmallResNet, "mlp": MLP}
# The input each built-in model expects for one sample batch (N, C, H, W).
BUILTIN_INPUT_SHAPES = {"seed": (1, 1, 32, 32), "resnet": (1, 1, 32, 32), "mlp": (1, 1, 32, 32)}


_MODULE_REFERENCE = re.compile(r"^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*:[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$")


class ModelSpecError(Exception):
    """A model spec that cannot be turned into an nn.Module; the message is for the user."""


@dataclass(frozen=True)
class ModelSpec:
    """What to build: a built-in name or a file and class, with constructor keyword arguments and an
    optional input shape (one sample, without the batch dimension, e.g. (1, 28, 28))."""

    text: str = "seed"
    kwargs: dict = field(default_factory=dict)
    input_shape: tuple[int, ...] | None = None
    output: str = ""  # which entry of a structured output is the prediction (explorer.core.outputs); "": the rule's

    @property
    def is_builtin(self) -> bool:
        return self.text in BUILTIN_MODELS

    @property
    def is_factory(self) -> bool:
        """'package.module:callable': dotted names on both sides and no file path (a .py file is a file)."""
        module, sep, _ = self.text.partition(":")
        return bool(sep) and bool(_MODULE_REFERENCE.match(self.text)) and not module.endswith(".py")

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


def model_spec(text: str, kwargs_json: str = "", input_shape: str = "", output: str = "") -> ModelSpec:
    """A spec from the strings a user types (and a settings file keeps): the model, its constructor
    arguments as a JSON object, its input shape such as '1,28,28' (empty: not given), and the name of the
    output entry that is the prediction (empty: the rule in explorer.core.outputs decides)."""
    return ModelSpec(text.strip() or "seed", parse_kwargs(kwargs_json), parse_input_shape(input_shape),
                     output.strip())


def parse_kwargs(text: str) -> dict:
    """'{"width": 64}' -> {'width': 64}; empty text means no arguments."""
    if not text.strip():
        return {}
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ModelSpecError(f"constructor arguments {text!r} are not JSON: {exc}") from None
    if not isinstance(value, dict):
        raise ModelSpecError(f'constructor arguments must be a JSON object such as {{"width": 64}}, got {text!r}')
    return value


def parse_input_shape(text: str) -> tuple[int, ...] | None:
    """'1,28,28', '1x28x28' or '(1, 28, 28)' -> (1, 28, 28); empty text means not given."""
    parts = [p for p in re.split(r"[\s,x×()\[\]]+", text.strip()) if p]
    if not parts:
        return None
    if not all(p.isdigit() and int(p) > 0 for p in parts):
        raise ModelSpecError(f"input shape {text!r}: expected positive whole numbers such as 1,28,28")
    return tuple(int(p) for p in parts)


def format_input_shape(shape: tuple[int, ...] | None) -> str:
    """The inverse of parse_input_shape: (1, 28, 28) -> '1,28,28', None -> ''."""
    return ",".join(str(d) for d in shape) if shape else ""


def build_model(spec: str | ModelSpec = "seed", seed: int = 0) -> nn.Module:
    """Build the model a spec names, with initial weights drawn from `seed`."""
    spec = parse_spec(spec)
    if spec.is_builtin:
        cls = BUILTIN_MODELS[spec.text]
        try:
            with seeded_init(seed):
                return cls(**spec.kwargs)
        except TypeError as exc:  # an unknown keyword argument
            raise ModelSpecError(f"model {spec.text!r}: {exc}") from None
    if spec.is_factory:
        return _build_from_factory(spec, seed)
    path, cls_name = spec.file_and_class()
    cls = _load_class(path, cls_name)
    try:
        with seeded_init(seed):
            model = cls(**spec.kwargs)
    except Exception as exc:
        raise ModelSpecError(f"{path}: {cls_name}(...) failed: {user_traceback(exc, path)}") from None
    if not any(p.requires_grad for p in model.parameters()):
        raise ModelSpecError(f"{path}: {cls_name} has no trainable parameters, so there is nothing to step or train")
    return model


def state_size(spec: str | ModelSpec, seed: int = 0) -> int:
    """How many values the model's state dict would hold, counted on torch's meta device: nothing is allocated,
    so constructor arguments read from an untrusted file (an mlp with {"hidden": 10**9} would ask for
    terabytes) can be checked against the file's tensors before the model is built. Runs the constructor:
    call it for built-in models, or for code the user named."""
    with torch.device("meta"):
        model = build_model(spec, seed)
    return sum(t.numel() for t in model.state_dict().values())


def input_shape_for(spec: str | ModelSpec) -> tuple[int, ...] | None:
    """The input shape of a one-sample batch: the spec's own, or a built-in model's; None when
    neither is known (the data then decides)."""
    spec = parse_spec(spec)
    if spec.input_shape is not None:
        return (1, *spec.input_shape)
    return BUILTIN_INPUT_SHAPES.get(spec.text)


def sample_shape_for(spec: str | ModelSpec) -> tuple[int, ...] | None:
    """One sample's input shape (without the batch dimension), or None when it is not known."""
    shape = input_shape_for(spec)
    return None if shape is None else shape[1:]


def primary_output(output: object, name: str | None = None) -> torch.Tensor:
    """The tensor the loss is computed from, by the one rule in explorer.core.outputs; a ModelSpecError
    (naming what the output holds) where the rule cannot tell."""
    try:
        return select_output(output, name)
    except OutputError as exc:
        raise ModelSpecError(str(exc)) from None


def find_module_classes(path: Path) -> list[str]:
    """The classes in a Python file that subclass nn.Module, found by parsing it, without running it.

    A base counts when it is written nn.X or torch.nn.X, is a name imported from torch.nn, or is a class
    of the same file that counts. Classes built in less direct ways are not found (type the name).
    """
    tree = ast.parse(Path(path).read_text(encoding="utf-8"), filename=str(path))
    from_torch_nn = {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("torch.nn")
        for alias in node.names
    }
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and any(_is_module_base(b, from_torch_nn, found) for b in node.bases):
            found.append(node.name)
    return found


def _is_module_base(base: ast.expr, from_torch_nn: set[str], found: list[str]) -> bool:
    if isinstance(base, ast.Name):
        return base.id in from_torch_nn or base.id in found
    if isinstance(base, ast.Attribute):
        owner = ast.unparse(base.value)
        return owner in ("nn", "torch.nn") or owner.startswith("torch.nn.") or owner in from_torch_nn
    return False


def _build_from_factory(spec: ModelSpec, seed: int) -> nn.Module:
    """Import the module a 'package.module:callable' spec names and call the callable with the spec's arguments."""
    module_name, _, attribute = spec.text.partition(":")
    try:
        factory = importlib.import_module(module_name)
    except Exception as exc:  # a module's import runs its code: anything can fail
        raise ModelSpecError(f"{spec.text}: cannot import {module_name}: {type(exc).__name__}: {exc}") from None
    for name in attribute.split("."):
        owner, factory = factory, getattr(factory, name, None)
        if factory is None:
            raise ModelSpecError(f"{spec.text}: {getattr(owner, '__name__', module_name)} has no attribute {name!r}")
    if not callable(factory):
        raise ModelSpecError(f"{spec.text}: {attribute} is a {type(factory).__name__}, not a class or function")
    try:
        with seeded_init(seed):
            model = factory(**spec.kwargs)
    except Exception as exc:
        raise ModelSpecError(f"{spec.text}(...) failed: {type(exc).__name__}: {exc}") from None
    if not isinstance(model, nn.Module):
        raise ModelSpecError(f"{spec.text} returned a {type(model).__name__}, not a torch.nn.Module")
    if not any(p.requires_grad for p in model.parameters()):
        raise ModelSpecError(f"{spec.text}: the model has no trainable parameters, so there is nothing to step or train")
    return model


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
        raise ModelSpecError(f"{path}: does not import: {user_traceback(exc, path)}") from None
    cls = getattr(module, cls_name, None)
    if cls is None:
        candidates = [name for name, value in vars(module).items()
                      if isinstance(value, type) and issubclass(value, nn.Module) and value.__module__ == module_name]
        hint = f"; its nn.Module classes: {', '.join(candidates)}" if candidates else "; it defines no nn.Module class"
        raise ModelSpecError(f"{path}: has no class {cls_name!r}{hint}")
    if not (isinstance(cls, type) and issubclass(cls, nn.Module)):
        raise ModelSpecError(f"{path}: {cls_name!r} is not an nn.Module subclass")
    sys.modules[module_name] = module  # so tracebacks and inspect find the source of the loaded class
    return cls


def user_traceback(exc: BaseException, path: Path | None) -> str:
    """The exception and the traceback lines that point into the user's file."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if path is not None and Path(f.filename) == Path(path)]
    where = "".join(traceback.format_list(frames)).rstrip()
    message = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    return f"{message}\n{where}" if where else message


def model_failure(exc: BaseException, spec: str | ModelSpec) -> str:
    """An exception raised while the model ran (training, a step, a task), for people: the exception, and for
    a model from the user's file the traceback lines in that file; for a built-in model, the exception only."""
    path = None
    try:
        spec = parse_spec(spec)
        if not spec.is_builtin:
            path = spec.file_and_class()[0]
    except ModelSpecError:
        pass
    return user_traceback(exc, path)
