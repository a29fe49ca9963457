"""Shared helpers for the benchmark scripts: a table printer and medians."""

from __future__ import annotations

import json
import statistics


def median(values) -> float:
    return float(statistics.median(values))


def print_table(headers: list[str], rows: list[list]) -> None:
    cells = [headers] + [[f"{v:.3f}" if isinstance(v, float) else str(v) for v in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    for n, row in enumerate(cells):
        print("  ".join(c.rjust(w) for c, w in zip(row, widths)))
        if n == 0:
            print("  ".join("-" * w for w in widths))


def print_json(figures: dict) -> None:
    """The last line of every benchmark: its figures as one JSON object."""
    print(json.dumps(figures, sort_keys=True))
