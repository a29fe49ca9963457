"""Ops that move, copy, reduce or broadcast values without arithmetic on them: their rules route dL/dy back."""

from __future__ import annotations

import math

import torch

from explorer.core.chain_rule.rule import LINEAR_NOTE, NodeData, Rule, fixed, input_shape, sum_to, zeros_like_inputs

_MAX_INDEX = 2**62  # a slice to the end is saved as end = INT64_MAX


def _reshape_backward(n: NodeData):
    return [n.g().reshape(input_shape(n, 0, "self_sym_sizes"))]


def _sum_backward(n: NodeData):
    shape = input_shape(n, 0, "self_sym_sizes")
    g = n.g()
    if n.cls == "SumBackward1" or n.cls == "MeanBackward1":
        if not n.saved.get("keepdim"):
            for d in sorted(d % len(shape) for d in (n.ints("dim") or range(len(shape)))):
                g = g.unsqueeze(d)
    g = g.expand(shape)
    if n.cls.startswith("Mean"):
        dims = n.ints("dim") if n.cls == "MeanBackward1" else ()
        count = math.prod(shape[d] for d in dims) if dims else math.prod(shape)
        g = g / count
    return [g.clone()]


def _sum_forward(n: NodeData, xs):
    x = xs[0]
    dims = n.ints("dim") if n.cls in ("SumBackward1", "MeanBackward1") else ()
    keep = bool(n.saved.get("keepdim"))
    op = torch.mean if n.cls.startswith("Mean") else torch.sum
    return (op(x, dim=dims, keepdim=keep) if dims else op(x),)


def _cat_sizes(n: NodeData):
    dim = n.int("dim")
    total = n.g().shape[dim]
    sizes = [None if g is None else g.shape[dim] for g in n.grad_out]
    unknown = [i for i, s in enumerate(sizes) if s is None]
    if len(unknown) == 1:  # an input that needed no gradient: its size is what the others leave
        sizes[unknown[0]] = total - sum(s for s in sizes if s is not None)
    return dim, sizes


def _cat_backward(n: NodeData):
    dim, sizes = _cat_sizes(n)
    if any(s is None for s in sizes):
        return [None] * len(sizes)
    return [piece.clone() for piece in n.g().split(sizes, dim)]


def _cat_inputs(n: NodeData):
    dim, sizes = _cat_sizes(n)
    shape = list(n.g().shape)
    out = []
    for s in sizes:
        shape[dim] = s
        out.append(None if s is None else torch.zeros(shape, dtype=torch.float64))
    return out


def _split_backward(n: NodeData):
    shape = input_shape(n, 0, "self_sym_sizes")
    dim = n.int("dim") % len(shape)
    sizes = _split_sizes(n, shape[dim])
    pieces = []
    for k, size in enumerate(sizes):
        g = n.grad_in[k] if k < len(n.grad_in) else None
        piece_shape = list(shape)
        piece_shape[dim] = size
        pieces.append(torch.zeros(piece_shape, dtype=torch.float64) if g is None else g.to(torch.float64))
    if n.cls == "UnbindBackward0":
        return [torch.stack([p.squeeze(dim) for p in pieces], dim)]
    return [torch.cat(pieces, dim)]


def _split_sizes(n: NodeData, length: int):
    if n.cls == "SplitWithSizesBackward0":
        return list(n.ints("split_sizes"))
    if n.cls == "UnbindBackward0":
        return [1] * length
    step = n.int("split_size")
    return [min(step, length - start) for start in range(0, length, step)]


def _split_forward(n: NodeData, xs):
    x = xs[0]
    dim = n.int("dim") % x.dim()
    if n.cls == "UnbindBackward0":
        return tuple(x.unbind(dim))
    return tuple(x.split(_split_sizes(n, x.shape[dim]), dim))


def _slice_index(n: NodeData, shape):
    dim = n.int("dim") % len(shape)
    index = [slice(None)] * len(shape)
    if n.cls == "SelectBackward0":
        index[dim] = n.int("index") % shape[dim]
    else:
        end = n.int("end")
        index[dim] = slice(n.int("start"), min(end, shape[dim]) if end < _MAX_INDEX else None, n.int("step", 1))
    return tuple(index)


def _slice_backward(n: NodeData):
    shape = input_shape(n, 0, "self_sym_sizes")
    dx = torch.zeros(shape, dtype=torch.float64)
    dx[_slice_index(n, shape)] = n.g()
    return [dx]


_ROUTE_EN = "dL/dx = dL/dy put back in the shape x had (the same numbers, in the same order)"
_ROUTE_ZH = "dL/dx = 把 dL/dy 放回 x 原来的形状（同样的数，同样的顺序）"

