"""Checkpoints: save a model (and its optimizer) to a file, read untrusted files safely, apply them.

The suffix picks the format:
- `.pt`: PyTorch's general-checkpoint dict {"model_state_dict", "optimizer_state_dict", "step",
  "loss", "metadata"}. Plain PyTorch reads it back:
  `Net().load_state_dict(torch.load(path, weights_only=True)["model_state_dict"])`.
- `.safetensors`: the model's tensors only; the format holds tensors and text, so optimizer state is
  not stored. Each metadata field is stored JSON-encoded as text, next to "step" and "loss".

Metadata is plain data (str, int, float, bool, None, lists, and dicts with str keys), so a `.pt`
file loads with weights_only=True. Callers give "model" (the model spec text, e.g. "seed"),
"dataset", "hyperparameters" and "metrics"; save_checkpoint adds "format_version",
"explorer_version", "torch_version", "saved_at" (ISO 8601, UTC) and "optimizer_class".

Reading and applying are separate steps. load_checkpoint checks a file and returns a Checkpoint,
without touching any model. apply_checkpoint copies a Checkpoint into a model and optimizer: either
all of it is applied or nothing is. A `.pt` file is only ever read with torch.load(weights_only=True),
so loading it runs no code from the file. Every problem becomes a CheckpointError with a one-line
message: "PATH: problem".
"""

from __future__ import annotations

import copy
import json
import pickle
import re
import stat
import warnings
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import safetensors.torch
import torch
from safetensors import safe_open

from explorer import __version__
from explorer.core.atomic import atomic_write, atomic_write_bytes
from explorer.core.models import ModelSpec, ModelSpecError, model_spec

FORMAT_VERSION = 1
SUFFIXES = (".pt", ".safetensors")
MODEL_SPEC_KEY = "model"
# The model's constructor arguments (a JSON object as text) and one sample's input shape (e.g. "1,28,28"),
# recorded next to MODEL_SPEC_KEY when they are not the defaults.
MODEL_KWARGS_KEY, INPUT_SHAPE_KEY = "model_kwargs", "input_shape"
# safetensors keeps step and loss among the metadata strings, so a metadata field may not use these names.
RESERVED_METADATA_KEYS = ("step", "loss")
# What save_checkpoint records on every write; a conversion renews these rather than copying them.
AUTOMATIC_METADATA_KEYS = ("format_version", "explorer_version", "torch_version", "saved_at", "optimizer_class")
_PLAIN_SCALARS = (str, int, float, bool, type(None))


class CheckpointError(Exception):
    """A checkpoint that cannot be read, written or applied. The message is one line: "PATH: problem"."""

    def __init__(self, message: str):
        super().__init__(printable(message))


def printable(text: object) -> str:
    """`text` on one line with control characters escaped, so that text taken from a file cannot
    move the cursor or recolour the user's terminal."""
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in str(text))


@dataclass(frozen=True, eq=False)  # eq=False: tensors have no single truth value to compare by
class Checkpoint:
    """What a checkpoint file holds, checked and read safely; nothing has been applied yet."""

    path: Path
    format: str  # "pt" or "safetensors"
    model_state: dict[str, torch.Tensor]
    optimizer_state: dict | None
    step: int
    loss: float | None
    metadata: dict  # {} for a foreign file, such as a bare state_dict
    warnings: tuple[str, ...] = ()

    @property
    def format_version(self) -> int | None:
        """The explorer format the file was written in; None for a file from elsewhere."""
        return self.metadata.get("format_version")

    def shapes(self) -> dict[str, tuple[int, ...]]:
        return {name: tuple(tensor.shape) for name, tensor in self.model_state.items()}

    def numel(self) -> int:
        """How many numbers the model state holds (parameters and any buffers)."""
        return sum(tensor.numel() for tensor in self.model_state.values())

    def summary(self) -> str:
        origin = f"explorer format {self.format_version}" if self.format_version else "no explorer metadata"
        return (
            f"{self.path.name}: {_plural(len(self.model_state), 'tensor')}, {self.numel():,} values, "
            f"step {self.step}, loss {_loss_text(self.loss)} ({origin})"
        )

    def __repr__(self) -> str:
        return (
            f"Checkpoint({str(self.path)!r}, format={self.format!r}, tensors={len(self.model_state)}, "
            f"step={self.step}, loss={self.loss!r}, format_version={self.format_version!r}, "
            f"optimizer_state={'yes' if self.optimizer_state is not None else 'no'})"
        )


