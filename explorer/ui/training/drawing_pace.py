"""When the Training curves panel draws which plot: paced while training, spread out after a pause.

While training, the GUI thread's drawing holds the GIL that the engine thread needs between two torch ops:
every millisecond spent drawing is about a millisecond of training lost (measured: a pyqtgraph curve redrawn
10 times a second took 5.5% of the GUI thread and 6-7% of a bare loop's speed on another thread). So a timer
draws one changed plot per tick (the loss every other tick) and spaces its ticks to keep the time the GUI
thread spends on them near GUI_SHARE. When a run pauses or ends, the plots it left undrawn are drawn one per
turn of the event loop: all seven at once held the GUI thread 75-150 ms (bench/training.py's largest gap).
"""

from __future__ import annotations

import time
from typing import Callable, Sequence

from PySide6.QtCore import QObject, QTimer, Signal

# Every plot drawn while training holds the GIL (pyqtgraph paints in Python, and PySide keeps the GIL through each
# Qt call), so this share is taken from the training about one for one: at 0.7% the engine thread was blocked
# 1.2% of a batch-1 run, at 0.4% 0.8% (against 0.4% with the panel closed). The loss plot is then redrawn about
# every 2 s at batch 1, the others every 6 s.
GUI_SHARE = 0.004
SAMPLING_NOTE_S = 5.0  # how often the "measured so far" note is rewritten while training
MIN_INTERVAL_MS = 100
MAX_INTERVAL_MS = 2000


class DrawingPace(QObject):
    redrawn = Signal()  # after a tick drew something, and after a catch-up finished (tests wait on it)

    def __init__(self, drawables: Sequence, x_end: Callable[[], float], note: Callable[[], None], parent=None):
        """`drawables`: the loss plot first, then the others; `x_end()`: the shared step axis' end;
        `note()`: rewrites the sampling note (every SAMPLING_NOTE_S while training, and after a catch-up)."""
        super().__init__(parent)
        self.drawables = tuple(drawables)
        self.x_end = x_end
        self.note = note
        self.catching_up = False  # drawing what a pause or the run's end left undrawn, one plot at a time
        self._pending: list = []  # the plots the catch-up has yet to look at
        self._hidden_stop = False  # the timer stopped because no plot was on screen (a run goes on)
        self._turn = 0  # the next plot (after the loss) the timer looks at
        self._tick = 0
        self._painted = 0.0  # the plots' paint time counted so far
        self._noted = 0.0
        self._timer = QTimer(self)
        self._timer.setInterval(MIN_INTERVAL_MS)
        self._timer.timeout.connect(self._on_timer_timeout)

    def _paint_seconds(self) -> float:
        return sum(item.paint_seconds_total for item in self.drawables)

    def changed(self) -> None:
        """New rows arrived: make sure the timer runs (while a plot is on screen: it has nothing else to do)."""
        if not self._timer.isActive() and not self._hidden_stop:
            self._painted = self._paint_seconds()
            self._timer.start()

    def shown(self) -> None:
        """The plots came on screen: a run the timer stopped drawing for is drawn again."""
        if self._hidden_stop:
            self._hidden_stop = False
            self.changed()

    def finish(self) -> None:
        """The run paused or ended: draw every changed plot, one per turn of the event loop; the timer rests."""
        self._timer.stop()
        self._hidden_stop = False
        self._timer.setInterval(MIN_INTERVAL_MS)
        self.catching_up = True
        self._pending = list(self.drawables)
        self._catch_up()

    def _catch_up(self) -> None:
        if self._timer.isActive():  # training went on: its timer draws from here
            self._pending, self.catching_up = [], False
            return
        x_end = self.x_end()
        while self._pending:
            item = self._pending.pop(0)
            if item.isVisible() and item.needs_redraw(x_end):
                item.redraw(x_end)
                QTimer.singleShot(0, self, self._catch_up)
                return
        self.note()
        self.catching_up = False
        self.redrawn.emit()

    def _on_timer_timeout(self) -> None:
        """Draw the next plot on screen that changed (one a tick, in turn), and space the ticks so the GUI
        thread spends about GUI_SHARE of the time on them (measured, not guessed)."""
        if not any(item.isVisible() for item in self.drawables):  # the panel closed or tabbed away: no ticks
            self._timer.stop()
            self._hidden_stop = True
            return
        began = time.thread_time()
        x_end = self.x_end()
        self._tick += 1
        loss, others = self.drawables[0], self.drawables[1:]
        if self._tick % 2 and loss.isVisible() and loss.needs_redraw(x_end):
            loss.redraw(x_end)  # the loss every other tick: it is what people watch
        else:
            for _ in range(len(others)):
                item = others[self._turn]
                self._turn = (self._turn + 1) % len(others)
                if item.isVisible() and item.needs_redraw(x_end):
                    item.redraw(x_end)
                    break
        now = time.monotonic()
        if now - self._noted >= SAMPLING_NOTE_S:
            self._noted = now
            self.note()
        painted = self._paint_seconds()
        # This tick's work, and the painting of the plots since the last tick (Qt paints after a tick returns).
        busy = time.thread_time() - began + painted - self._painted
        self._painted = painted
        interval = min(MAX_INTERVAL_MS, max(MIN_INTERVAL_MS, busy / GUI_SHARE * 1000))
        self._timer.setInterval(int(interval))
        self.redrawn.emit()
