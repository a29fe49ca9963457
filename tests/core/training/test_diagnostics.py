"""Diagnostics of a sampled step against the same statistics computed by hand with plain torch."""

import copy
import math

import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F

from explorer.core.data.datasets import BatchStream, load_dataset
from explorer.core.training.diagnostics import (
    DiagnosticsProbe,
    dead_fraction,
    histogram,
    first_nonfinite_parameter,
    locate_nonfinite,
    update_ratios,
)
from explorer.core.models import build_model
from explorer.core.training.schedule import EverySchedule
from explorer.core.training.loop import TrainConfig, train


@pytest.fixture(scope="module")
def digits():
    return load_dataset("digits")


def test_dead_fraction_counts_units_that_are_zero_for_every_sample():
    out = torch.relu(torch.randn(8, 3, 5, 5))
    out[:, 1] = 0.0  # channel 1: 25 dead units
    out[:, 0, 0, 0] = 0.0
    out[3, 0, 0, 0] = 2.0  # alive in one sample: not dead
    alive_by_hand = sum(bool((out[:, c, i, j] > 0).any()) for c in range(3) for i in range(5) for j in range(5))
    assert dead_fraction(out).item() == pytest.approx(1 - alive_by_hand / 75)
    assert dead_fraction(torch.tensor([0.0, 1.0, 0.0, 2.0])).item() == pytest.approx(0.5)  # 1-D: one sample


def test_update_ratio_is_the_norm_of_the_change_over_the_norm_of_the_weight():
    before = [torch.randn(4, 3), torch.randn(7), torch.zeros(2)]
    after = [b + 0.01 * torch.randn_like(b) for b in before]
    ratios = update_ratios(before, after)
    for r, b, a in zip(ratios[:2], before, after):
        assert r.item() == pytest.approx((torch.linalg.vector_norm(a - b) / torch.linalg.vector_norm(b)).item(), rel=1e-5)
    assert math.isnan(ratios[2].item())  # a zero weight has no ratio


def test_histogram_spans_the_tensors_quantiles_and_counts_every_value():
    t = torch.randn(50, 20)
    t[0, 0] = 1000.0  # one outlier: in the edge bin, not stretching the range
    lo, hi, counts = histogram(t, bins=16)
    ordered = t.reshape(-1).sort().values
    assert (lo, hi) == (ordered[1].item(), ordered[-2].item())  # k = 1 + 0.1% of 1000 = 2 from each end
    torch.testing.assert_close(counts, torch.histc(t.clamp(lo, hi), bins=16, min=lo, max=hi))
    assert counts.sum().item() == 1000 and counts[-1].item() >= 1


def test_histogram_ignores_nonfinite_values_and_handles_a_constant():
    t = torch.tensor([1.0, 2.0, math.nan, math.inf, 3.0])
    lo, hi, counts = histogram(t, bins=4)
    assert 1.0 <= lo < hi <= 3.0 and counts.sum().item() == 3
    lo, hi, counts = histogram(torch.full((5,), 2.0), bins=4)
    assert lo < 2.0 < hi and counts.sum().item() == 5
    lo, hi, counts = histogram(torch.full((3,), math.nan), bins=4)
    assert math.isnan(lo) and counts.sum().item() == 0


def test_a_sampled_histogram_has_the_shape_of_the_whole():
    t = torch.randn(100_000)
    probe = DiagnosticsProbe(nn.Linear(1, 1), bins=20, sample_size=4096)
    lo, hi, counts = probe.histogram(t)
    full = torch.histc(t.clamp(lo, hi), bins=20, min=lo, max=hi)
    assert counts.sum().item() == pytest.approx(t.numel(), rel=1e-6)
    assert (counts - full).abs().max().item() < 0.05 * t.numel()
    assert -4.0 < lo < -2.5 and 2.5 < hi < 4.0  # about the 0.1% and 99.9% quantiles of a normal


def reference_step(model, data, batch_size, seed, lr):
    """The first step of a run by hand: the ReLU outputs, gradients and weights before and after."""
    x, y = BatchStream(data, batch_size, seed).next()
    relus = {}
    h = F.relu(model.conv1(x)); relus["relu(conv1)"] = h
    h = F.max_pool2d(h, 2)
    h = F.relu(model.conv2(h)); relus["relu(conv2)"] = h
    h = F.max_pool2d(h, 2).flatten(1)
    h = F.relu(model.fc1(h)); relus["relu(fc1)"] = h
    h = F.relu(model.fc2(h)); relus["relu(fc2)"] = h
    loss = data.loss_fn(model.fc3(h), y)
    loss.backward()
    before = [p.detach().clone() for p in model.parameters()]
    with torch.no_grad():
        for p in model.parameters():
            p -= lr * p.grad
    return relus, [p.grad for p in model.parameters()], before, [p.detach() for p in model.parameters()]


