"""The Autograd graph dock: the graph view, a row of view and export commands, and a colour legend."""

from __future__ import annotations

import html
import os
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QFileDialog, QLabel, QMessageBox, QToolBar, QVBoxLayout, QWidget

from explorer.core.snapshot import SessionSnapshot
from explorer.ui.graph_view import CURRENT_COLOR, DONE_COLOR, AutogradGraphView
from explorer.ui.palette import module_color, text_color_for

LAST_EXPORT_DIR_KEY = "graph/last_export_dir"


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
        self.fit_action = self._action(self.tr("Fit"), self.tr("Show the whole graph"), self.view.fit)
        self.zoom_in_action = self._action(self.tr("Zoom in"), self.tr("Zoom in (or use the mouse wheel)"),
                                           self.view.zoom_in, QKeySequence.StandardKey.ZoomIn)
        self.zoom_out_action = self._action(self.tr("Zoom out"), self.tr("Zoom out (or use the mouse wheel)"),
                                            self.view.zoom_out, QKeySequence.StandardKey.ZoomOut)
        self.toolbar.addSeparator()
        self.export_png_action = self._action(self.tr("Export PNG..."), self.tr("Save the whole graph as a PNG image"),
                                              self._on_export_png_triggered)
        self.export_svg_action = self._action(self.tr("Export SVG..."), self.tr("Save the whole graph as an SVG drawing"),
                                              self._on_export_svg_triggered)
        for action in (self.zoom_in_action, self.zoom_out_action):
            body.addAction(action)  # the shortcuts work wherever focus is inside the dock

        self.legend = QLabel(body)
        self.legend.setWordWrap(True)
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        # white like the graph, so the light-grey chips of "forward" and "loss" show
        self.legend.setStyleSheet("QLabel { background: white; border-top: 1px solid #d0d0d0; padding: 3px 4px; }")

        layout.addWidget(self.toolbar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.legend)
        self.setWidget(body)

        self.view.node_clicked.connect(self._on_view_node_clicked)
        self.view.graph_changed.connect(self._on_view_graph_changed)
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

    # ----- snapshots ---------------------------------------------------------------------------------
    def set_snapshot(self, snapshot: SessionSnapshot) -> None:
        self.view.set_snapshot(snapshot)

    def _on_view_graph_changed(self) -> None:
        has_graph = bool(self.view.node_items)
        for action in (self.fit_action, self.zoom_in_action, self.zoom_out_action,
                       self.export_png_action, self.export_svg_action):
            action.setEnabled(has_graph)
        self.legend.setText(self._legend_html())
        self.legend.setVisible(has_graph)

    def _legend_html(self) -> str:
        """Chips in each module's colour (in graph order), then what the marks mean."""
        modules: list[str | None] = []
        picture = self.view.picture
        for node_id in picture.node_ids if picture is not None else ():
            module = picture.attrs.get(node_id, {}).get("module")
            if module not in modules:
                modules.append(module)
        chips = []
        for module in modules:
            if module is None:
                continue
            name = self.tr("forward") if module == "" else module
            fill = module_color(module)
            chips.append(f'<span style="background-color:{fill.name()}; color:{text_color_for(fill).name()};">'
                         f"&nbsp;{html.escape(name)}&nbsp;</span>")
        colours = html.escape(self.tr("Colour: module that made the node"))
        done = f'<b style="color:{DONE_COLOR.name()};">\u2713 {html.escape(self.tr("done"))}</b>'
        current = f'<b style="color:{CURRENT_COLOR.name()};">\u25a0 {html.escape(self.tr("running now"))}</b>'
        arrows = html.escape(self.tr("arrows: the way gradients flow"))
        sep = " &nbsp;&middot;&nbsp; "
        line = colours + (" " + " ".join(chips) if chips else "") + sep + done + sep + current + sep + arrows
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
