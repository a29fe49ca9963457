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
from explorer.cli.model_options import (
    SPEC_METADATA_KEYS, ModelOptions, add_model_options, build_cli_model, model_options, spec_metadata,
)
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
from explorer.core.data.datasets import DATASETS, load_dataset
from explorer.core.models import ModelSpec, input_shape_for
from explorer.ui.window.options import MODEL_FORMS
from explorer.core.checkpoint.onnx_export import ONNX_SUFFIX, export_onnx, onnx_unavailable_reason
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
        help=f"for .onnx: the model to export, {MODEL_FORMS} (default: the built-in model the "
        "file names; a FILE.py named inside the file is never run unless you give it here)",
    )
    add_model_options(parser, prefix="for .onnx: ", kept="the checkpoint's, for the model it names")
    parser.set_defaults(run=run_export)
    return parser


def run_export(args: argparse.Namespace) -> int:
    check_out_path(args.out, EXPORT_SUFFIXES)
    if args.path.suffix.lower() == ONNX_SUFFIX:
        raise CLIError(f"{args.path}: explorer writes ONNX but does not read it; convert from a .pt or .safetensors")
    options = model_options(args)
    try:
        checkpoint = load_checkpoint(args.path)
    except CheckpointError as exc:
        raise CLIError(str(exc)) from None
    for warning in checkpoint.warnings:
        print(f"warning: {printable(args.path)}: {printable(warning)}")
    if args.out.suffix.lower() == ONNX_SUFFIX:
        _to_onnx(checkpoint, args.out, args.model, options)
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


def _to_onnx(checkpoint: Checkpoint, out: Path, model_arg: str | None, options: ModelOptions) -> None:
    reason = onnx_unavailable_reason()
    if reason:
        raise CLIError(f"{out}: {reason}")
    spec = _spec_to_export(checkpoint, model_arg, options)
    model = build_cli_model(spec, to_hold=checkpoint)
    sample = torch.randn(_sample_shape(checkpoint, spec), generator=generator(0))
    # The arguments and shape the model was built with, which --model-kwargs or --input-shape may have changed.
    kept = {key: value for key, value in caller_metadata(checkpoint).items() if key not in SPEC_METADATA_KEYS}
    metadata = {**kept, MODEL_SPEC_KEY: spec.text, **spec_metadata(spec), "step": checkpoint.step}
    try:
        apply_checkpoint(model, checkpoint)
        result = export_onnx(out, model, sample, metadata=metadata, output=spec.output)
    except CheckpointError as exc:
        raise CLIError(str(exc)) from None
    except TypeError as exc:  # metadata that is not plain data
        raise CLIError(f"{checkpoint.path}: {exc}") from None
    print(f"saved {printable(result.summary())}")


def _spec_to_export(checkpoint: Checkpoint, model_arg: str | None, options: ModelOptions) -> ModelSpec:
    """The model to build: --model, else the built-in model the file names; a model in a .py file that
    only the file names is refused (the file is untrusted). The file's constructor arguments and input
    shape apply whenever the model is the one it names, unless --model-kwargs or --input-shape is given."""
    try:
        saved = saved_model_spec(checkpoint)
    except CheckpointError as exc:
        raise CLIError(str(exc)) from None
    if model_arg is not None:
        return options.spec(model_arg, saved)
    path = printable(checkpoint.path)
    if saved is None:
        raise CLIError(f"{path}: the file does not name its model; give --model SPEC to export ONNX")
    if not saved.is_builtin:
        named = printable(saved.text)
        raise CLIError(
            f"{path}: names the model {named!r}, code in a file that explorer will not run on a "
            f"checkpoint's say-so; give --model {named} if you trust that file"
        )
    return options.spec(saved.text, saved)


def _sample_shape(checkpoint: Checkpoint, spec: ModelSpec) -> tuple[int, ...]:
    shape = input_shape_for(spec)
    if shape is not None:
        return shape
    dataset = checkpoint.metadata.get("dataset")
    if dataset in DATASETS:  # only a built-in data set: a file named in the checkpoint is not opened
        return (1, *load_dataset(dataset).input_shape)
    raise CLIError(f"{printable(checkpoint.path)}: cannot tell the model's input shape; give --input-shape C,H,W")

