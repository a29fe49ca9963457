"""Errors for a model handed over as a live object: each names the argument of `explorer.session()` /
`explorer.show()` that is wrong, and the lines of the user's own code where it went wrong."""

from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path

import torch

# Frames in these folders are the machinery, not the user's code: explorer itself and torch.
_MACHINERY = tuple(str(folder) + os.sep for folder in (Path(torch.__file__).resolve().parent,
                                                      Path(__file__).resolve().parents[2]))


class ArgumentError(ValueError):
    """One argument of explorer.session()/show() cannot be used; `argument` is its name."""

    def __init__(self, argument: str, message: str, where: str = ""):
        self.argument = argument
        self.where = where
        super().__init__(f"{argument}: {message}" + (f"\n{where}" if where else ""))


def is_users(filename: str) -> bool:
    """A frame of the user's code (their script, notebook cell, model library), not of explorer or torch."""
    try:
        path = str(Path(filename).resolve())
    except (OSError, RuntimeError):
        return True
    return not path.startswith(_MACHINERY)


def user_lines(exc: BaseException, limit: int = 3) -> str:
    """The innermost traceback frames of `exc` that are the user's code, e.g. the line of their forward or
    loss_fn that raised, formatted as Python prints them."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if is_users(f.filename)]
    return "".join(traceback.format_list(frames[-limit:])).rstrip()


def caller_line(skip: int = 1) -> str:
    """Where the user called into explorer: the first frame outside explorer and torch, e.g.
    'File "train.py", line 12: s = explorer.session(model, batch)'."""
    frame = sys._getframe(skip)
    while frame is not None and not is_users(frame.f_code.co_filename):
        frame = frame.f_back
    if frame is None:
        return ""
    summary = traceback.extract_stack(frame, limit=1)[-1]
    code = f": {summary.line.strip()}" if summary.line else ""
    return f'called at File "{summary.filename}", line {summary.lineno}{code}'
