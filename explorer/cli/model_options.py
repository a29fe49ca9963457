"""`--model-kwargs`, `--input-shape` and `--output`: what File > Open model takes besides the model, for the
command line.

The text goes through the same core parsers as the GUI's dialog (explorer.core.models.parse_kwargs and
parse_input_shape), so a value that works in one works in the other and both build the same ModelSpec.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass

import torch.nn as nn

from explorer.cli import CLIError
from explorer.core.checkpoint import INPUT_SHAPE_KEY, MODEL_KWARGS_KEY, OUTPUT_KEY, Checkpoint, printable
from explorer.core.models import (
    ModelSpec, ModelSpecError, build_model, format_input_shape, parse_input_shape, parse_kwargs, parse_spec,
    state_size,
)

SPEC_METADATA_KEYS = (MODEL_KWARGS_KEY, INPUT_SHAPE_KEY, OUTPUT_KEY)  # what spec_metadata may write


def add_model_options(parser: argparse.ArgumentParser, prefix: str = "", kept: str = "") -> None:
    """Add both options, their help starting with `prefix` and, after the defaults, saying what a
    checkpoint keeps (`kept`). The defaults are None so that "not given" can keep a checkpoint's value."""
    kept = f"; {kept}" if kept else ""
    parser.add_argument(
        "--model-kwargs", metavar="JSON",
        help=f"{prefix}the model's constructor keyword arguments as a JSON object, e.g. '{{\"width\": 64}}' "
        f"(default: none{kept})",
    )
    parser.add_argument(
        "--input-shape", metavar="C,H,W",
        help=f"{prefix}one sample's shape without the batch dimension, e.g. 3,32,32 or 3x32x32 "
        f"(default: the built-in model's, else the data's own{kept})",
    )
    parser.add_argument(
        "--output", metavar="NAME",
        help=f"{prefix}which entry of a model's tuple, dict or Hugging Face output is the prediction: a key "
        f"(logits), a field or an index (0) (default: a tensor itself, else an entry called logits, else a "
        f"tuple's first tensor, else a dict's only tensor; any other output is refused{kept})",
    )


EVAL_HELP = ("run the model in eval mode, as model.eval() sets it: dropout off, batch norm on its running statistics, "
             "so one sample works where batch norm in training mode needs two (default: training mode, where a batch "
             "norm model at --batch-size 1 is raised to 2 and the command says so)")


def add_eval_option(parser: argparse.ArgumentParser, help_text: str = EVAL_HELP) -> None:
    """--eval: the mode the model is stepped in, the Open model dialog's "Eval mode" (SessionConfig.eval_mode)."""
    parser.add_argument("--eval", action="store_true", help=help_text)


@dataclass(frozen=True)
class ModelOptions:
    """--model-kwargs and --input-shape, parsed; None where an option was not given (or, for the shape,
    given empty, which the GUI's dialog also reads as "not given")."""

    kwargs: dict | None = None
    input_shape: tuple[int, ...] | None = None
    output: str | None = None

    def spec(self, model: str, saved: ModelSpec | None = None) -> ModelSpec:
        """The spec to build `model` with. `saved` (a checkpoint's spec) supplies the arguments and shape
        not given here, when it names the same model."""
        base = parse_spec(model)
        if saved is not None and saved.text == base.text:
            base = saved
        return ModelSpec(
            base.text,
            base.kwargs if self.kwargs is None else self.kwargs,
            base.input_shape if self.input_shape is None else self.input_shape,
            base.output if self.output is None else self.output,
        )


def model_options(args: argparse.Namespace) -> ModelOptions:
    """Parse the options, raising CLIError with one line that names the option and the problem."""
    return ModelOptions(
        None if args.model_kwargs is None else _kwargs(args.model_kwargs),
        None if args.input_shape is None else _input_shape(args.input_shape),
        None if getattr(args, "output", None) is None else args.output.strip(),
    )


def build_cli_model(spec: ModelSpec, seed: int = 0, to_hold: Checkpoint | None = None) -> nn.Module:
    """build_model, with a failure as one line that says which constructor arguments were tried. With
    `to_hold`, a built-in model with constructor arguments is first sized on the meta device and refused unless
    it holds as many values as the file: a checkpoint's recorded arguments are untrusted, and the wrong ones
    could ask for terabytes."""
    try:
        if to_hold is not None and spec.is_builtin and spec.kwargs:  # without arguments its size is fixed
            size, held = state_size(spec, seed), to_hold.numel()
            if size != held:
                arguments = json.dumps(spec.kwargs) if spec.kwargs else "no arguments"
                raise CLIError(f"{printable(to_hold.path)}: {spec.text} with {printable(arguments)} would hold "
                               f"{size:,} values, the file holds {held:,}; see --model-kwargs")
        return build_model(spec, seed)
    except ModelSpecError as exc:
        lines = [line for line in str(exc).splitlines() if line.strip()]
        problem = lines[0] if lines else type(exc).__name__
        if spec.kwargs:
            problem += f" (constructor arguments {json.dumps(spec.kwargs)}, see --model-kwargs)"
        elif "argument" in problem:  # most likely a required one: say where it goes
            problem += " (no constructor arguments were given, see --model-kwargs)"
        raise CLIError(problem) from None


def spec_metadata(spec: ModelSpec) -> dict[str, str]:
    """A file's record of the constructor arguments, input shape and output name the model was built with (what
    saved_model_spec reads back); a key is left out where the spec has none."""
    metadata = {}
    if spec.kwargs:
        metadata[MODEL_KWARGS_KEY] = json.dumps(spec.kwargs)
    if spec.input_shape is not None:
        metadata[INPUT_SHAPE_KEY] = format_input_shape(spec.input_shape)
    if spec.output:
        metadata[OUTPUT_KEY] = spec.output
    return metadata


def _kwargs(text: str) -> dict:
    try:
        return parse_kwargs(text)
    except ModelSpecError as exc:
        raise CLIError(f"--model-kwargs: {exc}") from None


def _input_shape(text: str) -> tuple[int, ...] | None:
    try:
        return parse_input_shape(text)
    except ModelSpecError:
        raise CLIError(
            f"--input-shape {text!r}: expected positive whole numbers such as 3,32,32 "
            "(one sample, without the batch dimension)"
        ) from None
