"""Between the live plots and kept runs: a run's curves taken from the plots, and kept runs laid over them.

A kept run is drawn in the Loss plot (its smoothed loss) and the Accuracy plot (its test accuracy), one
colour per run, named in the legends: the two curves that say whether one run learned better than another.
"""

from __future__ import annotations

import pyqtgraph as pg

from explorer.core.training.runs import KeptRun
from explorer.ui.training.curve_plot import CurvePlot


# The loss and accuracy plots name their series in the window's language; a kept run names them the same in any.
CANONICAL_NAMES = {"loss": ("per step", "smoothed"), "accuracy": ("train", "test")}


def capture(info: dict, plots: dict[str, CurvePlot]) -> KeptRun | None:
    """The live run as a KeptRun: `info` says what it was (model, data, optimizer, hyperparameters), `plots`
    maps a curve key (explorer.core.training.runs.CURVES) to the plot holding it. None before any step."""
    loss = plots["loss"].buffer
    if not len(loss):
        return None
    run = KeptRun(info.get("name", ""), str(info.get("model", "?")), str(info.get("data", "?")),
                  str(info.get("optimizer", "?")), dict(info.get("hyperparameters", {})),
                  int(info.get("start_step", 0)), int(info.get("start_step", 0)) + int(loss.x[-1]))
    curves = {key: (CANONICAL_NAMES.get(key, plot.names), plot.buffer.x, plot.buffer.y) for key, plot in plots.items()
              if plot.names and len(plot.buffer)}
    return run.with_curves(curves)


def end_step(run: KeptRun) -> float:
    """The last step the run's curves reach (steps count from the run's own start)."""
    return max((float(c.x[-1]) for c in run.curves.values() if len(c)), default=0.0)


def overlays(runs, key: str, series: str, colour_of) -> list:
    """(label, pen, x, y) of one series of each run that has it, for CurvePlot.set_overlays."""
    out = []
    for run in runs:
        curve = run.curves.get(key)
        if curve is None or series not in curve.names:
            continue
        x, y = curve.series(series)
        pen = pg.mkPen(colour_of(run), width=1)
        pen.setCosmetic(True)
        out.append((run.name, pen, x, y))
    return out


def step_extent(runs) -> float:
    return max((end_step(r) for r in runs), default=0.0)