def test_a_sampled_step_of_the_seed_net_matches_plain_torch(digits):
    model = build_model("seed", 0)
    reference = copy.deepcopy(model)
    config = TrainConfig(optimizer="manual-sgd", lr=0.05, batch_size=16, steps=1, seed=3)
    probe = DiagnosticsProbe(model, sample_size=4096)  # relu(fc2)'s 1,344 values are then histogrammed whole
    (metrics,) = train(model, digits, config, probe=probe, schedule=EverySchedule(1))
    d = metrics.diagnostics
    relus, grads, before, after = reference_step(reference, digits, 16, 3, 0.05)

    assert d.step == 1 and d.relu_names == tuple(relus)
    assert list(d.dead_relu) == pytest.approx([dead_fraction(r).item() for r in relus.values()], abs=1e-7)
    assert [h.name for h in d.activations] == ["conv1", "relu(conv1)", "conv2", "relu(conv2)", "fc1", "relu(fc1)",
                                               "fc2", "relu(fc2)", "fc3"]
    small = d.activations[7]  # relu(fc2): 16 x 84 values, few enough to be histogrammed whole
    values = relus["relu(fc2)"].detach().reshape(-1).sort().values
    lo, hi = values[1].item(), values[-2].item()  # k = 1 + 0.1% of 1344 = 2 from each end
    assert (small.lo, small.hi) == pytest.approx((lo, hi))
    expected = torch.histc(values.clamp(lo, hi), bins=len(small.counts), min=lo, max=hi)
    assert small.counts.tolist() == pytest.approx(expected.tolist())

    names = [n for n, _ in model.named_parameters()]
    assert d.param_names == tuple(names) and [h.name for h in d.gradients] == names
    bias_grad = grads[names.index("conv1.bias")]
    assert (d.gradients[1].lo, d.gradients[1].hi) == pytest.approx(  # 6 values: k = 1, the extremes
        (bias_grad.min().item(), bias_grad.max().item()))
    expected_ratios = [(torch.linalg.vector_norm(a - b) / torch.linalg.vector_norm(b)).item()
                       for a, b in zip(after, before)]
    assert list(d.update_ratios) == pytest.approx(expected_ratios, rel=1e-4)


def test_relu_modules_and_tensor_methods_are_seen_and_named():
    class Mixed(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(4, 8)
            self.act = nn.ReLU()
            self.out = nn.Linear(8, 8)

        def forward(self, x):
            return torch.relu(self.out(self.act(self.fc(x)))).relu()

    model = Mixed()
    sample = DiagnosticsProbe(model).sample(1)
    with sample.watch_forward():
        model(torch.randn(5, 4))
    d = sample.result()
    assert d.relu_names == ("act", "relu(out)", "relu(out) #2")
    assert [h.name for h in d.activations] == ["fc", "act", "out", "relu(out)", "relu(out) #2"]
    assert d.update_ratios is None  # no update was measured


def test_every_schedule_samples_step_one_and_every_kth_step(digits):
    model = build_model("seed", 0)
    records = list(train(model, digits, TrainConfig(steps=7, batch_size=4), probe=DiagnosticsProbe(model),
                         schedule=EverySchedule(diagnostics_every=3)))
    assert [r.step for r in records if r.diagnostics is not None] == [1, 3, 6]
    assert all(len(r.grad_norms) == 10 for r in records)


def test_the_origin_of_a_nonfinite_loss_is_located():
    model = nn.Sequential(nn.Linear(3, 3), nn.Linear(3, 2))
    x = torch.ones(2, 3)
    assert locate_nonfinite(model, x, "1.weight") == "the gradient of 1.weight"
    with torch.no_grad():
        model[0].weight.fill_(3e38)
    assert locate_nonfinite(model, x, "loss") == "the output of 0"
    with torch.no_grad():
        model[1].bias[0] = math.nan
    assert locate_nonfinite(model, x, "loss").startswith("the weights of 1.bias")
    assert first_nonfinite_parameter(model) == "1.bias"
    assert first_nonfinite_parameter(nn.Linear(3, 1)) is None
    assert locate_nonfinite(nn.Linear(3, 1), torch.full((1, 3), math.inf), "loss") == "the input batch"


@pytest.mark.parametrize("optimizer", ["sgd", "manual-sgd", "adam"])
def test_update_ratios_equal_the_change_of_the_weights_for_every_optimizer(digits, optimizer):
    """SGD and the tutorial's rule read ||dw|| from what the step used (gradients, momentum buffers); Adam
    compares copies. Each must give ||w_after - w_before|| / ||w_before|| of plain torch, step after step."""
    from explorer.core.optim import make_optimizer

    model = build_model("seed", 0)
    reference = copy.deepcopy(model)
    config = TrainConfig(optimizer=optimizer, lr=0.01, batch_size=4, steps=4, seed=2)
    records = list(train(model, digits, config, probe=DiagnosticsProbe(model), schedule=EverySchedule(1)))
    opt = make_optimizer(optimizer, reference.parameters(), 0.01, 0.9)
    stream = BatchStream(digits, 4, 2)
    for record in records:
        x, y = stream.next()
        opt.zero_grad(set_to_none=True)
        digits.loss_fn(reference(x), y).backward()
        before = [p.detach().clone() for p in reference.parameters()]
        opt.step()
        expected = [(torch.linalg.vector_norm(p.detach() - b) / torch.linalg.vector_norm(b)).item()
                    for p, b in zip(reference.parameters(), before)]
        assert list(record.diagnostics.update_ratios) == pytest.approx(expected, rel=1e-3)
