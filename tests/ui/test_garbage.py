"""Garbage is collected on the GUI thread, and the objects alive once the app has settled are not rescanned."""

import gc

import pytest
from PySide6.QtWidgets import QWidget

from explorer.ui.app import settle_when_ready
from explorer.ui.garbage import GuiThreadCollector


@pytest.fixture
def collector(qapp):
    threshold = gc.get_threshold()
    c = GuiThreadCollector()
    yield c
    c.timer.stop()
    gc.unfreeze()  # the test process goes on collecting what later tests leave behind
    gc.set_threshold(*threshold)
    gc.disable()  # as the GUI tests run (tests/ui/conftest.py)


class Cycle:
    def __init__(self):
        self.me = self


def test_the_timer_collects_cycles_once_gcs_threshold_is_passed(qtbot, collector):
    assert not gc.isenabled()
    gc.set_threshold(100, 10, 10)
    collector.threshold = gc.get_threshold()
    gc.collect()
    for _ in range(500):  # young objects, past the threshold of 100
        Cycle()
    assert gc.get_count()[0] > 100
    collector.check()
    assert gc.get_count()[0] < 100


def test_freezing_moves_the_survivors_out_of_every_later_scan(qtbot, collector):
    gc.collect()
    scanned_before = len(gc.get_objects())
    collector.freeze_survivors()
    assert collector.frozen
    assert gc.get_freeze_count() >= scanned_before * 0.9
    assert len(gc.get_objects()) < scanned_before * 0.1
    Cycle()  # garbage made after the freeze is still collected
    assert gc.collect() >= 1


def test_the_app_freezes_once_the_window_shows_its_first_model(qtbot, qapp, collector):
    old = getattr(qapp, "_explorer_gc", None)
    qapp._explorer_gc = collector
    window = QWidget()
    qtbot.addWidget(window)
    window.snapshot = None
    settle_when_ready(qapp, window)
    qtbot.wait(450)
    assert not collector.frozen  # nothing is loaded yet: the model's objects are still to come
    window.snapshot = object()
    qtbot.waitUntil(lambda: collector.frozen, timeout=2000)
    if old is None:
        del qapp._explorer_gc
    else:
        qapp._explorer_gc = old
