"""`explorer export IN --out OUT`: convert a checkpoint between .pt, .safetensors and .onnx, by suffix.

The input is untrusted. Converting between .pt and .safetensors copies tensors and metadata and
needs no model code. ONNX needs the model itself: the built-in model the file names is built; a model
spec naming a .py file is never imported on the file's say-so, only when --model names it on the
command line (that is the user's own decision to run that code).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import torch

from explorer.cli import CLIError
from explorer.cli.train_command import check_out_path
from explorer.core.checkpoint import (
    MODEL_SPEC_KEY,
    SUFFIXES,
    Checkpoint,
    CheckpointError,
    apply_checkpoint,
    caller_metadata,
    load_checkpoint,
    printable,
    saved_model_spec,
    write_checkpoint,
)
from explorer.core.datasets import DATASETS, load_dataset
from explorer.core.models import ModelSpec, ModelSpecError, build_model, input_shape_for, parse_spec
from explorer.core.onnx_export import ONNX_SUFFIX, export_onnx, onnx_unavailable_reason
from explorer.core.seeding import generator

EXPORT_SUFFIXES = (*SUFFIXES, ONNX_SUFFIX)


def add_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "export",
        help="convert a checkpoint to .pt, .safetensors or .onnx",
        description="Convert a checkpoint between formats, chosen by the suffix of --out: .pt (weights, "
        "optimizer state, metadata), .safetensors (weights and metadata), .onnx (the model as a graph; "
        "needs the onnx extra). No code from the input file runs.",
    )
    parser.add_argument("path", type=Path, metavar="IN", help="a .pt or .safetensors checkpoint")
    parser.add_argument("--out", required=True, type=Path, help="file to write: OUT.pt, OUT.safetensors or OUT.onnx")
    parser.add_argument(
        "--model", default=None,
        help="for .onnx: the model to export, 'seed' or FILE.py:ClassName (default: the built-in model the "
        "file names; a FILE.py named inside the file is never run unless you give it here)",
    )
    parser.add_argument(
        "--input-shape", default=None, metavar="N,C,H,W",
        help="for .onnx: the sample input's shape (default: the built-in model's or data set's)",
    )
    parser.set_defaults(run=run_export)
    return parser


def run_export(args: argparse.Namespace) -> int:
    check_out_path(args.out, EXPORT_SUFFIXES)
    if args.path.suffix.lower() == ONNX_SUFFIX:
        raise CLIError(f"{args.path}: explorer writes ONNX but does not read it; convert from a .pt or .safetensors")
    input_shape = _parse_shape(args.input_shape) if args.input_shape is not None else None
    try:
        checkpoint = load_checkpoint(args.path)
    except CheckpointError as exc:
        raise CLIError(str(exc)) from None
    for warning in checkpoint.warnings:
        print(f"warning: {printable(args.path)}: {printable(warning)}")
    if args.out.suffix.lower() == ONNX_SUFFIX:
        _to_onnx(checkpoint, args.out, args.model, input_shape)
    else:
        _to_checkpoint(checkpoint, args.out)
    return 0


def _to_checkpoint(checkpoint: Checkpoint, out: Path) -> None:
    try:
        write_checkpoint(
            out,
            checkpoint.model_state,
            checkpoint.optimizer_state,
            optimizer_class=checkpoint.metadata.get("optimizer_class"),
            step=checkpoint.step,
            loss=checkpoint.loss,
            metadata=caller_metadata(checkpoint),
        )
    except CheckpointError as exc:
        raise CLIError(str(exc)) from None
    except (TypeError, ValueError) as exc:  # metadata in the file that a checkpoint may not hold
        raise CLIError(f"{printable(checkpoint.path)}: {printable(exc)}") from None
    note = ""
    if checkpoint.optimizer_state is not None and out.suffix.lower() != ".pt":
        note = " (optimizer state left out: .safetensors holds weights only)"
    print(f"saved {out}: {len(checkpoint.model_state)} tensors, step {checkpoint.step}{note}")


def _to_onnx(checkpoint: Checkpoint, out: Path, model_arg: str | None, input_shape: tuple[int, ...] | None) -> None:
    reason = onnx_unavailable_reason()
    if reason:
        raise CLIError(f"{out}: {reason}")
    spec = _spec_to_export(checkpoint, model_arg)
    try:
        model = build_model(spec)
    except ModelSpecError as exc:
        raise CLIError(str(exc)) from None
    sample_shape = input_shape or _sample_shape(checkpoint, spec)
    sample = torch.randn(sample_shape, generator=generator(0))
    metadata = {**caller_metadata(checkpoint), MODEL_SPEC_KEY: spec.text, "step": checkpoint.step}
    try:
        apply_checkpoint(model, checkpoint)
        result = export_onnx(out, model, sample, metadata=metadata)
    except CheckpointError as exc:
        raise CLIError(str(exc)) from None
    except TypeError as exc:  # metadata that is not plain data
        raise CLIError(f"{checkpoint.path}: {exc}") from None
    print(f"saved {printable(result.summary())}")


def _spec_to_export(checkpoint: Checkpoint, model_arg: str | None) -> ModelSpec:
    """The model to build: --model, else the built-in model the file names; a model in a .py file that
    only the file names is refused (the file is untrusted). The file's constructor arguments and input
    shape apply whenever the model is the one it names."""
    try:
        saved = saved_model_spec(checkpoint)
    except CheckpointError as exc:
        raise CLIError(str(exc)) from None
    if model_arg is not None:
        return saved if saved is not None and saved.text == model_arg else parse_spec(model_arg)
    path = printable(checkpoint.path)
    if saved is None:
        raise CLIError(f"{path}: the file does not name its model; give --model SPEC to export ONNX")
    if not saved.is_builtin:
        named = printable(saved.text)
        raise CLIError(
            f"{path}: names the model {named!r}, code in a file that explorer will not run on a "
            f"checkpoint's say-so; give --model {named} if you trust that file"
        )
    return saved


def _sample_shape(checkpoint: Checkpoint, spec: ModelSpec) -> tuple[int, ...]:
    shape = input_shape_for(spec)
    if shape is not None:
        return shape
    dataset = checkpoint.metadata.get("dataset")
    if dataset in DATASETS:  # only a built-in data set: a file named in the checkpoint is not opened
        return (1, *load_dataset(dataset).input_shape)
    raise CLIError(f"{printable(checkpoint.path)}: cannot tell the model's input shape; give --input-shape N,C,H,W")


def _parse_shape(text: str) -> tuple[int, ...]:
    try:
        shape = tuple(int(part) for part in text.replace("x", ",").split(","))
    except ValueError:
        shape = ()
    if not shape or any(size < 1 for size in shape):
        raise CLIError(f"--input-shape {text!r}: expected positive whole numbers such as 1,1,32,32")
    return shape
