"""Checkpoints: save a model (and its optimizer) to a file, read untrusted files safely, apply them.

The suffix picks the format:
- `.pt`: PyTorch's general-checkpoint dict (checkpoint_pt.py); plain PyTorch reads it back.
- `.safetensors`: the model's tensors only, no optimizer state (checkpoint_safetensors.py).

Metadata is plain data (checkpoint_metadata.py), so a `.pt` file loads with weights_only=True.

Reading and applying are separate steps. load_checkpoint checks a file and returns a Checkpoint,
without touching any model. apply_checkpoint (checkpoint_apply.py) copies a Checkpoint into a model
and optimizer: either all of it is applied or nothing is. A `.pt` file is only ever read with
torch.load(weights_only=True), so loading it runs no code from the file. Every problem becomes a
CheckpointError with a one-line message: "PATH: problem". Files are written atomically: the old
file stays whole on failure.

This module is the public face of checkpoints: the names below are what callers import.
"""

from __future__ import annotations

from pathlib import Path

import torch

from explorer.core.checkpoint.apply import apply_checkpoint, check_compatible, check_optimizer_fits
from explorer.core.checkpoint.contents import Checkpoint
from explorer.core.checkpoint.errors import CheckpointError, first_line, printable
from explorer.core.checkpoint.metadata import (
    AUTOMATIC_METADATA_KEYS,
    FORMAT_VERSION,
    INPUT_SHAPE_KEY,
    MODEL_KWARGS_KEY,
    MODEL_SPEC_KEY,
    OUTPUT_KEY,
    RESERVED_METADATA_KEYS,
    caller_metadata,
    check_caller_metadata,
    full_metadata,
    plain_data_problem,
    saved_model_spec,
)
from explorer.core.checkpoint.pt_format import load_pt, write_pt
from explorer.core.checkpoint.safetensors_format import load_safetensors, write_safetensors
from explorer.core.checkpoint.validation import SUFFIXES, check_regular_file, format_of

__all__ = [
    "AUTOMATIC_METADATA_KEYS",
    "FORMAT_VERSION",
    "INPUT_SHAPE_KEY",
    "MODEL_KWARGS_KEY",
    "MODEL_SPEC_KEY",
    "OUTPUT_KEY",
    "RESERVED_METADATA_KEYS",
    "SUFFIXES",
    "Checkpoint",
    "CheckpointError",
    "apply_checkpoint",
    "caller_metadata",
    "check_compatible",
    "check_optimizer_fits",
    "first_line",
    "full_metadata",
    "load_checkpoint",
    "plain_data_problem",
    "printable",
    "save_checkpoint",
    "saved_model_spec",
    "write_checkpoint",
]


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
    kind = format_of(path)
    check_caller_metadata(metadata)
    if type(step) is not int:
        raise TypeError(f"step must be an int, not {type(step).__name__}")
    loss = None if loss is None else float(loss)
    if kind == "safetensors" or optimizer_state is None:
        optimizer_state, optimizer_class = None, None
    recorded = full_metadata(metadata, optimizer_class)
    try:
        if kind == "pt":
            write_pt(path, model_state, optimizer_state, step, loss, recorded)
        else:
            write_safetensors(path, model_state, step, loss, recorded)
    except OSError as exc:
        raise CheckpointError(f"{path}: cannot write: {exc.strerror or exc}") from None
    except Exception as exc:
        raise CheckpointError(f"{path}: cannot save: {first_line(exc)}") from None


def load_checkpoint(path: str | Path) -> Checkpoint:
    """Read and check a checkpoint file without running any code from it; raises CheckpointError."""
    path = Path(path)
    try:
        kind = format_of(path)
        check_regular_file(path)
        return load_pt(path) if kind == "pt" else load_safetensors(path)
    except CheckpointError:
        raise
    except Exception as exc:  # the last net: whatever else a damaged file makes a library raise
        raise CheckpointError(f"{path}: cannot read: {first_line(exc)}") from None