RULES = (
    Rule(
        ("ViewBackward0", "UnsafeViewBackward0", "ReshapeAliasBackward0", "SqueezeBackward0", "SqueezeBackward1",
         "SqueezeBackward2", "UnsqueezeBackward0", "CloneBackward0", "AliasBackward0"),
        en=("y = x viewed (or copied) in another shape: view, reshape, flatten, squeeze, unsqueeze, clone", _ROUTE_EN),
        zh=("y = 换一个形状看（或复制）的 x：view、reshape、flatten、squeeze、unsqueeze、clone", _ROUTE_ZH),
        uses=("self_sym_sizes",),
        slots=fixed("input"),
        backward=_reshape_backward,
        inputs=zeros_like_inputs,
        forward=lambda n, xs: (xs[0].reshape(n.g().shape),),
        input_note=LINEAR_NOTE,
    ),
    Rule(
        ("ExpandBackward0",),
        en=("y = x broadcast to a larger shape (each element of x is copied along the new dimensions)",
            "dL/dx = Σ of dL/dy over every copy of that element (sum over the broadcast dimensions)"),
        zh=("y = 把 x 广播到更大的形状（x 的每个元素沿新维度被复制）", "dL/dx = 该元素所有副本上的 dL/dy 之和（沿广播的维度求和）"),
        uses=("self_sym_sizes",),
        slots=fixed("input"),
        backward=lambda n: [sum_to(n.g(), input_shape(n, 0, "self_sym_sizes"))],
        inputs=zeros_like_inputs,
        forward=lambda n, xs: (xs[0].expand(n.g().shape),),
        input_note=LINEAR_NOTE,
    ),
    Rule(
        ("SumBackward0", "SumBackward1"),
        en=("y = Σ x (over all elements, or over the dimensions dim)", "dL/dx[i] = dL/dy   (every summand gets the whole gradient of its sum)"),
        zh=("y = Σ x（对全部元素，或沿 dim 各维求和）", "dL/dx[i] = dL/dy   （每个加数都得到它所在的和的全部梯度）"),
        uses=("self_sym_sizes", "dim", "keepdim"),
        slots=fixed("input"),
        backward=_sum_backward,
        inputs=zeros_like_inputs,
        forward=_sum_forward,
        input_note=LINEAR_NOTE,
    ),
    Rule(
        ("MeanBackward0", "MeanBackward1"),
        en=("y = (1/N) Σ x over N elements (all, or along dim)", "dL/dx[i] = dL/dy / N"),
        zh=("y = (1/N) Σ x，共 N 个元素（全部，或沿 dim）", "dL/dx[i] = dL/dy / N"),
        uses=("self_sym_sizes", "self_sym_numel", "dim", "keepdim"),
        slots=fixed("input"),
        backward=_sum_backward,
        inputs=zeros_like_inputs,
        forward=_sum_forward,
        input_note=LINEAR_NOTE,
    ),
    Rule(
        ("CatBackward0",),
        en=("y = torch.cat([x₀, x₁, …], dim)", "dL/dxₖ = the block of dL/dy where xₖ was placed (split along dim)"),
        zh=("y = torch.cat([x₀, x₁, …], dim)", "dL/dxₖ = dL/dy 中放置 xₖ 的那一块（沿 dim 切分）"),
        uses=("dim",),
        slots=lambda n: [f"x{k}" for k in range(len(n.grad_out))],
        backward=_cat_backward,
        inputs=_cat_inputs,
        forward=lambda n, xs: (torch.cat(list(xs), n.int("dim")),),
        input_note=LINEAR_NOTE,
    ),
    Rule(
        ("StackBackward0",),
        en=("y = torch.stack([x₀, x₁, …], dim)", "dL/dxₖ = dL/dy.select(dim, k)"),
        zh=("y = torch.stack([x₀, x₁, …], dim)", "dL/dxₖ = dL/dy.select(dim, k)"),
        uses=("dim",),
        slots=lambda n: [f"x{k}" for k in range(len(n.grad_out))],
        backward=lambda n: [n.g().select(n.int("dim"), k).clone() for k in range(len(n.grad_out))],
        inputs=lambda n: [torch.zeros(n.g().select(n.int("dim"), 0).shape, dtype=torch.float64) for _ in n.grad_out],
        forward=lambda n, xs: (torch.stack(list(xs), n.int("dim")),),
        input_note=LINEAR_NOTE,
    ),
    Rule(
        ("SplitBackward0", "SplitWithSizesBackward0", "UnbindBackward0"),
        en=("y₀, y₁, … = the pieces of x along dim (split, chunk, unbind)",
            "dL/dx = [dL/dy₀, dL/dy₁, …] joined back along dim (zeros for a piece that got no gradient)"),
        zh=("y₀, y₁, … = x 沿 dim 切成的各块（split、chunk、unbind）", "dL/dx = 把 [dL/dy₀, dL/dy₁, …] 沿 dim 拼回去（没有得到梯度的块记为零）"),
        uses=("dim", "split_size", "split_sizes", "self_sym_sizes"),
        slots=fixed("input"),
        backward=_split_backward,
        inputs=lambda n: [torch.zeros(input_shape(n, 0, "self_sym_sizes"), dtype=torch.float64)],
        forward=_split_forward,
        input_note=LINEAR_NOTE,
    ),
    Rule(
        ("SliceBackward0", "SelectBackward0"),
        en=("y = a slice of x (x[..., start:end:step, ...] or x.select(dim, index))",
            "dL/dx = zeros of x's shape, with dL/dy written where the slice was taken"),
        zh=("y = x 的一个切片（x[..., start:end:step, ...] 或 x.select(dim, index)）", "dL/dx = 与 x 同形状的零，在切片取出的位置写入 dL/dy"),
        uses=("dim", "start", "end", "step", "index", "self_sym_sizes"),
        slots=fixed("input"),
        backward=_slice_backward,
        inputs=lambda n: [torch.zeros(input_shape(n, 0, "self_sym_sizes"), dtype=torch.float64)],
        forward=lambda n, xs: (xs[0][_slice_index(n, xs[0].shape)],),
        input_note=LINEAR_NOTE,
    ),
)
