"""Start-up: process start to the first painted main window, against the bare import floor.

The floor is a fresh process doing `import torch, PySide6.QtWidgets, pyqtgraph, networkx`: no app can start
faster than its imports. Both are measured from the parent (Popen to the child's marker line), alternated,
several runs each; the figure is the ratio of medians. Goal: at most 1.25.

    .venv/bin/python bench/startup.py [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

from _common import median, print_json, print_table

FLOOR = "import torch, PySide6.QtWidgets, pyqtgraph, networkx\nprint('ready', flush=True)\n"

# What `explorer` does (explorer.ui.app.run_app), plus a paint watcher that reports the first paint and quits.
APP = r"""
import sys, tempfile
import torch  # first, as explorer.__main__.main does
from PySide6.QtCore import QEvent, QObject, QSettings
from explorer.ui.app import create_application
from explorer.ui.main_window import MainWindow
app = create_application()
settings = QSettings(tempfile.mktemp(suffix=".ini"), QSettings.Format.IniFormat)
window = MainWindow(settings=settings)
class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            print("ready", flush=True)
            app.quit()
        return False
watcher = FirstPaint()
window.installEventFilter(watcher)
window.show()
app.exec()
window.close()
"""


def time_to_ready(code: str) -> float:
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, env=env)
    for line in proc.stdout:
        if line.strip() == "ready":
            elapsed = time.perf_counter() - start
            break
    else:
        raise RuntimeError("child exited without painting")
    proc.wait(timeout=60)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    time_to_ready(FLOOR)  # warm the file cache for both
    time_to_ready(APP)
    floor, app = [], []
    for _ in range(args.runs):
        floor.append(time_to_ready(FLOOR))
        app.append(time_to_ready(APP))
    rows = [["import floor", median(floor), min(floor), max(floor)],
            ["explorer first paint", median(app), min(app), max(app)]]
    print_table(["what", "median s", "min s", "max s"], rows)
    ratio = median(app) / median(floor)
    print(f"\nstartup ratio (median app / median floor): {ratio:.3f}  (goal <= 1.25)")
    print_json({"startup_ratio": round(ratio, 3), "app_s": round(median(app), 3),
                "floor_s": round(median(floor), 3), "runs": args.runs})


if __name__ == "__main__":
    main()
