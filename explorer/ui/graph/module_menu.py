"""The autograd graph's context menu: open or close the modules around a box, or all of them.

Built from the view's public module API (grouping, quotient, expand_* / collapse_*). The entries keep
the translation context "AutogradGraphView" of the view they came from.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtWidgets import QApplication, QMenu, QWidget

from explorer.core.autograd.module_groups import GROUP_PREFIX, ModuleGrouping, QuotientGraph, is_group


class ModuleView(Protocol):
    """What the menu needs of the graph view (AutogradGraphView), named here so that neither imports the other."""

    grouping: ModuleGrouping
    quotient: QuotientGraph

    def expand_group(self, prefix: str) -> None: ...
    def expand_everything_inside(self, prefix: str) -> None: ...
    def collapse_group(self, prefix: str) -> None: ...
    def expand_all(self) -> None: ...
    def collapse_to_depth(self, depth: int) -> None: ...


def module_menu(view: ModuleView | QWidget, node_id: str | None) -> QMenu:
    """Open or close the modules at a box (`node_id`, a node or "group:<module>"; None: the background),
    then expand everything or collapse to the top level."""
    menu = QMenu(view)
    grouping = view.grouping
    enclosing: list[str] = []
    if node_id is not None and is_group(node_id):
        prefix = node_id[len(GROUP_PREFIX):]
        menu.addAction(QApplication.translate("AutogradGraphView", "Open {0}").format(prefix),
                       lambda: view.expand_group(prefix))
        if grouping.children(prefix):
            menu.addAction(QApplication.translate("AutogradGraphView", "Open everything inside {0}").format(prefix),
                           lambda: view.expand_everything_inside(prefix))
        member = view.quotient.members[node_id][0]
        enclosing = [p for p in grouping.enclosing(member) if prefix.startswith(p + ".")]
    elif node_id is not None:
        enclosing = grouping.enclosing(node_id)
    for prefix in enclosing:  # innermost first
        menu.addAction(QApplication.translate("AutogradGraphView", "Close {0}").format(prefix),
                       lambda p=prefix: view.collapse_group(p))
    if not menu.isEmpty():
        menu.addSeparator()
    menu.addAction(QApplication.translate("AutogradGraphView", "Expand all"), view.expand_all)
    menu.addAction(QApplication.translate("AutogradGraphView", "Collapse to top level"),
                   lambda: view.collapse_to_depth(1))
    return menu
