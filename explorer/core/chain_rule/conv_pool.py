"""Convolution (the correlation it is) and pooling: Convolution, MaxPool2DWithIndices, AvgPool2D, AdaptiveAvgPool2D."""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from explorer.core.chain_rule.rule import NodeData, Rule, fixed, input_shape


def _pair(values, default, dims=2):
    values = tuple(values) or (default,)
    return values * dims if len(values) == 1 else values


def _conv_params(n: NodeData):
    w = n.tensor("weight")
    dims = w.dim() - 2
    return (_pair(n.ints("stride"), 1, dims), _pair(n.ints("padding"), 0, dims),
            _pair(n.ints("dilation"), 1, dims), n.int("groups", 1))


def _as_2d(t):
    return t.unsqueeze(-2) if t.dim() == 3 else t


def _conv_backward(n: NodeData):
    """dL/dx by the transposed convolution of dL/dy with W; dL/dW as the correlation of x with dL/dy (unfold)."""
    x, w, g = n.maybe("input"), n.tensor("weight"), n.g()
    stride, padding, dilation, groups = _conv_params(n)
    if len(stride) == 1:
        stride, padding, dilation = (1, *stride), (0, *padding), (1, *dilation)
    x2, w2, g2 = (None if x is None else _as_2d(x)), _as_2d(w), _as_2d(g)
    in_shape = input_shape(n, 0) if n.input_shape(0) else (None if x is None else tuple(x.shape))
    dx = None
    if in_shape is not None and n.grad_out[0] is not None:
        in_hw = in_shape[-2:] if len(in_shape) == 4 else (1, in_shape[-1])
        out_padding = tuple(
            in_hw[i] - ((g2.shape[2 + i] - 1) * stride[i] - 2 * padding[i] + dilation[i] * (w2.shape[2 + i] - 1) + 1)
            for i in range(2))
        dx = F.conv_transpose2d(g2, w2, None, stride, padding, out_padding, groups, dilation)
        dx = dx.reshape(in_shape)
    dw = None
    if x2 is not None:
        cols = F.unfold(x2, w2.shape[2:], dilation=dilation, padding=padding, stride=stride)  # N, C·kh·kw, L
        n_, out_c = g2.shape[0], g2.shape[1]
        per_group_in = cols.shape[1] // groups
        gg = g2.reshape(n_, groups, out_c // groups, -1)
        cc = cols.reshape(n_, groups, per_group_in, -1)
        dw = torch.einsum("ngol,ngkl->gok", gg, cc).reshape(w.shape)
    db = g.sum(dim=[d for d in range(g.dim()) if d != 1]) if n.saved.get("bias_sym_sizes_opt") else None
    return [dx, dw, db]


def _conv_forward(n: NodeData, xs):
    x, w, b = xs
    stride, padding, dilation, groups = _conv_params(n)
    conv = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}[w.dim() - 2]
    return (conv(x, w, b, stride, padding, dilation, groups),)


def _conv_inputs(n: NodeData):
    w = n.tensor("weight")
    x = n.maybe("input")
    if x is None:
        x = torch.zeros(input_shape(n, 0), dtype=torch.float64)
    bias = n.saved.get("bias_sym_sizes_opt")
    return [x, w, torch.zeros(w.shape[0], dtype=torch.float64) if bias else None]


def _pool_args(n: NodeData):
    kernel = _pair(n.ints("kernel_size"), 1)
    stride = n.ints("stride")
    stride = kernel if not stride else _pair(stride, 1)
    return kernel, stride, _pair(n.ints("padding"), 0)


def _max_pool_backward(n: NodeData):
    x, idx, g = n.tensor("self"), n.saved["result1"].detach().long(), n.g()
    flat = torch.zeros(x.shape[:-2] + (x.shape[-2] * x.shape[-1],), dtype=torch.float64)
    flat.scatter_add_(-1, idx.flatten(-2), g.flatten(-2))
    return [flat.reshape(x.shape)]


def _max_pool_forward(n: NodeData, xs):
    kernel, stride, padding = _pool_args(n)
    return (F.max_pool2d(xs[0], kernel, stride, padding, _pair(n.ints("dilation"), 1), bool(n.saved.get("ceil_mode"))),)


def _avg_divisor(n: NodeData, shape, kernel, stride, padding):
    override = n.saved.get("divisor_override")
    if override is not None:
        return float(override)
    if n.saved.get("count_include_pad", True):
        return float(math.prod(kernel))
    ones = torch.ones((1, 1) + tuple(shape[-2:]), dtype=torch.float64)
    return F.unfold(ones, kernel, padding=padding, stride=stride).sum(1)  # 1, L: real elements per window


def _avg_pool_backward(n: NodeData):
    x, g = n.tensor("self"), n.g()
    kernel, stride, padding = _pool_args(n)
    if n.saved.get("ceil_mode"):
        raise NotImplementedError("ceil_mode")
    planes = g.reshape(-1, 1, g.shape[-1] * g.shape[-2])
    share = planes / _avg_divisor(n, x.shape, kernel, stride, padding)  # each input of a window gets g / count
    cols = share.expand(-1, math.prod(kernel), -1)
    dx = F.fold(cols, x.shape[-2:], kernel, padding=padding, stride=stride)
    return [dx.reshape(x.shape)]


