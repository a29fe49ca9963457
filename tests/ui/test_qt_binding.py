"""The installed Qt binding must not lose references to None (PySide6 6.12.0 on CPython 3.11 does, and a long
session then aborts with 'none_dealloc')."""

import sys

from PySide6.QtCore import QRectF


def test_calls_returning_nothing_keep_none_alive():
    rect = QRectF()
    before = sys.getrefcount(None)
    for _ in range(1000):
        rect.setWidth(1)
    assert sys.getrefcount(None) - before > -100  # other threads may move it a little; the bug moves it -1000