def save_checkpoint(
    path: str | Path,
    model: torch.nn.Module,
    optimizer: torch.optim.Optimizer | None = None,
    *,
    step: int = 0,
    loss: float | None = None,
    metadata: dict,
) -> None:
    """Write `model` (and `optimizer`, `.pt` only) to `path` atomically: the old file stays whole on failure.

    Raises TypeError or ValueError for metadata that is not plain data, and CheckpointError when the
    file cannot be written (the message names the path and the reason, e.g. "No space left on device").
    """
    write_checkpoint(
        path,
        model.state_dict(),
        optimizer.state_dict() if optimizer is not None else None,
        optimizer_class=type(optimizer).__name__ if optimizer is not None else None,
        step=step,
        loss=loss,
        metadata=metadata,
    )


def write_checkpoint(
    path: str | Path,
    model_state: dict[str, torch.Tensor],
    optimizer_state: dict | None = None,
    *,
    optimizer_class: str | None = None,
    step: int = 0,
    loss: float | None = None,
    metadata: dict,
) -> None:
    """save_checkpoint for state dicts: writes tensors that were read from a file without the model's code.

    `optimizer_class` names the optimizer whose state `optimizer_state` is; a `.safetensors` file keeps neither.
    """
    path = Path(path)
    kind = _format_of(path)
    problem = plain_data_problem(metadata, "metadata")
    if problem:
        raise TypeError(f"{problem}; checkpoint metadata holds only str, int, float, bool, None, lists and dicts")
    reserved = [key for key in RESERVED_METADATA_KEYS if key in metadata]
    if reserved:
        raise ValueError(f"metadata may not use the names {reserved}: step and loss are arguments")
    if type(step) is not int:
        raise TypeError(f"step must be an int, not {type(step).__name__}")
    loss = None if loss is None else float(loss)
    if kind == "safetensors" or optimizer_state is None:
        optimizer_state, optimizer_class = None, None
    recorded = full_metadata(metadata, optimizer_class)
    try:
        if kind == "pt":
            _write_pt(path, model_state, optimizer_state, step, loss, recorded)
        else:
            _write_safetensors(path, model_state, step, loss, recorded)
    except OSError as exc:
        raise CheckpointError(f"{path}: cannot write: {exc.strerror or exc}") from None
    except Exception as exc:
        raise CheckpointError(f"{path}: cannot save: {first_line(exc)}") from None


def saved_model_spec(checkpoint: Checkpoint) -> ModelSpec | None:
    """The model the file names, with its constructor arguments and input shape; None when it names none.

    Only a spec: building one that names a .py file runs that file, so callers build it only when the
    model is built in or the user named the same file themselves.
    """
    meta = checkpoint.metadata
    text = meta.get(MODEL_SPEC_KEY)
    if not isinstance(text, str):
        return None
    kwargs, shape = meta.get(MODEL_KWARGS_KEY, ""), meta.get(INPUT_SHAPE_KEY, "")
    if not isinstance(kwargs, str) or not isinstance(shape, str):
        raise CheckpointError(f"{checkpoint.path}: '{MODEL_KWARGS_KEY}' and '{INPUT_SHAPE_KEY}' must be text")
    try:
        return model_spec(text, kwargs, shape)
    except ModelSpecError as exc:
        raise CheckpointError(f"{checkpoint.path}: {exc}") from None


def caller_metadata(checkpoint: Checkpoint) -> dict:
    """The fields a caller gave when the checkpoint was saved, without those explorer records itself,
    so that writing it again (in another format) records the new write."""
    return {key: value for key, value in checkpoint.metadata.items() if key not in AUTOMATIC_METADATA_KEYS}


