"""The `.pt` format: PyTorch's general-checkpoint dict, written atomically and read with weights_only=True.

The dict is {"model_state_dict", "optimizer_state_dict", "step", "loss", "metadata"}, so plain
PyTorch reads it back: `Net().load_state_dict(torch.load(path, weights_only=True)["model_state_dict"])`.
Reading runs no code from the file; a bare state_dict (torch.save(model.state_dict(), path)) and a
general checkpoint written by another program are read too.
"""

from __future__ import annotations

import pickle
import re
import warnings
from pathlib import Path

import torch

from explorer.core.atomic import atomic_write
from explorer.core.checkpoint.contents import Checkpoint
from explorer.core.checkpoint.errors import CheckpointError, first_line, name_list
from explorer.core.checkpoint.metadata import plain_data_problem
from explorer.core.checkpoint.validation import check_format_version, checked_loss, checked_step, found_checkpoint


def write_pt(path: Path, model_state, optimizer_state, step: int, loss: float | None, metadata: dict) -> None:
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


def load_pt(path: Path) -> Checkpoint:
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
            return found_checkpoint(path, "pt", dict(content), None, 0, None, {})
        keys = name_list([str(key) for key in content]) if content else "none"
        raise CheckpointError(f"{path}: not a checkpoint: no 'model_state_dict' and not a state_dict (keys: {keys})")
    model_state = _tensor_dict(path, content["model_state_dict"], "model_state_dict")
    optimizer_state = _optimizer_state(path, content.get("optimizer_state_dict"))
    step = checked_step(path, content.get("step", 0))
    loss = checked_loss(path, content.get("loss"))
    metadata = content.get("metadata")
    if metadata is None:  # a general checkpoint written by another program
        metadata = {}
    else:
        if not isinstance(metadata, dict):
            raise CheckpointError(f"{path}: 'metadata' is a {type(metadata).__name__}, expected a dict")
        problem = plain_data_problem(metadata, "metadata")
        if problem:
            raise CheckpointError(f"{path}: {problem}, expected plain data")
        check_format_version(path, metadata)
    return found_checkpoint(path, "pt", model_state, optimizer_state, step, loss, metadata)


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
        raise CheckpointError(f"{path}: '{what}' holds entries that are not name -> dense tensor: {name_list(bad)}")
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
