"""Checkpoint: what a checkpoint file holds, checked and read safely, before anything is applied."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import torch

from explorer.core.checkpoint.errors import plural


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
            f"{self.path.name}: {plural(len(self.model_state), 'tensor')}, {self.numel():,} values, "
            f"step {self.step}, loss {_loss_text(self.loss)} ({origin})"
        )

    def __repr__(self) -> str:
        return (
            f"Checkpoint({str(self.path)!r}, format={self.format!r}, tensors={len(self.model_state)}, "
            f"step={self.step}, loss={self.loss!r}, format_version={self.format_version!r}, "
            f"optimizer_state={'yes' if self.optimizer_state is not None else 'no'})"
        )


def _loss_text(loss: float | None) -> str:
    return "n/a" if loss is None else f"{loss:.6g}"
