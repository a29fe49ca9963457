"""torch's fused attention: scaled_dot_product_attention, whichever kernel ran it (CPU flash, efficient, math)."""

from __future__ import annotations

import math

import torch

from explorer.core.chain_rule.rule import NodeData, Rule, fixed


def _scale(n: NodeData, q):
    s = n.saved.get("scale")
    return 1 / math.sqrt(q.shape[-1]) if s is None else float(s)


def _scores(n: NodeData, q, k):
    s = q @ k.transpose(-1, -2) * _scale(n, q)
    mask = n.maybe("attn_mask") if isinstance(n.saved.get("attn_mask"), torch.Tensor) else None
    if n.saved.get("is_causal"):
        causal = torch.ones(s.shape[-2:], dtype=torch.bool).tril()
        s = s.masked_fill(~causal, float("-inf"))
    if mask is not None:
        s = s.masked_fill(~mask, float("-inf")) if mask.dtype == torch.bool else s + mask
    return s


def _sdpa_backward(n: NodeData):
    if float(n.saved.get("dropout_p") or 0.0) > 0:
        raise NotImplementedError("dropout inside attention draws a mask torch does not save")
    q, k, v, g = n.tensor("query"), n.tensor("key"), n.tensor("value"), n.g()
    p = torch.softmax(_scores(n, q, k), -1)
    dv = p.transpose(-1, -2) @ g
    dp = g @ v.transpose(-1, -2)
    ds = p * (dp - (dp * p).sum(-1, keepdim=True))
    s = _scale(n, q)
    return [s * ds @ k, s * ds.transpose(-1, -2) @ q, dv]


def _sdpa_forward(n: NodeData, xs):
    q, k, v = xs
    return (torch.softmax(_scores(n, q, k), -1) @ v,)


RULES = (
    Rule(
        ("ScaledDotProductFlashAttentionForCpuBackward0", "ScaledDotProductEfficientAttentionBackward0",
         "ScaledDotProductFlashAttentionBackward0", "ScaledDotProductCudnnAttentionBackward0"),
        en=("S = s · Q Kᵀ (+ mask),   P = softmax(S) along each row,   O = P V   (s = scale, 1/√d by default)",
            "dL/dV = Pᵀ · dL/dO,   dL/dP = dL/dO · Vᵀ",
            "dL/dS = P ⊙ (dL/dP − Σⱼ dL/dP ⊙ P)   (the softmax rule, row by row)",
            "dL/dQ = s · dL/dS · K,   dL/dK = s · (dL/dS)ᵀ · Q"),
        zh=("S = s · Q Kᵀ (+ mask)，  P = 按行 softmax(S)，  O = P V   （s = scale，默认 1/√d）",
            "dL/dV = Pᵀ · dL/dO，  dL/dP = dL/dO · Vᵀ",
            "dL/dS = P ⊙ (dL/dP − Σⱼ dL/dP ⊙ P)   （逐行的 softmax 规则）",
            "dL/dQ = s · dL/dS · K，  dL/dK = s · (dL/dS)ᵀ · Q"),
        uses=("query", "key", "value", "attn_mask", "is_causal", "scale", "dropout_p"),
        slots=fixed("query", "key", "value"),
        backward=_sdpa_backward,
        inputs=lambda n: [n.tensor("query"), n.tensor("key"), n.tensor("value")],
        forward=_sdpa_forward,
    ),
)
