"""Arithmetic element by element: Add, Sub, Mul, Div, Neg, Pow, Exp, Log, Abs, Sqrt. Broadcast inputs get their
gradient summed back to their own shape (see rule.sum_to)."""

from __future__ import annotations

import torch

from explorer.core.chain_rule.rule import LINEAR_NOTE, NodeData, Rule, fixed, input_shape, saved_or_zeros, sum_to, zeros_like_inputs

_BROADCAST_EN = "(an input that was broadcast gets its gradient summed over the copies)"
_BROADCAST_ZH = "（被广播的输入，其梯度要在各副本上求和）"


def _shaped(n: NodeData, slot: int, t: torch.Tensor):
    shape = n.input_shape(slot)
    return None if shape is None else sum_to(t, shape)


def _mul_inputs(n: NodeData):
    return [saved_or_zeros(n, "self", 0), saved_or_zeros(n, "other", 1)]


def _div_backward(n: NodeData):
    g = n.g()
    other = n.tensor("other")
    self_ = n.maybe("self")
    return [_shaped(n, 0, g / other), None if self_ is None else _shaped(n, 1, -g * self_ / other**2)]


def _exp_input(n: NodeData):
    return [n.tensor("result").log()]


def _sign(x):
    return torch.sign(x)


RULES = (
    Rule(
        ("AddBackward0", "AddBackward1", "SubBackward0", "SubBackward1"),
        en=("y = self + α·other   (Sub: y = self − α·other; a number as other gets no gradient)",
            "dL/dself = dL/dy,   dL/dother = ±α · dL/dy   " + _BROADCAST_EN,
            "a skip connection's + hands the same gradient to both paths"),
        zh=("y = self + α·other   （Sub：y = self − α·other；other 为常数时不求梯度）",
            "dL/dself = dL/dy，  dL/dother = ±α · dL/dy   " + _BROADCAST_ZH,
            "残差连接处的 + 把同一个梯度交给两条路径"),
        uses=("alpha",),
        slots=lambda n: ["self", "other"][: len(n.grad_out)],
        backward=lambda n: [_shaped(n, 0, n.g())] + (
            [_shaped(n, 1, (-1 if n.cls.startswith("Sub") else 1) * n.number("alpha") * n.g())] if len(n.grad_out) > 1 else []),
        inputs=zeros_like_inputs,
        forward=lambda n, xs: (xs[0] + (-1 if n.cls.startswith("Sub") else 1) * n.number("alpha") * xs[1]
                               if len(xs) > 1 and xs[1] is not None else xs[0],),
        input_note=LINEAR_NOTE,
    ),
    Rule(
        ("MulBackward0",),
        en=("y = self · other   (element by element; dropout on the CPU is this, with other = mask / (1 − p))",
            "dL/dself = dL/dy · other,   dL/dother = dL/dy · self   " + _BROADCAST_EN),
        zh=("y = self · other   （逐元素；CPU 上的 dropout 就是它，other = mask / (1 − p)）",
            "dL/dself = dL/dy · other，  dL/dother = dL/dy · self   " + _BROADCAST_ZH),
        uses=("self", "other"),
        slots=fixed("self", "other"),
        backward=lambda n: [None if n.maybe("other") is None else _shaped(n, 0, n.g() * n.tensor("other")),
                            None if n.maybe("self") is None else _shaped(n, 1, n.g() * n.tensor("self"))],
        inputs=_mul_inputs,
        forward=lambda n, xs: (xs[0] * xs[1],),
    ),
    Rule(
        ("MulBackward1",),
        en=("y = c · x   (c a number)", "dL/dx = c · dL/dy"),
        zh=("y = c · x   （c 是常数）", "dL/dx = c · dL/dy"),
        uses=("other",),
        slots=fixed("input"),
        backward=lambda n: [n.g() * n.number("other")],
        inputs=zeros_like_inputs,
        forward=lambda n, xs: (xs[0] * n.number("other"),),
        input_note=LINEAR_NOTE,
    ),
    Rule(
        ("DivBackward0",),
        en=("y = self / other", "dL/dself = dL/dy / other,   dL/dother = −dL/dy · self / other²   " + _BROADCAST_EN),
        zh=("y = self / other", "dL/dself = dL/dy / other，  dL/dother = −dL/dy · self / other²   " + _BROADCAST_ZH),
        uses=("self", "other"),
        slots=fixed("self", "other"),
        backward=_div_backward,
        inputs=lambda n: [saved_or_zeros(n, "self", 0), n.tensor("other")],
        forward=lambda n, xs: (xs[0] / xs[1],),
    ),
    Rule(
        ("DivBackward1",),
        en=("y = x / c   (c a number)", "dL/dx = dL/dy / c"),
        zh=("y = x / c   （c 是常数）", "dL/dx = dL/dy / c"),
        uses=("other",),
        slots=fixed("input"),
        backward=lambda n: [n.g() / n.number("other")],
        inputs=zeros_like_inputs,
        forward=lambda n, xs: (xs[0] / n.number("other"),),
        input_note=LINEAR_NOTE,
    ),
    Rule(
        ("NegBackward0",),
        en=("y = −x", "dL/dx = −dL/dy"),
        zh=("y = −x", "dL/dx = −dL/dy"),
        uses=(),
        slots=fixed("input"),
        backward=lambda n: [-n.g()],
        inputs=zeros_like_inputs,
        forward=lambda n, xs: (-xs[0],),
        input_note=LINEAR_NOTE,
    ),
    Rule(
        ("PowBackward0",),
        en=("y = xᵖ   (p a number)", "dL/dx = dL/dy · p · xᵖ⁻¹"),
        zh=("y = xᵖ   （p 是常数）", "dL/dx = dL/dy · p · xᵖ⁻¹"),
        uses=("self", "exponent"),
        slots=fixed("input"),
        backward=lambda n: [n.g() * n.number("exponent") * n.tensor("self") ** (n.number("exponent") - 1)],
        inputs=lambda n: [n.tensor("self")],
        forward=lambda n, xs: (xs[0] ** n.number("exponent"),),
    ),
    Rule(
        ("ExpBackward0",),
        en=("y = eˣ", "dL/dx = dL/dy · eˣ = dL/dy · y   (torch saves the result y)"),
        zh=("y = eˣ", "dL/dx = dL/dy · eˣ = dL/dy · y   （torch 保存的是结果 y）"),
        uses=("result",),
        slots=fixed("input"),
        backward=lambda n: [n.g() * n.tensor("result")],
        inputs=_exp_input,
        forward=lambda n, xs: (xs[0].exp(),),
        input_note=("the input is read back from the saved result: x = log y", "输入由保存的结果读回：x = log y"),
    ),
    Rule(
        ("LogBackward0",),
        en=("y = log x", "dL/dx = dL/dy / x"),
        zh=("y = log x", "dL/dx = dL/dy / x"),
        uses=("self",),
        slots=fixed("input"),
        backward=lambda n: [n.g() / n.tensor("self")],
        inputs=lambda n: [n.tensor("self")],
        forward=lambda n, xs: (xs[0].log(),),
    ),
    Rule(
        ("AbsBackward0",),
        en=("y = |x|", "dL/dx = dL/dy · sign(x)"),
        zh=("y = |x|", "dL/dx = dL/dy · sign(x)"),
        uses=("self",),
        slots=fixed("input"),
        backward=lambda n: [n.g() * _sign(n.tensor("self"))],
        inputs=lambda n: [n.tensor("self")],
        forward=lambda n, xs: (xs[0].abs(),),
    ),
    Rule(
        ("SqrtBackward0",),
        en=("y = √x", "dL/dx = dL/dy / (2√x) = dL/dy / (2y)   (torch saves the result y)"),
        zh=("y = √x", "dL/dx = dL/dy / (2√x) = dL/dy / (2y)   （torch 保存的是结果 y）"),
        uses=("result",),
        slots=fixed("input"),
        backward=lambda n: [n.g() / (2 * n.tensor("result"))],
        inputs=lambda n: [n.tensor("result") ** 2],
        forward=lambda n, xs: (xs[0].sqrt(),),
        input_note=("the input is read back from the saved result: x = y²", "输入由保存的结果读回：x = y²"),
    ),
)

__all__ = ["RULES", "input_shape"]
