"""Module colours shared by every view: the same module gets the same colour everywhere.

The model's modules take the palette's colours in model order (set_module_order, called when a model is
opened), so the first 12 modules all differ, and neighbours differ after that; a name the order does not know
falls back to a stable hash (zlib.crc32, not hash(), which changes between runs). The palette is ColorBrewer's
Set3 (12 qualitative colours chosen to be told apart, its grey swapped for a brown so that it never reads as
the greys below) followed by four of Tableau-20's light hues. All are light enough for black text; the model
itself (functional ops in forward), the loss and unknown modules get neutral greys.
"""

from __future__ import annotations

import zlib

from PySide6.QtGui import QColor

_PALETTE = (
    "#8dd3c7", "#ffffb3", "#bebada", "#fb8072", "#80b1d3", "#fdb462", "#b3de69", "#fccde5",
    "#c49c94", "#bc80bd", "#ccebc5", "#ffed6f",  # ColorBrewer Set3 (12), #d9d9d9 -> #c49c94
    "#9edae5", "#dbdb8d", "#f7b6d2", "#aec7e8",  # Tableau-20 light
)
DISTINCT_COLOURS = 12  # the first ones are the qualitative set: up to this many modules never share one
MODEL_ITSELF_COLOR = "#e2e2e2"  # module "": F.relu, view, ... called in the model's own forward
LOSS_COLOR = "#c4c4c4"
UNKNOWN_COLOR = "#f7f7f7"  # no module known (e.g. the input, or ops outside the model)
LOSS_MODULE = "loss"

_order: dict[str, int] = {}


def set_module_order(names) -> None:
    """The model's module names in model order (print(net)'s rows): each takes the next colour."""
    _order.clear()
    for name in names:
        if name and name != LOSS_MODULE and name not in _order:
            _order[name] = len(_order)


def module_color(name: str | None) -> QColor:
    """The fill colour for everything a module created (nodes, rows, plot curves)."""
    if name is None:
        return QColor(UNKNOWN_COLOR)
    if name == "":
        return QColor(MODEL_ITSELF_COLOR)
    if name == LOSS_MODULE:
        return QColor(LOSS_COLOR)
    index = _order.get(name)
    if index is None:
        index = zlib.crc32(name.encode("utf-8"))
    return QColor(_PALETTE[index % len(_PALETTE)])


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
