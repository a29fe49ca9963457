"""`explorer runs DIR`: a watched run's summary in the terminal, rank by rank; `--tensorboard OUT` also
writes it as TensorBoard event files. Reads the store while it is written; no torch needed to summarise."""

from __future__ import annotations

import argparse
import math
from pathlib import Path

import numpy as np

from explorer.cli import CLIError
from explorer.core.watch.reader import RankChunk, RankReader, RunReader, RunStoreError


def add_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "runs",
        help="summarise a run recorded with explorer.watch",
        description="Summarise a run directory written by explorer.watch(model, DIR): each rank's steps, loss, "
                    "gradient norms, update ratios, dead units and NaN/Inf events.",
    )
    parser.add_argument("run_dir", type=Path, metavar="DIR", help="the run directory given to explorer.watch")
    parser.add_argument("--tensorboard", type=Path, metavar="OUT",
                        help="also write the run as TensorBoard event files into OUT (needs the tensorboard package)")
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace) -> int:
    try:
        reader = RunReader(args.run_dir)
    except RunStoreError as exc:
        raise CLIError(str(exc)) from None
    try:
        chunks = reader.poll()
        print(summary(reader, chunks))
        if args.tensorboard is not None:
            from explorer.core.watch.tensorboard_export import TensorBoardUnavailable, export

            try:
                files = export(reader, chunks, args.tensorboard)
            except TensorBoardUnavailable as exc:
                raise CLIError(str(exc)) from None
            print(f"TensorBoard event files: {', '.join(str(f) for f in files)}")
    finally:
        reader.close()
    if not chunks:
        raise CLIError(f"{args.run_dir}: no readable rank file (rank-*.sqlite)")
    return 0


def _number(v: float) -> str:
    return "n/a" if v is None or not math.isfinite(v) else f"{v:.4g}"


def summary(reader: RunReader, chunks: list[RankChunk]) -> str:
    lines = [str(reader.run_dir)]
    if chunks:
        first = reader.ranks[chunks[0].rank]
        shapes = first.param_shapes
        count = sum(int(np.prod(s)) for s in shapes)
        lines.append(f"  {len(chunks)} rank(s) of world size {first.world_size}; model "
                     f"{first.meta.get('model_class', '?')}, {count:,} parameters in {len(shapes)} tensors")
    for chunk in chunks:
        lines += [""] + _rank_lines(reader.ranks[chunk.rank], chunk)
    problems = reader.problems
    if problems:
        lines += ["", "Problems:"] + [f"  {p}" for p in problems]
    return "\n".join(lines)


def _rank_lines(rank: RankReader, chunk: RankChunk) -> list[str]:
    all_steps = [int(s[-1]) for s, _ in chunk.scalars.values() if len(s)]
    all_steps += [rows[-1][0] for rows in (*chunk.vectors.values(), *chunk.histograms.values()) if rows]
    wrapped = rank.meta.get("wrappers", "[]")
    lines = [f"rank {rank.rank}  {rank.path.name}  host {rank.meta.get('host', '?')} pid {rank.meta.get('pid', '?')}"
             f"{'  wrapped in ' + wrapped if wrapped != '[]' else ''}",
             f"  last step {max(all_steps) if all_steps else 'none yet'}"]
    if "loss" in chunk.scalars:
        steps, loss = chunk.scalars["loss"]
        finite = np.isfinite(loss)
        best = int(np.nanargmin(np.where(finite, loss, np.nan))) if finite.any() else None
        lines.append(f"  loss: {len(steps):,} points, first {_number(loss[0])}, last {_number(loss[-1])}"
                     + (f", lowest {_number(loss[best])} at step {steps[best]}" if best is not None else ""))
    for name, (steps, values) in sorted(chunk.scalars.items()):
        if name != "loss" and len(steps):
            lines.append(f"  {name}: {len(steps):,} points, last {_number(values[-1])} at step {steps[-1]}")
    names = rank.param_names
    if chunk.vectors.get("grad_norm"):
        rows = chunk.vectors["grad_norm"]
        step, last, _ = rows[-1]
        order = np.argsort(-np.nan_to_num(last, nan=np.inf))[:3]
        top = ", ".join(f"{names[i] if i < len(names) else i} {_number(last[i])}" for i in order)
        lines.append(f"  gradient norms: {len(rows):,} steps measured; largest at step {step}: {top}")
    if chunk.vectors.get("update_ratio"):
        rows = chunk.vectors["update_ratio"]
        step, last, _ = rows[-1]
        finite = last[np.isfinite(last)]
        if len(finite):
            lines.append(f"  update/weight: {len(rows):,} steps measured; at step {step} median {_number(np.median(finite))}, "
                         f"largest {_number(finite.max())} (healthy near 1e-3)")
    if chunk.vectors.get("dead_relu"):
        step, dead, relus = chunk.vectors["dead_relu"][-1]
        text = ", ".join(f"{n} {d:.0%}" for n, d in zip(relus or (), dead))
        lines.append(f"  dead ReLU units at step {step}: {text}")
    for kind, rows in sorted(chunk.histograms.items()):
        lines.append(f"  {kind} histograms: {len(rows):,} steps")
    for step, kind, message in chunk.events:
        lines.append(f"  ! {message}")
    return lines
