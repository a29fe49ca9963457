"""A run store written out as TensorBoard event files (one folder per rank), with TensorBoard's own writer
(torch.utils.tensorboard, which needs the tensorboard package): for people whose tools read TensorBoard."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from explorer.core.watch.reader import RankChunk, RunReader


class TensorBoardUnavailable(Exception):
    """The tensorboard package is not installed."""


def export(reader: RunReader, chunks: list[RankChunk], out_dir: str | Path) -> list[Path]:
    """Write every chunk (a full read of each rank) under out_dir/rank-N; returns the event files written."""
    try:
        from torch.utils.tensorboard import SummaryWriter
    except ImportError as exc:
        raise TensorBoardUnavailable(f"TensorBoard export needs the tensorboard package (pip install tensorboard): {exc}") from None
    written = []
    for chunk in chunks:
        names = reader.ranks[chunk.rank].param_names
        folder = Path(out_dir) / f"rank-{chunk.rank}"
        writer = SummaryWriter(log_dir=str(folder))
        try:
            for name, (steps, values) in chunk.scalars.items():
                for step, value in zip(steps.tolist(), values.tolist()):
                    writer.add_scalar(name, value, step)
            for kind, rows in chunk.vectors.items():
                for step, values, entry_names in rows:
                    labels = entry_names or names
                    for label, value in zip(labels, values.tolist()):
                        writer.add_scalar(f"{kind}/{label}", value, step)
            for kind, rows in chunk.histograms.items():
                for step, entry_names, table in rows:
                    for label, row in zip(entry_names, table):
                        _add_histogram(writer, f"{kind}/{label}", row, step)
            for step, kind, message in chunk.events:
                writer.add_text(kind, message, step)
            writer.flush()
        finally:
            writer.close()
        written += sorted(folder.glob("events.out.tfevents.*"))
    return written


def _add_histogram(writer, tag: str, row: np.ndarray, step: int) -> None:
    lo, hi, counts = float(row[0]), float(row[1]), np.asarray(row[2:], dtype=np.float64)
    if not (np.isfinite(lo) and np.isfinite(hi)) or counts.sum() <= 0:
        return
    edges = np.linspace(lo, hi, len(counts) + 1)
    centres = (edges[:-1] + edges[1:]) / 2
    writer.add_histogram_raw(tag, min=lo, max=hi, num=float(counts.sum()), sum=float((centres * counts).sum()),
                             sum_squares=float((centres**2 * counts).sum()), bucket_limits=edges[1:].tolist(),
                             bucket_counts=counts.tolist(), global_step=step)
