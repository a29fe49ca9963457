"""The `.safetensors` format: the model's tensors only, written atomically.

The format holds tensors and text, so optimizer state is not stored. Each metadata field is stored
JSON-encoded as text, next to "step" and "loss"; text another program wrote stays text.
"""

from __future__ import annotations

import json
from pathlib import Path

import safetensors.torch
import torch
from safetensors import safe_open

from explorer.core.atomic import atomic_write_bytes
from explorer.core.checkpoint.contents import Checkpoint
from explorer.core.checkpoint.errors import CheckpointError, first_line
from explorer.core.checkpoint.validation import check_format_version, checked_loss, checked_step, found_checkpoint


def write_safetensors(path: Path, model_state, step: int, loss: float | None, metadata: dict) -> None:
    text = {key: json.dumps(value, ensure_ascii=False) for key, value in metadata.items()}
    text.update(step=json.dumps(step), loss=json.dumps(loss))
    # Own contiguous CPU copies: safetensors refuses views and tensors that share memory (tied weights).
    tensors = {
        name: tensor.detach().cpu().clone(memory_format=torch.contiguous_format)
        for name, tensor in model_state.items()
    }
    atomic_write_bytes(path, safetensors.torch.save(tensors, metadata=text))


def load_safetensors(path: Path) -> Checkpoint:
    try:
        with safe_open(path, framework="pt", device="cpu") as file:
            text = file.metadata() or {}
            # clone: safe_open maps the file, and these tensors must not change if the file is rewritten in place
            model_state = {name: file.get_tensor(name).clone() for name in file.keys()}
    except Exception as exc:
        reason = first_line(exc).removeprefix("Error while deserializing header: ")
        raise CheckpointError(f"{path}: not a readable safetensors file ({reason})") from None
    metadata = {key: _from_json(value) for key, value in text.items()}
    step = checked_step(path, metadata.pop("step", 0))
    loss = checked_loss(path, metadata.pop("loss", None))
    if "format_version" in metadata:  # written by explorer; other programs write their own free text
        check_format_version(path, metadata)
    return found_checkpoint(path, "safetensors", model_state, None, step, loss, metadata)


def _from_json(text: str) -> object:
    """A safetensors metadata value: JSON when explorer wrote it, kept as text when another program did."""
    try:
        return json.loads(text)
    except ValueError:
        return text
