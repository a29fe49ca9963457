"""The Autograd graph dock: the graph view, a row of view, module and export commands, a search bar
(Ctrl+F) and a colour legend."""

from __future__ import annotations

import html
import os
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication, QDockWidget, QFileDialog, QHBoxLayout, QLabel, QLineEdit, QMenu, QMessageBox, QToolBar,
    QToolButton, QVBoxLayout, QWidget,
)

from explorer.core.snapshot import SessionSnapshot
from explorer.ui.graph.items import CURRENT_COLOR, DONE_COLOR
from explorer.ui.graph.view import AutogradGraphView
from explorer.ui.palette import module_color, text_color_for

LAST_EXPORT_DIR_KEY = "graph/last_export_dir"
MAX_LEGEND_CHIPS = 12


class GraphSearchBar(QWidget):
    """Find nodes by class, module or parameter name: Enter or F3 goes to the next match, Shift with
    either to the previous one, Esc closes the bar."""

    def __init__(self, view: AutogradGraphView, parent: QWidget | None = None):
        super().__init__(parent)
        self.view = view
        layout = QHBoxLayout(self)
        layout.setContentsMargins(2, 0, 2, 0)
        layout.setSpacing(4)
        self.field = QLineEdit(self)
        self.field.setPlaceholderText(self.tr("Find: node class, module or parameter name"))
        self.field.setClearButtonEnabled(True)
        self.previous_button = self._button("\u2191", self.tr("Previous match (Shift+Enter, Shift+F3)"), view.previous_match)
        self.next_button = self._button("\u2193", self.tr("Next match (Enter, F3)"), view.next_match)
        self.count_label = QLabel(self)
        self.count_label.setMinimumWidth(90)
        self.close_button = self._button("\u2715", self.tr("Close the search (Esc)"), self.close_search)
        self.field.setMaximumWidth(420)
        layout.addWidget(self.field, 1)
        for widget in (self.previous_button, self.next_button, self.count_label):
            layout.addWidget(widget)
        layout.addStretch(1)
        layout.addWidget(self.close_button)
        escape = QAction(self)
        escape.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        escape.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        escape.triggered.connect(self.close_search)
        self.addAction(escape)
        self.field.textChanged.connect(self.view.set_search)
        self.field.returnPressed.connect(self._on_field_return_pressed)
        view.search_changed.connect(self._on_view_search_changed)
        self._on_view_search_changed()

    def __repr__(self) -> str:
        return f"GraphSearchBar({self.field.text()!r}, {self.count_label.text()!r})"

    def _button(self, text: str, tip: str, slot) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setToolTip(tip)
        button.setAutoRaise(True)
        button.clicked.connect(slot)
        return button

    def open_search(self) -> None:
        self.show()
        self.field.setFocus()
        self.field.selectAll()

    def close_search(self) -> None:
        self.field.clear()
        self.hide()
        self.view.setFocus()

    def _on_field_return_pressed(self) -> None:
        if QApplication.keyboardModifiers() & Qt.KeyboardModifier.ShiftModifier:
            self.view.previous_match()
        else:
            self.view.next_match()

    def _on_view_search_changed(self) -> None:
        matches, index = len(self.view.search_matches), self.view.search_index
        if not self.field.text().strip():
            text = ""
        elif not matches:
            text = self.tr("no match")
        elif index < 0:
            text = self.tr("{0} matches").format(matches) if matches > 1 else self.tr("1 match")
        else:
            text = self.tr("{0} of {1}").format(index + 1, matches)
        self.count_label.setText(text)
        for button in (self.previous_button, self.next_button):
            button.setEnabled(matches > 0)


