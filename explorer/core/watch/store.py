"""Writes one rank's records into its SQLite file from a background thread, so the training loop only
appends tuples to a list.

The thread commits what has arrived every `interval` seconds (and on flush() and close()). A failure to
write (an unwritable directory, a full disk, a file that is not a store) is said once on stderr and in
`error`, and the writer stops: records are dropped from then on, and training never sees an exception.
Size stays bounded: when a series holds more than its capacity, its older half is thinned (scalars and
per-parameter vectors to each bucket's minimum and maximum, so spikes survive; histograms to every other
one), as explorer.core.training.metrics_buffer does in memory.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import sys
import threading
import time
from pathlib import Path

import numpy as np

from explorer.core.training.metrics_buffer import BUCKET, thin
from explorer.core.watch import schema

MAX_PENDING = 200_000  # records waiting for the thread; beyond this (a stalled disk), new ones are dropped


def connect(path: Path, *, timeout: float = 10.0) -> sqlite3.Connection:
    connection = sqlite3.connect(path, timeout=timeout, check_same_thread=False, isolation_level=None)
    for pragma in schema.PRAGMAS:
        connection.execute(pragma)
    return connection


class RunWriter:
    """One rank's writer. put() is cheap and never raises; the thread does the SQL."""

    def __init__(self, run_dir: str | os.PathLike, rank: int, meta: dict[str, object], *, interval: float = 0.5):
        self.path = Path(run_dir) / schema.rank_file_name(rank)
        self.interval = interval
        self.error: str | None = None
        self.dropped = 0
        self.written = 0
        self.busy_seconds = 0.0  # the thread's time writing: the watcher charges it to its time budget
        self._pending: list[tuple] = []
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._done = threading.Condition()
        self._requested = 0  # flush tickets asked for / served
        self._served = 0
        self._closing = False
        self._counts: dict[tuple[str, str], int] = {}
        self._connection: sqlite3.Connection | None = None
        try:
            Path(run_dir).mkdir(parents=True, exist_ok=True)
            self._connection = connect(self.path)
            self._create(meta)
        except (OSError, sqlite3.Error) as exc:
            self._fail(exc)
            return
        self._thread = threading.Thread(target=self._run, name=f"explorer-watch-writer-{rank}", daemon=True)
        self._thread.start()

    @property
    def active(self) -> bool:
        return self.error is None and not self._closing

    # ----- the training thread's side --------------------------------------------------------------------
    def put(self, record: tuple) -> None:
        if self.error is not None or self._closing:
            return
        with self._lock:  # the thread swaps the list: a record must land in the old list or the new one
            if len(self._pending) >= MAX_PENDING:
                self.dropped += 1
                return
            self._pending.append(record)

    def flush(self, timeout: float = 30.0) -> bool:
        """Wait until everything put() so far is committed (or the writer failed). True when committed."""
        if self.error is not None or self._connection is None:
            return False
        with self._done:
            self._requested += 1
            ticket = self._requested
            self._wake.set()
            self._done.wait_for(lambda: self._served >= ticket or self.error is not None, timeout)
            return self.error is None and self._served >= ticket

    def close(self) -> None:
        if self._connection is None or self._closing:
            return
        self.flush()
        self._closing = True
        self._wake.set()
        self._thread.join(timeout=30)

    # ----- the thread --------------------------------------------------------------------------------
    def _run(self) -> None:
        while True:
            self._wake.wait(self.interval)
            self._wake.clear()
            with self._done:
                ticket = self._requested
            with self._lock:
                batch, self._pending = self._pending, []
            if batch and self.error is None:
                began = time.perf_counter()
                try:
                    self._write(batch)
                except (OSError, sqlite3.Error) as exc:
                    self._fail(exc)
                self.busy_seconds += time.perf_counter() - began
            with self._done:
                self._served = max(self._served, ticket)
                self._done.notify_all()
            if self._closing or self.error is not None:
                break
        try:
            if self._connection is not None:
                self._connection.close()
        except sqlite3.Error:
            pass

    def _fail(self, exc: BaseException) -> None:
        if self.error is None:
            self.error = f"{self.path}: cannot record: {exc}"
            print(f"explorer.watch: {self.error}. Recording stopped; the training goes on.", file=sys.stderr)
        with self._lock:
            self._pending = []
        with self._done:
            self._done.notify_all()

    def _create(self, meta: dict[str, object]) -> None:
        c = self._connection
        c.execute("BEGIN IMMEDIATE")
        try:
            for statement in schema.TABLES:
                c.execute(statement)
            existing = dict(c.execute("SELECT key, value FROM meta").fetchall())
            if existing and existing.get("format") != schema.FORMAT:
                raise sqlite3.DatabaseError(f"the file holds another program's tables (format {existing.get('format')!r})")
            values = {"format": schema.FORMAT, "version": str(schema.VERSION), "host": socket.gethostname(),
                      "pid": str(os.getpid()), "started": f"{time.time():.3f}", "generation": existing.get("generation", "0")}
            values.update({k: v if isinstance(v, str) else json.dumps(v) for k, v in meta.items()})
            c.executemany("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", values.items())
            for table in ("scalars", "vectors", "histograms"):
                key = "name" if table == "scalars" else "kind"
                for name, n in c.execute(f"SELECT {key}, count(*) FROM {table} GROUP BY {key}"):
                    self._counts[(table, name)] = n
            c.execute("COMMIT")
        except BaseException:
            c.execute("ROLLBACK")
            raise

    def _write(self, batch: list[tuple]) -> None:
        scalars, vectors, histograms, events = [], [], [], []
        for record in batch:
            kind = record[0]
            if kind == "scalar":
                scalars.append(record[1:])
            elif kind == "vector":
                vectors.append(record[1:])
            elif kind == "histogram":
                histograms.append(record[1:])
            else:
                events.append(record[1:])
        c = self._connection
        c.execute("BEGIN IMMEDIATE")
        try:
            c.executemany("INSERT OR REPLACE INTO scalars(name, step, value) VALUES (?, ?, ?)", scalars)
            c.executemany("INSERT OR REPLACE INTO vectors(kind, step, names, data) VALUES (?, ?, ?, ?)", vectors)
            c.executemany("INSERT OR REPLACE INTO histograms(kind, step, names, data) VALUES (?, ?, ?, ?)", histograms)
            c.executemany("INSERT INTO events(step, kind, message, time) VALUES (?, ?, ?, ?)", events)
            self._count(scalars, vectors, histograms)
            self._thin_full_series()
            c.execute("COMMIT")
        except BaseException:
            try:
                c.execute("ROLLBACK")
            except sqlite3.Error:
                pass
            raise
        self.written += len(batch)

    def _count(self, scalars, vectors, histograms) -> None:
        for table, rows in (("scalars", scalars), ("vectors", vectors), ("histograms", histograms)):
            for row in rows:
                key = (table, row[0])
                self._counts[key] = self._counts.get(key, 0) + 1  # a replaced row counts twice: thinning comes early

    def _thin_full_series(self) -> None:
        capacity = {"scalars": schema.SCALAR_CAPACITY, "vectors": schema.VECTOR_CAPACITY,
                    "histograms": schema.HISTOGRAM_CAPACITY}
        thinned = False
        for (table, name), n in list(self._counts.items()):
            while n > capacity[table]:  # a big batch may need several rounds; the oldest rows get the coarsest
                fewer = self._thin(table, name)
                thinned, progress, n = True, fewer < n, fewer
                if not progress:
                    break
            self._counts[(table, name)] = n
        if thinned:
            self._connection.execute(
                "UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = 'generation'")

    def _thin(self, table: str, name: str) -> int:
        """Thin the older half of one series in place; returns the rows it holds now."""
        c = self._connection
        key = "name" if table == "scalars" else "kind"
        n = c.execute(f"SELECT count(*) FROM {table} WHERE {key} = ?", (name,)).fetchone()[0]
        half = (n // 2) // BUCKET * BUCKET
        if half < 2 * BUCKET:
            return n
        if table == "scalars":
            rows = c.execute("SELECT step, value FROM scalars WHERE name = ? ORDER BY step LIMIT ?", (name, half)).fetchall()
            steps = np.array([r[0] for r in rows], dtype=np.float64)
            values = np.array([np.nan if r[1] is None else r[1] for r in rows], dtype=np.float64).reshape(-1, 1)
            xs, ys = thin(steps, values)
            kept = [(name, int(x), float(y)) for x, y in zip(xs, ys[:, 0])]
            c.execute("DELETE FROM scalars WHERE name = ? AND step <= ?", (name, rows[-1][0]))
            c.executemany("INSERT OR REPLACE INTO scalars(name, step, value) VALUES (?, ?, ?)", kept)
            return n - half + len(kept)
        rows = c.execute(f"SELECT step, names, data FROM {table} WHERE kind = ? ORDER BY step LIMIT ?", (name, half)).fetchall()
        widths = {len(r[2]) for r in rows}
        if table == "vectors" and len(widths) == 1 and all(r[1] is None for r in rows):
            steps = np.array([r[0] for r in rows], dtype=np.float64)
            values = np.stack([np.frombuffer(r[2], dtype=np.float32) for r in rows]).astype(np.float64)
            xs, ys = thin(steps, values)
            kept = [(name, int(x), None, y.astype(np.float32).tobytes()) for x, y in zip(xs, ys)]
        else:  # histograms (and vectors whose entries changed): every other one of the older half
            kept = [(name, r[0], r[1], r[2]) for r in rows[::2]]
        c.execute(f"DELETE FROM {table} WHERE kind = ? AND step <= ?", (name, rows[-1][0]))
        c.executemany(f"INSERT OR REPLACE INTO {table}(kind, step, names, data) VALUES (?, ?, ?, ?)", kept)
        return n - half + len(kept)

    def __repr__(self) -> str:
        state = self.error or ("closed" if self._closing else "open")
        return f"RunWriter({str(self.path)!r}, {self.written} written, {state})"
