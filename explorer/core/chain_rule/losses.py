"""Loss functions: NllLoss (CrossEntropyLoss's second half) and MseLoss."""

from __future__ import annotations

import torch

from explorer.core.chain_rule.rule import NodeData, Rule, fixed

_REDUCTIONS = {0: "none", 1: "mean", 2: "sum"}


def _nll_parts(n: NodeData, logp: torch.Tensor):
    """Per-sample weights w[tₙ] (0 for ignore_index) and the mean's divisor."""
    target = n.saved["target"].detach().long()
    weight = n.maybe("weight")
    ignore = n.int("ignore_index", -100)
    safe = torch.where(target == ignore, 0, target)
    w = torch.ones(target.shape, dtype=torch.float64) if weight is None else weight[safe]
    w = torch.where(target == ignore, 0.0, w)
    return safe, w


def _nll_forward(n: NodeData, xs):
    logp = xs[0]
    batched = logp.dim() > 1
    safe, w = _nll_parts(n, logp)
    picked = logp.gather(1, safe.unsqueeze(1)).squeeze(1) if batched else logp[safe]
    losses = -w * picked
    reduction = _REDUCTIONS[n.int("reduction", 1)]
    if reduction == "none":
        return (losses,)
    return (losses.sum() / (w.sum() if reduction == "mean" else 1.0),)


def _nll_backward(n: NodeData):
    logp = n.tensor("self")
    safe, w = _nll_parts(n, logp)
    g = n.g()
    reduction = _REDUCTIONS[n.int("reduction", 1)]
    scale = -w * (g if reduction == "none" else g / (w.sum() if reduction == "mean" else 1.0))
    dx = torch.zeros_like(logp)
    if logp.dim() > 1:
        dx.scatter_(1, safe.unsqueeze(1), scale.unsqueeze(1).expand_as(safe.unsqueeze(1)).clone())
    else:
        dx[safe] = scale
    return [dx]


def _mse_backward(n: NodeData):
    x, t, g = n.tensor("self"), n.tensor("target"), n.g()
    reduction = _REDUCTIONS[n.int("reduction", 1)]
    d = 2 * (x - t) * g / (x.numel() if reduction == "mean" else 1)
    return [d, -d]


def _mse_forward(n: NodeData, xs):
    sq = (xs[0] - xs[1]) ** 2
    reduction = _REDUCTIONS[n.int("reduction", 1)]
    return (sq if reduction == "none" else sq.mean() if reduction == "mean" else sq.sum(),)


RULES = (
    Rule(
        ("NllLossBackward0",),
        en=("L = −(1/N) Σₙ w[tₙ] · x[n, tₙ]   (x the log-probabilities, tₙ sample n's target, N = Σₙ w[tₙ] for the mean)",
            "dL/dx[n, tₙ] = −w[tₙ] · dL/dy / N,   every other dL/dx[n, c] = 0"),
        zh=("L = −(1/N) Σₙ w[tₙ] · x[n, tₙ]   （x 为对数概率，tₙ 为样本 n 的目标，求平均时 N = Σₙ w[tₙ]）",
            "dL/dx[n, tₙ] = −w[tₙ] · dL/dy / N，  其余 dL/dx[n, c] = 0"),
        uses=("self", "target", "weight", "reduction", "ignore_index", "total_weight"),
        slots=fixed("input (log-probabilities)"),
        backward=_nll_backward,
        inputs=lambda n: [n.tensor("self")],
        forward=_nll_forward,
    ),
    Rule(
        ("MseLossBackward0",),
        en=("L = (1/N) Σ (x − t)²   (N elements; reduction='sum' leaves out 1/N)",
            "dL/dx = dL/dy · 2 (x − t) / N,   dL/dt = −dL/dx"),
        zh=("L = (1/N) Σ (x − t)²   （共 N 个元素；reduction='sum' 时没有 1/N）",
            "dL/dx = dL/dy · 2 (x − t) / N，  dL/dt = −dL/dx"),
        uses=("self", "target", "reduction"),
        slots=fixed("input", "target"),
        backward=_mse_backward,
        inputs=lambda n: [n.tensor("self"), n.tensor("target")],
        forward=_mse_forward,
    ),
)
