"""Explain one backward node: recompute its gradients from its rule, work one element, check it numerically."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
import torch
from torch import Tensor

from explorer.core.chain_rule.explanation import (
    GradientCheck, NodeExplanation, NumericCheck, SavedInfo, Term, WorkedElement,
)
from explorer.core.chain_rule.registry import ACCUMULATE_GRAD, rule_for
from explorer.core.chain_rule.rule import NodeData, Rule

LISTED_TERMS = 4
_TINY = 1e-30

# A leaf's loss as a function of one of its elements moved by delta, in float64 (given by whoever holds the model).
LossAt = Callable[[tuple[int, ...], float], float]

ACCUMULATE_EN = ("p.grad = p.grad + dL/dp   (None counts as 0)",
                 "the leaf keeps the sum of every gradient that reached it: a weight used twice gets both")
ACCUMULATE_ZH = ("p.grad = p.grad + dL/dp   （None 视为 0）",
                 "叶子张量保存到达它的所有梯度之和：被使用两次的权重得到两份梯度")
NO_RULE_EN = ("no written rule for this node: its gradients are shown as autograd computed them",)
NO_RULE_ZH = ("这个节点没有写出的规则：它的梯度按自动求导的计算结果显示",)


def explain_node(
    node: NodeData,
    *,
    node_id: str = "",
    step: int | None = None,
    module: str | None = None,
    param: str | None = None,
    slot: int | None = None,
    index: Sequence[int] | None = None,
    numeric: bool = True,
    produced_by: Mapping[str, str] | None = None,
    loss_at: LossAt | None = None,
) -> NodeExplanation:
    """The chain rule at `node`. The worked element is (slot, index), or the largest |dL/dx| by default."""
    rule = rule_for(node.cls)
    saved = _saved_infos(node, rule, produced_by or {})
    gradients_in = tuple(None if g is None else (tuple(g.shape), float(g.double().norm())) for g in node.grad_in)
    base = dict(node_id=node_id, step=step, cls=node.cls, module=module, param=param, saved=saved, gradients_in=gradients_in)
    if node.cls == ACCUMULATE_GRAD:
        return _explain_accumulate(node, base, index, numeric, loss_at)
    if rule is None:
        return NodeExplanation(**base, has_rule=False, rule_en=NO_RULE_EN, rule_zh=NO_RULE_ZH, input_note=None,
                               checks=_checks(node, None, _slot_names(node, None)), worked=None, numeric=None)
    problem = None
    names = _slot_names(node, rule)
    try:
        recomputed = list(rule.backward(node))
    except Exception as exc:  # a variant the rule does not cover (ceil_mode, dropout in attention, ...)
        recomputed, problem = None, f"the rule does not cover this case: {exc}"
    checks = _checks(node, recomputed, names)
    slot, index = _choose(node, slot, index)
    worked = check = None
    if slot is not None and rule.forward is not None and rule.inputs is not None:
        try:
            inputs = [None if x is None else x.detach().to(torch.float64) for x in rule.inputs(node)]
            rule_value = None if not recomputed or recomputed[slot] is None else float(recomputed[slot][index])
            worked = _worked(node, rule, inputs, slot, names[slot], index, rule_value)
            if numeric:
                check = _numeric_local(node, rule, inputs, slot, index)
        except Exception as exc:
            problem = (problem + "; " if problem else "") + f"no worked element: {type(exc).__name__}: {exc}"
    return NodeExplanation(**base, has_rule=True, rule_en=rule.en, rule_zh=rule.zh, input_note=rule.input_note,
                           checks=checks, worked=worked, numeric=check, problem=problem)


def _slot_names(node: NodeData, rule: Rule | None) -> list[str]:
    names = list(rule.slots(node)) if rule is not None else []
    return names + [f"input {k}" for k in range(len(names), len(node.grad_out))]


def _saved_infos(node: NodeData, rule: Rule | None, produced_by: Mapping[str, str]) -> tuple[SavedInfo, ...]:
    used = set(rule.uses) if rule is not None else set()
    infos = []
    for name, value in node.saved.items():
        if isinstance(value, Tensor):
            infos.append(SavedInfo(name, tuple(value.shape), f"Tensor{list(value.shape)}", produced_by.get(name), name in used))
        else:
            if isinstance(value, int) and value >= 2**63:  # torch hands -1 (and -100) out as unsigned
                value -= 2**64
            text = repr(value)
            infos.append(SavedInfo(name, None, text if len(text) <= 80 else text[:77] + "...", None, name in used))
    return tuple(infos)


def _checks(node: NodeData, recomputed, names) -> tuple[GradientCheck, ...]:
    checks = []
    for k, got in enumerate(node.grad_out):
        if got is None:
            continue
        auto = got.detach().double()
        mine = None if recomputed is None or k >= len(recomputed) else recomputed[k]
        diff = rel = None
        if mine is not None and tuple(mine.shape) == tuple(auto.shape):
            diff = float((mine.double() - auto).abs().max()) if auto.numel() else 0.0
            rel = diff / max(float(auto.abs().max()) if auto.numel() else 0.0, _TINY)
        elif mine is not None:
            diff = rel = float("inf")  # the rule gave a tensor of another shape: it is wrong here
        checks.append(GradientCheck(k, names[k], tuple(auto.shape), float(auto.norm()), diff, rel))
    return tuple(checks)


def _choose(node: NodeData, slot, index):
    if slot is None:
        slots = [k for k, g in enumerate(node.grad_out) if g is not None and g.numel()]
        if not slots:
            return None, None
        slot = slots[0]
    grad = node.grad_out[slot] if slot < len(node.grad_out) else None
    if grad is None:
        return None, None
    if index is None:
        flat = int(grad.detach().abs().reshape(-1).argmax()) if grad.numel() else 0
        index = tuple(int(i) for i in torch.unravel_index(torch.tensor(flat), grad.shape)) if grad.dim() else ()
    return slot, tuple(int(i) for i in index)


def _local_loss(node: NodeData, rule: Rule, inputs, slot: int) -> Callable[[Tensor], Tensor]:
    """x ↦ Σₖ Σ dL/dyₖ · yₖ(x): the loss as this node sees it, the gradients that came in held fixed."""
    def loss(x: Tensor) -> Tensor:
        xs = list(inputs)
        xs[slot] = x
        total = torch.zeros((), dtype=torch.float64)
        for k, y in enumerate(rule.forward(node, xs)):
            if y is not None and k < len(node.grad_in) and node.grad_in[k] is not None:
                total = total + (node.g(k) * y).sum()
        return total
    return loss


def _worked(node, rule, inputs, slot, name, index, rule_value) -> WorkedElement:
    """The element's Jacobian column (one forward-mode pass) times dL/dy: every term of the chain-rule sum."""
    x = inputs[slot]
    tangent = torch.zeros_like(x)
    tangent[index] = 1.0

    def outputs(v):
        xs = list(inputs)
        xs[slot] = v
        return tuple(rule.forward(node, xs))

    _, columns = torch.func.jvp(outputs, (x,), (tangent,))
    # every product that adds something, as tensors: a conv weight's element has ~10⁴ terms at batch 16, and
    # one Python object per term took 3 s; only the listed ones become Terms
    kept = [k for k in range(len(columns)) if k < len(node.grad_in) and node.grad_in[k] is not None]
    products = [(node.g(k) * columns[k]).reshape(-1) for k in kept]
    flats = [torch.nonzero(p != 0).reshape(-1) for p in products]
    values = torch.cat([p[f] for p, f in zip(products, flats)]) if kept else torch.zeros(0, dtype=torch.float64)
    owners = torch.cat([torch.full_like(f, i) for i, f in enumerate(flats)]) if kept else torch.zeros(0, dtype=torch.long)
    positions = torch.cat(flats) if kept else torch.zeros(0, dtype=torch.long)
    order = torch.sort(-values.abs(), stable=True).indices  # largest first, ties in index order
    listed = []
    for n in order[:LISTED_TERMS].tolist():
        k, column = kept[int(owners[n])], columns[kept[int(owners[n])]]
        j = tuple(int(i) for i in np.unravel_index(int(positions[n]), tuple(column.shape))) if column.dim() else ()
        listed.append(Term(k, j, float(node.g(k)[j]), float(column[j]), float(values[n])))
    rest = values[order[LISTED_TERMS:]]
    autograd = float(node.grad_out[slot].detach().double()[index])
    return WorkedElement(slot, name, index, tuple(listed), int(rest.numel()), float(rest.sum()),
                         float(values.sum()), rule_value, autograd)


