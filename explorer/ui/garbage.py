"""Python's cycle collector for a Qt app with a torch thread: collect on the GUI thread, and never rescan the
startup's objects.

Collecting runs in whichever thread allocates; on the engine thread it can destroy Qt objects that belong to
the GUI thread and deadlock (seen: the engine stuck building a model). So automatic collection is off and a
GUI-thread timer collects when the counts pass gc's own thresholds (pyqtgraph's GarbageCollector does the
same; this one adds the freeze).

A full collection scans every tracked object: with torch (and the sympy it imports for its optimizers),
PySide6 and pyqtgraph loaded that is ~400,000 objects and took 200-230 ms here, holding the GIL: the window
froze and training stopped for that long, about every two minutes. Once the first model is up (and its first
optimizer, whose imports are a third of those objects: explorer.ui.app.Settler), what is alive is mostly
modules, classes and functions that live as long as the process; `freeze_survivors` moves them to gc's
permanent generation, and a full collection then scans only what the session made since.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

CHECK_INTERVAL_MS = 1000


class GuiThreadCollector(QObject):
    """Lives on the GUI thread; collects generation by generation when gc's thresholds say so."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.threshold = gc.get_threshold()
        gc.disable()
        self.frozen = False
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.check)
        self.timer.start(CHECK_INTERVAL_MS)

    def check(self) -> None:
        young, middle, old = gc.get_count()
        if young > self.threshold[0]:
            generation = 0
            if middle > self.threshold[1]:
                generation = 2 if old > self.threshold[2] else 1
            gc.collect(generation)

    def freeze_survivors(self) -> None:
        """Collect everything once, then exempt what survived from every later collection. Call it once the
        app has settled (its first model is built); calling it again is harmless."""
        gc.collect()
        gc.freeze()
        self.frozen = True
