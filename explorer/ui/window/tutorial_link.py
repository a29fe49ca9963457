"""The guided tutorial's links to the rest of the window: the panel a step points at, the graph nodes it
highlights, and a running training that would hold the step back (the engine runs one thing at a time)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QWidget

from explorer.ui.tutorial.dock import connect_tutorial, grad_fn_chain


FLASH_STYLE = "QDockWidget::title { background: #ffd54f; }"
FLASH_MS = 900


def flash(dock: QWidget) -> None:
    """Light up a panel's title bar for a moment: "Show me" must show something even when the panel is
    already in front."""
    dock.setStyleSheet(FLASH_STYLE)
    QTimer.singleShot(FLASH_MS, dock, lambda: dock.setStyleSheet(""))


class TutorialLink(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.window = window
        dock = window.tutorial_dock
        connect_tutorial(dock, window.engine)
        dock.inspect_requested.connect(lambda *_: window.inspector_dock.raise_())
        dock.panel_requested.connect(self._on_tutorial_panel_requested)
        dock.step_started.connect(self._on_tutorial_step_started)
        dock.reconfigure_requested.connect(self._on_tutorial_reconfigure_requested)
        dock.nodes_highlighted.connect(self._on_tutorial_nodes_highlighted)
        self._chain: list[str] = []  # the grad_fn chain to ring once the graph view shows it
        window.snapshot_shown.connect(self._on_window_snapshot_shown)

    def show(self) -> None:
        w, dock = self.window, self.window.tutorial_dock
        if dock.isHidden():
            dock.show()
            w.resizeDocks([dock], [max(460, w.width() // 4)], Qt.Orientation.Horizontal)
        dock.raise_()
        if not dock.started:
            dock.run_step()  # the first cell, on the page's own data and update rule

    def _on_tutorial_step_started(self) -> None:
        if self.window.training_state.phase == "running":
            self.window.engine.pause()
            self.window.statusBar().showMessage(self.tr("Training paused to run the tutorial's step."), 8000)

    def _on_tutorial_reconfigure_requested(self, changes: dict) -> None:
        self.window.statusBar().showMessage(self.tr(
            "The guided walk switched to the page's own setup: data 'tutorial' (one random input, target 1..10), "
            "MSELoss, the plain update rule, lr 0.01"), 10000)

    def _on_tutorial_panel_requested(self, name: str) -> None:
        dock = self.window.findChild(QWidget, name)
        if dock is not None:
            dock.show()
            dock.raise_()
            flash(dock)

    def _on_tutorial_nodes_highlighted(self, node_ids: list) -> None:
        # the walk hears of the graph before the window has drawn it: ring the chain once the view has it
        self._chain = list(node_ids)
        self._on_window_snapshot_shown()

    def _on_window_snapshot_shown(self, _snapshot=None) -> None:
        view = self.window.graph_dock.view
        if not self._chain or grad_fn_chain(view.picture, len(self._chain)) != self._chain:
            return  # the graph on show is not yet the one the chain was read from
        chain, self._chain = self._chain, []
        self.window.graph_dock.raise_()
        view.highlight_nodes(chain)
        view.select_node(chain[-1])
        self.window.engine.inspect("node", chain[-1])
