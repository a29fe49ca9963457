"""Step latency: a click on Step forward / Step backward until every view has redrawn, seed Net.

Measured in one process with the real window (offscreen): the action is triggered as a click would, and the
clock stops when the main window has pushed the resulting snapshot through every dock. Goal: median at
most 50 ms.

    .venv/bin/python bench/step_latency.py [--passes 5]
"""

from __future__ import annotations

import argparse
import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from _common import median, print_json, print_table, settled_window  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--passes", type=int, default=5)
    parser.add_argument("--dataset", default="digits")
    args = parser.parse_args()
    app, window, drive = settled_window(args.dataset)
    times: dict[str, list[float]] = {"step_forward": [], "step_backward": []}

    def timed(move: str) -> None:
        start = time.perf_counter()
        drive.move(move)
        times[move].append((time.perf_counter() - start) * 1000)
        time.sleep(0.04)  # let the redraw throttle expire, as between a person's clicks

    for _ in range(args.passes):
        while "step_forward" in window.snapshot.legal_moves:
            timed("step_forward")
        drive.move("compute_loss")
        while "step_backward" in window.snapshot.legal_moves:
            timed("step_backward")
        drive.move("update")
        drive.move("next_batch")
    rows = [[m, len(v), median(v), min(v), max(v)] for m, v in times.items()]
    print_table(["move", "clicks", "median ms", "min ms", "max ms"], rows)
    both = times["step_forward"] + times["step_backward"]
    print(f"\nmedian click-to-redrawn over both: {median(both):.1f} ms  (goal <= 50)")
    window.close()
    app.processEvents()
    print_json({"step_ms_median": round(median(both), 2),
                "forward_ms_median": round(median(times["step_forward"]), 2),
                "backward_ms_median": round(median(times["step_backward"]), 2),
                "clicks": len(both)})
    sys.stdout.flush()


if __name__ == "__main__":
    main()
