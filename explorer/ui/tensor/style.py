"""Colours and fonts shared by the tensor pictures, so a bar, a heatmap and a histogram read alike."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QFontDatabase

DIVERGING_MAP = "CET-D1"  # blue - white - red, white at 0
SEQUENTIAL_MAP = "viridis"
GREY_MAP = "CET-L1"  # black -> white
POSITIVE_BAR = QColor(200, 80, 60)
NEGATIVE_BAR = QColor(60, 110, 200)
NEUTRAL_BAR = QColor(110, 130, 160)
HIGHLIGHT_BAR = QColor(230, 150, 30)
MARKER_COLOUR = QColor(20, 20, 20)  # the frame around a picked cell: dark, as the colour maps are light at 0


def monospace_font(point_delta: int = 0) -> QFont:
    """The system's fixed-width font, so columns of numbers line up."""
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    if point_delta:
        font.setPointSize(max(6, font.pointSize() + point_delta))
    return font


def small_font() -> QFont:
    """Tick labels: small, to leave small plots their room."""
    font = QFont()
    font.setPointSize(8)
    return font
