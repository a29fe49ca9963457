"""Watching a user's own training loop: the watcher (hooks, watcher.py), the run store (SQLite, one file per
rank: schema.py, store.py) and its reader (reader.py, follow.py). The reader needs no torch; the package's
watch and Watcher load the watcher (and torch) on first use."""


def __getattr__(name: str):
    if name in ("watch", "Watcher"):
        from explorer.core.watch import watcher

        return getattr(watcher, name)
    raise AttributeError(f"module 'explorer.core.watch' has no attribute {name!r}")
