"""Training speed in the app against a bare PyTorch loop, and how responsive the window stays meanwhile.

One process, the real MainWindow (offscreen, 1600x1000, the Training curves panel on screen, every live plot
and diagnostic on). For each batch size, stretches of the app's training (Resume ... Pause, on the engine
thread) alternate with stretches of a bare loop run on the same engine thread through Engine.run_task:

    x, y = stream.next(); opt.zero_grad(set_to_none=True); loss = loss_fn(model(x), y); loss.backward();
    opt.step(); loss.item()

with the same model (the app's own nn.Module, so memory placement favours neither side), data, batch size,
optimizer settings (SGD, momentum 0.9, lr 0.01; the bare loop keeps its own momentum) and torch threads.
The app's steps/s count the engine thread's whole loop: its statistics, diagnostics, test evaluations and
the signals to the GUI. The stretches run in ABBA order (app first, then bare first) so a machine whose
speed drifts favours neither; the table shows, beside each ratio, how far the rounds' spread alone moves it
(a 95% interval). After each stretch the event loop runs 0.3 s untimed, so the redraw that a pause or a
task's snapshot brings lands on neither side.

Then, per batch size, the app trains once more with a 10 ms QTimer on the GUI thread that records the gaps
between its ticks (responsiveness). That probe is kept out of the throughput stretches: it is 100 Python
calls a second that the app does not make; "ratio, probed" shows the speed with it on.

"engine blocked" is the share of the app's stretches in which the engine thread was neither on a CPU nor
waiting for one (Linux's /proc schedstat): the time it waited for the GIL that the GUI thread held, mostly.
It moves far less with other tenants of the machine than the ratio does, so it shows what the window costs.

Goals: ratio >= 0.95 at every batch size; p99 gap <= 20 ms, max <= 50 ms; every diagnostic (gradient norms,
update ratios, dead units, gradient and activation histograms) measured on >= 5 steps per second of training,
counted in the same timed stretches as the ratio (the panel's own counts over the engine's training seconds).

    .venv/bin/python bench/training.py [--batches 1,16,64] [--rounds 10] [--seconds 3] [--probe-seconds 6]
                                       [--threads N] [--curves-hidden]
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import threading
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from _common import median, print_json, print_table, settled_window  # noqa: E402


SETTLE_S = 0.3
POINTS_GOAL = 5.0  # measured points per second of training, per diagnostic
# Each diagnostic, and the key under which the Training curves panel counts the steps that measured it.
DIAGNOSTICS = {"gradient_norms": "norms", "update_ratios": "update_ratios", "dead_units": "dead_units",
               "gradient_histograms": "gradient_histograms", "activation_histograms": "activation_histograms"}


def bare_loop(model, data, batch_size: int, seconds: float):
    """A fresh optimizer for a copy of the model; returns a function running `seconds` of the bare loop."""
    from explorer.core.data.datasets import BatchStream
    from explorer.core.optim import make_optimizer

    optimizer = make_optimizer("sgd", model.parameters(), 0.01, 0.9)
    stream = BatchStream(data, batch_size, seed=1)
    loss_fn = data.loss_fn

    def run(session) -> tuple[int, float]:
        clock = time.perf_counter
        start = clock()
        steps = 0
        while True:
            x, y = stream.next()
            optimizer.zero_grad(set_to_none=True)
            loss = loss_fn(model(x), y)
            loss.backward()
            optimizer.step()
            loss.item()
            steps += 1
            if clock() - start >= seconds:
                return steps, clock() - start

    return run


class Bench:
    def __init__(self, args):
        from PySide6.QtCore import QEventLoop, QTimer

        self.args = args
        self.app, self.window, _ = settled_window(args.dataset)
        w = self.window
        self.engine = w.engine.engine
        self.states = []
        self.engine.training_state.connect(self.states.append)
        self.tasks = []
        self.engine.task_finished.connect(lambda token, result: self.tasks.append(result))
        self.QEventLoop, self.QTimer = QEventLoop, QTimer
        self.gaps: list[float] = []
        self.blocked = self.blocked_wall = 0.0  # the engine thread's time neither running nor ready to, while training
        self._last_tick = None
        self.ticker = QTimer()
        self.ticker.setTimerType(self.ticker.timerType().PreciseTimer)
        self.ticker.setInterval(10)
        self.ticker.timeout.connect(self._on_tick)
        # The engine thread's id, to read how long it waited (thread_clock): on the GIL, mostly
        w.engine.run_task("thread id", lambda session: threading.get_native_id())
        self.wait(lambda: self.tasks, "the engine thread's id")
        self.engine_thread = self.tasks.pop()
        if args.threads:
            w.engine.set_threads(args.threads)
        self.wait(lambda: w.device_menus.thread_actions, "thread choices")
        self.threads = next(n for n, a in w.device_menus.thread_actions.items() if a.isChecked())
        if args.threads:
            self.wait(lambda: w.device_menus.thread_actions[args.threads].isChecked(), "threads set")
            self.threads = args.threads

    def _on_tick(self) -> None:
        now = time.perf_counter()
        if self._last_tick is not None:
            self.gaps.append(now - self._last_tick)
        self._last_tick = now

    def wait(self, done, what: str, timeout: float = 300.0) -> None:
        """Run the event loop until done() is true, waking only on events (no polling timer of our own
        beyond a 50 ms check, which would otherwise perturb what is measured)."""
        loop = self.QEventLoop()
        check = self.QTimer()
        check.timeout.connect(lambda: done() and loop.quit())
        check.start(50)
        deadline = time.monotonic() + timeout
        while not done():
            if time.monotonic() > deadline:
                raise RuntimeError(f"timed out waiting for {what}")
            loop.exec()
        check.stop()

    def sleep(self, seconds: float) -> None:
        loop = self.QEventLoop()
        self.QTimer.singleShot(int(seconds * 1000), loop.quit)
        loop.exec()

    def click(self, name: str, phase: str) -> object:
        action = self.window.training_actions[name]
        self.wait(action.isEnabled, f"{name} enabled")
        seen = len(self.states)
        action.trigger()
        self.wait(lambda: any(s.phase == phase for s in self.states[seen:]), f"{name} -> {phase}")
        return next(s for s in self.states[seen:] if s.phase == phase)

    def run_bare(self, loop) -> tuple[int, float]:
        self.window.engine.run_task("bare", loop)
        self.wait(lambda: self.tasks, "bare loop")
        self.sleep(SETTLE_S)  # the views redraw from the snapshot a task ends with: not in the next stretch
        return self.tasks.pop()

    def measure(self, batch: int) -> dict:
        from explorer.core.training.messages import TrainSettings

        w, args = self.window, self.args
        w.training_dock.set_settings(TrainSettings("sgd", 0.01, batch, 100_000_000, "steps", 0))
        if self.args.curves_hidden:  # what the live plots cost: the same run with their panel closed
            w.training_plots_dock.close()
        else:
            w.training_plots_dock.raise_()
        # The bare loop trains the app's own model (the same parameter tensors, with an optimizer of its own):
        # two copies of a model can differ by 2% in speed by where their memory lies (measured: a bare loop
        # against itself on a deep copy, 0.98), which would favour one side.
        self.tasks.clear()
        w.engine.run_task("model", lambda s: (s.model, s.data))
        self.wait(lambda: self.tasks, "the model")
        model, data = self.tasks.pop()
        run_bare = bare_loop(model, data, batch, args.seconds)
        # Warm both up (first steps pay one-time costs), then alternate.
        self.click("train", "running")
        self.sleep(1.0)
        self.click("pause", "paused")
        w.engine.run_task("warm", bare_loop(model, data, batch, 0.5))
        self.wait(lambda: self.tasks, "bare warm-up")
        self.tasks.clear()
        app_steps = app_secs = bare_steps = bare_secs = gui_cpu = gui_wall = 0.0
        self.blocked = self.blocked_wall = 0.0
        rounds = []
        measured = dict.fromkeys(DIAGNOSTICS, 0)  # points each diagnostic measured in the timed app stretches
        for n in range(args.rounds):
            # ABBA order (app first in even rounds, bare first in odd ones): a machine that speeds up or slows
            # down during the run (other tenants of a shared VM) then favours neither side.
            if n % 2:
                bare = self.run_bare(run_bare)
            before = dict(w.training_plots_dock.counts)
            state, cpu, wall = self.train_stretch(args.seconds)
            for name, key in DIAGNOSTICS.items():
                measured[name] += w.training_plots_dock.counts[key] - before[key]
            gui_cpu += cpu
            gui_wall += wall
            if not n % 2:
                bare = self.run_bare(run_bare)
            app_steps += state.slice_steps
            app_secs += state.slice_seconds
            bare_steps += bare[0]
            bare_secs += bare[1]
            rounds.append((state.slice_steps / state.slice_seconds) / (bare[0] / bare[1]))
        app_rate, bare_rate = app_steps / app_secs, bare_steps / bare_secs
        blocked = self.blocked / self.blocked_wall if self.blocked_wall else math.nan
        # Responsiveness in a stretch of its own: the 10 ms probe is itself 100 Python calls a second that
        # take the GIL from the training, which the app does not have; its cost shows as "ratio, probed".
        self._last_tick = None
        self.ticker.start()
        probed, _, _ = self.train_stretch(args.probe_seconds)
        self.ticker.stop()
        counts = w.training_plots_dock.counts  # what this run's steps measured, as the panel reports it
        # The optional work's time as the run's schedule and probe measured it (read while paused: the engine
        # thread is idle), as shares of the training time: which measurement costs what.
        run = self.engine.run
        trained = run.schedule.seconds["step"]
        costs = {work: run.schedule.seconds[work] / trained for work in ("stats", "diagnostics", "test")}
        costs.update({f"diagnostics: {part}": t / trained for part, t in run.probe.seconds.items()})
        every = {work: counts["steps"] / counts[work] if counts[work] else math.nan for work in ("norms", "diagnostics")}
        self.click("stop", "idle")
        return {"batch": batch, "every": every, "points_per_s": {name: n / app_secs for name, n in measured.items()}, "bare": bare_rate, "app": app_rate, "ratio": app_rate / bare_rate,
                "rounds": rounds, "spread": spread(rounds), "costs": costs, "gui_cpu": gui_cpu / gui_wall, "blocked": blocked,
                "probed_ratio": probed.slice_steps / probed.slice_seconds / bare_rate}

    def train_stretch(self, seconds: float):
        """Resume, train `seconds`, pause. Returns the paused state and the GUI thread's CPU and wall seconds
        while the training ran (not the redraw of every plot that follows a pause)."""
        cpu, wall, engine = time.thread_time(), time.perf_counter(), thread_clock(self.engine_thread)
        self.click("resume", "running")
        self.sleep(seconds)
        engine_after = thread_clock(self.engine_thread)
        cpu, wall = time.thread_time() - cpu, time.perf_counter() - wall
        self.blocked += wall - sum(engine_after) + sum(engine)
        self.blocked_wall += wall
        paused = self.click("pause", "paused")
        # A pause redraws every plot (the paint events come after the state): let that finish here, or it
        # would land on the next timed stretch, the bare loop's or the app's.
        self.sleep(SETTLE_S)
        return paused, cpu, wall


def thread_clock(native_id: int) -> tuple[float, float]:
    """(seconds on a CPU, seconds waiting in a run queue) of a thread of this process, from Linux's schedstat;
    NaN where there is none (the time it spent blocked is then unknown)."""
    try:
        with open(f"/proc/self/task/{native_id}/schedstat") as f:
            on_cpu, queued, _ = f.read().split()
    except OSError:
        return math.nan, math.nan
    return int(on_cpu) / 1e9, int(queued) / 1e9


def percentile(values, q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(q * len(ordered)) - 1)]


def spread(ratios: list[float]) -> float:
    """Half the width of a 95% t-interval around the mean round ratio: how far the machine's noise alone
    moves the figure (on a shared 2-core VM it is often a few percent)."""
    if len(ratios) < 2:
        return math.nan
    t95 = {2: 12.71, 3: 4.30, 4: 3.18, 5: 2.78, 6: 2.57, 7: 2.45, 8: 2.36, 9: 2.31, 10: 2.26}.get(len(ratios), 2.1)
    return t95 * statistics.stdev(ratios) / math.sqrt(len(ratios))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--batches", default="1,16,64")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=3.0, help="length of each stretch")
    parser.add_argument("--probe-seconds", type=float, default=6.0,
                        help="length of the stretch with the 10 ms responsiveness probe, per batch size")
    parser.add_argument("--threads", type=int, default=0, help="torch CPU threads (default: torch's own)")
    parser.add_argument("--dataset", default="digits")
    parser.add_argument("--curves-hidden", action="store_true",
                        help="close the Training curves panel (its plots are then not drawn): what drawing costs")
    args = parser.parse_args()
    bench = Bench(args)
    results = [bench.measure(int(b)) for b in args.batches.split(",")]
    bench.window.steps_since_export = 0  # no "save the trained weights?" prompt
    bench.window.close()
    bench.app.processEvents()

    print(f"torch threads: {bench.threads}; {args.rounds} alternations of {args.seconds:g} s each per batch size\n")
    print_table(["batch", "bare steps/s", "app steps/s", "app / bare", "noise (95%)", "per round", "GUI thread busy",
                 "engine blocked", "ratio, probed"],
                [[r["batch"], r["bare"], r["app"], r["ratio"], f"\u00b1{r['spread']:.3f}",
                  " ".join(f"{x:.2f}" for x in r["rounds"]), f"{r['gui_cpu']:.1%}", f"{r['blocked']:.2%}",
                  r["probed_ratio"]]
                 for r in results])
    print("(engine blocked: the share of the app's timed stretches in which the engine thread neither ran nor waited "
          "for a CPU, from /proc's schedstat: waiting for the GIL the GUI thread held, mostly, and the resume's start)")
    print("\nOne step in how many measured gradient norms and batch accuracy: " +
          ", ".join(f"{r['every']['norms']:.1f} (batch {r['batch']})" for r in results) +
          "; histograms, update ratios and dead ReLUs: " +
          ", ".join(f"{r['every']['diagnostics']:.0f} (batch {r['batch']})" for r in results))
    print(f"\nMeasured points per second of training (goal >= {POINTS_GOAL:g} each), in the same timed stretches:")
    print_table(["diagnostic", *(f"batch {r['batch']}" for r in results)],
                [[name, *(round(r["points_per_s"][name], 1) for r in results)] for name in DIAGNOSTICS])
    print("\nWhat the optional measurements cost, as shares of the training time (the schedule's and the probe's "
          "own clocks; the watched forward counted whole, though a plain one would have run anyway):")
    print_table(["work", *(f"batch {r['batch']}" for r in results)],
                [[work, *(f"{r['costs'][work]:.2%}" for r in results)] for work in results[0]["costs"]])
    gaps_ms = [g * 1000 for g in bench.gaps]
    p99, worst = percentile(gaps_ms, 0.99), max(gaps_ms)
    print(f"\nGUI 10 ms timer while training ({args.probe_seconds:g} s per batch size): {len(gaps_ms)} ticks, median {median(gaps_ms):.1f} ms, "
          f"p99 {p99:.1f} ms (goal <= 20), max {worst:.1f} ms (goal <= 50)")
    print_json({
        "throughput_ratio": {str(r["batch"]): round(r["ratio"], 3) for r in results},
        "probed_ratio": {str(r["batch"]): round(r["probed_ratio"], 3) for r in results},
        "statistics_every": {str(r["batch"]): round(r["every"]["norms"], 1) for r in results},
        "diagnostics_every": {str(r["batch"]): round(r["every"]["diagnostics"], 1) for r in results},
        "ratio_noise_95": {str(r["batch"]): round(r["spread"], 3) for r in results},
        "round_ratios": {str(r["batch"]): [round(x, 3) for x in r["rounds"]] for r in results},
        "bare_steps_per_s": {str(r["batch"]): round(r["bare"], 1) for r in results},
        "app_steps_per_s": {str(r["batch"]): round(r["app"], 1) for r in results},
        "stall_p99_ms": round(p99, 2),
        "stall_max_ms": round(worst, 2),
        "torch_threads": bench.threads,
        "gui_thread_busy": {str(r["batch"]): round(r["gui_cpu"], 3) for r in results},
        "engine_blocked": {str(r["batch"]): round(r["blocked"], 4) for r in results},
        "cost_share": {work: {str(r["batch"]): round(r["costs"][work], 4) for r in results} for work in results[0]["costs"]},
        "diagnostic_points_per_s": {name: {str(r["batch"]): round(r["points_per_s"][name], 2) for r in results}
                                    for name in DIAGNOSTICS},
    })
    sys.stdout.flush()


if __name__ == "__main__":
    main()
