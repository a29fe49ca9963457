"""The chain rule for the nodes of a stepping session's recorded backward pass."""

from __future__ import annotations

import copy
from collections.abc import Sequence

import torch
import torch.nn as nn

from explorer.core.autograd.backward_recorder import BackwardStep
from explorer.core.chain_rule.explain import LossAt, explain_node
from explorer.core.chain_rule.explanation import NodeExplanation
from explorer.core.chain_rule.registry import ACCUMULATE_GRAD
from explorer.core.chain_rule.rule import NodeData
from explorer.core.models import primary_output
from explorer.core.session import LOSS_MODULE, Phase, StepSession


class ExplainError(Exception):
    """The node cannot be explained now (not run yet, no pass); the message says why."""


def step_for(session: StepSession, node_id: str) -> BackwardStep:
    for step in session.backward_steps[: session.backward_shown]:
        if step.node_id == node_id:
            return step
    if session.graph is None or node_id not in session.graph.graph:
        raise ExplainError(f"no node {node_id!r} in the current autograd graph")
    raise ExplainError(f"node {node_id} has not run yet at this step of the backward pass")


def node_data(session: StepSession, step: BackwardStep) -> NodeData:
    extra = {}
    if step.cls == ACCUMULATE_GRAD and step.param in session.named_parameters:
        extra = {"grad_before": session.grad_before_backward(step.param),
                 "grad_after": session.grads_after_backward.get(step.param)}
    return NodeData(step.cls, step.saved, step.grad_in, step.grad_out, extra)


def explain_session_node(session: StepSession, node_id: str, *, slot: int | None = None,
                         index: Sequence[int] | None = None, numeric: bool = True) -> NodeExplanation:
    """The chain rule at one node that has run; the element (slot, index) or the largest by default."""
    step = step_for(session, node_id)
    loss_at = _parameter_loss(session, step.param) if numeric and step.cls == ACCUMULATE_GRAD else None
    return explain_node(
        node_data(session, step), node_id=node_id, step=step.index, module=step.module, param=step.param,
        slot=slot, index=index, numeric=numeric, produced_by=_sources(session, step), loss_at=loss_at,
    )


def explain_all(session: StepSession, numeric: bool = True) -> list[NodeExplanation]:
    return [explain_session_node(session, s.node_id, numeric=numeric) for s in session.backward_steps[: session.backward_shown]]


def _sources(session: StepSession, step: BackwardStep) -> dict[str, str]:
    """Which forward step or parameter each saved tensor came from: by storage for views of parameters, by
    value for the rest (the forward recorder kept copies)."""
    params = session.named_parameters
    candidates: list[tuple[str, torch.Tensor]] = [("input", session.inputs), ("target", session.targets)]
    candidates += [(s.title, t) for s in session.forward_steps for t in s.outputs if isinstance(t, torch.Tensor)]
    found = {}
    for name, value in step.saved.items():
        if not isinstance(value, torch.Tensor) or value.numel() == 0:
            continue
        for pname, p in params.items():
            if value.numel() == p.numel() and (value.data_ptr() == p.data_ptr() or _same(value, p) or (p.dim() == 2 and _same(value, p.T))):
                found[name] = pname if value.shape == p.shape else f"{pname}ᵀ" if value.dim() == 2 else pname
                break
        else:
            for title, t in candidates:
                if _same(value, t):
                    found[name] = title
                    break
            else:  # made inside the op itself (a result, indices, statistics): the op's own module
                if step.module is not None:
                    found[name] = step.module or "forward"
    return found


def _same(a: torch.Tensor, b: torch.Tensor) -> bool:
    return tuple(a.shape) == tuple(b.shape) and a.dtype == b.dtype and bool(torch.equal(a.detach(), b.detach()))


def _parameter_loss(session: StepSession, name: str | None) -> LossAt | None:
    """The real loss with one element of parameter `name` moved, rerun in float64 on a copy of the model; None
    where that would not reproduce this pass (weights changed since, dropout draws new masks, no loss)."""
    if name not in session.named_parameters or session.backward_root != LOSS_MODULE:
        return None
    if session.phase not in (Phase.BACKWARD, Phase.BACKWARD_DONE):
        return None
    if any(isinstance(m, nn.modules.dropout._DropoutNd) and m.training and m.p > 0 for m in session.model.modules()):
        return None
    try:
        model = copy.deepcopy(session.model).to(torch.float64)
    except Exception:
        return None
    param = dict(model.named_parameters())[name]
    inputs = session.inputs.to(torch.float64) if session.inputs.is_floating_point() else session.inputs
    targets = session.targets.to(torch.float64) if session.targets.is_floating_point() else session.targets
    loss_fn = session.data.loss_fn

    def loss_at(index, delta: float) -> float:
        with torch.no_grad():
            original = float(param[index])
            param[index] = original + delta
            try:
                return float(loss_fn(primary_output(model(inputs.clone())), targets))
            finally:
                param[index] = original

    return loss_at
