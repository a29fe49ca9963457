"""The training runs of a session, kept so they can be compared: what each was, and its curves.

A KeptRun is plain data: the model, the data, the optimizer and hyperparameters, the steps it covered,
and its curves (each a few named series over steps). Its curves are compacted to at most KEPT_ROWS rows
each by the min/max thinning the live plots use, so keeping runs costs a bounded amount of memory
(a run of the seed Net is under half a megabyte) and a spike survives. A RunBook holds a session's runs
in order, with names the user can change, a visibility and a colour each. to_plain / from_plain turn a
run into plain data and back, for a checkpoint's metadata; from_plain checks what an untrusted file holds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Iterator

import numpy as np

from explorer.core.training.metrics_buffer import BUCKET, thin

KEPT_ROWS = 2048  # per curve of a kept run
MAX_RUNS = 64  # a session keeps at most this many runs; the oldest go first
CURVES = ("loss", "accuracy", "grad_norm", "update_ratio", "dead_relu")  # what a run's curves may hold
RUN_KEY = "run"  # where a checkpoint's metadata keeps the run that trained its weights


@dataclass(frozen=True, eq=False)
class Curve:
    """Series over steps: x (rows,), y (rows, len(names)); NaN where a series has no value at a step."""

    names: tuple[str, ...]
    x: np.ndarray
    y: np.ndarray

    def __post_init__(self):
        if self.y.shape != (len(self.x), len(self.names)):
            raise ValueError(f"a curve of {len(self.names)} series needs y of shape ({len(self.x)}, "
                             f"{len(self.names)}), got {self.y.shape}")

    def __len__(self) -> int:
        return len(self.x)

    def series(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """One series' steps and values, without the steps where it has none."""
        y = self.y[:, self.names.index(name)]
        keep = ~np.isnan(y)
        return self.x[keep], y[keep]


def compact(x: np.ndarray, y: np.ndarray, rows: int = KEPT_ROWS) -> tuple[np.ndarray, np.ndarray]:
    """At most `rows` rows: halved with min/max thinning (metrics_buffer.thin) until they fit; copies."""
    x, y = np.array(x, dtype=np.float64), np.array(y, dtype=np.float64).reshape(len(x), -1)
    while len(x) > rows:
        usable = len(x) - len(x) % BUCKET
        tx, ty = thin(x[:usable], y[:usable])
        x, y = np.concatenate([tx, x[usable:]]), np.concatenate([ty, y[usable:]])
    return x, y


@dataclass(eq=False)
class KeptRun:
    """One training run: what it trained, how, over which steps, and its curves."""

    name: str
    model: str
    data: str
    optimizer: str
    hyperparameters: dict  # plain values: lr, batch_size, seed, ...
    start_step: int
    end_step: int
    curves: dict[str, Curve] = field(default_factory=dict)
    visible: bool = True
    colour: int = 0  # an index into the viewer's palette, fixed when the run is kept

    def with_curves(self, curves: dict[str, tuple[tuple[str, ...], np.ndarray, np.ndarray]]) -> "KeptRun":
        """This run with these curves ({key: (names, x, y)}), each compacted to KEPT_ROWS rows."""
        kept = {}
        for key, (names, x, y) in curves.items():
            if key not in CURVES:
                raise ValueError(f"unknown curve {key!r}; a run keeps {', '.join(CURVES)}")
            cx, cy = compact(x, y)
            kept[key] = Curve(tuple(names), cx, cy)
        return replace(self, curves=kept)

    def describe(self) -> str:
        """One line for people: 'seed on digits, sgd lr 0.01 batch 32, steps 0-1,000'."""
        h = self.hyperparameters
        parts = [f"{self.optimizer}"] + [f"{k} {h[k]:g}" if isinstance(h[k], float) else f"{k} {h[k]}"
                                         for k in ("lr", "batch_size") if k in h]
        return (f"{self.model} on {self.data}, {' '.join(parts)}, "
                f"steps {self.start_step:,}-{self.end_step:,}")

    def nbytes(self) -> int:
        return sum(c.x.nbytes + c.y.nbytes for c in self.curves.values())

    def __repr__(self) -> str:
        return f"KeptRun({self.name!r}: {self.describe()}, {len(self.curves)} curves)"


