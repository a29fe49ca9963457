"""`explorer inspect PATH`: what a checkpoint file holds, read without running any code from it.

A checkpoint is untrusted. When its metadata names a built-in model, that model is built and
printed like `print(net)`. A model spec naming a .py file is never imported, because that would run
the file's code. For such a file, and for files with no metadata, a module tree is inferred from the
tensor names instead.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import torch.nn as nn

from explorer.cli import CLIError
from explorer.core.checkpoint import (
    MODEL_SPEC_KEY,
    Checkpoint,
    CheckpointError,
    check_compatible,
    load_checkpoint,
    printable,
    saved_model_spec,
)
from explorer.core.models import ModelSpecError, build_model, parse_spec, state_size
from explorer.core.wording import dims


def add_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "inspect",
        help="show what a checkpoint file holds",
        description="Show a checkpoint's model, tensors, step, loss and metadata. No code from the file runs.",
    )
    parser.add_argument("path", type=Path, metavar="PATH", help="a .pt or .safetensors checkpoint")
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace) -> int:
    try:
        checkpoint = load_checkpoint(args.path)
    except CheckpointError as exc:
        raise CLIError(str(exc)) from None
    print(describe(checkpoint))
    return 0


def describe(checkpoint: Checkpoint) -> str:
    """The whole report, as printed by `explorer inspect`."""
    model, model_lines = _model_section(checkpoint)
    lines = [printable(checkpoint.path), f"  {_origin(checkpoint)}", "", *model_lines, ""]
    lines += _tensor_section(checkpoint, model)
    lines += [
        "",
        f"Step: {checkpoint.step}",
        f"Loss: {'n/a' if checkpoint.loss is None else format(checkpoint.loss, '.6g')}",
        f"Optimizer state: {_optimizer_text(checkpoint)}",
        "Metadata:" if checkpoint.metadata else "Metadata: none",
    ]
    # Sorted: a .safetensors header keeps no order, and both formats should read the same.
    lines += [f"  {printable(key)}: {_value_text(checkpoint.metadata[key])}" for key in sorted(checkpoint.metadata)]
    lines += [f"Warning: {printable(warning)}" for warning in checkpoint.warnings]
    return "\n".join(lines)


def _origin(checkpoint: Checkpoint) -> str:
    kind = f".{checkpoint.format} file"
    if checkpoint.format_version is None:
        return f"{kind} with no explorer metadata (written by another program)"
    meta = checkpoint.metadata
    written = ", ".join(
        printable(f"{label} {meta[key]}")
        for label, key in (("explorer", "explorer_version"), ("torch", "torch_version"), ("at", "saved_at"))
        if key in meta
    )
    return f"{kind}, explorer format {checkpoint.format_version}" + (f" (written by {written})" if written else "")


def _model_section(checkpoint: Checkpoint) -> tuple[nn.Module | None, list[str]]:
    """The built-in model the metadata names, printed; otherwise a tree inferred from tensor names."""
    spec_text = checkpoint.metadata.get(MODEL_SPEC_KEY)
    if not isinstance(spec_text, str):
        heading = "Model: not named in the file; structure inferred from tensor names:"
        return None, [heading, *_inferred_tree(checkpoint)]
    spec = parse_spec(spec_text)
    shown = printable(spec_text)
    if not spec.is_builtin:
        return None, [
            f"Model: {shown} (code in a file: not imported, since the checkpoint is untrusted); "
            "structure inferred from tensor names:",
            *_inferred_tree(checkpoint),
        ]
    try:  # with the constructor arguments the file records (train --model-kwargs), sized first without memory
        saved = saved_model_spec(checkpoint)
        size = state_size(saved)
        if size != checkpoint.numel():
            raise ModelSpecError(f"{saved.kwargs or 'no arguments'} would make {size:,} values, the file holds "
                                 f"{checkpoint.numel():,}")
        model = build_model(saved)
    except (CheckpointError, ModelSpecError) as exc:
        problem = f"but it cannot be built as the file says ({printable(exc)})"
    else:
        try:
            check_compatible(model, checkpoint)
            return model, [f"Model: {shown}", *str(model).splitlines()]
        except CheckpointError as exc:
            problem = f"but the tensors do not fit it ({exc})"
    return None, [f"Model: {shown}, {problem}; structure inferred from tensor names:", *_inferred_tree(checkpoint)]


def _tensor_section(checkpoint: Checkpoint, model: nn.Module | None) -> list[str]:
    buffers = {name for name, _ in model.named_buffers()} if model is not None else set()
    # In the model's own order when it is known (a .safetensors file stores tensors sorted by name).
    names = list(model.state_dict()) if model is not None else list(checkpoint.model_state)
    rows = [
        (printable(name), dims(tuple(tensor.shape)), f"{tensor.numel():,}", " (buffer)" if name in buffers else "")
        for name, tensor in ((name, checkpoint.model_state[name]) for name in names)
    ]
    name_width = max((len(row[0]) for row in rows), default=0)
    shape_width = max((len(row[1]) for row in rows), default=0)
    count_width = max((len(row[2]) for row in rows), default=0)
    lines = ["Tensors:"]
    lines += [f"  {n:<{name_width}}  {s:<{shape_width}}  {c:>{count_width}}{b}" for n, s, c, b in rows]
    tensors = f"{len(rows)} tensor{'' if len(rows) == 1 else 's'}"
    if model is None:  # without the model's code, parameters and buffers cannot be told apart
        lines.append(f"Total: {checkpoint.numel():,} values in {tensors}")
        return lines
    in_buffers = sum(t.numel() for name, t in checkpoint.model_state.items() if name in buffers)
    total = f"Total: {checkpoint.numel() - in_buffers:,} parameters"
    lines.append(f"{total} and {in_buffers:,} buffer values in {tensors}" if buffers else f"{total} in {tensors}")
    return lines


def _inferred_tree(checkpoint: Checkpoint) -> list[str]:
    """Modules as nested names, each with its tensors and, for common layers, a guess at the kind."""
    root: dict = {}
    for name, shape in checkpoint.shapes().items():
        *modules, tensor = name.split(".")
        node = root
        for part in modules:
            node = node.setdefault(part, {})
        node.setdefault("", {})[tensor] = shape  # "" never occurs as a name part, so it holds the tensors
    lines: list[str] = []
    _render(root, depth=1, lines=lines)
    return lines


def _render(node: dict, depth: int, lines: list[str]) -> None:
    indent = "  " * depth
    if node.get(""):
        lines.append(f"{indent}{_tensors_text(node[''])}")
    for name, child in node.items():
        if name == "":
            continue
        guess = _guess_layer(child.get("", {}))
        only_tensors = set(child) == {""}
        if only_tensors:
            lines.append(f"{indent}({printable(name)}): {guess + ' ' if guess else ''}[{_tensors_text(child[''])}]")
            continue
        lines.append(f"{indent}({printable(name)}):{' ' + guess if guess else ''}")
        _render(child, depth + 1, lines)


def _tensors_text(tensors: dict[str, tuple[int, ...]]) -> str:
    return ", ".join(f"{printable(name)} {dims(shape)}" for name, shape in tensors.items())


def _guess_layer(tensors: dict[str, tuple[int, ...]]) -> str:
    """A hint from shapes alone: the code that would say for sure is not run."""
    weight, bias = tensors.get("weight"), tensors.get("bias")
    if "running_mean" in tensors:
        return f"BatchNorm-like ({dims(tensors['running_mean'])} features)"
    if weight is not None and len(weight) in (3, 4, 5):
        kernel = dims(weight[2:])
        return f"Conv{len(weight) - 2}d-like ({weight[1]} -> {weight[0]} channels, {kernel} kernel)"
    if weight is not None and len(weight) == 2 and bias == (weight[0],):
        return f"Linear-like ({weight[1]} -> {weight[0]})"
    return ""


def _optimizer_text(checkpoint: Checkpoint) -> str:
    if checkpoint.optimizer_state is None:
        return "none" + (" (the .safetensors format holds weights only)" if checkpoint.format == "safetensors" else "")
    name = checkpoint.metadata.get("optimizer_class", "optimizer")
    entries = len(checkpoint.optimizer_state["state"])
    return printable(f"{name}, state for {entries} parameter{'' if entries == 1 else 's'}")


def _value_text(value: object) -> str:
    return printable(json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value)


