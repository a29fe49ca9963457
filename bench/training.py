"""Training speed in the app against a bare PyTorch loop, and how responsive the window stays meanwhile.

One process, the real MainWindow (offscreen, 1600x1000, the Training curves panel on screen, every live plot
and diagnostic on). For each batch size, stretches of the app's training (Resume ... Pause, on the engine
thread) alternate with stretches of a bare loop run on the same engine thread through Engine.run_task:

    x, y = stream.next(); opt.zero_grad(set_to_none=True); loss = loss_fn(model(x), y); loss.backward();
    opt.step(); loss.item()

with the same model (a copy of the app's, same initial weights), data, batch size, optimizer (SGD, momentum
0.9, lr 0.01) and torch threads. The app's steps/s count the engine thread's whole loop: its statistics,
diagnostics, test evaluations and the signals to the GUI. While the app trains, a 10 ms QTimer on the GUI
thread records the gaps between its ticks. Goals: ratio >= 0.95 at every batch size; p99 gap <= 20 ms,
max <= 50 ms.

    .venv/bin/python bench/training.py [--batches 1,16,64] [--rounds 4] [--seconds 2.5] [--threads N]
"""

from __future__ import annotations

import argparse
import copy
import math
import os
import sys
import tempfile
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from _common import median, print_json, print_table  # noqa: E402


def bare_loop(model, data, batch_size: int, seconds: float):
    """A fresh optimizer for a copy of the model; returns a function running `seconds` of the bare loop."""
    from explorer.core.datasets import BatchStream
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
        from PySide6.QtCore import QEventLoop, QSettings, QTimer

        from explorer.core.session import SessionConfig
        from explorer.ui.app import create_application
        from explorer.ui.main_window import MainWindow
        from explorer.ui.window_driver import WindowDriver

        self.args = args
        self.app = create_application()
        settings = QSettings(tempfile.mktemp(suffix=".ini"), QSettings.Format.IniFormat)
        self.window = w = MainWindow(SessionConfig(dataset=args.dataset), settings)
        w.resize(1600, 1000)
        w.show()
        WindowDriver(w).wait_ready()
        self.engine = w.engine.engine
        self.states = []
        self.engine.training_state.connect(self.states.append)
        self.tasks = []
        self.engine.task_finished.connect(lambda token, result: self.tasks.append(result))
        self.QEventLoop, self.QTimer = QEventLoop, QTimer
        self.gaps: list[float] = []
        self._last_tick = None
        self.ticker = QTimer()
        self.ticker.setTimerType(self.ticker.timerType().PreciseTimer)
        self.ticker.setInterval(10)
        self.ticker.timeout.connect(self._on_tick)
        if args.threads:
            w.engine.set_threads(args.threads)
        self.wait(lambda: w.thread_actions, "thread choices")
        self.threads = next(n for n, a in w.thread_actions.items() if a.isChecked())
        if args.threads:
            self.wait(lambda: w.thread_actions[args.threads].isChecked(), "threads set")
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

    def measure(self, batch: int) -> dict:
        from explorer.core.training_messages import TrainSettings

        w, args = self.window, self.args
        w.training_dock.set_settings(TrainSettings("sgd", 0.01, batch, 100_000_000, "steps", 0))
        w.training_plots_dock.raise_()
        # The bare loop's model: a copy of the app's before training, made on the engine thread.
        self.tasks.clear()
        w.engine.run_task("copy", lambda s: (copy.deepcopy(s.model), s.data))
        self.wait(lambda: self.tasks, "model copy")
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
        rounds = []
        for _ in range(args.rounds):
            self._last_tick = None
            self.ticker.start()
            cpu, wall = time.thread_time(), time.perf_counter()
            self.click("resume", "running")
            self.sleep(args.seconds)
            state = self.click("pause", "paused")
            gui_cpu += time.thread_time() - cpu
            gui_wall += time.perf_counter() - wall
            self.ticker.stop()
            a = state.slice_steps / state.slice_seconds
            app_steps += state.slice_steps
            app_secs += state.slice_seconds
            w.engine.run_task("bare", run_bare)
            self.wait(lambda: self.tasks, "bare loop")
            steps, secs = self.tasks.pop()
            bare_steps += steps
            bare_secs += secs
            rounds.append(a / (steps / secs))
        self.click("stop", "idle")
        app_rate, bare_rate = app_steps / app_secs, bare_steps / bare_secs
        return {"batch": batch, "bare": bare_rate, "app": app_rate, "ratio": app_rate / bare_rate,
                "rounds": rounds, "gui_cpu": gui_cpu / gui_wall}


def percentile(values, q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(q * len(ordered)) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--batches", default="1,16,64")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=2.5, help="length of each stretch")
    parser.add_argument("--threads", type=int, default=0, help="torch CPU threads (default: torch's own)")
    parser.add_argument("--dataset", default="digits")
    args = parser.parse_args()
    bench = Bench(args)
    results = [bench.measure(int(b)) for b in args.batches.split(",")]
    bench.window.steps_since_export = 0  # no "save the trained weights?" prompt
    bench.window.close()
    bench.app.processEvents()

    print(f"torch threads: {bench.threads}; {args.rounds} alternations of {args.seconds:g} s each per batch size\n")
    print_table(["batch", "bare steps/s", "app steps/s", "app / bare", "per round", "GUI thread busy"],
                [[r["batch"], r["bare"], r["app"], r["ratio"], " ".join(f"{x:.2f}" for x in r["rounds"]),
                  f"{r['gui_cpu']:.1%}"] for r in results])
    gaps_ms = [g * 1000 for g in bench.gaps]
    p99, worst = percentile(gaps_ms, 0.99), max(gaps_ms)
    print(f"\nGUI 10 ms timer while training: {len(gaps_ms)} ticks, median {median(gaps_ms):.1f} ms, "
          f"p99 {p99:.1f} ms (goal <= 20), max {worst:.1f} ms (goal <= 50)")
    print_json({
        "throughput_ratio": {str(r["batch"]): round(r["ratio"], 3) for r in results},
        "round_ratios": {str(r["batch"]): [round(x, 3) for x in r["rounds"]] for r in results},
        "bare_steps_per_s": {str(r["batch"]): round(r["bare"], 1) for r in results},
        "app_steps_per_s": {str(r["batch"]): round(r["app"], 1) for r in results},
        "stall_p99_ms": round(p99, 2),
        "stall_max_ms": round(worst, 2),
        "torch_threads": bench.threads,
        "gui_thread_busy": {str(r["batch"]): round(r["gui_cpu"], 3) for r in results},
    })
    sys.stdout.flush()


if __name__ == "__main__":
    main()
