"""A long session in one window: many stepping cycles, then many File > Open model round trips.

A cycle is what a learner clicks over and over: Run forward, Loss, Run backward, Update weights, Next batch,
each waited for until the window has drawn its result (seed Net, offscreen). Goals (issue 16): the last 100
cycles within 10% of the first 100, resident memory growth at most 20 MB, the QObject count flat (every
dialog deleted after use).

    .venv/bin/python bench/session_soak.py [--cycles 2000] [--opens 200] [--inspector-closed]

Prints time per cycle (and per move) over the first and last 100 cycles, after a Reset, resident memory and
the QObject count along the way. Wall-clock times on a shared machine swing with the other processes' load, so
each cycle's CPU time (every thread of the process: GUI, engine, Qt's own) is printed beside them: it counts the
work a cycle costs, not the waiting. The last line is one JSON object with slowdown_ratio (last 100 / first 100),
rss_growth_mb (after a full collection and malloc_trim, so freed heap blocks do not count; the raw figure is
rss_growth_raw_mb) and qobjects_growth.
"""

from __future__ import annotations

import argparse
import gc
import os
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from _common import median, print_json, print_table, settled_window  # noqa: E402

CYCLE = ("RUN_FORWARD", "LOSS", "RUN_BACKWARD", "UPDATE", "NEXT_BATCH")
WINDOW = 100  # cycles at the start and at the end that are compared


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def memory_mb() -> tuple[float, float]:
    """Resident memory as it stands, and after a full collection and glibc's malloc_trim: the heap keeps freed
    blocks (a new session's tensors, then the old one's freed) that no object holds; the second figure is
    what live objects hold, and what a leak would make grow."""
    import ctypes

    raw = rss_mb()
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except OSError:  # not glibc: the raw figure is all there is
        pass
    return raw, rss_mb()


def qobject_count(app) -> int:
    """Every QObject reachable from the application and its top-level widgets (dialogs included)."""
    from PySide6.QtCore import QObject
    from PySide6.QtWidgets import QApplication

    roots = {id(w): w for w in QApplication.topLevelWidgets()}
    return len(app.findChildren(QObject)) + sum(1 + len(w.findChildren(QObject)) for w in roots.values())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cycles", type=int, default=2000)
    parser.add_argument("--opens", type=int, default=200)
    parser.add_argument("--dataset", default="digits")
    parser.add_argument("--mark-every", type=int, default=250, help="cycles between memory readings")
    parser.add_argument("--inspector-closed", action="store_true",
                        help="close the Inspector first: what a cycle costs without its pictures and chain rule")
    args = parser.parse_args()
    import torch
    from explorer.core.moves import Move

    app, window, drive = settled_window(args.dataset, timeout_s=120)
    if args.inspector_closed:
        window.inspector_dock.close()
    moves = [Move[name] for name in CYCLE]

    cpu_seconds: list[float] = []  # CPU time of each cycle, all threads, in the order the cycles ran

    def cycles(n: int) -> list[list[float]]:
        """Seconds per move of each of n cycles (their CPU times go to cpu_seconds)."""
        times = []
        for _ in range(n):
            row = []
            cpu = time.process_time()
            for move in moves:
                began = time.perf_counter()
                drive.move(move)
                row.append(time.perf_counter() - began)
            cpu_seconds.append(time.process_time() - cpu)
            times.append(row)
        return times

    cycles(10)  # warm-up: first use of every path
    del cpu_seconds[:]
    app.processEvents()
    marks = [(0, *memory_mb(), qobject_count(app))]
    times: list[list[float]] = []
    while len(times) < args.cycles:
        times += cycles(min(args.mark_every, args.cycles - len(times)))
        marks.append((len(times), *memory_mb(), qobject_count(app)))
        recent = times[-min(WINDOW, len(times)):]
        print(f"after {len(times)} cycles: {median([sum(r) for r in recent]) * 1e3:.1f} ms per cycle (median of the "
              f"last {len(recent)}), RSS {marks[-1][1]:.1f} MB ({marks[-1][2]:.1f} trimmed), "
              f"QObjects {marks[-1][3]}", flush=True)
    cpu_cycles = list(cpu_seconds)
    drive.move(Move.RESET)
    after_reset = cycles(WINDOW)
    cpu_reset = cpu_seconds[len(cpu_cycles):]

    controller = window.model_data
    for _ in range(args.opens):
        before = window.snapshot.serial
        dialog = controller.open_model()
        dialog.accept()  # the model it shows: the same model again, a new session
        drive.wait_until(lambda: window.snapshot.serial > before and controller._pending is None, "the reopened model")
    app.processEvents()
    marks.append((f"+{args.opens} opens", *memory_mb(), qobject_count(app)))

    def per_cycle(rows):
        return median([sum(r) for r in rows]) * 1e3

    first, last = times[:WINDOW], times[-WINDOW:]
    cpu_first, cpu_last, cpu_after_reset = (median(c) * 1e3 for c in (cpu_cycles[:WINDOW], cpu_cycles[-WINDOW:],
                                                                        cpu_reset))
    rows = [[f"{label} ({len(r)} cycles)", per_cycle(r), cpu] + [median([c[i] for c in r]) * 1e3 for i in range(len(CYCLE))]
            for label, r, cpu in (("first", first, cpu_first), ("last", last, cpu_last),
                                  ("after Reset", after_reset, cpu_after_reset))]
    print(f"{args.cycles} cycles of {', '.join(CYCLE)}; {args.opens} Open model round trips; "
          f"torch threads {torch.get_num_threads()}; medians in ms")
    print_table(["cycles", "cycle ms", "cycle CPU ms"] + [c.lower() for c in CYCLE], rows)
    print()
    print_table(["after", "RSS MB", "RSS MB, heap trimmed", "QObjects"], [[str(n), r, t, q] for n, r, t, q in marks])
    ratio = per_cycle(last) / per_cycle(first)
    (_, raw0, live0, q0), (_, _, live_c, q_c), (_, raw_o, live_o, q_o) = marks[0], marks[-2], marks[-1]
    print_json({"cycles": args.cycles, "opens": args.opens, "inspector_closed": args.inspector_closed,
                "first_cycle_ms": round(per_cycle(first), 2), "last_cycle_ms": round(per_cycle(last), 2),
                "after_reset_cycle_ms": round(per_cycle(after_reset), 2),
                "first_cycle_cpu_ms": round(cpu_first, 2), "last_cycle_cpu_ms": round(cpu_last, 2),
                "after_reset_cycle_cpu_ms": round(cpu_after_reset, 2), "load_average": os.getloadavg()[0],
                "slowdown_ratio": round(ratio, 3), "rss_growth_mb": round(live_o - live0, 1),
                "rss_growth_raw_mb": round(raw_o - raw0, 1), "rss_growth_cycles_mb": round(live_c - live0, 1),
                "qobjects_growth": q_o - q0, "qobjects_growth_cycles": q_c - q0})
    window.close()


if __name__ == "__main__":
    main()
