"""explorer: watch a PyTorch network think and learn.

`explorer.session(model, batch, ...)` steps a model object you already have; `explorer.show(model, batch, ...)`
opens the window on it; `explorer.watch(model, run_dir)` records your own training loop. All load torch (and show, Qt) only when first used (PEP 562 module attributes), so
`import explorer` stays light, and the core modules that read `explorer.__version__` import nothing of the window.
"""

import importlib

__version__ = "0.1.0"

_LAZY = {  # attribute -> (module, name), imported on first use: `import explorer` loads neither torch nor Qt
    "session": ("explorer.core.live.api", "session"),
    "ArgumentError": ("explorer.core.live.errors", "ArgumentError"),
    "show": ("explorer.ui.show", "show"),
    "watch": ("explorer.core.watch.watcher", "watch"),
    "Watcher": ("explorer.core.watch.watcher", "Watcher"),
}

__all__ = ["session", "show", "watch", "ArgumentError", "Watcher"]


def __getattr__(name: str):
    if name not in _LAZY:
        raise AttributeError(f"module 'explorer' has no attribute {name!r}")
    module, attribute = _LAZY[name]
    return getattr(importlib.import_module(module), attribute)
