"""The gradient that flows along each edge of the autograd graph, as plain data for the graph view.

An edge u -> v carries what u sent to v: u's grad_inputs at the positions of next_functions that point at v
(summed when there are two, as for x * x). Known once u has run. Built on the engine thread, numpy only out.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from explorer.core.session import StepSession

THUMBNAIL_SIDE = 24  # a tiny picture: at most this many cells a side
THUMBNAIL_ROW = 48  # a vector, drawn as one row, may be longer


@dataclass(frozen=True)
class EdgeGradient:
    shape: tuple[int, ...]
    norm: float
    picture: np.ndarray  # 2-D float32, at most THUMBNAIL_SIDE a side (read-only)
    picture_of: str  # which part of the tensor the picture shows: "[0, 0]" (leading indices taken), "" for all
    stride: int  # every stride-th element along each side of the picture

    def __repr__(self) -> str:
        return f"EdgeGradient({list(self.shape)}, norm {self.norm:.4g})"


def thumbnail(t: torch.Tensor) -> tuple[np.ndarray, str, int]:
    """A 2-D picture of at most THUMBNAIL_SIDE² cells: the first sample (and channel) of a tensor of more
    than two dimensions, a vector as one row, every stride-th element of anything larger."""
    t = t.detach().to("cpu", torch.float32)
    lead = []
    while t.dim() > 2:
        lead.append(0)
        t = t[0]
    a = t.reshape(1, -1).numpy() if t.dim() < 2 else t.numpy()
    side = THUMBNAIL_ROW if a.shape[0] == 1 else THUMBNAIL_SIDE
    stride = max(1, -(-max(a.shape) // side))
    a = np.array(a[::stride, ::stride], dtype=np.float32, copy=True)
    a.setflags(write=False)
    return a, ("[" + ", ".join(map(str, lead)) + "]") if lead else "", stride


def edge_gradient(grad: torch.Tensor) -> EdgeGradient:
    picture, picture_of, stride = thumbnail(grad)
    return EdgeGradient(tuple(grad.shape), float(grad.detach().double().norm()), picture, picture_of, stride)


class EdgeGradients:
    """The gradients on the edges of the nodes that have run, remembered per pass (a node's never change)."""

    def __init__(self):
        self._pass = None
        self._by_node: dict[str, dict[tuple[str, str], EdgeGradient]] = {}

    def of(self, session: StepSession) -> dict[tuple[str, str], EdgeGradient]:
        if self._pass is not session.backward_steps:
            self._pass, self._by_node = session.backward_steps, {}
        if session.graph is None:
            return {}
        graph = session.graph.graph
        found: dict[tuple[str, str], EdgeGradient] = {}
        for step in session.backward_steps[: session.backward_shown]:
            edges = self._by_node.get(step.node_id)
            if edges is None:
                edges = self._by_node[step.node_id] = self._node_edges(graph, step)
            found.update(edges)
        return found

    @staticmethod
    def _node_edges(graph, step) -> dict[tuple[str, str], EdgeGradient]:
        edges = {}
        if step.node_id not in graph:
            return edges
        for target in graph.successors(step.node_id):
            grads = [step.grad_out[k] for k in graph.edges[step.node_id, target].get("slots", ())
                     if k < len(step.grad_out) and step.grad_out[k] is not None]
            if grads:
                total = grads[0] if len(grads) == 1 else torch.stack([g.detach() for g in grads]).sum(0)
                edges[(step.node_id, target)] = edge_gradient(total)
        return edges
