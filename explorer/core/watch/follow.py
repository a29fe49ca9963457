"""A run's records as the training panel's own messages: each rank's new steps become a TrainingUpdate of
StepMetrics (loss, gradient norms, Diagnostics with histograms, update ratios and dead units), so the window
draws a watched run with the same curves panel as its own training.

A step's records can arrive in two commits (its gradient norms before the optimizer step, its loss after
it); the steps after the last loss read are held back until their loss comes, so every plot's steps grow.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from explorer.core.training.diagnostics import Diagnostics, Histogram
from explorer.core.training.loop import StepMetrics
from explorer.core.training.messages import TrainingUpdate
from explorer.core.watch.reader import RankChunk, RunReader


@dataclass
class _Step:
    scalars: dict[str, float] = field(default_factory=dict)
    vectors: dict[str, tuple[np.ndarray, tuple[str, ...] | None]] = field(default_factory=dict)
    histograms: dict[str, tuple[tuple[str, ...], np.ndarray]] = field(default_factory=dict)


@dataclass(frozen=True)
class RankUpdate:
    """One rank's new steps as the training panel's update; reset: draw from scratch (first read, thinning)."""

    rank: int
    reset: bool
    update: TrainingUpdate
    events: tuple[tuple[int, str, str], ...]


class RankAssembler:
    """Gathers one rank's rows by step and hands out the steps that are complete."""

    def __init__(self, rank: int, param_names: tuple[str, ...]):
        self.rank = rank
        self.param_names = param_names
        self.steps: dict[int, _Step] = {}
        self.last_loss = -1
        self.epoch = 0
        self.last_step = 0

    def add(self, chunk: RankChunk) -> RankUpdate:
        if chunk.reset:
            self.steps, self.last_loss, self.epoch = {}, -1, 0
        for name, (steps, values) in chunk.scalars.items():
            for s, v in zip(steps.tolist(), values.tolist()):
                self.steps.setdefault(s, _Step()).scalars[name] = v
            if name == "loss" and len(steps):
                self.last_loss = max(self.last_loss, int(steps[-1]))
        for kind, rows in chunk.vectors.items():
            for s, values, names in rows:
                self.steps.setdefault(s, _Step()).vectors[kind] = (values, names)
        for kind, rows in chunk.histograms.items():
            for s, names, table in rows:
                self.steps.setdefault(s, _Step()).histograms[kind] = (names, table)
        ready = sorted(s for s in self.steps if self.last_loss < 0 or s <= self.last_loss)
        metrics = tuple(self._metrics(s, self.steps.pop(s)) for s in ready)
        if metrics:
            self.last_step = metrics[-1].step
        update = TrainingUpdate(metrics, self.last_step, 0, math.nan, math.nan)
        return RankUpdate(self.rank, chunk.reset, update, tuple(chunk.events))

    def _metrics(self, step: int, rows: _Step) -> StepMetrics:
        if "epoch" in rows.scalars and math.isfinite(rows.scalars["epoch"]):
            self.epoch = int(rows.scalars["epoch"])
        norms = rows.vectors.get("grad_norm")
        grad_norms = tuple(norms[0].tolist()) if norms is not None and len(norms[0]) == len(self.param_names) else ()
        accuracy = rows.scalars.get("accuracy")
        return StepMetrics(step, self.epoch, rows.scalars.get("loss", math.nan),
                           accuracy if grad_norms else None, grad_norms, diagnostics=self._diagnostics(step, rows))

    def _diagnostics(self, step: int, rows: _Step) -> Diagnostics | None:
        if not (rows.histograms or "update_ratio" in rows.vectors or "dead_relu" in rows.vectors):
            return None
        ratios = rows.vectors.get("update_ratio")
        dead = rows.vectors.get("dead_relu")
        return Diagnostics(step, self.param_names,
                           tuple(ratios[0].tolist()) if ratios is not None else None,
                           tuple(dead[1] or ()) if dead is not None else (),
                           tuple(dead[0].tolist()) if dead is not None else (),
                           _histograms(rows.histograms.get("gradient")), _histograms(rows.histograms.get("activation")))


def _histograms(entry) -> tuple[Histogram, ...]:
    if entry is None:
        return ()
    names, table = entry
    out = []
    for name, row in zip(names, table):
        counts = np.array(row[2:], dtype=np.float32)
        counts.setflags(write=False)
        out.append(Histogram(name, float(row[0]), float(row[1]), counts))
    return tuple(out)


class RunFollower:
    """Polls a run directory and turns each rank's new rows into RankUpdates. Torch-free work only (sqlite
    and numpy), cheap enough for a worker thread every half second."""

    def __init__(self, run_dir):
        self.reader = RunReader(run_dir)
        self.assemblers: dict[int, RankAssembler] = {}

    def poll(self) -> list[RankUpdate]:
        updates = []
        for chunk in self.reader.poll():
            rank = self.reader.ranks[chunk.rank]
            assembler = self.assemblers.setdefault(chunk.rank, RankAssembler(chunk.rank, rank.param_names))
            if not chunk.empty:
                updates.append(assembler.add(chunk))
        return updates

    @property
    def problems(self) -> list[str]:
        return self.reader.problems

    def close(self) -> None:
        self.reader.close()
