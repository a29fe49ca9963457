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


def settled_window(dataset: str, timeout_s: float | None = None):
    """The real MainWindow (offscreen, 1600x1000) on `dataset`, with fresh settings, after start-up has settled
    as explorer.ui.app.run_app leaves it (the settler's tasks done, the start-up's objects frozen out of the
    garbage collector): (app, window, driver)."""
    import tempfile

    from PySide6.QtCore import QSettings

    from explorer.core.session import SessionConfig
    from explorer.ui.app import collect_garbage_on_the_gui_thread, create_application, settle_when_ready
    from explorer.ui.main_window import MainWindow
    from explorer.ui.window.driver import WindowDriver

    app = create_application()
    settings = QSettings(tempfile.mktemp(suffix=".ini"), QSettings.Format.IniFormat)
    window = MainWindow(SessionConfig(dataset=dataset), settings)
    window.resize(1600, 1000)
    window.show()
    drive = WindowDriver(window) if timeout_s is None else WindowDriver(window, timeout_s=timeout_s)
    drive.wait_ready()
    settle_when_ready(app, window)
    drive.wait_until(lambda: collect_garbage_on_the_gui_thread(app).frozen, "gc settled")
    return app, window, drive
