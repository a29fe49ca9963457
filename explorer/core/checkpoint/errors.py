"""CheckpointError and the wording of its one-line messages ("PATH: problem").

Text in a message may come from an untrusted file, so the message is made printable on one line.
"""

from __future__ import annotations


class CheckpointError(Exception):
    """A checkpoint that cannot be read, written or applied. The message is one line: "PATH: problem"."""

    def __init__(self, message: str):
        super().__init__(printable(message))


def printable(text: object) -> str:
    """`text` on one line with control characters escaped, so that text taken from a file cannot
    move the cursor or recolour the user's terminal."""
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in str(text))


def first_line(exc: object) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return lines[0] if lines else type(exc).__name__


def name_list(names: list[str], limit: int = 8) -> str:
    """The first `limit` names, then how many more there are."""
    shown = ", ".join(names[:limit])
    return shown if len(names) <= limit else f"{shown} and {len(names) - limit} more"


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


