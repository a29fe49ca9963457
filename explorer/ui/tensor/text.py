"""Numbers and tensor statistics as the short text lines under a tensor picture."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QCoreApplication
from explorer.core.wording import format_number

if TYPE_CHECKING:
    from explorer.core.snapshot import TensorStats

# Non-breaking spaces hold each "name value" pair together; the plain double spaces between pairs wrap.
_NBSP = "\u00a0"


def format_index(index: tuple[int, ...]) -> str:
    return "[" + ", ".join(str(i) for i in index) + "]"


def _pairs(*pairs: str) -> str:
    return "  ".join(p.replace(" ", _NBSP) for p in pairs)


def values_text(values: np.ndarray) -> str:
    """"0: -0.187  1: 0.1097 ..." for a short vector, wrapping between entries."""
    return _pairs(*(f"{i}: {format_number(float(v))}" for i, v in enumerate(values.tolist())))


def stats_text(stats: TensorStats) -> str:
    """The stats line: shape, range, moments, norm, zero fraction, NaN/Inf count."""
    # Literal QCoreApplication.translate calls: pyside6-lupdate files them under "TensorWidget" only so (a
    # wrapper's argument lands in no context, and the line stayed English in Chinese).
    f, translate = format_number, QCoreApplication.translate
    return _pairs(
        translate("TensorWidget", "shape {0}").format(list(stats.shape)),
        translate("TensorWidget", "min {0}").format(f(stats.min)),
        translate("TensorWidget", "max {0}").format(f(stats.max)),
        translate("TensorWidget", "mean {0}").format(f(stats.mean)),
        translate("TensorWidget", "std {0}").format(f(stats.std)),
        translate("TensorWidget", "norm {0}").format(f(stats.norm)),
        translate("TensorWidget", "zeros {0:.1%}").format(stats.zero_fraction),
        translate("TensorWidget", "NaN or Inf {0}").format(stats.nonfinite),
    )
