"""What a chain rule is made of: the node's numbers as a rule reads them, and the rule itself.

A rule knows one kind of autograd node (by its grad_fn class name). It writes the node's local rule out in
English and Chinese, names the saved tensors it reads, recomputes the gradients the node sent on from those
saved tensors and the gradient that came in (never through autograd), and, where it can, gives the node's
forward as a function of its inputs so that an element can be worked through and checked by central
differences. Rules compute in float64; the explanation compares with autograd's own numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import torch
from torch import Tensor

_WRAP = 2**64  # torch hands negative saved ints (dim=-1) to Python as unsigned 64-bit values


@dataclass(frozen=True)
class NodeData:
    """One backward node as it ran: its saved values (read before backward freed them) and its gradients."""

    cls: str
    saved: Mapping[str, object]  # "_saved_" stripped: "mat1" -> Tensor, "dim" -> 1
    grad_in: tuple[Tensor | None, ...]  # dL/d(each output of the forward op), from the loss side
    grad_out: tuple[Tensor | None, ...]  # autograd's dL/d(each input), one per next_functions slot
    extra: Mapping[str, object] = field(default_factory=dict)  # e.g. an AccumulateGrad's .grad before/after

    def tensor(self, name: str) -> Tensor:
        value = self.saved.get(name)
        if not isinstance(value, Tensor):
            raise KeyError(f"{self.cls} has no saved tensor {name!r}")
        return value.detach().to(torch.float64) if value.is_floating_point() else value.detach()

    def maybe(self, name: str) -> Tensor | None:
        value = self.saved.get(name)
        return self.tensor(name) if isinstance(value, Tensor) else None

    def int(self, name: str, default: int | None = None) -> int:
        value = self.saved.get(name, default)
        if value is None:
            raise KeyError(f"{self.cls} has no saved value {name!r}")
        value = int(value)
        return value - _WRAP if value >= 2**63 else value

    def ints(self, name: str) -> tuple[int, ...]:
        value = self.saved.get(name)
        if value is None:
            return ()
        if isinstance(value, (int, float)):
            value = (value,)
        return tuple(int(v) - _WRAP if int(v) >= 2**63 else int(v) for v in value)

    def number(self, name: str, default: float = 1.0) -> float:
        value = self.saved.get(name, default)
        if isinstance(value, Tensor):
            return float(value)
        return float(default if value is None else value)

    def g(self, output: int = 0) -> Tensor:
        """dL/dy for one output of the forward op, in float64 (zeros where autograd passed None)."""
        grad = self.grad_in[output] if output < len(self.grad_in) else None
        if grad is None:
            raise KeyError(f"{self.cls}: no gradient arrived for output {output}")
        return grad.detach().to(torch.float64)

    def input_shape(self, slot: int) -> tuple[int, ...] | None:
        grad = self.grad_out[slot] if slot < len(self.grad_out) else None
        return None if grad is None else tuple(grad.shape)


@dataclass(frozen=True)
class Rule:
    """The written rule for one or more grad_fn classes.

    `slots(node)` names what each next_functions slot is the gradient of ("input", "mat1", ...).
    `backward(node)` returns the recomputed dL/d(slot) per slot (None where the rule has nothing to say).
    `inputs(node)` gives the forward op's inputs per slot (from saved tensors; stand-ins where an op is linear
    or the input can be read back from its result, explained by `input_note`), and `forward(node, xs)` the
    op's outputs from them: together they let an element be worked through and checked numerically.
    """

    classes: tuple[str, ...]
    en: tuple[str, ...]
    zh: tuple[str, ...]
    uses: tuple[str, ...]
    slots: Callable[[NodeData], Sequence[str]]
    backward: Callable[[NodeData], Sequence[Tensor | None]]
    inputs: Callable[[NodeData], Sequence[Tensor | None]] | None = None
    forward: Callable[[NodeData, Sequence[Tensor | None]], Sequence[Tensor]] | None = None
    input_note: tuple[str, str] | None = None  # (en, zh): how the check's inputs were obtained, when not saved


def fixed(*names: str) -> Callable[[NodeData], Sequence[str]]:
    return lambda node: names


def zeros_like_inputs(node: NodeData) -> list[Tensor | None]:
    """Stand-in inputs for an op that is linear in them: its Jacobian is the same at every point."""
    return [None if g is None else torch.zeros(g.shape, dtype=torch.float64) for g in node.grad_out]


LINEAR_NOTE = (
    "the op is linear in its input, so any input gives the same derivative: the check uses zeros",
    "该运算对输入是线性的，任何输入的导数都相同：检查使用全零输入",
)


def sum_to(t: Tensor, shape: Sequence[int]) -> Tensor:
    """Undo broadcasting: sum a gradient down to the shape its input had (the rule for any broadcast)."""
    shape = tuple(shape)
    while t.dim() > len(shape):
        t = t.sum(0)
    for axis, size in enumerate(shape):
        if size == 1 and t.shape[axis] != 1:
            t = t.sum(axis, keepdim=True)
    return t


def input_shape(node: NodeData, slot: int, sizes: str | None = None) -> tuple[int, ...]:
    """The shape input `slot` had: from autograd's gradient for it, else from a saved size."""
    shape = node.input_shape(slot)
    if shape is not None:
        return shape
    if sizes is not None and node.saved.get(sizes) is not None:
        return node.ints(sizes)
    raise KeyError(f"{node.cls}: the shape of input {slot} is not known")


def saved_or_zeros(node: NodeData, name: str, slot: int, sizes: str | None = None) -> Tensor:
    """A saved input, or zeros of its shape where torch did not save it (the other input needed no gradient,
    so the op is linear in what is left)."""
    value = node.maybe(name)
    return value if value is not None else torch.zeros(input_shape(node, slot, sizes), dtype=torch.float64)
