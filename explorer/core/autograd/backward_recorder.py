"""Record one real backward pass, one step per autograd node, in the order the engine ran them.

A hook on every node of the traced graph (torch.autograd.graph.Node.register_hook) fires right after that
node ran, with the gradients that came in (grad_outputs, from the loss side) and the ones it sent on
(grad_inputs, towards its next_functions). AccumulateGrad nodes send nothing on: their incoming gradient is
the parameter's gradient.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import torch

from explorer.core.autograd.graph import AutogradGraph
from explorer.core.wording import node_title


@dataclass(frozen=True)
class BackwardStep:
    """One autograd node as it ran, with the real gradients it saw."""

    index: int
    node_id: str  # id in the AutogradGraph
    cls: str  # "AddmmBackward0"
    module: str | None  # module that created the node ("fc2"); "" is the model itself
    param: str | None  # for AccumulateGrad: the parameter it writes ("conv1.bias")
    grad_in: tuple[torch.Tensor | None, ...]  # arriving from the loss side (the node's grad_outputs)
    grad_out: tuple[torch.Tensor | None, ...]  # sent on towards the inputs (the node's grad_inputs)
    # the node's `_saved_*` values ("_saved_" stripped) as they stood just before it ran (kept only on request)
    saved: dict[str, object] = field(default_factory=dict, compare=False, repr=False)

    @property
    def title(self) -> str:
        return node_title(self.cls, self.module, self.param)

    def __repr__(self) -> str:
        return f"BackwardStep({self.index}: {self.node_id} {self.title})"


def _copies(grads) -> tuple[torch.Tensor | None, ...]:
    return tuple(None if g is None else g.detach().clone() for g in grads)


def read_saved(node) -> dict[str, object]:
    """A node's `_saved_*` values: tensors detached (a saved leaf, which an optimizer changes in place later, is
    copied), other values as Python gives them. Only before the node has run: backward frees them."""
    values: dict[str, object] = {}
    for attribute in dir(node):
        if not attribute.startswith("_saved_"):
            continue
        try:
            value = getattr(node, attribute)
        except Exception:  # a value torch cannot hand to Python
            continue
        if isinstance(value, torch.Tensor):
            value = value.detach().clone() if value.is_leaf and value.requires_grad else value.detach()
        values[attribute[len("_saved_"):]] = value
    return values


def run_recorded_backward(graph: AutogradGraph, root: torch.Tensor, gradient: torch.Tensor | None = None,
                          keep_saved: bool = False) -> list[BackwardStep]:
    """Run root.backward(gradient) with a hook on every node; return the steps in execution order.

    With keep_saved, each step also holds the node's saved tensors, read by a pre-hook just before it ran (the
    chain-rule view recomputes the node's gradients from them)."""
    steps: list[BackwardStep] = []
    attrs = graph.graph.nodes
    handles = []
    saved_by_id: dict[str, dict[str, object]] = {}

    def hook_for(node_id: str):
        def hook(grad_inputs, grad_outputs):
            a = attrs[node_id]
            steps.append(
                BackwardStep(
                    len(steps), node_id, a["cls"], a.get("module"), a.get("param"),
                    _copies(grad_outputs), _copies(grad_inputs), saved_by_id.pop(node_id, {}),
                )
            )

        return hook

    try:
        for node_id, node in graph.nodes.items():
            handles.append(node.register_hook(hook_for(node_id)))
            if keep_saved:
                handles.append(node.register_prehook(
                    lambda grad_outputs, node_id=node_id, node=node: saved_by_id.__setitem__(node_id, read_saved(node))))
        root.backward(gradient)
    finally:
        for h in handles:
            h.remove()
    return steps