class GraphDock(QDockWidget):
    inspect_requested = Signal(str, str)  # ("node", node id)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(self.tr("Autograd graph"), parent)
        self.setObjectName("GraphDock")
        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 2, 4, 4)
        layout.setSpacing(2)

        self.toolbar = QToolBar(body)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.view = AutogradGraphView(body)
        self.search_bar = GraphSearchBar(self.view, body)
        self.search_bar.hide()
        self.fit_action = self._action(self.tr("Fit"), self.tr("Fit the graph into view, down to a size where its labels stay readable"),
                                       self.view.fit)
        self.whole_action = self._action(self.tr("Whole graph"), self.tr("Zoom out until the whole graph is in view, "
                                                                         "however small its labels get"), self.view.fit_whole)
        self.zoom_in_action = self._action(self.tr("Zoom in"), self.tr("Zoom in (or use the mouse wheel)"),
                                           self.view.zoom_in, QKeySequence.StandardKey.ZoomIn)
        self.zoom_out_action = self._action(self.tr("Zoom out"), self.tr("Zoom out (or use the mouse wheel)"),
                                            self.view.zoom_out, QKeySequence.StandardKey.ZoomOut)
        self.toolbar.addSeparator()
        self.expand_all_action = self._action(self.tr("Expand all"), self.tr("Open every module: all the nodes"),
                                              self.view.expand_all)
        self.collapse_menu = QMenu(self.tr("Collapse to depth"), body)
        self.collapse_button = QToolButton(body)
        self.collapse_button.setText(self.tr("Collapse to depth"))
        self.collapse_button.setToolTip(self.tr("Show modules down to a depth of the module tree as boxes"))
        self.collapse_button.setMenu(self.collapse_menu)
        self.collapse_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.toolbar.addWidget(self.collapse_button)
        self.find_action = self._action(self.tr("Find"), self.tr("Find nodes by class, module or parameter (Ctrl+F)"),
                                        self.search_bar.open_search, QKeySequence.StandardKey.Find)
        self.find_next_action = self._hidden_action(QKeySequence.StandardKey.FindNext, self.view.next_match)
        self.find_previous_action = self._hidden_action(QKeySequence.StandardKey.FindPrevious, self.view.previous_match)
        self.toolbar.addSeparator()
        self.export_png_action = self._action(self.tr("Export PNG..."), self.tr("Save the graph as shown as a PNG image"),
                                              self._on_export_png_triggered)
        self.export_svg_action = self._action(self.tr("Export SVG..."), self.tr("Save the graph as shown as an SVG drawing"),
                                              self._on_export_svg_triggered)
        for action in (self.zoom_in_action, self.zoom_out_action, self.find_action, self.find_next_action,
                       self.find_previous_action):
            body.addAction(action)  # the shortcuts work wherever focus is inside the dock

        self.legend = QLabel(body)
        self.legend.setWordWrap(True)
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        # white like the graph, so the light-grey chips of "forward" and "loss" show
        self.legend.setStyleSheet("QLabel { background: white; border-top: 1px solid #d0d0d0; padding: 3px 4px; }")

        layout.addWidget(self.toolbar)
        layout.addWidget(self.search_bar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.legend)
        self.setWidget(body)

        self.view.node_clicked.connect(self._on_view_node_clicked)
        self.view.graph_changed.connect(self._on_view_graph_changed)
        self.view.groups_changed.connect(self._on_view_groups_changed)
        self._on_view_graph_changed()

    def __repr__(self) -> str:
        return f"GraphDock({self.view!r})"

    def _action(self, text: str, tip: str, slot, shortcut=None) -> QAction:
        action = QAction(text, self)
        action.setToolTip(tip)
        action.setStatusTip(tip)
        if shortcut is not None:
            action.setShortcut(shortcut)
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        self.toolbar.addAction(action)
        return action

    def _hidden_action(self, shortcut, slot) -> QAction:
        action = QAction(self)
        action.setShortcut(shortcut)
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        return action

    # ----- snapshots ---------------------------------------------------------------------------------
    def set_snapshot(self, snapshot: SessionSnapshot) -> None:
        self.view.set_snapshot(snapshot)

    def _on_view_graph_changed(self) -> None:
        has_graph = bool(self.view.node_items)
        self._fill_depth_menu()
        for action in (self.fit_action, self.whole_action, self.zoom_in_action, self.zoom_out_action, self.find_action,
                       self.export_png_action, self.export_svg_action):
            action.setEnabled(has_graph)
        self._on_view_groups_changed()
        self.legend.setVisible(has_graph)

    def _fill_depth_menu(self) -> None:
        """One entry per level of the module tree (rebuilt per graph, never from inside its own action)."""
        grouping = self.view.grouping
        depth = grouping.max_depth if grouping is not None else 0
        self.collapse_menu.clear()
        for level in range(1, depth + 1):
            text = self.tr("Top level (depth 1)") if level == 1 else self.tr("Depth {0}").format(level)
            self.collapse_menu.addAction(text, lambda d=level: self.view.collapse_to_depth(d))
        self.collapse_button.setEnabled(depth > 0)

    def _on_view_groups_changed(self) -> None:
        self.expand_all_action.setEnabled(bool(self.view.collapsed))
        self.legend.setText(self._legend_html())

    def _legend_html(self) -> str:
        """Chips in the colours of the modules on screen (in graph order), then what the marks mean."""
        quotient = self.view.quotient
        shown = dict.fromkeys(quotient.attrs[n].get("module") for n in quotient.node_ids) if quotient else {}
        chips = []
        for module in (m for m in shown if m is not None):
            name = self.tr("forward") if module == "" else module
            fill = module_color(module)
            chips.append(f'<span style="background-color:{fill.name()}; color:{text_color_for(fill).name()};">'
                         f"&nbsp;{html.escape(name)}&nbsp;</span>")
        if len(chips) > MAX_LEGEND_CHIPS:  # a big model: the boxes carry their module names anyway
            more = len(chips) - MAX_LEGEND_CHIPS
            chips = chips[:MAX_LEGEND_CHIPS] + [html.escape(self.tr("and {0} more").format(more))]
        colours = html.escape(self.tr("Colour: module that made the node"))
        done_word, running_word = html.escape(self.tr("done")), html.escape(self.tr("running now"))  # lupdate reads no f-string
        done = f'<b style="color:{DONE_COLOR.name()};">\u2713 {done_word}</b>'
        current = f'<b style="color:{CURRENT_COLOR.name()};">\u25a0 {running_word}</b>'
        marks = [done, current, html.escape(self.tr("arrows: the way gradients flow"))]
        if self.view.collapsed:
            marks.append(html.escape(self.tr("stacked boxes: modules, double-click to open")))
        sep = " &nbsp;&middot;&nbsp; "
        line = colours + (" " + " ".join(chips) if chips else "") + sep + sep.join(marks)
        return f'<span style="font-size:small;">{line}</span>'

    # ----- slots -------------------------------------------------------------------------------------
    def _on_view_node_clicked(self, node_id: str) -> None:
        self.inspect_requested.emit("node", node_id)

    def _on_export_png_triggered(self) -> None:
        self._export("png")

    def _on_export_svg_triggered(self) -> None:
        self._export("svg")

    def _export(self, fmt: str) -> None:
        path = self._ask_export_path(fmt)
        if not path:
            return
        try:
            (self.view.export_png if fmt == "png" else self.view.export_svg)(path)
        except (OSError, ValueError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            QMessageBox.warning(self, self.tr("Export failed"),
                                self.tr("The graph was not saved to {0}.\n{1}").format(path, reason))
            return
        QSettings().setValue(LAST_EXPORT_DIR_KEY, str(Path(path).parent))

    def _ask_export_path(self, fmt: str) -> str:
        """A save dialog starting in the last export folder; adds the suffix if the user left it out."""
        folder = QSettings().value(LAST_EXPORT_DIR_KEY, "", type=str) or os.path.expanduser("~")
        if fmt == "png":
            title, filter_ = self.tr("Export the graph as PNG"), self.tr("PNG images (*.png)")
        else:
            title, filter_ = self.tr("Export the graph as SVG"), self.tr("SVG drawings (*.svg)")
        path, _ = QFileDialog.getSaveFileName(self, title, os.path.join(folder, f"autograd_graph.{fmt}"), filter_)
        if path and not path.lower().endswith("." + fmt):
            path += "." + fmt
        return path
