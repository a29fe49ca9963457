"""The records a watcher hands its writer: plain tuples, built here so the watcher and the tests agree."""

from __future__ import annotations

import json
import time
from typing import Sequence

import numpy as np

from explorer.core.training.diagnostics import Diagnostics, Histogram


def scalar(name: str, step: int, value: float) -> tuple:
    return ("scalar", name, int(step), float(value))


def vector(kind: str, step: int, values: Sequence[float], names: Sequence[str] | None = None) -> tuple:
    data = np.asarray(values, dtype=np.float32).tobytes()
    return ("vector", kind, int(step), None if names is None else json.dumps(list(names)), data)


def histograms(kind: str, step: int, items: Sequence[Histogram]) -> tuple:
    rows = np.array([[h.lo, h.hi, *h.counts] for h in items], dtype=np.float32)
    return ("histogram", kind, int(step), json.dumps([h.name for h in items]), rows.tobytes())


def event(step: int, kind: str, message: str) -> tuple:
    return ("event", int(step), kind, message, time.time())


def from_diagnostics(d: Diagnostics) -> list[tuple]:
    out = []
    if d.update_ratios is not None:
        out.append(vector("update_ratio", d.step, d.update_ratios))
    if d.relu_names:
        out.append(vector("dead_relu", d.step, d.dead_relu, d.relu_names))
    if d.gradients:
        out.append(histograms("gradient", d.step, d.gradients))
    if d.activations:
        out.append(histograms("activation", d.step, d.activations))
    return out
