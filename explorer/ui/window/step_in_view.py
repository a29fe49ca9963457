"""After a step the user asked for, the panels turn to what ran: the Inspector shows it (unless pinned), and
going backward brings the Autograd graph to the front when the Training curves tab hides it.

Only the user's own moves (toolbar, menu, shortcuts) do this: the guided walk asks for its own tensor after
its moves, and the inspector keeps that one while the walk's step is on show.
"""

from __future__ import annotations

from explorer.core.snapshot import SessionSnapshot


class StepInView:
    def __init__(self, window):
        self.window = window

    def after_move(self, snapshot: SessionSnapshot) -> None:
        w = self.window
        walk = w.tutorial_dock
        # the guided walk's own tensor stays while the inspector shows it (its result is read from it)
        keeps_walk_tensor = walk.isVisible() and walk.step.inspect is not None \
            and w.inspector_dock.target == tuple(walk.step.inspect)
        if not keeps_walk_tensor:
            w.inspector_dock.follow(snapshot)
        if snapshot.phase in ("loss computed", "backward", "backward done") and snapshot.graph is not None:
            graph = w.graph_dock
            # a dock behind another tab is hidden but not closed; one the user closed stays closed
            if not graph.isVisible() and graph.toggleViewAction().isChecked():
                graph.raise_()
