"""Module colours shared by every view: the same module gets the same colour everywhere.

A colour is picked from a fixed qualitative palette by a stable hash of the module's qualified name
(zlib.crc32, not hash(), which changes between runs), so it survives restarts and needs no registry.
All palette entries are light enough for black text; the model itself (functional ops in forward),
the loss and unknown modules get neutral greys.
"""

from __future__ import annotations

import zlib

from PySide6.QtGui import QColor

# ColorBrewer Set3 / Tableau-20-light hues. With 16 entries the tutorial's conv1, conv2, fc1, fc2, fc3
# and nn.Sequential's "0".."7" all land on different colours.
_PALETTE = (
    "#fdb462", "#b3de69", "#fb8072", "#fccde5", "#ffed6f", "#80b1d3", "#ccebc5", "#bc80bd",
    "#aec7e8", "#ff9896", "#c49c94", "#dbdb8d", "#9edae5", "#f7b6d2", "#8dd3c7", "#bebada",
)
MODEL_ITSELF_COLOR = "#e2e2e2"  # module "": F.relu, view, ... called in the model's own forward
LOSS_COLOR = "#c4c4c4"
UNKNOWN_COLOR = "#f7f7f7"  # no module known (e.g. the input, or ops outside the model)
LOSS_MODULE = "loss"


def module_color(name: str | None) -> QColor:
    """The fill colour for everything a module created (nodes, rows, plot curves)."""
    if name is None:
        return QColor(UNKNOWN_COLOR)
    if name == "":
        return QColor(MODEL_ITSELF_COLOR)
    if name == LOSS_MODULE:
        return QColor(LOSS_COLOR)
    return QColor(_PALETTE[zlib.crc32(name.encode("utf-8")) % len(_PALETTE)])


def _relative_luminance(color: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(color.redF()) + 0.7152 * channel(color.greenF()) + 0.0722 * channel(color.blueF())


def text_color_for(background: QColor) -> QColor:
    """Black or white, whichever has the higher WCAG contrast on `background`."""
    luminance = _relative_luminance(background)
    contrast_black = (luminance + 0.05) / 0.05
    contrast_white = 1.05 / (luminance + 0.05)
    return QColor("black") if contrast_black >= contrast_white else QColor("white")
