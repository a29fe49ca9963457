"""The headless command line: `explorer train|graph|inspect ...`. No Qt is imported here."""

from __future__ import annotations

import argparse
import sys

from explorer import __version__

# Each subcommand lives in its own module with add_parser(subparsers) -> parser (parser.set_defaults(run=...)).
SUBCOMMANDS = ("train", "graph", "inspect", "diff", "export", "screenshots", "explain", "runs")


class CLIError(Exception):
    """A failure to report as one line on stderr with a non-zero exit status."""


def build_parser() -> argparse.ArgumentParser:
    from explorer.ui.window.options import window_options_help  # plain argparse, no Qt

    parser = argparse.ArgumentParser(
        prog="explorer",
        description="Watch a PyTorch network think and learn. With no command, opens the desktop app.",
        epilog=window_options_help(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"explorer {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    import importlib

    for name in SUBCOMMANDS:
        module = importlib.import_module(f"explorer.cli.{name}_command")
        module.add_parser(sub)
    return parser


def run_cli(argv: list[str]) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help()
        return 2
    try:
        return int(args.run(args) or 0)
    except CLIError as exc:
        print(f"explorer {args.command}: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"explorer {args.command}: interrupted", file=sys.stderr)
        return 130
