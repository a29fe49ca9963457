"""explorer: watch a PyTorch network think and learn.

`explorer.session(model, batch, ...)` steps a model object you already have; `explorer.show(model, batch, ...)`
opens the window on it. Both load torch (and show, Qt) only when called, so `import explorer` stays light.
"""

__version__ = "0.1.0"

__all__ = ["session", "show", "ArgumentError"]


def __getattr__(name: str):
    if name == "session":
        from explorer.core.live.api import session

        return session
    if name == "ArgumentError":
        from explorer.core.live.errors import ArgumentError

        return ArgumentError
    if name == "show":
        from explorer.ui.show import show

        return show
    raise AttributeError(f"module 'explorer' has no attribute {name!r}")
