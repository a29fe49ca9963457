"""explorer: watch a PyTorch network think and learn."""

__version__ = "0.1.0"


def __getattr__(name: str):
    # `import explorer` stays light (no torch): explorer.watch loads the watcher on first use.
    if name in ("watch", "Watcher"):
        from explorer.core.watch import watcher

        return getattr(watcher, name)
    raise AttributeError(f"module 'explorer' has no attribute {name!r}")
