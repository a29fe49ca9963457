"""What the inspector and the graph read out is what torch says: std as tensor.std() prints it, hook names as
torch's, saved integers as written, and no move that would make a backward being stepped through jump to its end."""

import pytest
import torch
import torch.nn as nn

from explorer.core.autograd.graph import trace_graph
from explorer.core.moves import Move
from explorer.core.session import SessionConfig, SessionError, StepSession
from explorer.core.snapshot import inspect, tensor_view


def test_std_is_torchs_default_sample_value():
    t = torch.tensor([1.0, 2.0, 3.0, 4.0])
    assert tensor_view("t", t).stats.std == pytest.approx(float(t.std()))  # 1.291, not the population 1.118


def test_a_saved_ignore_index_reads_minus_100():
    logits = torch.randn(3, 5, requires_grad=True)
    loss = nn.CrossEntropyLoss()(logits, torch.tensor([1, 2, 3]))
    graph = trace_graph(loss)
    saved = dict(item for _, attrs in graph.graph.nodes(data=True) for item in map(tuple, attrs.get("saved") or ()))
    assert saved["ignore_index"] == "-100"
    assert "18446744073709551516" not in str(saved)


def test_a_nodes_gradients_carry_torchs_hook_names():
    session = StepSession(SessionConfig(dataset="tutorial"))
    for move in (Move.RUN_FORWARD, Move.LOSS, Move.STEP_BACKWARD):
        session.apply(move)
    node = session.current_backward_step.node_id
    labels = [v.label for v in inspect(session, "node", node).views if v is not None]
    assert labels[0] == "grad_outputs[0] (in, from the loss side)"
    assert any(label.startswith("grad_inputs[") for label in labels)


def test_next_batch_mid_backward_is_refused_with_the_reason():
    session = StepSession(SessionConfig(dataset="digits", batch_size=2))
    for move in (Move.RUN_FORWARD, Move.LOSS, Move.STEP_BACKWARD):
        session.apply(move)
    assert Move.NEXT_BATCH not in session.legal_moves()
    with pytest.raises(SessionError, match="finish the backward pass in progress first"):
        session.apply(Move.NEXT_BATCH)
    assert session.phase.value == "backward" and session.backward_shown == 1
    session.apply(Move.RUN_BACKWARD)
    session.apply(Move.NEXT_BATCH)  # legal again once the backward has ended visibly
    assert session.batch_index == 1
