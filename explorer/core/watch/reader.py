"""Reads a run directory while it is written: each rank's SQLite file, incrementally.

A store is untrusted: a file that is not a store, or one damaged or cut short, gives a RunStoreError naming
the file (opening) or a problem line naming it (reading), and whatever else is readable is still read: the
other ranks, the other tables. Each poll reads in one read transaction, so it sees whole commits only, and
asks per series only for the steps after the last one it has (the tables' primary keys are (series, step)).
When the writer thinned old rows (the meta's generation moved on), the rank is read afresh (reset=True).
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from explorer.core.watch import schema


class RunStoreError(Exception):
    """A run directory or rank file that cannot be read; the message names it and says why."""


@dataclass
class RankChunk:
    """What one poll read of one rank: new rows since the last poll (everything when reset)."""

    rank: int
    reset: bool
    scalars: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)  # name -> (steps, values)
    vectors: dict[str, list[tuple[int, np.ndarray, tuple[str, ...] | None]]] = field(default_factory=dict)
    histograms: dict[str, list[tuple[int, tuple[str, ...], np.ndarray]]] = field(default_factory=dict)  # rows (n, 2+bins)
    events: list[tuple[int, str, str]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.reset or any(len(s) for s, _ in self.scalars.values()) or any(self.vectors.values())
                    or any(self.histograms.values()) or self.events)


def _distinct(connection: sqlite3.Connection, table: str, column: str) -> list[str]:
    """The distinct values of a primary key's first column, by skipping through the key (not a table scan)."""
    query = (f"WITH RECURSIVE k(v) AS (SELECT min({column}) FROM {table} UNION ALL "
             f"SELECT (SELECT min({column}) FROM {table} WHERE {column} > k.v) FROM k WHERE k.v IS NOT NULL) "
             "SELECT v FROM k WHERE v IS NOT NULL")
    return [row[0] for row in connection.execute(query)]


