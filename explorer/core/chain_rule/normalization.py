"""Normalisation and look-up: BatchNorm, LayerNorm, Embedding."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from explorer.core.chain_rule.rule import LINEAR_NOTE, NodeData, Rule, fixed


def _bn_axes(x):
    return [0] + list(range(2, x.dim()))


def _bn_shape(x):
    return (1, -1) + (1,) * (x.dim() - 2)


def _bn_backward(n: NodeData):
    x, g = n.tensor("input"), n.g()
    weight = n.maybe("weight")
    axes, shape = _bn_axes(x), _bn_shape(x)
    if n.saved.get("training"):
        mean, invstd = n.tensor("result1"), n.tensor("result2")
    else:
        mean = n.tensor("running_mean")
        invstd = 1 / torch.sqrt(n.tensor("running_var") + n.number("eps", 1e-5))
    xhat = (x - mean.reshape(shape)) * invstd.reshape(shape)
    gamma = torch.ones_like(invstd) if weight is None else weight
    dgamma = (g * xhat).sum(axes)
    dbeta = g.sum(axes)
    if n.saved.get("training"):
        m = x.numel() / x.shape[1]
        dx = (gamma * invstd).reshape(shape) / m * (m * g - dbeta.reshape(shape) - xhat * dgamma.reshape(shape))
    else:
        dx = g * (gamma * invstd).reshape(shape)
    return [dx, None if weight is None else dgamma, None if weight is None else dbeta]


def _bn_inputs(n: NodeData):
    weight = n.maybe("weight")
    c = n.tensor("input").shape[1]
    return [n.tensor("input"), weight, None if weight is None else torch.zeros(c, dtype=torch.float64)]


def _bn_forward(n: NodeData, xs):
    x, w, b = xs
    eps = n.number("eps", 1e-5)
    if n.saved.get("training"):
        return (F.batch_norm(x, None, None, w, b, True, 0.0, eps),)
    return (F.batch_norm(x, n.tensor("running_mean"), n.tensor("running_var"), w, b, False, 0.0, eps),)


def _ln_dims(n: NodeData, x):
    k = len(n.ints("normalized_shape"))
    return list(range(x.dim() - k, x.dim()))


def _ln_backward(n: NodeData):
    x, g = n.tensor("input"), n.g()
    weight = n.maybe("weight")
    dims = _ln_dims(n, x)
    mean, rstd = n.tensor("result1"), n.tensor("result2")
    mean, rstd = mean.reshape(mean.shape + (1,) * (x.dim() - mean.dim())), rstd.reshape(rstd.shape + (1,) * (x.dim() - rstd.dim()))
    xhat = (x - mean) * rstd
    gh = g if weight is None else g * weight
    m = 1
    for d in dims:
        m *= x.shape[d]
    dx = rstd / m * (m * gh - gh.sum(dims, keepdim=True) - xhat * (gh * xhat).sum(dims, keepdim=True))
    batch = list(range(x.dim() - len(dims)))
    dgamma = (g * xhat).sum(batch) if weight is not None else None
    dbeta = g.sum(batch) if n.maybe("bias") is not None else None
    return [dx, dgamma, dbeta]


def _ln_inputs(n: NodeData):
    return [n.tensor("input"), n.maybe("weight"), n.maybe("bias")]


def _ln_forward(n: NodeData, xs):
    x, w, b = xs
    return (F.layer_norm(x, n.ints("normalized_shape"), w, b, 1e-5),)


def _embedding_backward(n: NodeData):
    idx, g = n.saved["indices"].detach().long(), n.g()
    rows = n.int("weight_sym_argsize_0")
    dw = torch.zeros((rows, g.shape[-1]), dtype=torch.float64)
    flat_idx, flat_g = idx.reshape(-1), g.reshape(-1, g.shape[-1])
    padding = n.int("padding_idx", -1)
    keep = flat_idx != padding
    if n.saved.get("scale_grad_by_freq"):
        counts = torch.bincount(flat_idx, minlength=rows).to(torch.float64)
        flat_g = flat_g / counts[flat_idx].unsqueeze(1)
    dw.index_add_(0, flat_idx[keep], flat_g[keep])
    return [dw]


RULES = (
    Rule(
        ("NativeBatchNormBackward0",),
        en=("x̂ = (x − μ) / √(σ² + ε),   y = γ · x̂ + β   (μ, σ² per channel over the batch and positions: result1 = μ, "
            "result2 = 1/√(σ² + ε); in eval mode the running statistics, which are constants)",
            "dL/dγ = Σ dL/dy · x̂,   dL/dβ = Σ dL/dy   (sums over the batch and positions)",
            "dL/dx = γ / (M √(σ² + ε)) · (M · dL/dy − Σ dL/dy − x̂ · Σ dL/dy · x̂)   "
            "(M values per channel: μ and σ² depend on every x, so each x gets more than γ/√(σ² + ε) · dL/dy)"),
        zh=("x̂ = (x − μ) / √(σ² + ε)，  y = γ · x̂ + β   （μ、σ² 按通道在批次与各位置上计算：result1 = μ，"
            "result2 = 1/√(σ² + ε)；评估模式下用运行统计量，它们是常数）",
            "dL/dγ = Σ dL/dy · x̂，  dL/dβ = Σ dL/dy   （在批次与各位置上求和）",
            "dL/dx = γ / (M √(σ² + ε)) · (M · dL/dy − Σ dL/dy − x̂ · Σ dL/dy · x̂)   "
            "（每个通道 M 个值：μ 和 σ² 依赖于每个 x，所以每个 x 得到的不只是 γ/√(σ² + ε) · dL/dy）"),
        uses=("input", "weight", "result1", "result2", "running_mean", "running_var", "eps", "training"),
        slots=fixed("input", "weight (γ)", "bias (β)"),
        backward=_bn_backward,
        inputs=_bn_inputs,
        forward=_bn_forward,
    ),
    Rule(
        ("NativeLayerNormBackward0",),
        en=("x̂ = (x − μ) / √(σ² + ε),   y = γ · x̂ + β   (μ, σ² of each sample over normalized_shape: result1 = μ, "
            "result2 = 1/√(σ² + ε))",
            "dL/dγ = Σ over the batch of dL/dy · x̂,   dL/dβ = Σ over the batch of dL/dy",
            "with ĝ = γ · dL/dy:   dL/dx = (1 / (M √(σ² + ε))) · (M · ĝ − Σ ĝ − x̂ · Σ ĝ · x̂)   (M values per sample)"),
        zh=("x̂ = (x − μ) / √(σ² + ε)，  y = γ · x̂ + β   （μ、σ² 为每个样本在 normalized_shape 上的统计量：result1 = μ，"
            "result2 = 1/√(σ² + ε)）",
            "dL/dγ = dL/dy · x̂ 在批次上求和，  dL/dβ = dL/dy 在批次上求和",
            "记 ĝ = γ · dL/dy：  dL/dx = (1 / (M √(σ² + ε))) · (M · ĝ − Σ ĝ − x̂ · Σ ĝ · x̂)   （每个样本 M 个值）"),
        uses=("input", "weight", "bias", "result1", "result2", "normalized_shape"),
        slots=fixed("input", "weight (γ)", "bias (β)"),
        backward=_ln_backward,
        inputs=_ln_inputs,
        forward=_ln_forward,
    ),
    Rule(
        ("EmbeddingBackward0",),
        en=("y[…] = W[indices[…]]   (a row of the table per index)",
            "dL/dW[r] = Σ of dL/dy over every position whose index is r   (rows never looked up get 0; padding_idx too)"),
        zh=("y[…] = W[indices[…]]   （每个索引取表中的一行）",
            "dL/dW[r] = 所有索引为 r 的位置上的 dL/dy 之和   （没有被查到的行为 0；padding_idx 也为 0）"),
        uses=("indices", "weight_sym_argsize_0", "padding_idx", "scale_grad_by_freq"),
        slots=fixed("weight"),
        backward=_embedding_backward,
        inputs=lambda n: [torch.zeros((n.int("weight_sym_argsize_0"), n.g().shape[-1]), dtype=torch.float64)],
        forward=lambda n, xs: (F.embedding(n.saved["indices"].detach().long(), xs[0]),),
        input_note=LINEAR_NOTE,
    ),
)
