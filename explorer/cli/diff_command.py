"""`explorer diff A B`: two checkpoints side by side, tensor by tensor, without running code from either.

Same architecture: per tensor, the norm in each file, the relative change ||B - A|| / ||A|| and the cosine
similarity. Different architectures: what differs (tensors only in one file, shapes that differ), exit
status 1 unless --allow-mismatch, and the tensors they share are still compared.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from pathlib import Path

from explorer.cli import CLIError
from explorer.core.checkpoint import CheckpointError, printable
from explorer.core.checkpoint.compare import compare_checkpoints, comparison_table


def add_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "diff",
        help="compare two checkpoints tensor by tensor",
        description="Per tensor: the norm in A and in B, the relative change ||B - A|| / ||A|| and the cosine "
                    "similarity. Checkpoints of different models list what differs. No code from the files runs.",
    )
    parser.add_argument("a", type=Path, metavar="A", help="a .pt or .safetensors checkpoint")
    parser.add_argument("b", type=Path, metavar="B", help="another checkpoint")
    parser.add_argument("--json", action="store_true", help="print the comparison as one JSON object")
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace) -> int:
    try:
        comparison, a, b = compare_checkpoints(args.a, args.b)
    except CheckpointError as exc:
        raise CLIError(str(exc)) from None
    if args.json:
        print(json.dumps({**asdict(comparison), "same_architecture": comparison.same_architecture,
                          "step_a": a.step, "step_b": b.step}, default=str))
        return 0 if comparison.same_architecture else 1
    print(f"A: {printable(args.a)} (step {a.step})")
    print(f"B: {printable(args.b)} (step {b.step})")
    if not comparison.same_architecture:
        print("\nThe two checkpoints hold different models:")
        for line in comparison.differences():
            print(f"  {line}")
        if comparison.tensors:
            print("\nTensors both hold with the same shape:")
    print()
    for line in comparison_table(comparison):
        print(line)
    return 0 if comparison.same_architecture else 1
