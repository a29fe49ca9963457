"""`explorer graph`: trace one forward pass's autograd graph and write it as JSON or Graphviz DOT."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from explorer.cli import CLIError
from explorer.cli.model_options import add_eval_option, add_model_options, build_cli_model, model_options
from explorer.ui.window.options import DATA_FORMS, MODEL_FORMS


def add_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "graph",
        help="write the autograd (grad_fn) graph of one forward pass and its loss",
        description=(
            "Build the model, run one batch forward (in training mode, or eval mode with --eval), compute the loss "
            "and write the grad_fn graph: "
            "JSON (networkx node-link data with each node's layout position and, for long edges, "
            "bend points) or Graphviz DOT."
        ),
    )
    parser.add_argument("--model", default="seed", help=f"{MODEL_FORMS} (default: seed)")
    add_model_options(parser)
    parser.add_argument("--dataset", default="tutorial", help=f"{DATA_FORMS} (default: tutorial)")
    parser.add_argument("--seed", type=int, default=0, help="seed for the weights and the data (default: 0)")
    parser.add_argument("--batch-size", type=int, default=1, help="samples in the batch (default: 1)")
    add_eval_option(parser)
    parser.add_argument("--format", choices=("json", "dot"), default="json", help="output format (default: json)")
    parser.add_argument("--out", required=True, type=Path, help="file to write")
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace) -> int:
    graph = _trace(args)
    if args.format == "json":
        text = json.dumps(_json_data(graph)) + "\n"
    else:
        from explorer.core.autograd.graph import to_dot

        text = to_dot(graph)
    _write(args.out, text.encode("utf-8"))
    print(f"wrote {graph.graph.number_of_nodes()} nodes and {graph.graph.number_of_edges()} edges to {args.out}")
    return 0


def _trace(args: argparse.Namespace):
    from explorer.core.autograd.graph import trace_graph
    from explorer.core.data.datasets import DatasetError, load_dataset
    from explorer.core.models import sample_shape_for
    from explorer.core.batch_rule import BATCH_NORM_NEEDS

    if args.batch_size < 1:
        raise CLIError(f"--batch-size must be at least 1, got {args.batch_size}")
    spec = model_options(args).spec(args.model)
    model = build_cli_model(spec, args.seed)
    model.train(not args.eval)
    try:
        data = load_dataset(args.dataset, args.seed, input_shape=sample_shape_for(spec))
    except DatasetError as exc:
        raise CLIError(_first_line(exc)) from None
    size = min(args.batch_size, data.train_size)
    if size < args.batch_size:
        print(f"note: --batch-size {args.batch_size} -> {size}: {args.dataset!r} has only {data.train_size} "
              "training sample(s)", file=sys.stderr)
    try:
        loss, node_modules = _forward(model, data, size, spec.output)
    except Exception as exc:  # a user's model that does not fit the data: say so in one line
        problem = _first_line(exc)
        if BATCH_NORM_NEEDS not in problem or args.eval:
            raise CLIError(f"model {args.model!r} on dataset {args.dataset!r}: forward failed: {problem}") from None
        if size > 1 or data.train_size < 2:
            raise CLIError(f"model {args.model!r} on dataset {args.dataset!r}: batch norm in training mode needs more "
                           f"than one value per channel ({problem}): give --eval (batch norm then uses its running "
                           "statistics), or --batch-size 2 or more on a data set with that many samples (e.g. "
                           "--dataset digits)") from None
        # Batch norm over a 1x1 map of one sample has nothing to normalise: two samples work.
        print("note: --batch-size 1 -> 2: the model's batch norm needs more than one value per channel in "
              "training mode (or give --eval: batch norm then uses its running statistics)", file=sys.stderr)
        loss, node_modules = _forward(model, data, 2, spec.output)
    if loss.grad_fn is None:
        raise CLIError(f"model {args.model!r}: the loss does not depend on any parameter that requires grad")
    return trace_graph(loss, model=model, node_modules=node_modules)


def _forward(model, data, size: int, output: str):
    import torch

    from explorer.core.autograd.module_attribution import record_node_modules
    from explorer.core.models import primary_output

    x, y = data.sample_batch(torch.arange(size))
    with record_node_modules(model) as node_modules:
        return data.loss_fn(primary_output(model(x), output), y), node_modules


def _json_data(graph) -> dict:
    from explorer.core.autograd.graph import to_node_link
    from explorer.core.layout import layered_layout_with_bends

    positions, bends = layered_layout_with_bends(graph.graph)
    data = to_node_link(graph, positions=positions)
    for edge in data["edges"]:
        edge["bends"] = [list(point) for point in bends.get((edge["source"], edge["target"]), [])]
    data["graph"]["layout"] = "layered: y = layer (roots at 0, growing downward), nodes of a layer at least 1 apart in x"
    return data


def _write(path: Path, data: bytes) -> None:
    from explorer.core.atomic import atomic_write_bytes

    try:
        atomic_write_bytes(path, data)
    except OSError as exc:
        raise CLIError(f"{path}: cannot write: {exc.strerror or exc}") from None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
