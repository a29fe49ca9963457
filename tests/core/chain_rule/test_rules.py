"""Each written rule against torch: random inputs of several shapes (batch > 1, broadcasting), in float64.

For every case the node's gradients are taken from torch.autograd.grad (hooks read what the node sent on, a
pre-hook its saved tensors); the rule must recompute them, its worked element must add up to autograd's
element, and the central difference of the node's forward must match it.
"""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from explorer.core.autograd.backward_recorder import read_saved
from explorer.core.chain_rule import NodeData, explain_node, rule_for

G = torch.Generator().manual_seed(0)


def r(*shape, grad=True, positive=False):
    t = torch.randn(*shape, generator=G, dtype=torch.float64)
    if positive:
        t = t.abs() + 0.5
    return t.requires_grad_(grad)


def _conv_case(dims, **kw):
    def case():
        x = r(*dims)
        w = r(4, dims[1] // kw.get("groups", 1), *([3] * (len(dims) - 2)))
        b = r(4)
        conv = F.conv1d if len(dims) == 3 else F.conv2d
        return conv(x, w, b, **kw), [x, w, b]
    return case


def _cat_case():
    a, b, c = r(2, 3), r(2, 1, grad=False), r(2, 4)
    return torch.cat([a, b, c], 1), [a, c]


def _bn_case(training):
    def case():
        x, w, b = r(4, 3, 5, 5), r(3), r(3)
        mean, var = torch.randn(3, dtype=torch.float64), torch.rand(3, dtype=torch.float64) + 0.5
        return F.batch_norm(x, mean, var, w, b, training=training), [x, w, b]
    return case


def _sdpa_case(**kw):
    def case():
        q, k, v = r(2, 2, 5, 4), r(2, 2, 6, 4), r(2, 2, 6, 3)
        if kw.get("is_causal"):
            k, v = r(2, 2, 5, 4), r(2, 2, 5, 3)
        return F.scaled_dot_product_attention(q, k, v, **kw), [q, k, v]
    return case


def _split_case():
    x = r(3, 7, 2)
    a, _, c = x.split(3, 1)
    return a, [x], (a.grad_fn, [a, c])


CASES = {
    "linear (Addmm)": lambda: (lambda x, w, b: (F.linear(x, w, b), [x, w, b]))(r(5, 7), r(3, 7), r(3)),
    "addmm broadcast bias": lambda: (lambda b, x, m: (torch.addmm(b, x, m, beta=0.5, alpha=2.0), [b, x, m]))(r(1, 4), r(3, 2), r(2, 4)),
    "mm": lambda: (lambda a, b: (a @ b, [a, b]))(r(4, 3), r(3, 5)),
    "mm one side": lambda: (lambda a, b: (a @ b, [a]))(r(4, 3), r(3, 5, grad=False)),
    "bmm": lambda: (lambda a, b: (torch.bmm(a, b), [a, b]))(r(2, 4, 3), r(2, 3, 5)),
    "t": lambda: (lambda a: (a.t(), [a]))(r(3, 5)),
    "transpose": lambda: (lambda a: (a.transpose(0, 2), [a]))(r(2, 3, 4)),
    "permute": lambda: (lambda a: (a.permute(2, 0, 1), [a]))(r(2, 3, 4)),
    "view": lambda: (lambda a: (a.view(6, 4), [a]))(r(2, 3, 4)),
    "reshape (unsafe view)": lambda: (lambda a: (a.transpose(0, 1).reshape(3, 8), [a]))(r(2, 3, 4)),
    "flatten": lambda: (lambda a: (a.flatten(1), [a]))(r(2, 3, 4)),
    "unsqueeze": lambda: (lambda a: (a.unsqueeze(1), [a]))(r(2, 3)),
    "expand": lambda: (lambda a: (a.expand(4, 3, 5), [a]))(r(3, 1)),
    "sum": lambda: (lambda a: (a.sum(), [a]))(r(3, 4)),
    "sum dim": lambda: (lambda a: (a.sum((0, 2)), [a]))(r(2, 3, 4)),
    "sum keepdim": lambda: (lambda a: (a.sum(-1, keepdim=True), [a]))(r(2, 3, 4)),
    "mean": lambda: (lambda a: (a.mean(), [a]))(r(3, 4)),
    "mean dim": lambda: (lambda a: (a.mean((2, 3)), [a]))(r(2, 3, 4, 5)),
    "add broadcast": lambda: (lambda a, b: (a + b, [a, b]))(r(3, 4), r(4)),
    "add alpha": lambda: (lambda a, b: (torch.add(a, b, alpha=3.0), [a, b]))(r(2, 3, 4), r(3, 1)),
    "add scalar": lambda: (lambda a: (a + 2.0, [a]))(r(2, 3)),
    "sub broadcast": lambda: (lambda a, b: (a - b, [a, b]))(r(2, 1, 4), r(3, 1)),
    "mul broadcast": lambda: (lambda a, b: (a * b, [a, b]))(r(2, 3, 4), r(3, 1)),
    "mul scalar": lambda: (lambda a: (a * 3.5, [a]))(r(2, 3)),
    "div broadcast": lambda: (lambda a, b: (a / b, [a, b]))(r(2, 3, 4), r(4, positive=True)),
    "div scalar": lambda: (lambda a: (a / 4.0, [a]))(r(2, 3)),
    "neg": lambda: (lambda a: (-a, [a]))(r(2, 3)),
    "pow": lambda: (lambda a: (a.pow(3), [a]))(r(2, 3)),
    "exp": lambda: (lambda a: (a.exp(), [a]))(r(2, 3)),
    "log": lambda: (lambda a: (a.log(), [a]))(r(2, 3, positive=True)),
    "relu": lambda: (lambda a: (torch.relu(a), [a]))(r(4, 5)),
    "leaky relu": lambda: (lambda a: (F.leaky_relu(a, 0.2), [a]))(r(4, 5)),
    "gelu": lambda: (lambda a: (F.gelu(a), [a]))(r(4, 5)),
    "gelu tanh": lambda: (lambda a: (F.gelu(a, approximate="tanh"), [a]))(r(4, 5)),
    "sigmoid": lambda: (lambda a: (torch.sigmoid(a), [a]))(r(4, 5)),
    "tanh": lambda: (lambda a: (torch.tanh(a), [a]))(r(4, 5)),
    "softmax": lambda: (lambda a: (torch.softmax(a, 1), [a]))(r(3, 5, 2)),
    "log softmax": lambda: (lambda a: (torch.log_softmax(a, -1), [a]))(r(3, 5)),
    "nll loss": lambda: (lambda a: (F.nll_loss(a, torch.tensor([0, 3, 1, 3])), [a]))(r(4, 5)),
    "nll loss weighted, ignore": lambda: (lambda a: (F.nll_loss(a, torch.tensor([0, 3, -100, 2]), weight=torch.rand(5, dtype=torch.float64)), [a]))(r(4, 5)),
    "nll loss sum": lambda: (lambda a: (F.nll_loss(a, torch.tensor([1, 2]), reduction="sum"), [a]))(r(2, 5)),
    "nll loss none": lambda: (lambda a: (F.nll_loss(a, torch.tensor([1, 2, 0]), reduction="none"), [a]))(r(3, 5)),
    "mse loss": lambda: (lambda a, t: (F.mse_loss(a, t), [a, t]))(r(3, 4), r(3, 4)),
    "mse loss sum": lambda: (lambda a, t: (F.mse_loss(a, t, reduction="sum"), [a]))(r(3, 4), r(3, 4, grad=False)),
    "conv2d": _conv_case((2, 3, 7, 6)),
    "conv2d stride padding dilation": _conv_case((2, 2, 9, 8), stride=2, padding=1, dilation=2),
    "conv2d groups": _conv_case((3, 4, 6, 6), groups=2, padding=1),
    "conv1d": _conv_case((2, 3, 10), stride=2),
    "max pool": lambda: (lambda a: (F.max_pool2d(a, 2), [a]))(r(2, 3, 6, 6)),
    "max pool stride padding": lambda: (lambda a: (F.max_pool2d(a, 3, 2, 1), [a]))(r(2, 2, 7, 7)),
    "avg pool": lambda: (lambda a: (F.avg_pool2d(a, 2), [a]))(r(2, 3, 6, 6)),
    "avg pool padding no count": lambda: (lambda a: (F.avg_pool2d(a, 3, 2, 1, count_include_pad=False), [a]))(r(2, 2, 7, 7)),
    "adaptive avg pool": lambda: (lambda a: (F.adaptive_avg_pool2d(a, (3, 2)), [a]))(r(2, 3, 7, 5)),
    "global avg pool": lambda: (lambda a: (F.adaptive_avg_pool2d(a, 1), [a]))(r(2, 3, 4, 4)),
    "batch norm train": _bn_case(True),
    "batch norm eval": _bn_case(False),
    "layer norm": lambda: (lambda x, w, b: (F.layer_norm(x, (3, 4), w, b), [x, w, b]))(r(2, 5, 3, 4), r(3, 4), r(3, 4)),
    "embedding": lambda: (lambda w: (F.embedding(torch.tensor([[1, 3, 1], [0, 6, 2]]), w, padding_idx=0), [w]))(r(7, 4)),
    "cat": _cat_case,
    "stack": lambda: (lambda a, b: (torch.stack([a, b], 1), [a, b]))(r(2, 3), r(2, 3)),
    "slice": lambda: (lambda a: (a[:, 1:4:2], [a]))(r(3, 5)),
    "slice to end": lambda: (lambda a: (a[2:], [a]))(r(5, 2)),
    "select": lambda: (lambda a: (a[:, -1], [a]))(r(3, 5)),
    "dropout": lambda: (lambda a: (F.dropout(a, 0.4, training=True), [a]))(r(4, 5)),
    "native dropout": lambda: (lambda a: (torch.native_dropout(a, 0.4, True)[0], [a]))(r(4, 5)),
    "attention": _sdpa_case(),
    "attention causal": _sdpa_case(is_causal=True),
    "attention scale": _sdpa_case(scale=0.3),
}


def _run(case):
    made = case()
    y, inputs = made[0], made[1]
    node = y.grad_fn
    captured = {}
    node.register_prehook(lambda go: captured.__setitem__("saved", read_saved(node)))
    node.register_hook(lambda gi, go: captured.update(grad_out=tuple(gi), grad_in=tuple(go)))
    g = torch.randn(y.shape, generator=G, dtype=torch.float64)
    reference = torch.autograd.grad(y, inputs, g)
    direct = {slot: k for slot, (f, _) in enumerate(node.next_functions) for k, x in enumerate(inputs)
              if f is not None and getattr(f, "variable", None) is x}
    data = NodeData(type(node).__name__, captured["saved"], captured["grad_in"], captured["grad_out"])
    return data, inputs, reference, direct


@pytest.mark.parametrize("name", sorted(CASES))
def test_rule_matches_torch(name):
    node, inputs, reference, direct = _run(CASES[name])
    assert rule_for(node.cls) is not None, f"{name}: no rule for {node.cls}"
    # where an input feeds the node directly, the node sent on exactly torch.autograd.grad's gradient
    for slot, leaf in direct.items():
        assert torch.equal(node.grad_out[slot], reference[leaf]), (slot, leaf)
    e = explain_node(node)
    assert e.has_rule and e.problem is None, e.problem
    assert e.checks and all(c.relative is not None and c.relative < 1e-6 for c in e.checks), [c for c in e.checks]
    for slot in range(len(node.grad_out)):
        if node.grad_out[slot] is None:
            continue
        e = explain_node(node, slot=slot)
        w, n = e.worked, e.numeric
        assert w is not None and abs(w.total - w.autograd) <= 1e-9 * max(1.0, abs(w.autograd)), (slot, w)
        assert abs(w.rule_value - w.autograd) <= 1e-9 * max(1.0, abs(w.autograd))
        assert n is not None and (n.relative < 1e-6 or n.kink), (slot, n)


@pytest.mark.parametrize("how", ["split", "split_with_sizes", "unbind"])
def test_pieces_join_back(how):
    """Split / chunk / unbind: several outputs, one of them unused (its gradient is None)."""
    x = r(3, 7, 2)
    pieces = {"split": lambda: x.split(3, 1), "split_with_sizes": lambda: x.split([2, 4, 1], 1),
              "unbind": lambda: x.unbind(1)}[how]()
    used = [pieces[0], pieces[-1]]
    node = pieces[0].grad_fn
    captured = {}
    node.register_prehook(lambda go: captured.__setitem__("saved", read_saved(node)))
    node.register_hook(lambda gi, go: captured.update(grad_out=tuple(gi), grad_in=tuple(go)))
    grads = [torch.randn(p.shape, generator=G, dtype=torch.float64) for p in used]
    (reference,) = torch.autograd.grad(used, [x], grads)
    data = NodeData(type(node).__name__, captured["saved"], captured["grad_in"], captured["grad_out"])
    assert torch.equal(data.grad_out[0], reference)
    e = explain_node(data)
    assert e.problem is None and e.checks[0].relative < 1e-12
    assert abs(e.worked.total - e.worked.autograd) < 1e-12 and e.numeric.relative < 1e-6


def test_accumulate_grad_adds_to_what_was_there():
    w = r(3, 2)
    w.grad = torch.ones_like(w)
    before = w.grad.clone()
    node = (w * 2).grad_fn.next_functions[0][0]
    captured = {}
    node.register_hook(lambda gi, go: captured.update(grad_in=tuple(go)))
    (w * 2).sum().backward()
    data = NodeData("AccumulateGrad", {}, captured["grad_in"], (), {"grad_before": before, "grad_after": w.grad})
    e = explain_node(data, loss_at=lambda index, delta: float(((w.detach().clone().index_put_((torch.tensor(index[0]), torch.tensor(index[1])), w.detach()[index] + delta)) * 2).sum()))
    assert e.has_rule and e.checks[0].max_abs_diff == 0
    assert e.worked.total == pytest.approx(3.0) and e.worked.rest_sum == 1.0
    assert e.numeric.kind == "loss" and e.numeric.relative < 1e-6


def test_a_node_without_rule_still_shows_its_numbers():
    x = r(3, 4)
    y = torch.cumsum(x, 1)
    node = y.grad_fn
    captured = {}
    node.register_hook(lambda gi, go: captured.update(grad_out=tuple(gi), grad_in=tuple(go)))
    y.sum().backward()
    e = explain_node(NodeData(type(node).__name__, {}, captured["grad_in"], captured["grad_out"]))
    assert not e.has_rule and e.rule_en[0].startswith("no written rule")
    assert e.checks[0].shape == (3, 4) and e.checks[0].max_abs_diff is None and e.gradients_in[0][0] == (3, 4)
