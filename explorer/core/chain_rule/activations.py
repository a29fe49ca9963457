"""Activations and the softmax family: Relu, LeakyRelu, Gelu, Sigmoid, Tanh, Softmax, LogSoftmax, Dropout."""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from explorer.core.chain_rule.rule import NodeData, Rule, fixed

_FROM_RESULT = ("the input is read back from the saved result", "输入由保存的结果读回")


def _gelu_derivative(x: torch.Tensor, approximate: str) -> torch.Tensor:
    if approximate == "tanh":
        k = math.sqrt(2 / math.pi)
        inner = k * (x + 0.044715 * x**3)
        t = torch.tanh(inner)
        return 0.5 * (1 + t) + 0.5 * x * (1 - t**2) * k * (1 + 3 * 0.044715 * x**2)
    cdf = 0.5 * (1 + torch.erf(x / math.sqrt(2)))
    pdf = torch.exp(-0.5 * x**2) / math.sqrt(2 * math.pi)
    return cdf + x * pdf


def _approximate(n: NodeData) -> str:
    return str(n.saved.get("approximate") or "none")


def _softmax_backward(n: NodeData):
    y, g, dim = n.tensor("result"), n.g(), n.int("dim")
    return [y * (g - (g * y).sum(dim, keepdim=True))]


def _log_softmax_backward(n: NodeData):
    y, g, dim = n.tensor("result"), n.g(), n.int("dim")
    return [g - y.exp() * g.sum(dim, keepdim=True)]


def _keep_scale(n: NodeData) -> float:
    p = n.number("p", 0.0)
    return 0.0 if p >= 1 else 1 / (1 - p)


