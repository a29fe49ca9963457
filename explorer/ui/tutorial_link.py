"""The guided tutorial's links to the rest of the window: the panel a step points at, the graph nodes it
highlights, and a running training that would hold the step back (the engine runs one thing at a time)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QWidget

from explorer.ui.tutorial.dock import connect_tutorial


class TutorialLink(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.window = window
        dock = window.tutorial_dock
        connect_tutorial(dock, window.engine)
        dock.inspect_requested.connect(lambda *_: window.inspector_dock.raise_())
        dock.panel_requested.connect(self._on_tutorial_panel_requested)
        dock.step_started.connect(self._on_tutorial_step_started)
        dock.nodes_highlighted.connect(self._on_tutorial_nodes_highlighted)

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

    def _on_tutorial_panel_requested(self, name: str) -> None:
        dock = self.window.findChild(QWidget, name)
        if dock is not None:
            dock.show()
            dock.raise_()

    def _on_tutorial_nodes_highlighted(self, node_ids: list) -> None:
        self.window.graph_dock.view.select_node(node_ids[-1])
        self.window.engine.inspect("node", node_ids[-1])