def _avg_pool_forward(n: NodeData, xs):
    kernel, stride, padding = _pool_args(n)
    override = n.saved.get("divisor_override")
    return (F.avg_pool2d(xs[0], kernel, stride, padding, bool(n.saved.get("ceil_mode")),
                         bool(n.saved.get("count_include_pad", True)), None if override is None else int(override)),)


def _adaptive_windows(size_in, size_out):
    return [(i * size_in // size_out, -((-(i + 1) * size_in) // size_out)) for i in range(size_out)]


def _adaptive_backward(n: NodeData):
    x, g = n.tensor("self"), n.g()
    dx = torch.zeros_like(x)
    rows, cols = _adaptive_windows(x.shape[-2], g.shape[-2]), _adaptive_windows(x.shape[-1], g.shape[-1])
    for i, (r0, r1) in enumerate(rows):
        for j, (c0, c1) in enumerate(cols):
            dx[..., r0:r1, c0:c1] += (g[..., i, j] / ((r1 - r0) * (c1 - c0)))[..., None, None]
    return [dx]


RULES = (
    Rule(
        ("ConvolutionBackward0",),
        en=("y[n, o, i, j] = b[o] + Σ_{c, p, q} W[o, c, p, q] · x[n, c, i·s + p·d − pad, j·s + q·d − pad]   "
            "(a correlation: the kernel slides over x without flipping)",
            "dL/dx = conv_transpose(dL/dy, W)   (each input element collects dL/dy · W from every window it was in)",
            "dL/dW[o, c, p, q] = Σ_{n, i, j} dL/dy[n, o, i, j] · x[n, c, i·s + p·d − pad, j·s + q·d − pad]   "
            "(the correlation of x with dL/dy)",
            "dL/db[o] = Σ_{n, i, j} dL/dy[n, o, i, j]"),
        zh=("y[n, o, i, j] = b[o] + Σ_{c, p, q} W[o, c, p, q] · x[n, c, i·s + p·d − pad, j·s + q·d − pad]   "
            "（这是互相关：卷积核在 x 上滑动，不翻转）",
            "dL/dx = conv_transpose(dL/dy, W)   （转置卷积：每个输入元素收集它所在每个窗口的 dL/dy · W）",
            "dL/dW[o, c, p, q] = Σ_{n, i, j} dL/dy[n, o, i, j] · x[n, c, i·s + p·d − pad, j·s + q·d − pad]   "
            "（x 与 dL/dy 的互相关）",
            "dL/db[o] = Σ_{n, i, j} dL/dy[n, o, i, j]"),
        uses=("input", "weight", "stride", "padding", "dilation", "groups", "bias_sym_sizes_opt"),
        slots=fixed("input", "weight", "bias"),
        backward=_conv_backward,
        inputs=_conv_inputs,
        forward=_conv_forward,
        input_note=None,
    ),
    Rule(
        ("MaxPool2DWithIndicesBackward0",),
        en=("y[n, c, i, j] = max of x over window (i, j)   (torch saves where each maximum was: result1, the indices)",
            "dL/dx = dL/dy sent to the element that was the maximum of its window; 0 everywhere else "
            "(an element that won several windows gets the sum)"),
        zh=("y[n, c, i, j] = x 在窗口 (i, j) 中的最大值   （torch 保存每个最大值的位置：result1，即索引）",
            "dL/dx = 把 dL/dy 交给窗口中取到最大值的那个元素；其余位置为 0（在多个窗口中都是最大值的元素得到它们的和）"),
        uses=("self", "result1", "kernel_size", "stride", "padding", "dilation"),
        slots=fixed("input"),
        backward=_max_pool_backward,
        inputs=lambda n: [n.tensor("self")],
        forward=_max_pool_forward,
    ),
    Rule(
        ("AvgPool2DBackward0",),
        en=("y[n, c, i, j] = (1/K) Σ x over window (i, j)   (K elements in a window)",
            "dL/dx[n, c, h, w] = Σ over the windows containing (h, w) of dL/dy[n, c, i, j] / K"),
        zh=("y[n, c, i, j] = (1/K) Σ 窗口 (i, j) 中的 x   （每个窗口 K 个元素）",
            "dL/dx[n, c, h, w] = 对包含 (h, w) 的每个窗口求 dL/dy[n, c, i, j] / K 之和"),
        uses=("self", "kernel_size", "stride", "padding", "count_include_pad", "divisor_override"),
        slots=fixed("input"),
        backward=_avg_pool_backward,
        inputs=lambda n: [n.tensor("self")],
        forward=_avg_pool_forward,
    ),
    Rule(
        ("AdaptiveAvgPool2DBackward0",),
        en=("y[n, c, i, j] = the mean of x over the window that output cell (i, j) covers (global pooling: the whole map)",
            "dL/dx[n, c, h, w] = Σ over the windows containing (h, w) of dL/dy[n, c, i, j] / (window's size)"),
        zh=("y[n, c, i, j] = 输出格 (i, j) 覆盖的窗口中 x 的平均值（全局池化：整张特征图）",
            "dL/dx[n, c, h, w] = 对包含 (h, w) 的每个窗口求 dL/dy[n, c, i, j] / 窗口大小 之和"),
        uses=("self",),
        slots=fixed("input"),
        backward=_adaptive_backward,
        inputs=lambda n: [n.tensor("self")],
        forward=lambda n, xs: (F.adaptive_avg_pool2d(xs[0], tuple(n.g().shape[-2:])),),
    ),
)
