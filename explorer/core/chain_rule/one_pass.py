"""One forward + loss + backward of a stepping session, explained node by node (for `explorer explain`)."""

from __future__ import annotations

from dataclasses import replace

import torch

from explorer.core.chain_rule.explanation import NodeExplanation
from explorer.core.chain_rule.session_nodes import explain_all, explain_session_node
from explorer.core.session import StepSession


def in_float64(session: StepSession) -> StepSession:
    """The session's model and current batch in float64, nothing computed: autograd's own rounding then sits far
    below the differences the rules are checked to (float32 sums of a few thousand terms differ by ~1e-6)."""
    session.model.to(torch.float64)
    def wide(t):
        return None if t is None or not t.is_floating_point() else t.to(torch.float64)
    d = session.data
    session.data = replace(d, train_x=wide(d.train_x), train_y=d.train_y if not d.train_y.is_floating_point() else wide(d.train_y),
                           test_x=wide(d.test_x), test_y=d.test_y if d.test_y is None or not d.test_y.is_floating_point() else wide(d.test_y))
    session.inputs = wide(session.inputs) if session.inputs.is_floating_point() else session.inputs
    session.targets = wide(session.targets) if session.targets.is_floating_point() else session.targets
    session.weights_changed()
    return session


def run_pass(session: StepSession) -> StepSession:
    """Forward, loss and the whole backward pass, recorded."""
    session.run_forward()
    session.compute_loss()
    session.run_backward()
    return session


def explain_pass(session: StepSession, node: str | None = None, numeric: bool = True) -> list[NodeExplanation]:
    """Every node of the pass in the order backward ran them, or only `node` (an id "n3" or a step number "4")."""
    if node is None:
        return explain_all(session, numeric=numeric)
    steps = session.backward_steps
    if node.isdigit():
        number = int(node)
        if not 1 <= number <= len(steps):
            raise KeyError(f"backward step {number} does not exist: the pass has steps 1 to {len(steps)}")
        node = steps[number - 1].node_id
    return [explain_session_node(session, node, numeric=numeric)]