def load_checkpoint(path: str | Path) -> Checkpoint:
    """Read and check a checkpoint file without running any code from it; raises CheckpointError."""
    path = Path(path)
    try:
        kind = _format_of(path)
        _check_regular_file(path)
        return _load_pt(path) if kind == "pt" else _load_safetensors(path)
    except CheckpointError:
        raise
    except Exception as exc:  # the last net: whatever else a damaged file makes a library raise
        raise CheckpointError(f"{path}: cannot read: {first_line(exc)}") from None


def check_compatible(model: torch.nn.Module, checkpoint: Checkpoint) -> None:
    """Raise CheckpointError listing every missing, unexpected and wrong-shaped tensor, if there are any."""
    expected = {name: tuple(tensor.shape) for name, tensor in model.state_dict().items()}
    found = checkpoint.shapes()
    missing = [name for name in expected if name not in found]
    unexpected = [name for name in found if name not in expected]
    wrong_shape = [
        f"{name} (file {_dims(found[name])} vs model {_dims(shape)})"
        for name, shape in expected.items()
        if name in found and found[name] != shape
    ]
    problems = []
    if missing:
        problems.append(f"missing {_plural(len(missing), 'tensor')}: {', '.join(missing)}")
    if unexpected:
        problems.append(f"{_plural(len(unexpected), 'unexpected tensor')}: {', '.join(unexpected)}")
    if wrong_shape:
        problems.append(f"{_plural(len(wrong_shape), 'wrong shape')}: {', '.join(wrong_shape)}")
    if problems:
        raise CheckpointError(f"{checkpoint.path}: does not fit this model: {'; '.join(problems)}")


def apply_checkpoint(
    model: torch.nn.Module, checkpoint: Checkpoint, optimizer: torch.optim.Optimizer | None = None
) -> None:
    """Copy `checkpoint` into `model` and `optimizer`, all or nothing.

    The optimizer is only changed when the checkpoint holds optimizer state. A `.safetensors` file or
    a bare state_dict holds none, and then the optimizer is left as it is (see
    checkpoint.optimizer_state). On any failure the model and optimizer keep exactly what they held,
    and CheckpointError says why.
    """
    check_compatible(model, checkpoint)
    optimizer_state = None
    if optimizer is not None and checkpoint.optimizer_state is not None:
        check_optimizer_fits(model, optimizer, checkpoint)
        # A private copy: the optimizer updates its state tensors in place, and the checkpoint must stay as read.
        optimizer_state = copy.deepcopy(checkpoint.optimizer_state)
    model_before = {name: tensor.detach().clone() for name, tensor in model.state_dict().items()}
    optimizer_before = copy.deepcopy(optimizer.state_dict()) if optimizer_state is not None else None
    try:
        model.load_state_dict(checkpoint.model_state, strict=True)
        if optimizer_state is not None:
            optimizer.load_state_dict(optimizer_state)
    except Exception as exc:
        model.load_state_dict(model_before, strict=True)
        if optimizer_before is not None:
            optimizer.load_state_dict(optimizer_before)
        raise CheckpointError(f"{checkpoint.path}: cannot apply: {first_line(exc)}") from None


# --- writing -------------------------------------------------------------------------------------


def full_metadata(metadata: dict, optimizer_class: str | None) -> dict:
    """The caller's fields plus what explorer records itself (a loaded checkpoint's own fields are renewed)."""
    full = {key: value for key, value in metadata.items() if key != "optimizer_class"}
    full.update(
        format_version=FORMAT_VERSION,
        explorer_version=__version__,
        torch_version=str(torch.__version__),  # torch's own version type would not load with weights_only
        saved_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
    )
    if optimizer_class is not None:
        full["optimizer_class"] = optimizer_class
    return full


def _write_pt(path, model_state, optimizer_state, step: int, loss: float | None, metadata: dict) -> None:
    payload = {
        # On the CPU: a file saved from a GPU session must load with plain torch.load on a machine without one.
        "model_state_dict": _on_cpu(model_state),
        "optimizer_state_dict": _on_cpu(optimizer_state),
        "step": step,
        "loss": loss,
        "metadata": metadata,
    }
    atomic_write(path, lambda file: torch.save(payload, file))


