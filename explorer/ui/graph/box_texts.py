"""The words on and over the autograd graph's boxes: a box's two lines of text and its tooltip.

Kept apart from the view so that the scene builder and the tooltips read the same node attributes the
same way. The strings keep the translation context "AutogradGraphView" they have always had (literal
QApplication.translate calls: pyside6-lupdate reads the context and text from them).
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtWidgets import QApplication
from explorer.core.wording import dims


def _shape_text(value: object) -> str:
    return dims(value) if isinstance(value, (list, tuple)) else str(value)


def node_texts(node_id: str, attrs: Mapping) -> tuple[str, str, bool]:
    """(label, module line, is a parameter leaf) of one node."""
    module = attrs.get("module")
    label = attrs.get("label") or attrs.get("cls") or node_id
    sub = "" if module is None else QApplication.translate("AutogradGraphView", "forward") if module == "" else module
    return label, sub, attrs.get("param") is not None


def group_texts(attrs: Mapping) -> tuple[str, str]:
    """(label, class line) of a collapsed module."""
    label = QApplication.translate("AutogradGraphView", "{0}  ({1} nodes)").format(attrs["label"], attrs["count"])
    return label, attrs.get("class") or ""


def node_tooltip_text(attrs: Mapping) -> str:
    """Class, module, parameter and saved tensor shapes of one node."""
    lines = [attrs.get("cls") or ""]
    module = attrs.get("module")
    if module is not None:
        itself = QApplication.translate("AutogradGraphView", "forward (the model itself)")
        lines.append(QApplication.translate("AutogradGraphView", "module: {0}").format(module or itself))
    if attrs.get("param") is not None:
        lines.append(QApplication.translate("AutogradGraphView", "parameter: {0}").format(attrs["param"]))
    for name, value in attrs.get("saved") or ():
        text = QApplication.translate("AutogradGraphView", "saved {0}: {1}")
        lines.append(text.format(name, _shape_text(value)))
    return "\n".join(lines)


def group_tooltip_text(attrs: Mapping, count: int, done_count: int, matches: int) -> str:
    """Name, class and size of a collapsed module, how much of it backward has run, its search matches."""
    lines = [attrs["label"] + (f" ({attrs['class']})" if attrs.get("class") else ""),
             QApplication.translate("AutogradGraphView", "{0} nodes inside, {1} run by backward").format(
                 count, done_count)]
    if matches:
        lines.append(QApplication.translate("AutogradGraphView", "{0} search matches inside").format(matches))
    lines.append(QApplication.translate("AutogradGraphView", "Double-click to open"))
    return "\n".join(lines)
