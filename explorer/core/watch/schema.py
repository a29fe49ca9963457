"""The run store's layout: one SQLite database per rank in the run directory, in WAL mode.

Why SQLite in WAL mode (and not TensorBoard's event files): a reader sees every committed transaction while
the writer goes on; a process killed with SIGKILL leaves every committed transaction (WAL with
synchronous=NORMAL loses nothing a crash of the process can lose, only a power cut can cost the last
commits); old points can be thinned in place (an append-only event file can only grow); and the reader can
ask for "what is new since step N" with an index instead of re-parsing a file. One file per rank: each has a
single writer, so ranks never wait for each other's locks, and a corrupt file hides only its own rank.

Tables (every step is the watcher's optimizer-step count, 1 for the first update):
- meta(key, value): format, version, rank, world_size, pid, host, started, model (its repr), params (JSON
  [[name, shape], ...]), generation (raised each time old rows are thinned: a reader then reads afresh).
- scalars(name, step, value): the loss and the user's metrics, one value per name and step.
- vectors(kind, step, names, data): per-parameter float32 arrays: grad_norm, update_ratio; and dead_relu
  with its ReLU names (JSON). names is NULL where the meta's params name the entries.
- histograms(kind, step, names, data): kind gradient or activation; data float32 (n, 2 + bins): lo, hi, counts.
- events(step, kind, message, time): non-finite values and where they first appeared.
"""

from __future__ import annotations

FORMAT = "explorer-run"
VERSION = 1
FILE_PATTERN = "rank-*.sqlite"


def rank_file_name(rank: int) -> str:
    return f"rank-{rank:05d}.sqlite"


PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",  # in WAL mode: durable against a killed process, fsync only at checkpoints
    "PRAGMA journal_size_limit=4194304",  # the WAL file is cut back to 4 MiB after each checkpoint
)

TABLES = (
    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS scalars(name TEXT NOT NULL, step INTEGER NOT NULL, value REAL,"
    " PRIMARY KEY(name, step)) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS vectors(kind TEXT NOT NULL, step INTEGER NOT NULL, names TEXT, data BLOB NOT NULL,"
    " PRIMARY KEY(kind, step)) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS histograms(kind TEXT NOT NULL, step INTEGER NOT NULL, names TEXT NOT NULL,"
    " data BLOB NOT NULL, PRIMARY KEY(kind, step)) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS events(id INTEGER PRIMARY KEY, step INTEGER NOT NULL, kind TEXT NOT NULL,"
    " message TEXT NOT NULL, time REAL NOT NULL)",
)

# Rows kept per series before the older half is thinned (bounded size: see store.py).
SCALAR_CAPACITY = 32768
VECTOR_CAPACITY = 8192
HISTOGRAM_CAPACITY = 1024
