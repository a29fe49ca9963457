"""Garbage is collected on the GUI thread, and the objects alive once the app has settled are not rescanned."""

import gc

import pytest
from PySide6.QtCore import QSettings

from explorer.core.session import SessionConfig
from explorer.ui.app import settle_when_ready
from explorer.ui.garbage import GuiThreadCollector
from explorer.ui.main_window import MainWindow


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


def test_the_app_freezes_once_the_engine_has_made_the_first_models_optimizer(qtbot, qapp, collector, tmp_path):
    old = getattr(qapp, "_explorer_gc", None)
    qapp._explorer_gc = collector
    window = MainWindow(SessionConfig(dataset="tutorial"), QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    settle_when_ready(qapp, window)
    assert not collector.frozen  # nothing is loaded yet: the model's objects are still to come
    qtbot.waitUntil(lambda: collector.frozen, timeout=30_000)
    # torch.optim's first optimizer (and the modules it imports) came before the freeze
    assert window.snapshot is not None and window.engine.engine.session._optimizer is not None
    window.close()
    if old is None:
        del qapp._explorer_gc
    else:
        qapp._explorer_gc = old