def _numeric_local(node, rule, inputs, slot, index) -> NumericCheck:
    loss = _local_loss(node, rule, inputs, slot)
    x = inputs[slot]
    return _central(lambda delta: float(loss(_moved(x, index, delta))), node.grad_out[slot], slot, index, float(x[index]), "local")


def _moved(x: Tensor, index, delta: float) -> Tensor:
    y = x.clone()
    y[index] += delta
    return y


def _central(loss: Callable[[float], float], grad: Tensor, slot, index, at: float, kind: str) -> NumericCheck:
    eps = 1e-6 * max(1.0, abs(at))
    plus, minus, middle = loss(eps), loss(-eps), loss(0.0)
    value = (plus - minus) / (2 * eps)
    right, left = (plus - middle) / eps, (middle - minus) / eps
    auto = float(grad.detach().double()[index])
    scale = float(grad.detach().double().abs().max()) if grad.numel() else 0.0
    # float64 rounding of L itself limits what a difference quotient can resolve (an exact 0, such as a bias
    # before batch norm, comes back from autograd as 1e-16): only the difference beyond it counts
    resolution = 4 * 2.2e-16 * max(abs(plus), abs(minus), abs(middle)) / eps
    relative = max(abs(value - auto) - resolution, 0.0) / max(abs(auto), abs(value), 1e-3 * scale, _TINY)
    kink = abs(right - left) > 1e-3 * max(abs(right), abs(left), 1e-3 * scale, _TINY)
    return NumericCheck(kind, slot, tuple(index), eps, value, auto, relative, kink, left, right)


