"""Histograms of many tensors at once against torch.histc of each, and the schedule's rate floor."""

import math

import pytest
import torch

from explorer.core.training.histograms import histograms
from explorer.core.training.schedule import BudgetSchedule


def test_batched_histograms_equal_histc_of_each_row():
    torch.manual_seed(0)
    rows = [torch.randn(3000) * 5, torch.rand(7), torch.full((4,), 2.0), torch.tensor([1.0, math.nan, math.inf, 3.0]),
            torch.full((3,), math.nan), torch.randn(1024).exp()]
    lo, hi, counts = histograms(rows, [1.0, 1.0, 1.0, 1.0, 1.0, 2.5], bins=16)
    for i, row in enumerate(rows):
        finite = row[torch.isfinite(row)]
        if finite.numel() == 0:
            assert math.isnan(lo[i].item()) and math.isnan(hi[i].item()) and counts[i].sum().item() == 0
            continue
        ordered = finite.sort().values
        k = 1 + finite.numel() // 1000
        a, b = ordered[k - 1].item(), ordered[-k].item()
        if a == b:
            a, b = a - 0.5, b + 0.5
        assert (lo[i].item(), hi[i].item()) == pytest.approx((a, b))
        expected = torch.histc(finite.clamp(a, b), bins=16, min=a, max=b) * (2.5 if i == 5 else 1.0)
        assert counts[i].tolist() == pytest.approx(expected.tolist())


def test_the_schedule_owes_each_work_a_rate_within_its_ceiling():
    schedule = BudgetSchedule(stats=0.0, diagnostics=0.0, test=0.0, rate=5.0)
    due = []
    for step in range(1, 1001):  # 1,000 steps of 10 ms, each sample costing 0.1 ms: 10 s of training
        if schedule.diagnostics_due(step):
            due.append(step)
            schedule.spent("diagnostics", 0.0001)
        schedule.spent("step", 0.01)
    assert 49 <= len(due) <= 51  # 5 a second
    costly = BudgetSchedule(stats=0.0, diagnostics=0.0, test=0.0, rate=5.0)
    taken = 0
    for step in range(1, 1001):  # each sample costs 20 ms, two steps: the 2% ceiling allows about 10
        if costly.diagnostics_due(step):
            taken += 1
            costly.spent("diagnostics", 0.02)
        costly.spent("step", 0.01)
    assert 8 <= taken <= 12
