"""Memory of long training in the app: resident memory growth after the first 1,000 steps.

The real MainWindow (offscreen, 1600x1000) trains the seed Net on the tutorial's data (batch 1, the
tutorial's update rule, lr 0.003) with the Training curves panel on screen, every live plot and diagnostic
on, for --steps steps in all (default 100,000), split into --runs runs (default 4) one after the other: each
new run keeps the one before in the panel's runs list, overlaid on the plots, so the last run trains with
three kept runs. Resident memory (VmRSS) is read every half second; the figure is the growth from the first
reading at or after step 1,000 to the end. Goal: at most 50 MB.

    .venv/bin/python bench/memory.py [--steps 100000] [--runs 4] [--threads N]
"""

from __future__ import annotations

import argparse
import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from _common import print_json, print_table, settled_window  # noqa: E402

BASELINE_STEP = 1000


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=4, help="runs the steps are split into (all but the last kept)")
    parser.add_argument("--threads", type=int, default=0, help="torch CPU threads (default: torch's own)")
    args = parser.parse_args()
    from PySide6.QtCore import QEventLoop, QTimer

    from explorer.core.training.messages import TrainSettings

    app, window, _ = settled_window("tutorial")
    if args.threads:
        window.engine.set_threads(args.threads)
    states = []
    window.engine.engine.training_state.connect(states.append)
    plots = window.training_plots_dock
    per_run = args.steps // args.runs
    window.training_dock.set_settings(TrainSettings("manual-sgd", 0.003, 1, per_run, "steps", 0))

    samples: list[tuple[float, int, float]] = []  # (seconds, steps, MB)
    start = time.perf_counter()
    done_before = [0]  # steps of the runs already finished

    def sample() -> None:
        samples.append((time.perf_counter() - start, done_before[0] + plots.counts["steps"], rss_mb()))

    sampler = QTimer()
    sampler.timeout.connect(sample)
    sampler.start(500)
    loop = QEventLoop()
    # `states` is appended on the engine thread (a plain callable's connection is direct): a GUI-thread timer
    # looks at it, so the loop is quit on its own thread and never before it runs.
    seen = [0]
    watcher = QTimer()
    watcher.timeout.connect(lambda: any(s.phase == "idle" for s in states[seen[0]:]) and loop.quit())
    watcher.start(100)
    for run in range(args.runs):
        if run:
            done_before[0] += plots.counts["steps"]
        seen[0] = len(states)
        window.training_actions["train"].trigger()  # keeps the run before in the runs list
        loop.exec()
    watcher.stop()
    plots.redraw()
    app.processEvents()
    sample()
    sampler.stop()
    finished = states[-1]
    window.steps_since_export = 0  # no "save the trained weights?" prompt
    window.close()
    app.processEvents()

    baseline = next((s for s in samples if s[1] >= BASELINE_STEP), samples[0])
    end = samples[-1]
    growth = end[2] - baseline[2]
    rows = []
    marks = (BASELINE_STEP, args.steps // 10, args.steps // 4, args.steps // 2, 3 * args.steps // 4, args.steps)
    for mark in sorted({m for m in marks if m >= BASELINE_STEP}):
        s = next((s for s in samples if s[1] >= mark), end)
        rows.append([f"{s[1]:,}", f"{s[0]:.0f}", s[2], s[2] - baseline[2]])
    print(f"{args.runs} runs of {finished.step:,} steps of the seed Net on the tutorial's data, batch 1, plots on, "
          f"{len(plots.runs_list.book)} runs kept ({sum(r.nbytes() for r in plots.runs_list.book) / 1e6:.1f} MB of curves); "
          f"{samples[-1][0]:.0f} s; plot buffers hold {len(plots.loss_plot.buffer):,} of {plots.loss_plot.buffer.appended:,} "
          f"loss points\n")
    print_table(["steps", "seconds", "RSS MB", "growth MB"], rows)
    print(f"\nRSS growth after step {baseline[1]:,}: {growth:.1f} MB (goal <= 50); peak {max(s[2] for s in samples):.0f} MB")
    print_json({"rss_growth_mb": round(growth, 1), "rss_start_mb": round(baseline[2], 1),
                "rss_end_mb": round(end[2], 1), "rss_peak_mb": round(max(s[2] for s in samples), 1),
                "steps": end[1], "runs": args.runs, "kept_runs": len(plots.runs_list.book),
                "seconds": round(end[0], 1)})
    sys.stdout.flush()


if __name__ == "__main__":
    main()