def _on_cpu(value):
    """`value` with every tensor in it (nested in dicts, lists and tuples) on the CPU."""
    if isinstance(value, torch.Tensor):
        return value.detach().cpu()
    if isinstance(value, dict):
        return {key: _on_cpu(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_on_cpu(item) for item in value)
    return value


def _write_safetensors(path, model_state, step: int, loss: float | None, metadata: dict) -> None:
    text = {key: json.dumps(value, ensure_ascii=False) for key, value in metadata.items()}
    text.update(step=json.dumps(step), loss=json.dumps(loss))
    # Own contiguous CPU copies: safetensors refuses views and tensors that share memory (tied weights).
    tensors = {
        name: tensor.detach().cpu().clone(memory_format=torch.contiguous_format)
        for name, tensor in model_state.items()
    }
    atomic_write_bytes(path, safetensors.torch.save(tensors, metadata=text))


# --- reading -------------------------------------------------------------------------------------


def _format_of(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise CheckpointError(f"{path}: unknown checkpoint type {suffix or '(no suffix)'!r}; use .pt or .safetensors")
    return suffix[1:]


def _check_regular_file(path: Path) -> None:
    try:
        info = path.stat()
    except FileNotFoundError:
        raise CheckpointError(f"{path}: no such file") from None
    except OSError as exc:
        raise CheckpointError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if stat.S_ISDIR(info.st_mode):
        raise CheckpointError(f"{path}: is a folder, not a checkpoint file")
    if not stat.S_ISREG(info.st_mode):  # a FIFO or device would block or never end
        raise CheckpointError(f"{path}: not a regular file")
    if info.st_size == 0:
        raise CheckpointError(f"{path}: empty file (0 bytes)")


def _load_pt(path: Path) -> Checkpoint:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch warns about unusual pickle protocols; the error says enough
        try:
            content = torch.load(path, map_location="cpu", weights_only=True)
        except Exception as exc:
            raise CheckpointError(f"{path}: {_torch_load_problem(exc)}") from None
    if not isinstance(content, dict):
        raise CheckpointError(f"{path}: not a checkpoint: it holds a {type(content).__name__}, not a dict")
    if "model_state_dict" not in content:
        if content and all(isinstance(k, str) and _is_plain_tensor(v) for k, v in content.items()):
            # A bare state_dict, e.g. from torch.save(model.state_dict(), path).
            return _checkpoint(path, "pt", dict(content), None, 0, None, {})
        keys = _names([str(key) for key in content]) if content else "none"
        raise CheckpointError(f"{path}: not a checkpoint: no 'model_state_dict' and not a state_dict (keys: {keys})")
    model_state = _tensor_dict(path, content["model_state_dict"], "model_state_dict")
    optimizer_state = _optimizer_state(path, content.get("optimizer_state_dict"))
    step = _step(path, content.get("step", 0))
    loss = _loss(path, content.get("loss"))
    metadata = content.get("metadata")
    if metadata is None:  # a general checkpoint written by another program
        metadata = {}
    else:
        if not isinstance(metadata, dict):
            raise CheckpointError(f"{path}: 'metadata' is a {type(metadata).__name__}, expected a dict")
        problem = plain_data_problem(metadata, "metadata")
        if problem:
            raise CheckpointError(f"{path}: {problem}, expected plain data")
        _check_format_version(path, metadata)
    return _checkpoint(path, "pt", model_state, optimizer_state, step, loss, metadata)


def _load_safetensors(path: Path) -> Checkpoint:
    try:
        with safe_open(path, framework="pt", device="cpu") as file:
            text = file.metadata() or {}
            # clone: safe_open maps the file, and these tensors must not change if the file is rewritten in place
            model_state = {name: file.get_tensor(name).clone() for name in file.keys()}
    except Exception as exc:
        reason = first_line(exc).removeprefix("Error while deserializing header: ")
        raise CheckpointError(f"{path}: not a readable safetensors file ({reason})") from None
    metadata = {key: _from_json(value) for key, value in text.items()}
    step = _step(path, metadata.pop("step", 0))
    loss = _loss(path, metadata.pop("loss", None))
    if "format_version" in metadata:  # written by explorer; other programs write their own free text
        _check_format_version(path, metadata)
    return _checkpoint(path, "safetensors", model_state, None, step, loss, metadata)


def _checkpoint(path, kind, model_state, optimizer_state, step, loss, metadata) -> Checkpoint:
    return Checkpoint(
        path=path,
        format=kind,
        model_state=model_state,
        optimizer_state=optimizer_state,
        step=step,
        loss=loss,
        metadata=metadata,
        warnings=_nonfinite_warnings(model_state),
    )


def _torch_load_problem(exc: Exception) -> str:
    """One line that says what torch.load disliked, without its advice to turn weights_only off."""
    if isinstance(exc, EOFError):
        return "truncated: the file ends too early"
    if isinstance(exc, OSError):
        return f"cannot read: {exc.strerror or exc}"
    text = str(exc)
    if isinstance(exc, pickle.UnpicklingError):
        wanted = re.search(r"GLOBAL (\S+?)\.? ", text + " ")
        if wanted:
            return f"refused: the file asks to run or build {wanted.group(1)}, and checkpoints may hold only data"
        return f"not a PyTorch checkpoint ({_key_line(text)})"
    if "PytorchStreamReader" in text:
        return f"damaged or truncated ({first_line(text).split('. ')[0]})"
    return f"not a readable PyTorch checkpoint ({first_line(text)})"


def _key_line(text: str) -> str:
    """The line of a weights-only error that names the problem (torch surrounds it with advice)."""
    advice = ("Weights only load failed", "Please file an issue", "Check the documentation")
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith(advice)]
    return lines[0] if lines else "unreadable data"


def _is_plain_tensor(value: object) -> bool:
    return isinstance(value, torch.Tensor) and value.layout == torch.strided and not value.is_meta


def _tensor_dict(path: Path, value: object, what: str) -> dict[str, torch.Tensor]:
    if not isinstance(value, dict):
        raise CheckpointError(f"{path}: '{what}' is a {type(value).__name__}, expected a dict of tensors")
    bad = [str(key) for key, item in value.items() if not (isinstance(key, str) and _is_plain_tensor(item))]
    if bad:
        raise CheckpointError(f"{path}: '{what}' holds entries that are not name -> dense tensor: {_names(bad)}")
    return dict(value)


def _optimizer_state(path: Path, value: object) -> dict | None:
    if value is None:
        return None
    well_formed = (
        isinstance(value, dict)
        and isinstance(value.get("state"), dict)
        and isinstance(value.get("param_groups"), list)
        and all(isinstance(entry, dict) for entry in value["state"].values())
        and all(isinstance(group, dict) and isinstance(group.get("params"), list) for group in value["param_groups"])
    )
    if not well_formed:
        raise CheckpointError(f"{path}: 'optimizer_state_dict' is not an optimizer state_dict")
    return value


def _step(path: Path, value: object) -> int:
    if type(value) is not int:
        raise CheckpointError(f"{path}: 'step' is a {type(value).__name__}, expected a whole number")
    return value


def _loss(path: Path, value: object) -> float | None:
    if value is None:
        return None
    # PyTorch's tutorial saves the loss tensor itself; a one-number tensor is fine.
    if isinstance(value, torch.Tensor) and value.numel() == 1 and value.is_floating_point():
        return float(value)
    if type(value) not in (int, float):
        raise CheckpointError(f"{path}: 'loss' is a {type(value).__name__}, expected a number")
    return float(value)


def _check_format_version(path: Path, metadata: dict) -> None:
    version = metadata.get("format_version")
    if type(version) is not int or version < 1:
        raise CheckpointError(f"{path}: format_version is {version!r}, expected a whole number from 1")
    if version > FORMAT_VERSION:
        raise CheckpointError(
            f"{path}: written by a newer explorer (format {version}); this one reads up to {FORMAT_VERSION}"
        )


def _from_json(text: str) -> object:
    """A safetensors metadata value: JSON when explorer wrote it, kept as text when another program did."""
    try:
        return json.loads(text)
    except ValueError:
        return text


def _nonfinite_warnings(model_state: dict[str, torch.Tensor]) -> tuple[str, ...]:
    bad = [
        name
        for name, tensor in model_state.items()
        if (tensor.is_floating_point() or tensor.is_complex()) and not bool(torch.isfinite(tensor).all())
    ]
    if not bad:
        return ()
    verb = "holds" if len(bad) == 1 else "hold"
    return (f"{_plural(len(bad), 'tensor')} {verb} NaN or Inf values: {_names(bad)}",)


# --- applying ------------------------------------------------------------------------------------


def check_optimizer_fits(model: torch.nn.Module, optimizer: torch.optim.Optimizer, checkpoint: Checkpoint) -> None:
    """Catch what optimizer.load_state_dict lets through and the next step would trip over."""
    path, state = checkpoint.path, checkpoint.optimizer_state
    saved_class = checkpoint.metadata.get("optimizer_class")
    if saved_class is not None and saved_class != type(optimizer).__name__:
        raise CheckpointError(f"{path}: holds {saved_class} state, but the optimizer is {type(optimizer).__name__}")
    saved_groups, groups = state["param_groups"], optimizer.param_groups
    if len(saved_groups) != len(groups):
        raise CheckpointError(
            f"{path}: holds optimizer state for {_plural(len(saved_groups), 'parameter group')}; "
            f"the optimizer has {len(groups)}"
        )
    names = {id(param): name for name, param in model.named_parameters()}
    params = {}
    for index, (saved, group) in enumerate(zip(saved_groups, groups)):
        if len(saved["params"]) != len(group["params"]):
            raise CheckpointError(
                f"{path}: optimizer group {index} holds {_plural(len(saved['params']), 'parameter')}; "
                f"the optimizer's has {len(group['params'])}"
            )
        params.update(zip(saved["params"], group["params"]))
    for key, entry in state["state"].items():
        param = params.get(key)
        if param is None:
            raise CheckpointError(f"{path}: optimizer state for a parameter the optimizer does not have ({key!r})")
        for field, value in entry.items():
            if isinstance(value, torch.Tensor) and value.dim() > 0 and value.shape != param.shape:
                raise CheckpointError(
                    f"{path}: optimizer state '{field}' of {names.get(id(param), 'a parameter')} is "
                    f"{_dims(tuple(value.shape))}; the parameter is {_dims(tuple(param.shape))}"
                )


# --- small helpers -------------------------------------------------------------------------------


def plain_data_problem(value: object, where: str) -> str | None:
    """Where `value` holds something other than plain data, and what; None when it is all plain."""
    kind = type(value)  # exact types: a numpy float or a str subclass would not load with weights_only
    if kind in _PLAIN_SCALARS:
        return None
    if kind is list:
        return next((p for i, item in enumerate(value) if (p := plain_data_problem(item, f"{where}[{i}]"))), None)
    if kind is dict:
        for key, item in value.items():
            if type(key) is not str:
                return f"{where} has a key {key!r} that is not a str"
            problem = plain_data_problem(item, f"{where}[{key!r}]")
            if problem:
                return problem
        return None
    return f"{where} is a {kind.__module__}.{kind.__qualname__}"


def first_line(exc: object) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return lines[0] if lines else type(exc).__name__


def _names(names: list[str], limit: int = 8) -> str:
    shown = ", ".join(names[:limit])
    return shown if len(names) <= limit else f"{shown} and {len(names) - limit} more"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _dims(shape: tuple[int, ...]) -> str:
    return "x".join(map(str, shape)) if shape else "scalar"


def _loss_text(loss: float | None) -> str:
    return "n/a" if loss is None else f"{loss:.6g}"
