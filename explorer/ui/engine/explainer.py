"""The chain rule at one backward node, computed on the engine thread for the Inspector's Chain rule view.

A second object on the engine's thread (the Engine owns the session; this only reads it there), so picking an
element or checking numerically queues behind the moves asked for before it, like every other request.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal, Slot

from explorer.core.chain_rule.session_nodes import ExplainError, explain_session_node


class Explainer(QObject):
    explained = Signal(object)  # NodeExplanation
    failed = Signal(str)  # a user-facing message; nothing changed

    def __init__(self, engine):
        super().__init__()
        self.engine = engine

    @Slot(str, object, object, bool)
    def explain(self, node_id: str, slot: int | None, index: tuple | None, numeric: bool) -> None:
        """The chain rule at a node that has run, worked at (slot, index); `numeric` adds the float64 check."""
        session = self.engine.session
        if session is None:
            return
        try:
            self.explained.emit(explain_session_node(session, node_id, slot=slot, index=index, numeric=numeric))
        except ExplainError as exc:
            self.failed.emit(str(exc))
        except Exception as exc:  # a user's op the rules trip over: say so, keep the session
            self.failed.emit(f"cannot explain node {node_id}: {type(exc).__name__}: {exc}")
