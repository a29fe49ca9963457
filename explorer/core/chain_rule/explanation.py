"""What the chain-rule view shows for one node, as plain immutable data (floats, strings, tuples).

Built on the engine thread (or by the CLI) and handed to any reader as is; `to_json()` gives the keys the
README documents.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class SavedInfo:
    """One `_saved_*` value of the node: a tensor (shape) or a plain value (text)."""

    name: str  # as torch names it, without "_saved_": "mat1"
    shape: tuple[int, ...] | None  # None for a value that is not a tensor
    value: str  # "Tensor[2, 84]" or the value's repr ("(1, 1)")
    produced_by: str | None  # the forward step or parameter it came from ("fc2", "fc3.weight"), when known
    used: bool  # the rule reads it


@dataclass(frozen=True)
class GradientCheck:
    """One gradient the node sent on (one next_functions slot): autograd's, and the rule's recomputation."""

    slot: int
    name: str  # what it is the gradient of: "mat1 (input)"
    shape: tuple[int, ...]
    norm: float  # of autograd's gradient
    max_abs_diff: float | None  # |rule − autograd|, largest element; None where the rule gave nothing
    relative: float | None  # max_abs_diff / largest |autograd| element


@dataclass(frozen=True)
class Term:
    """One product dL/dy[j] · ∂y[j]/∂x[i] of a worked element."""

    output: int  # which output of the forward op (y₀, y₁, ...)
    index: tuple[int, ...]  # j
    grad: float  # dL/dy[j]
    factor: float  # ∂y[j]/∂x[i]
    value: float  # grad · factor


@dataclass(frozen=True)
class WorkedElement:
    """dL/dx[i] = Σⱼ dL/dy[j] · ∂y[j]/∂x[i], with the largest terms listed and the rest summed."""

    slot: int
    name: str
    index: tuple[int, ...]
    terms: tuple[Term, ...]  # the largest, by |value|
    rest_count: int  # terms not listed (non-zero ones)
    rest_sum: float
    total: float  # Σ of all terms
    rule_value: float | None  # the rule's recomputation at this element
    autograd: float  # what autograd produced


@dataclass(frozen=True)
class NumericCheck:
    """(L(x + ε) − L(x − ε)) / 2ε in float64 beside autograd's gradient for one input element.

    kind "local": L is the loss as this node sees it, Σ dL/dy · y(x) with dL/dy fixed (by the chain rule, its
    derivative is the node's share of dL/dx); kind "loss": the model's real loss, rerun in float64 with the
    parameter element moved.
    """

    kind: str
    slot: int
    index: tuple[int, ...]
    eps: float
    value: float  # the central difference
    autograd: float
    # (|value − autograd| − the rounding L's float64 value allows) / max(|autograd|, |value|, 1e-3 · largest |autograd|)
    relative: float
    kink: bool  # the one-sided slopes differ: a corner (ReLU at 0, a tie in max pooling)
    left: float
    right: float


@dataclass(frozen=True)
class NodeExplanation:
    node_id: str
    step: int | None  # backward step (0-based) the node ran as
    cls: str
    module: str | None
    param: str | None
    has_rule: bool
    rule_en: tuple[str, ...]
    rule_zh: tuple[str, ...]
    input_note: tuple[str, str] | None  # (en, zh) how the check's inputs were found, when torch did not save them
    saved: tuple[SavedInfo, ...]
    gradients_in: tuple[tuple[tuple[int, ...], float] | None, ...]  # (shape, norm) of each dL/dy
    checks: tuple[GradientCheck, ...]
    worked: WorkedElement | None
    numeric: NumericCheck | None
    problem: str | None = None  # why the rule, the worked element or the check could not be computed

    @property
    def max_relative(self) -> float | None:
        values = [c.relative for c in self.checks if c.relative is not None]
        return max(values) if values else None

    def to_json(self) -> dict:
        data = asdict(self)
        data["recompute_max_relative"] = self.max_relative
        return data
