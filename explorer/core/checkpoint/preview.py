"""What the Open checkpoint preview shows: plain facts about a file (strings, numbers, shapes), set
against the session's model and optimizer. Built on the engine thread; the dialog words them."""

from __future__ import annotations

from dataclasses import dataclass

from explorer.core.checkpoint import (
    MODEL_SPEC_KEY,
    Checkpoint,
    CheckpointError,
    check_compatible,
    check_optimizer_fits,
    printable,
)
from explorer.core.wording import dims


@dataclass(frozen=True)
class TensorRow:
    """One tensor of the file, set against the model's tensor of that name."""

    name: str
    file_shape: tuple[int, ...] | None  # None: the file lacks it
    model_shape: tuple[int, ...] | None  # None: the model has no such tensor
    values: int

    @property
    def status(self) -> str:
        if self.file_shape is None:
            return "missing"
        if self.model_shape is None:
            return "unexpected"
        return "ok" if self.file_shape == self.model_shape else "wrong shape"

    def shape_text(self) -> str:
        if self.file_shape is None:
            return f"none (model {_dims_or_none(self.model_shape)})"
        return _dims_or_none(self.file_shape)

    def describe(self) -> str:
        if self.status == "wrong shape":
            return f"{self.name} (file {_dims_or_none(self.file_shape)}, model {_dims_or_none(self.model_shape)})"
        return self.name


@dataclass(frozen=True)
class OptimizerFacts:
    """The optimizer state a file holds, and whether Apply will load it into the session's optimizer."""

    kind: str | None  # the optimizer's class name; None when the file holds no optimizer state
    entries: int  # parameters with state of their own (momentum, Adam's moments)
    problem: str | None  # why it does not fit the session's optimizer; None when it fits

    @property
    def applies(self) -> bool:
        return self.kind is not None and self.problem is None


@dataclass(frozen=True)
class CheckpointPreview:
    """What a checkpoint holds and whether it fits the session's model: facts only (strings, numbers,
    shapes); the dialog words them, in the user's language."""

    path: str
    format: str  # "pt" or "safetensors"
    format_version: int | None  # None: written by another program
    written_by: str  # explorer and torch versions and the time; "" when the file does not say
    model: str  # the model spec named in the file; "" when none
    dataset: str
    step: int
    loss: float | None
    metrics: tuple[tuple[str, str], ...]
    hyperparameters: tuple[tuple[str, str], ...]
    optimizer: OptimizerFacts
    warnings: tuple[str, ...]
    tensors: tuple[TensorRow, ...]  # the model's order first, then tensors only the file has
    total_values: int

    @property
    def fits(self) -> bool:
        return all(row.status == "ok" for row in self.tensors)

    def __repr__(self) -> str:
        return (f"CheckpointPreview({self.path!r}, step={self.step}, tensors={len(self.tensors)}, "
                f"fits={self.fits}, warnings={len(self.warnings)})")


def build_preview(checkpoint: Checkpoint, model, optimizer) -> CheckpointPreview:
    meta = checkpoint.metadata
    found = checkpoint.shapes()
    expected = {name: tuple(t.shape) for name, t in model.state_dict().items()}
    rows = [TensorRow(name, found.get(name), shape, checkpoint.model_state[name].numel() if name in found else 0)
            for name, shape in expected.items()]
    rows += [TensorRow(name, shape, None, checkpoint.model_state[name].numel())
             for name, shape in found.items() if name not in expected]
    return CheckpointPreview(
        path=printable(checkpoint.path),
        format=checkpoint.format,
        format_version=checkpoint.format_version,
        written_by=_written_by(checkpoint),
        model=printable(meta.get(MODEL_SPEC_KEY, "")),
        dataset=printable(meta.get("dataset", "")),
        step=checkpoint.step,
        loss=checkpoint.loss,
        metrics=_pairs(meta.get("metrics")),
        hyperparameters=_pairs(meta.get("hyperparameters")),
        optimizer=_optimizer_facts(checkpoint, model, optimizer),
        warnings=tuple(printable(w) for w in checkpoint.warnings),
        tensors=tuple(TensorRow(printable(r.name), r.file_shape, r.model_shape, r.values) for r in rows),
        total_values=checkpoint.numel(),
    )


def optimizer_problem(model, optimizer, checkpoint: Checkpoint) -> str | None:
    """Why the file's optimizer state cannot go into `optimizer`; None when it fits."""
    if checkpoint.optimizer_state is None:
        return "none in the file"
    try:
        check_compatible(model, checkpoint)  # the optimizer's check assumes the weights fit
        check_optimizer_fits(model, optimizer, checkpoint)
    except CheckpointError as exc:
        return printable(str(exc).removeprefix(f"{checkpoint.path}: "))
    return None


def _optimizer_facts(checkpoint: Checkpoint, model, optimizer) -> OptimizerFacts:
    if checkpoint.optimizer_state is None:
        return OptimizerFacts(None, 0, None)
    kind = printable(checkpoint.metadata.get("optimizer_class", "optimizer"))
    return OptimizerFacts(kind, len(checkpoint.optimizer_state["state"]), optimizer_problem(model, optimizer, checkpoint))


def _written_by(checkpoint: Checkpoint) -> str:
    meta = checkpoint.metadata
    parts = [f"{label} {meta[key]}" for label, key in (("explorer", "explorer_version"), ("torch", "torch_version"))
             if key in meta]
    if "saved_at" in meta:
        parts.append(str(meta["saved_at"]).replace("T", " ").replace("+00:00", " UTC"))
    return printable(", ".join(parts))


def _pairs(value: object) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, dict):
        return ()
    return tuple((printable(key), printable(_value_text(item))) for key, item in value.items())


def _value_text(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.6g}"
    if value == "":
        return '""'
    return "n/a" if value is None else str(value)


def _dims_or_none(shape: tuple[int, ...] | None) -> str:
    return "" if shape is None else dims(shape)
