"""Checks shared by the readers of untrusted checkpoint files: the file itself, step, loss, format version.

Each problem becomes a CheckpointError that names the file: "PATH: problem".
"""

from __future__ import annotations

import stat
from pathlib import Path

import torch

from explorer.core.checkpoint.contents import Checkpoint
from explorer.core.checkpoint.errors import CheckpointError, name_list, plural
from explorer.core.checkpoint.metadata import FORMAT_VERSION

SUFFIXES = (".pt", ".safetensors")


def format_of(path: Path) -> str:
    """"pt" or "safetensors", from the file's suffix."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise CheckpointError(f"{path}: unknown checkpoint type {suffix or '(no suffix)'!r}; use .pt or .safetensors")
    return suffix[1:]


def check_regular_file(path: Path) -> None:
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


def checked_step(path: Path, value: object) -> int:
    if type(value) is not int:
        raise CheckpointError(f"{path}: 'step' is a {type(value).__name__}, expected a whole number")
    return value


def checked_loss(path: Path, value: object) -> float | None:
    if value is None:
        return None
    # PyTorch's tutorial saves the loss tensor itself; a one-number tensor is fine.
    if isinstance(value, torch.Tensor) and value.numel() == 1 and value.is_floating_point():
        return float(value)
    if type(value) not in (int, float):
        raise CheckpointError(f"{path}: 'loss' is a {type(value).__name__}, expected a number")
    return float(value)


def check_format_version(path: Path, metadata: dict) -> None:
    version = metadata.get("format_version")
    if type(version) is not int or version < 1:
        raise CheckpointError(f"{path}: format_version is {version!r}, expected a whole number from 1")
    if version > FORMAT_VERSION:
        raise CheckpointError(
            f"{path}: written by a newer explorer (format {version}); this one reads up to {FORMAT_VERSION}"
        )


def found_checkpoint(path, kind, model_state, optimizer_state, step, loss, metadata) -> Checkpoint:
    """The Checkpoint a reader found, with a warning for tensors that hold NaN or Inf."""
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


def _nonfinite_warnings(model_state: dict[str, torch.Tensor]) -> tuple[str, ...]:
    bad = [
        name
        for name, tensor in model_state.items()
        if (tensor.is_floating_point() or tensor.is_complex()) and not bool(torch.isfinite(tensor).all())
    ]
    if not bad:
        return ()
    verb = "holds" if len(bad) == 1 else "hold"
    return (f"{plural(len(bad), 'tensor')} {verb} NaN or Inf values: {name_list(bad)}",)
