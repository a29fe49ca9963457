"""Two checkpoints side by side: per tensor, the norm of each, how much it changed, and in which direction.

For every tensor both files hold with the same shape: ||a||, ||b||, ||b - a|| / ||a|| (the relative
change; NaN when a is all zeros) and the cosine similarity <a, b> / (||a|| ||b||) (NaN when either is all
zeros), computed in float64. Files of different architectures are not compared number by number: what
differs is listed (tensors only in one file, tensors whose shapes differ). Tensors are read with
load_checkpoint, so no code from either file runs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import torch

from explorer.core.checkpoint import Checkpoint, load_checkpoint
from explorer.core.wording import dims


@dataclass(frozen=True)
class TensorComparison:
    name: str
    shape: tuple[int, ...]
    norm_a: float
    norm_b: float
    relative_change: float  # ||b - a|| / ||a||
    cosine: float  # <a, b> / (||a|| ||b||)


@dataclass(frozen=True)
class CheckpointComparison:
    path_a: str
    path_b: str
    tensors: tuple[TensorComparison, ...]  # tensors both hold with the same shape, in a's order
    only_in_a: tuple[str, ...]
    only_in_b: tuple[str, ...]
    shape_differs: tuple[tuple[str, tuple[int, ...], tuple[int, ...]], ...]  # (name, shape in a, shape in b)

    @property
    def same_architecture(self) -> bool:
        return not (self.only_in_a or self.only_in_b or self.shape_differs)

    def differences(self) -> list[str]:
        """What differs between the two architectures, one line each, for people."""
        lines = [f"only in {Path(self.path_a).name}: {name}" for name in self.only_in_a]
        lines += [f"only in {Path(self.path_b).name}: {name}" for name in self.only_in_b]
        lines += [f"{name}: {dims(a)} in {Path(self.path_a).name}, {dims(b)} in {Path(self.path_b).name}"
                  for name, a, b in self.shape_differs]
        return lines

    def __repr__(self) -> str:
        return (f"CheckpointComparison({Path(self.path_a).name} vs {Path(self.path_b).name}: {len(self.tensors)} "
                f"tensors compared, {len(self.differences())} differences)")


def compare_states(a: dict[str, torch.Tensor], b: dict[str, torch.Tensor], path_a: str = "a",
                   path_b: str = "b") -> CheckpointComparison:
    tensors, shape_differs = [], []
    for name, ta in a.items():
        tb = b.get(name)
        if tb is None:
            continue
        if tuple(ta.shape) != tuple(tb.shape):
            shape_differs.append((name, tuple(ta.shape), tuple(tb.shape)))
            continue
        tensors.append(compare_tensors(name, ta, tb))
    return CheckpointComparison(str(path_a), str(path_b), tuple(tensors), tuple(n for n in a if n not in b),
                                tuple(n for n in b if n not in a), tuple(shape_differs))


def compare_tensors(name: str, a: torch.Tensor, b: torch.Tensor) -> TensorComparison:
    x, y = a.detach().to("cpu", torch.float64).reshape(-1), b.detach().to("cpu", torch.float64).reshape(-1)
    na, nb = torch.linalg.vector_norm(x).item(), torch.linalg.vector_norm(y).item()
    change = torch.linalg.vector_norm(y - x).item() / na if na > 0 else math.nan
    cosine = torch.dot(x, y).item() / (na * nb) if na > 0 and nb > 0 else math.nan
    return TensorComparison(name, tuple(a.shape), na, nb, change, cosine)


def compare_checkpoints(path_a: str | Path, path_b: str | Path) -> tuple[CheckpointComparison, Checkpoint, Checkpoint]:
    """Read both files (CheckpointError for one that cannot be read) and compare them."""
    a, b = load_checkpoint(path_a), load_checkpoint(path_b)
    return compare_states(a.model_state, b.model_state, str(path_a), str(path_b)), a, b


def difference(a: Checkpoint, b: Checkpoint, name: str) -> torch.Tensor:
    """b's tensor minus a's, in float32, for a picture of the change."""
    return b.model_state[name].detach().float() - a.model_state[name].detach().float()


def comparison_table(c: CheckpointComparison) -> list[str]:
    """The comparison as aligned text lines (what `explorer diff` prints)."""
    if not c.tensors:
        return []
    width = max(len(t.name) for t in c.tensors)
    lines = [f"{'tensor':<{width}}  {'shape':>12}  {'norm A':>11}  {'norm B':>11}  {'change':>9}  {'cosine':>8}"]
    for t in c.tensors:
        lines.append(f"{t.name:<{width}}  {dims(t.shape):>12}  {t.norm_a:>11.5g}  {t.norm_b:>11.5g}  "
                     f"{_percent(t.relative_change):>9}  {t.cosine:>8.5f}")
    return lines


def _percent(x: float) -> str:
    return "n/a" if math.isnan(x) else f"{x:.2%}"


MAX_PICTURE_VALUES = 4_000_000  # a difference bigger than this is listed but not pictured (its copy is the cost)


@dataclass(frozen=True, eq=False)
class ComparisonForDisplay:
    """What File > Compare checkpoints shows: plain data made on the engine thread."""

    comparison: CheckpointComparison
    step_a: int
    step_b: int
    differences: dict  # tensor name -> explorer.core.snapshot.TensorView of B - A


def compare_for_display(path_a: str | Path, path_b: str | Path) -> ComparisonForDisplay:
    """Compare two files and picture every compared tensor's difference, as the Inspector pictures a tensor."""
    from explorer.core.snapshot import tensor_view  # the Inspector's numbers: a view of B - A

    comparison, a, b = compare_checkpoints(path_a, path_b)
    views = {t.name: tensor_view(f"{t.name}: B \u2212 A", difference(a, b, t.name)) for t in comparison.tensors
             if a.model_state[t.name].numel() <= MAX_PICTURE_VALUES}
    return ComparisonForDisplay(comparison, a.step, b.step, views)