class RankReader:
    """One rank's file."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.problems: list[str] = []
        try:
            self._connection = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=5.0,
                                               check_same_thread=False)
            self.meta = dict(self._connection.execute("SELECT key, value FROM meta").fetchall())
        except sqlite3.Error as exc:
            raise RunStoreError(f"{self.path}: not a readable explorer run store ({exc})") from None
        if self.meta.get("format") != schema.FORMAT:
            raise RunStoreError(f"{self.path}: not an explorer run store (format {self.meta.get('format')!r})")
        if int(self.meta.get("version", "0")) > schema.VERSION:
            raise RunStoreError(f"{self.path}: written by a newer explorer (store version {self.meta['version']})")
        self.rank = int(self.meta.get("rank", "0"))
        self.world_size = int(self.meta.get("world_size", "1"))
        params = json.loads(self.meta.get("params", "[]"))
        self.param_names = tuple(str(p[0]) for p in params)
        self.param_shapes = tuple(tuple(p[1]) for p in params)
        self.model_text = self.meta.get("model", "")
        self._generation: str | None = None
        self._last: dict[tuple[str, str], int] = {}
        self._last_event = 0

    def close(self) -> None:
        self._connection.close()

    def read_new(self) -> RankChunk:
        c = self._connection
        try:
            c.execute("BEGIN")
        except sqlite3.Error as exc:
            self._problem(f"{self.path}: cannot read ({exc})")
            return RankChunk(self.rank, reset=False)
        try:
            generation = self._read("meta", lambda: c.execute("SELECT value FROM meta WHERE key='generation'").fetchone())
            generation = generation[0] if generation else "0"
            reset = generation != self._generation
            if reset:
                self._generation, self._last, self._last_event = generation, {}, 0
            chunk = RankChunk(self.rank, reset)
            for name in self._read("scalars", lambda: _distinct(c, "scalars", "name")) or []:
                rows = self._read("scalars", lambda: c.execute(
                    "SELECT step, value FROM scalars WHERE name = ? AND step > ? ORDER BY step",
                    (name, self._last.get(("scalars", name), -1))).fetchall()) or []
                if rows:
                    steps = np.array([r[0] for r in rows], dtype=np.int64)
                    values = np.array([np.nan if r[1] is None else r[1] for r in rows], dtype=np.float64)
                    chunk.scalars[name] = (steps, values)
                    self._last[("scalars", name)] = int(steps[-1])
            for kind in self._read("vectors", lambda: _distinct(c, "vectors", "kind")) or []:
                rows = self._rows("vectors", kind)
                chunk.vectors[kind] = [(s, np.frombuffer(d, dtype=np.float32).astype(np.float64),
                                        None if n is None else tuple(json.loads(n))) for s, n, d in rows]
            for kind in self._read("histograms", lambda: _distinct(c, "histograms", "kind")) or []:
                chunk.histograms[kind] = [(s, names, table) for s, names, table in
                                          (self._histogram_row(r) for r in self._rows("histograms", kind)) if table is not None]
            rows = self._read("events", lambda: c.execute(
                "SELECT id, step, kind, message FROM events WHERE id > ? ORDER BY id", (self._last_event,)).fetchall()) or []
            if rows:
                self._last_event = rows[-1][0]
                chunk.events = [(r[1], r[2], r[3]) for r in rows]
            return chunk
        finally:
            try:
                c.execute("COMMIT")
            except sqlite3.Error:
                pass

    def _rows(self, table: str, kind: str) -> list:
        rows = self._read(table, lambda: self._connection.execute(
            f"SELECT step, names, data FROM {table} WHERE kind = ? AND step > ? ORDER BY step",
            (kind, self._last.get((table, kind), -1))).fetchall()) or []
        if rows:
            self._last[(table, kind)] = int(rows[-1][0])
        return rows

    def _histogram_row(self, row) -> tuple[int, tuple[str, ...], np.ndarray | None]:
        step, names, data = row
        try:
            names = tuple(json.loads(names))
            table = np.frombuffer(data, dtype=np.float32).reshape(len(names), -1).astype(np.float64)
        except (ValueError, TypeError) as exc:
            self._problem(f"{self.path}: a histogram row of step {step} is damaged ({exc})")
            return step, (), None
        return step, names, table

    def _read(self, table: str, query):
        try:
            return query()
        except sqlite3.Error as exc:
            self._problem(f"{self.path}: the {table} table cannot be read ({exc}); showing what could be read")
            return None

    def _problem(self, message: str) -> None:
        if message not in self.problems:
            self.problems.append(message)

    def __repr__(self) -> str:
        return f"RankReader({str(self.path)!r}, rank {self.rank}/{self.world_size})"


class RunReader:
    """A run directory: one RankReader per rank file, found anew on each poll (ranks may start late)."""

    def __init__(self, run_dir: str | Path):
        self.run_dir = Path(run_dir)
        if not self.run_dir.is_dir():
            raise RunStoreError(f"{self.run_dir}: no such folder")
        self.ranks: dict[int, RankReader] = {}
        self._bad: dict[Path, str] = {}  # files that cannot be opened, with why
        self._opened: set[Path] = set()

    @property
    def problems(self) -> list[str]:
        return [*self._bad.values(), *(p for r in self.ranks.values() for p in r.problems)]

    def poll(self) -> list[RankChunk]:
        """New rows of every rank (rank order); a rank file seen for the first time comes with reset=True."""
        for path in sorted(self.run_dir.glob(schema.FILE_PATTERN)):
            if path in self._opened or path.name.endswith(("-wal", "-shm")):
                continue
            try:
                reader = RankReader(path)
            except RunStoreError as exc:
                self._bad[path] = str(exc)
                continue
            self._opened.add(path)
            self._bad.pop(path, None)
            if reader.rank in self.ranks:
                self._bad[path] = f"{path}: a second file for rank {reader.rank}; it is not shown"
                reader.close()
                continue
            self.ranks[reader.rank] = reader
        return [self.ranks[r].read_new() for r in sorted(self.ranks)]

    def close(self) -> None:
        for reader in self.ranks.values():
            reader.close()

    def __repr__(self) -> str:
        return f"RunReader({str(self.run_dir)!r}, ranks {sorted(self.ranks)})"
