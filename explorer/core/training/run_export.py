"""A kept run's curves out of explorer: a CSV file any tool reads, or a TensorBoard event file.

CSV is long form, one measured value a row: `curve,series,step,value` (e.g. `grad_norm,fc1.weight,120,0.034`),
so curves measured on different steps sit in one file without empty cells. TensorBoard goes through
torch.utils.tensorboard.SummaryWriter, which needs the `tensorboard` package (the optional extra
`pip install -e '.[tensorboard]'`): one scalar tag per series, `curve/series`, at its steps.
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

from explorer.core.atomic import atomic_write_bytes
from explorer.core.training.runs import KeptRun


def rows(run: KeptRun):
    """(curve, series, step, value) for every measured value of the run, curve by curve, series by series."""
    for key, curve in run.curves.items():
        for name in curve.names:
            steps, values = curve.series(name)
            for step, value in zip(steps.tolist(), values.tolist()):
                yield key, name, int(step), value


def write_csv(run: KeptRun, path: str | Path) -> int:
    """Write the run's curves to `path` (atomically); returns the number of values written."""
    text = io.StringIO()
    out = csv.writer(text, lineterminator="\n")
    out.writerow(["curve", "series", "step", "value"])
    n = 0
    for row in rows(run):
        out.writerow(row[:3] + (repr(row[3]),))
        n += 1
    atomic_write_bytes(Path(path), text.getvalue().encode("utf-8"))
    return n


def tensorboard_unavailable_reason() -> str | None:
    """Why a TensorBoard event file cannot be written here; None when it can."""
    try:
        import tensorboard  # noqa: F401  (SummaryWriter imports it; checked without loading the writer)
    except ImportError:
        return "the tensorboard package is not installed (pip install tensorboard)"
    return None


def write_tensorboard(run: KeptRun, logdir: str | Path) -> int:
    """Write the run's curves as scalars to a TensorBoard event file in `logdir`; returns the values written.
    RuntimeError when tensorboard is not installed."""
    reason = tensorboard_unavailable_reason()
    if reason:
        raise RuntimeError(reason)
    from torch.utils.tensorboard import SummaryWriter

    writer = SummaryWriter(log_dir=str(logdir))
    n = 0
    try:
        writer.add_text("run", run.describe(), 0)
        for key, name, step, value in rows(run):
            if math.isfinite(value):
                writer.add_scalar(f"{key}/{name}", value, step)
                n += 1
    finally:
        writer.close()
    return n
