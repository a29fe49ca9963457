"""The Model dock: the module tree as print(net) shows it, with parameter shapes and counts."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QFont
from PySide6.QtWidgets import QDockWidget, QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from explorer.core.snapshot import ModelInfo, SessionSnapshot
from explorer.ui.palette import module_color
from explorer.core.wording import dims

PARAM_ROLE = Qt.ItemDataRole.UserRole + 1  # parameter name on parameter rows
MODULE_ROLE = Qt.ItemDataRole.UserRole + 2  # qualified module name on module rows


class ModelDock(QDockWidget):
    inspect_requested = Signal(str, str)  # ("param", name)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(self.tr("Model"), parent)
        self.setObjectName("ModelDock")
        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        self.summary = QLabel(body)
        self.summary.setWordWrap(True)
        self.tree = QTreeWidget(body)
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels([self.tr("Module / parameter"), self.tr("Shape"), self.tr("Parameters")])
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.itemActivated.connect(self._on_tree_item_activated)
        self.tree.itemClicked.connect(self._on_tree_item_activated)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)
        self.setWidget(body)
        self._module_items: dict[str, QTreeWidgetItem] = {}
        self._highlighted: str | None = None
        self.info: ModelInfo | None = None
        self._keep_collapsed: set[str] = set()  # modules the user had closed, for the next tree of the same model

    def collapsed_modules(self) -> set[str]:
        return {name for name, item in self._module_items.items() if item.childCount() and not item.isExpanded()}

    def keep_expanded(self, collapsed: set[str]) -> None:
        """The next tree (a language switch rebuilds it) opens every module except these, as the old one was."""
        self._keep_collapsed = set(collapsed)

    def set_model_info(self, info: ModelInfo) -> None:
        self.info = info
        self.tree.clear()
        self._module_items.clear()
        self._highlighted = None
        self.summary.setText(
            self.tr("{0}: {1} parameter tensors, {2} parameters").format(
                info.class_name, len(info.param_names), f"{info.total_params:,}"
            )
        )
        mono = QFont("monospace")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        for row in info.rows:
            parent_name = row.name.rsplit(".", 1)[0] if "." in row.name else ("" if row.name else None)
            parent = self._module_items.get(parent_name) if parent_name is not None else None
            count = sum(n for _, _, n in row.params)
            item = QTreeWidgetItem([row.text, "", f"{count:,}" if count else ""])
            item.setData(0, MODULE_ROLE, row.name)
            item.setFont(0, mono)
            item.setToolTip(0, row.text)
            (parent.addChild(item) if parent is not None else self.tree.addTopLevelItem(item))
            self._module_items[row.name] = item
            for pname, shape, n in row.params:
                child = QTreeWidgetItem([pname, dims(shape), f"{n:,}"])
                child.setData(0, PARAM_ROLE, pname)
                child.setToolTip(0, self.tr("Click to inspect {0} and its gradient").format(pname))
                item.addChild(child)
        self.tree.expandAll()
        for name in self._keep_collapsed:
            if name in self._module_items:
                self._module_items[name].setExpanded(False)
        self._keep_collapsed = set()
        for col in range(3):
            self.tree.resizeColumnToContents(col)

    def set_snapshot(self, snapshot: SessionSnapshot) -> None:
        self._highlight(snapshot.current_module)

    def _highlight(self, module: str | None) -> None:
        if module == self._highlighted:
            return
        old = self._module_items.get(self._highlighted) if self._highlighted is not None else None
        if old is not None:
            for col in range(3):
                old.setBackground(col, QBrush())
            f = old.font(0)
            f.setBold(False)
            old.setFont(0, f)
        self._highlighted = module
        item = self._module_items.get(module) if module is not None else None
        if item is not None:
            for col in range(3):
                item.setBackground(col, QBrush(module_color(module)))
            f = item.font(0)
            f.setBold(True)
            item.setFont(0, f)
            self.tree.scrollToItem(item)

    def highlighted_module(self) -> str | None:
        return self._highlighted

    def _on_tree_item_activated(self, item: QTreeWidgetItem, column: int = 0) -> None:
        name = item.data(0, PARAM_ROLE)
        if name:
            self.inspect_requested.emit("param", name)
