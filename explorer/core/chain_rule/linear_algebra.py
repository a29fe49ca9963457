"""Matrix products and the transposes around them: Addmm, Mm, Bmm, T, Transpose, Permute."""

from __future__ import annotations

import torch

from explorer.core.chain_rule.rule import LINEAR_NOTE, NodeData, Rule, fixed, saved_or_zeros, sum_to, zeros_like_inputs


def _addmm_backward(n: NodeData):
    g, alpha, beta = n.g(), n.number("alpha"), n.number("beta")
    shape = n.input_shape(0)
    bias = None if shape is None else sum_to(beta * g, shape)
    mat1 = n.maybe("mat1")
    mat2 = n.maybe("mat2")
    return [bias, None if mat2 is None else alpha * g @ mat2.T, None if mat1 is None else alpha * mat1.T @ g]


def _addmm_inputs(n: NodeData):
    shape = n.input_shape(0) or (n.g().shape[-1],)
    return [torch.zeros(shape, dtype=torch.float64), saved_or_zeros(n, "mat1", 1, "mat1_sym_sizes"),
            saved_or_zeros(n, "mat2", 2, "mat2_sym_sizes")]


def _mm_backward(n: NodeData):
    g, a, b = n.g(), n.maybe("self"), n.maybe("mat2")
    return [None if b is None else g @ b.transpose(-1, -2), None if a is None else a.transpose(-1, -2) @ g]


def _mm_inputs(n: NodeData):
    return [saved_or_zeros(n, "self", 0, "self_sym_sizes"), saved_or_zeros(n, "mat2", 1, "mat2_sym_sizes")]


def _inverse(dims):
    inverse = [0] * len(dims)
    for i, d in enumerate(dims):
        inverse[d % len(dims)] = i
    return inverse


RULES = (
    Rule(
        ("AddmmBackward0",),
        en=("y = β·self + α·mat1 · mat2   (nn.Linear runs addmm(b, x, Wᵀ): self = b, mat1 = x, mat2 = Wᵀ)",
            "dL/dx = dL/dy · mat2ᵀ = dL/dy · W",
            "dL/dmat2 = mat1ᵀ · dL/dy = xᵀ · dL/dy   (the T node after it turns this into dL/dW = (dL/dy)ᵀ · x)",
            "dL/db = Σ over the batch of dL/dy"),
        zh=("y = β·self + α·mat1 · mat2   （nn.Linear 执行 addmm(b, x, Wᵀ)：self = b，mat1 = x，mat2 = Wᵀ）",
            "dL/dx = dL/dy · mat2ᵀ = dL/dy · W",
            "dL/dmat2 = mat1ᵀ · dL/dy = xᵀ · dL/dy   （其后的 T 节点把它变成 dL/dW = (dL/dy)ᵀ · x）",
            "dL/db = dL/dy 在批次上求和"),
        uses=("mat1", "mat2", "alpha", "beta"),
        slots=fixed("self (bias)", "mat1 (input)", "mat2 (weightᵀ)"),
        backward=_addmm_backward,
        inputs=_addmm_inputs,
        forward=lambda n, xs: (n.number("beta") * xs[0] + n.number("alpha") * xs[1] @ xs[2],),
    ),
    Rule(
        ("MmBackward0", "BmmBackward0"),
        en=("y = self · mat2   (Bmm: one product per batch entry)",
            "dL/dself = dL/dy · mat2ᵀ",
            "dL/dmat2 = selfᵀ · dL/dy"),
        zh=("y = self · mat2   （Bmm：批次中每一项各做一次矩阵乘法）",
            "dL/dself = dL/dy · mat2ᵀ",
            "dL/dmat2 = selfᵀ · dL/dy"),
        uses=("self", "mat2"),
        slots=fixed("self", "mat2"),
        backward=_mm_backward,
        inputs=_mm_inputs,
        forward=lambda n, xs: (xs[0] @ xs[1],),
    ),
    Rule(
        ("TBackward0",),
        en=("y = xᵀ", "dL/dx = (dL/dy)ᵀ   (after Addmm: dL/dW = (dL/dmat2)ᵀ = (dL/dy)ᵀ · x)"),
        zh=("y = xᵀ", "dL/dx = (dL/dy)ᵀ   （接在 Addmm 之后：dL/dW = (dL/dmat2)ᵀ = (dL/dy)ᵀ · x）"),
        uses=(),
        slots=fixed("input"),
        backward=lambda n: [n.g().T],
        inputs=zeros_like_inputs,
        forward=lambda n, xs: (xs[0].T,),
        input_note=LINEAR_NOTE,
    ),
    Rule(
        ("TransposeBackward0", "TransposeBackward1"),
        en=("y = x with dimensions dim0 and dim1 swapped", "dL/dx = dL/dy with the same two dimensions swapped back"),
        zh=("y = 交换 dim0 与 dim1 两个维度后的 x", "dL/dx = 把 dL/dy 的这两个维度交换回来"),
        uses=("dim0", "dim1"),
        slots=fixed("input"),
        backward=lambda n: [n.g().transpose(n.int("dim0"), n.int("dim1"))],
        inputs=zeros_like_inputs,
        forward=lambda n, xs: (xs[0].transpose(n.int("dim0"), n.int("dim1")),),
        input_note=LINEAR_NOTE,
    ),
    Rule(
        ("PermuteBackward0",),
        en=("y = x.permute(dims)", "dL/dx = dL/dy.permute(inverse of dims)"),
        zh=("y = x.permute(dims)", "dL/dx = dL/dy.permute(dims 的逆排列)"),
        uses=("dims",),
        slots=fixed("input"),
        backward=lambda n: [n.g().permute(_inverse(n.ints("dims")))],
        inputs=zeros_like_inputs,
        forward=lambda n, xs: (xs[0].permute(n.ints("dims")),),
        input_note=LINEAR_NOTE,
    ),
)