RULES = (
    Rule(
        ("ReluBackward0",),
        en=("y = max(0, x)", "dL/dx = dL/dy where x > 0, else 0   (torch saves y; y > 0 exactly where x > 0)"),
        zh=("y = max(0, x)", "dL/dx = 当 x > 0 时为 dL/dy，否则为 0   （torch 保存的是 y；y > 0 恰好对应 x > 0）"),
        uses=("result",),
        slots=fixed("input"),
        backward=lambda n: [n.g() * (n.tensor("result") > 0)],
        inputs=lambda n: [torch.where(n.tensor("result") > 0, n.tensor("result"), torch.full_like(n.tensor("result"), -1.0))],
        forward=lambda n, xs: (torch.relu(xs[0]),),
        input_note=("the input is read back from the saved result where it is positive; where y = 0 the check "
                    "uses x = −1 (every x ≤ 0 gives y = 0 and slope 0)",
                    "输入在结果为正处由保存的结果读回；y = 0 处检查使用 x = −1（任何 x ≤ 0 都给出 y = 0、斜率 0）"),
    ),
    Rule(
        ("LeakyReluBackward0",),
        en=("y = x where x > 0, else s·x   (s = negative_slope)", "dL/dx = dL/dy where x > 0, else s · dL/dy"),
        zh=("y = 当 x > 0 时为 x，否则为 s·x   （s = negative_slope）", "dL/dx = 当 x > 0 时为 dL/dy，否则为 s · dL/dy"),
        uses=("self", "negative_slope"),
        slots=fixed("input"),
        backward=lambda n: [n.g() * torch.where(n.tensor("self") > 0, 1.0, n.number("negative_slope", 0.01))],
        inputs=lambda n: [n.tensor("self")],
        forward=lambda n, xs: (F.leaky_relu(xs[0], n.number("negative_slope", 0.01)),),
    ),
    Rule(
        ("GeluBackward0",),
        en=("y = x · Φ(x)   (Φ the normal distribution's CDF; approximate='tanh' uses tanh in its place)",
            "dL/dx = dL/dy · (Φ(x) + x · φ(x))   (φ the normal density)"),
        zh=("y = x · Φ(x)   （Φ 为标准正态分布函数；approximate='tanh' 时用 tanh 近似）",
            "dL/dx = dL/dy · (Φ(x) + x · φ(x))   （φ 为标准正态密度）"),
        uses=("self", "approximate"),
        slots=fixed("input"),
        backward=lambda n: [n.g() * _gelu_derivative(n.tensor("self"), _approximate(n))],
        inputs=lambda n: [n.tensor("self")],
        forward=lambda n, xs: (F.gelu(xs[0], approximate=_approximate(n)),),
    ),
    Rule(
        ("SigmoidBackward0",),
        en=("y = σ(x) = 1 / (1 + e⁻ˣ)", "dL/dx = dL/dy · y · (1 − y)"),
        zh=("y = σ(x) = 1 / (1 + e⁻ˣ)", "dL/dx = dL/dy · y · (1 − y)"),
        uses=("result",),
        slots=fixed("input"),
        backward=lambda n: [n.g() * n.tensor("result") * (1 - n.tensor("result"))],
        inputs=lambda n: [torch.logit(n.tensor("result"))],
        forward=lambda n, xs: (torch.sigmoid(xs[0]),),
        input_note=_FROM_RESULT,
    ),
    Rule(
        ("TanhBackward0",),
        en=("y = tanh x", "dL/dx = dL/dy · (1 − y²)"),
        zh=("y = tanh x", "dL/dx = dL/dy · (1 − y²)"),
        uses=("result",),
        slots=fixed("input"),
        backward=lambda n: [n.g() * (1 - n.tensor("result") ** 2)],
        inputs=lambda n: [torch.atanh(n.tensor("result"))],
        forward=lambda n, xs: (torch.tanh(xs[0]),),
        input_note=_FROM_RESULT,
    ),
    Rule(
        ("SoftmaxBackward0", "SafeSoftmaxBackward0"),
        en=("yᵢ = e^xᵢ / Σⱼ e^xⱼ   (along dim)", "dL/dxᵢ = yᵢ · (dL/dyᵢ − Σⱼ dL/dyⱼ · yⱼ)"),
        zh=("yᵢ = e^xᵢ / Σⱼ e^xⱼ   （沿 dim）", "dL/dxᵢ = yᵢ · (dL/dyᵢ − Σⱼ dL/dyⱼ · yⱼ)"),
        uses=("result", "dim"),
        slots=fixed("input"),
        backward=_softmax_backward,
        inputs=lambda n: [n.tensor("result").log()],
        forward=lambda n, xs: (torch.softmax(xs[0], n.int("dim")),),
        input_note=("the input is read back from the saved result: x = log y (softmax ignores a constant added "
                    "along dim)", "输入由保存的结果读回：x = log y（softmax 不受沿 dim 加上的常数影响）"),
    ),
    Rule(
        ("LogSoftmaxBackward0",),
        en=("yᵢ = xᵢ − log Σⱼ e^xⱼ   (along dim; CrossEntropyLoss = LogSoftmax then NllLoss)",
            "dL/dxᵢ = dL/dyᵢ − softmax(x)ᵢ · Σⱼ dL/dyⱼ   (softmax(x) = eʸ)"),
        zh=("yᵢ = xᵢ − log Σⱼ e^xⱼ   （沿 dim；CrossEntropyLoss = LogSoftmax 再接 NllLoss）",
            "dL/dxᵢ = dL/dyᵢ − softmax(x)ᵢ · Σⱼ dL/dyⱼ   （softmax(x) = eʸ）"),
        uses=("result", "dim"),
        slots=fixed("input"),
        backward=_log_softmax_backward,
        inputs=lambda n: [n.tensor("result")],
        forward=lambda n, xs: (torch.log_softmax(xs[0], n.int("dim")),),
        input_note=("the input is read back from the saved result: log_softmax(y) = y", "输入由保存的结果读回：log_softmax(y) = y"),
    ),
    Rule(
        ("NativeDropoutBackward0",),
        en=("y = x · mask / (1 − p)   (mask the kept elements: result1)", "dL/dx = dL/dy · mask / (1 − p)"),
        zh=("y = x · mask / (1 − p)   （mask 为保留的元素：result1）", "dL/dx = dL/dy · mask / (1 − p)"),
        uses=("result1", "p"),
        slots=fixed("input"),
        backward=lambda n: [n.g() * n.tensor("result1").to(torch.float64) * _keep_scale(n)],
        inputs=lambda n: [torch.zeros(n.g().shape, dtype=torch.float64)],
        forward=lambda n, xs: (xs[0] * n.tensor("result1").to(torch.float64) * _keep_scale(n),),
        input_note=("the op is linear in its input: the check uses zeros", "该运算对输入是线性的：检查使用全零输入"),
    ),
)