def _explain_accumulate(node: NodeData, base, index, numeric, loss_at) -> NodeExplanation:
    g = node.grad_in[0] if node.grad_in else None
    before, after = node.extra.get("grad_before"), node.extra.get("grad_after")
    checks, worked, check = [], None, None
    if g is not None:
        g64 = g.detach().double()
        if after is not None:
            old = torch.zeros_like(g64) if before is None else before.detach().double()
            diff = float((old + g64 - after.detach().double()).abs().max()) if g64.numel() else 0.0
            checks.append(GradientCheck(0, "p.grad", tuple(g.shape), float(after.detach().double().norm()), diff,
                                        diff / max(float(after.detach().double().abs().max()), _TINY)))
        _, index = _choose(NodeData(node.cls, {}, (), (g,)), 0, index)
        old_value = 0.0 if before is None else float(before.detach().double()[index])
        # the rest of the sum is the .grad the leaf held before (zero_grad's zeros, or None)
        worked = WorkedElement(0, "p.grad", index, (Term(0, index, float(g64[index]), 1.0, float(g64[index])),),
                               0 if before is None else 1, old_value,
                               float(g64[index]) + old_value, float(g64[index]) + old_value,
                               float(after.detach().double()[index]) if after is not None else float(g64[index]) + old_value)
        if numeric and loss_at is not None:
            check = _central(lambda delta: loss_at(index, delta), g, 0, index, 0.0, "loss")
    return NodeExplanation(**base, has_rule=True, rule_en=ACCUMULATE_EN, rule_zh=ACCUMULATE_ZH, input_note=None,
                           checks=tuple(checks), worked=worked, numeric=check)
