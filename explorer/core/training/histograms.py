"""Histograms of many tensors at once: a handful of torch ops for all of a step's tensors, not a handful each.

A sampled step histograms ~20 tensors (every gradient, every watched activation). One at a time, each cost
a quantile search, a clamp, a histc and a transfer of its range to the CPU: about 100 Python-level torch
calls a step, which made a diagnostics sample cost several training steps at batch 1. Here the values of
all tensors (each at most a fixed sample of its values) are padded into one matrix, and the ranges and
counts of every row come out of one topk pair, one bincount and no transfer at all.
"""

from __future__ import annotations

import math
from typing import Sequence

import torch

HISTOGRAM_BINS = 48
EDGE_DIVISOR = 1000  # a histogram spans its k-th smallest to k-th largest value, k = 1 + n // 1000 (0.1%)


def histograms(rows: Sequence[torch.Tensor], scales: Sequence[float], bins: int = HISTOGRAM_BINS,
               ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """(lo, hi, counts) for each 1-D float tensor in `rows`: lo/hi of shape (T,), counts (T, bins), all on
    the rows' device. Only finite values count; lo and hi are about the 0.1% and 99.9% quantiles (values beyond
    count in the edge bins: gradients are heavy-tailed); a row with one value spans a unit range around it;
    a row with no finite value has lo = hi = NaN and no counts. Row i's counts are multiplied by scales[i]
    (a sampled row stands for a bigger tensor)."""
    device = rows[0].device
    t = len(rows)
    lengths = [int(r.numel()) for r in rows]
    width = max(1, max(lengths))
    matrix = torch.nn.utils.rnn.pad_sequence(list(rows), batch_first=True, padding_value=math.nan)
    if matrix.shape[1] == 0:  # only empty tensors: one missing value each
        matrix = torch.full((t, 1), math.nan, device=device)
    clean = torch.where(torch.isfinite(matrix), matrix, math.nan)  # +-Inf out too; topk ranks NaN above numbers
    # k from each row's length, known here without asking the device; a row with fewer than k finite values
    # picks a NaN, which is what a row without values should get.
    k_max = min(width, 1 + width // EDGE_DIVISOR)
    pick = torch.tensor([[min(k_max, 1 + max(n, 1) // EDGE_DIVISOR) - 1] for n in lengths], device=device)
    lo = torch.topk(clean, k_max, dim=1, largest=False).values.gather(1, pick)
    hi = torch.topk(clean.neg(), k_max, dim=1, largest=False).values.gather(1, pick).neg_()
    same = (hi <= lo).float().mul_(0.5)  # (nearly) one value: a unit range around it
    lo, hi = lo - same, hi + same
    # The bin as torch.histc finds it, (x - lo) * bins / (hi - lo), the top edge in the last bin; values
    # beyond the range in the edge bins; missing values (NaN) in one extra bin past the end, dropped.
    position = (clean - lo).mul_(bins / (hi - lo)).floor_().clamp_(0, bins - 1)
    position += torch.arange(0, t * bins, bins, device=device, dtype=position.dtype).unsqueeze(1)
    index = torch.nan_to_num(position, nan=t * bins).long().reshape(-1)
    counts = torch.bincount(index, minlength=t * bins + 1)[: t * bins].reshape(t, bins).float()
    counts *= torch.tensor(list(scales), dtype=torch.float32, device=device).unsqueeze(1)
    return lo.squeeze(1), hi.squeeze(1), counts


def histogram(t: torch.Tensor, bins: int = HISTOGRAM_BINS,
              sample: torch.Tensor | None = None) -> tuple[float, float, torch.Tensor]:
    """(lo, hi, counts) of one tensor's finite values (see histograms); with `sample` (indices into the
    flattened tensor) only those values are counted, scaled up to t's size. counts stay on t's device."""
    values = t.detach().reshape(-1).float()
    total = values.numel()
    if total == 0:
        return math.nan, math.nan, torch.zeros(bins, device=t.device)
    if sample is not None:
        values = values[sample]
    lo, hi, counts = histograms([values], [total / values.numel()], bins)
    lo_value, hi_value = torch.stack([lo[0], hi[0]]).tolist()
    return lo_value, hi_value, counts[0]
