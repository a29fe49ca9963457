"""The checkpoint tasks that run on the engine thread, with the session: export, read for a preview,
apply what was previewed, discard it. The GUI gets back plain data (CheckpointPreview, ExportDone,
Applied) or, through the engine, the one-line message of a CheckpointError.

Opening is two tasks: read_for_preview reads and checks the file and keeps the loaded Checkpoint on
the engine side (StagedCheckpoint); only apply_staged applies it, exactly what was previewed, all or
nothing. A file that cannot be read or does not fit changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from explorer.core.checkpoint import Checkpoint, CheckpointError, apply_checkpoint, load_checkpoint, save_checkpoint
from explorer.core.checkpoint.onnx_export import ONNX_SUFFIX, export_onnx
from explorer.core.checkpoint.preview import CheckpointPreview, build_preview, optimizer_problem
from explorer.core.checkpoint.training_record import training_record
from explorer.core.training.runs import RUN_KEY


@dataclass(frozen=True)
class ExportDone:
    path: str
    summary: str


@dataclass(frozen=True)
class Applied:
    path: str
    step: int
    optimizer_applied: bool
    run: dict | None = None  # the curves of the run that trained these weights, as saved (plain data, unchecked)


class StagedCheckpoint:
    """The Checkpoint read for a preview, kept for Apply. Touched only by tasks on the engine thread."""

    def __init__(self):
        self.checkpoint: Checkpoint | None = None

    def __repr__(self) -> str:
        return f"StagedCheckpoint({self.checkpoint!r})"


def paused_run(engine):
    """The engine's training run, paused between two steps (a task only runs while no training loop does);
    None when there is none. Called on the engine thread."""
    return getattr(engine, "run", None)


def export_session(session, path: Path, curves: dict | None = None) -> ExportDone:
    """Write the session's model (and, for .pt, the optimizer whose state belongs to its weights) to `path`,
    by suffix, with the weights' history as the session has kept it: a paused or stopped run's steps,
    optimizer and settings, a stepped update's, or an applied checkpoint's. `curves`: the run's curves as plain
    data (explorer.core.training.runs.to_plain), kept in the metadata so the run can be compared when the file
    is opened again. CheckpointError on failure.
    """
    optimizer, step, loss, metadata = training_record(session)
    if curves is not None:
        metadata[RUN_KEY] = curves
    if path.suffix.lower() == ONNX_SUFFIX:
        result = export_onnx(path, session.model, session.inputs, metadata={**metadata, "step": step},
                             output=session.spec.output)
        return ExportDone(str(path), result.summary())
    save_checkpoint(path, session.model, optimizer, step=step, loss=loss, metadata=metadata)
    tensors = len(session.model.state_dict())
    return ExportDone(str(path), f"{path.name}: {tensors} tensors, step {step}")


def read_for_preview(session, path: Path, staged: StagedCheckpoint, run=None) -> CheckpointPreview:
    """Read and check `path` without touching the model; keep it staged for apply_staged."""
    staged.checkpoint = None
    checkpoint = load_checkpoint(path)
    preview = build_preview(checkpoint, session.model, run.optimizer if run is not None else session.optimizer)
    staged.checkpoint = checkpoint
    return preview


def apply_staged(session, staged: StagedCheckpoint, run=None) -> Applied:
    """Apply the previewed checkpoint: weights, and the optimizer's state when it fits; all or nothing.

    The optimizer is the one that trains these weights next: the paused run's (`run`), else the session's.
    """
    checkpoint, staged.checkpoint = staged.checkpoint, None
    if checkpoint is None:
        raise CheckpointError("no checkpoint is waiting to be applied; open it again")
    target = run.optimizer if run is not None else session.optimizer
    optimizer = target if optimizer_problem(session.model, target, checkpoint) is None else None
    hyperparameters = [{k: v for k, v in group.items() if k != "params"} for group in target.param_groups]
    apply_checkpoint(session.model, checkpoint, optimizer)
    if optimizer is not None:
        # The state (momentum, Adam's moments, step counts) resumes; the current settings (lr) stay.
        for group, settings in zip(optimizer.param_groups, hyperparameters):
            group.update(settings)
    session.weights_changed()
    # The checkpoint's history is the weights' now; a paused run counts its further steps on from its step.
    session.history.restored(checkpoint.step, optimizer, checkpoint.metadata, checkpoint.loss, run)
    return Applied(str(checkpoint.path), checkpoint.step, optimizer is not None, checkpoint.metadata.get(RUN_KEY))


def discard_staged(session, staged: StagedCheckpoint) -> None:
    staged.checkpoint = None
