"""The desktop window's command-line options, in one place: the window parses them, and `explorer --help` lists
them beside the headless commands. Plain argparse, no Qt, so the command line's help can import it."""

from __future__ import annotations

import argparse

from explorer.core.models import BUILTIN_MODELS

MODEL_FORMS = f"{', '.join(BUILTIN_MODELS)}, path/to/file.py:ClassName or package.module:callable"
DATA_FORMS = "tutorial, digits, mnist:DIR or folder:DIR"


def add_window_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--model", help=f"model: {MODEL_FORMS} (default: seed, the tutorial's Net)")
    parser.add_argument("--model-kwargs", metavar="JSON", help="the model's constructor arguments as a JSON object, "
                        "e.g. '{\"num_classes\": 10}'")
    parser.add_argument("--input-shape", metavar="C,H,W", help="one sample's shape, e.g. 3,32,32")
    parser.add_argument("--dataset", help=f"data set: {DATA_FORMS} (default: the last one used)")
    parser.add_argument("--seed", type=int, help="seed for weights, data order and random gradients")
    parser.add_argument("--eval", action="store_const", const=True, help="step the model in eval mode (model.eval(): "
                        "dropout off, batch norm on its running statistics, so batch size 1 works); Training > Train "
                        "mode switches back; training always runs in training mode (default: the last mode chosen)")
    parser.add_argument("--lang", choices=["en", "zh_CN"], help="language (default: the last one chosen, else the system's)")
    parser.add_argument("--tutorial", action="store_true", help="open the guided walk through the tutorial page")
    parser.add_argument("--run", metavar="DIR", help="open a run recorded by explorer.watch(model, DIR) and follow it")


def window_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="explorer", description="Open the explorer desktop app.")
    add_window_options(parser)
    return parser


def window_options_help() -> str:
    """The window's options as `explorer --help` lists them."""
    parser = argparse.ArgumentParser(prog="explorer", add_help=False, usage=argparse.SUPPRESS)
    add_window_options(parser)
    return parser.format_help().replace("options:", "window options (explorer [OPTION ...], no command):", 1)
