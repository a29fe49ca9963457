"""`explorer` and `python -m explorer`: no command opens the desktop app, a command runs headless."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and not argv[0].startswith("-") or any(a in ("-h", "--help", "--version") for a in argv[:1]):
        from explorer.cli import run_cli

        return run_cli(argv)
    # torch before PySide6: shiboken's import hook sees every import made after it, and torch's thousand
    # modules then took 0.15-0.2 s longer to import (10% of the start-up).
    import torch  # noqa: F401

    from explorer.ui.app import run_app

    return run_app(argv)


if __name__ == "__main__":
    sys.exit(main())