class RunBook:
    """A session's runs, oldest first: add, rename, hide, delete. Plain Python; the GUI thread owns it."""

    def __init__(self, max_runs: int = MAX_RUNS):
        self.max_runs = max_runs
        self.runs: list[KeptRun] = []
        self._made = 0  # runs ever added: names and colours never repeat within a session

    def __len__(self) -> int:
        return len(self.runs)

    def __iter__(self) -> Iterator[KeptRun]:
        return iter(self.runs)

    def add(self, run: KeptRun) -> KeptRun:
        """Keep `run`, named "run N" unless it has a name, with the next colour; the oldest goes past max_runs."""
        self._made += 1
        name = run.name or f"run {self._made}"
        taken = {r.name for r in self.runs}
        unique, n = name, 2
        while unique in taken:
            unique, n = f"{name} ({n})", n + 1
        kept = replace(run, name=unique, colour=self._made - 1)
        self.runs.append(kept)
        del self.runs[: max(0, len(self.runs) - self.max_runs)]
        return kept

    def find(self, name: str) -> KeptRun:
        for run in self.runs:
            if run.name == name:
                return run
        raise KeyError(name)

    def rename(self, name: str, new: str) -> None:
        new = new.strip()
        if not new:
            raise ValueError("a run's name cannot be empty")
        if new != name and any(r.name == new for r in self.runs):
            raise ValueError(f"there is already a run called {new!r}")
        self.find(name).name = new

    def set_visible(self, name: str, visible: bool) -> None:
        self.find(name).visible = visible

    def delete(self, name: str) -> None:
        self.runs.remove(self.find(name))

    def visible(self) -> list[KeptRun]:
        return [r for r in self.runs if r.visible]

    def __repr__(self) -> str:
        return f"RunBook({len(self.runs)} runs: {', '.join(r.name for r in self.runs)})"


# ----- plain data, for a checkpoint's metadata -----------------------------------------------------------
def to_plain(run: KeptRun) -> dict:
    """Lists, dicts, str, int, float and None only (a .pt file then loads with weights_only=True); NaN is None."""
    def values(a: np.ndarray) -> list:
        return [None if math.isnan(v) else v for v in a.tolist()]

    return {
        "name": run.name, "model": run.model, "data": run.data, "optimizer": run.optimizer,
        "hyperparameters": dict(run.hyperparameters), "start_step": int(run.start_step),
        "end_step": int(run.end_step),
        "curves": {key: {"names": list(c.names), "x": values(c.x), "y": [values(col) for col in c.y.T]}
                   for key, c in run.curves.items()},
    }


def from_plain(data: object) -> KeptRun:
    """A KeptRun from what to_plain wrote; ValueError naming the first thing that does not fit."""
    if not isinstance(data, dict):
        raise ValueError("the run is not a dict")
    text = {key: data.get(key) for key in ("name", "model", "data", "optimizer")}
    for key, value in text.items():
        if not isinstance(value, str):
            raise ValueError(f"the run's {key!r} is not text")
    steps = {key: data.get(key) for key in ("start_step", "end_step")}
    for key, value in steps.items():
        if type(value) is not int or value < 0:
            raise ValueError(f"the run's {key!r} is not a step number")
    hyperparameters = data.get("hyperparameters", {})
    if not isinstance(hyperparameters, dict):
        raise ValueError("the run's 'hyperparameters' is not a dict")
    raw = data.get("curves", {})
    if not isinstance(raw, dict):
        raise ValueError("the run's 'curves' is not a dict")
    curves = {}
    for key, c in raw.items():
        if key not in CURVES or not isinstance(c, dict):
            raise ValueError(f"the run holds an unknown curve {key!r}")
        names, x, ys = c.get("names"), c.get("x"), c.get("y")
        if not (isinstance(names, list) and all(isinstance(n, str) for n in names)):
            raise ValueError(f"curve {key!r}: 'names' is not a list of text")
        if not (isinstance(x, list) and isinstance(ys, list) and len(ys) == len(names)
                and all(isinstance(col, list) and len(col) == len(x) for col in ys)):
            raise ValueError(f"curve {key!r}: 'x' and 'y' do not match its {len(names)} series")
        if len(x) > 4 * KEPT_ROWS:
            raise ValueError(f"curve {key!r} has {len(x)} rows, more than {4 * KEPT_ROWS}")
        try:
            cx = np.array(x, dtype=np.float64)
            cy = np.array([[math.nan if v is None else v for v in col] for col in ys], dtype=np.float64).T
        except (TypeError, ValueError):
            raise ValueError(f"curve {key!r} holds something that is not a number") from None
        curves[key] = Curve(tuple(names), cx, cy.reshape(len(cx), len(names)))
    return KeptRun(text["name"], text["model"], text["data"], text["optimizer"], dict(hyperparameters),
                   steps["start_step"], steps["end_step"], curves)
