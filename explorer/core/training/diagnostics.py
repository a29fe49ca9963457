"""Costlier training statistics, measured only on the steps a schedule samples, so training stays fast.

On a sampled step the probe watches the forward pass (leaf module outputs with forward hooks, every ReLU,
functional `F.relu` included, with a TorchFunctionMode that is active on that step only), histograms the
gradients after backward, and measures how far the optimizer moved each parameter (||dw|| / ||w||, which
needs a copy of the weights from before the update). Tensors over HISTOGRAM_SAMPLE values are histogrammed
from a fixed random sample of their values. During the step the probe only keeps those values (a copy: an
in-place op may change an activation later); all histograms are computed together at the end of the step
(explorer.core.training.histograms) and everything comes to the CPU with one transfer.
"""

from __future__ import annotations

import math
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator, Sequence

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.overrides import TorchFunctionMode

from explorer.core.optim import ManualSGD
from explorer.core.training.histograms import HISTOGRAM_BINS, histogram, histograms

__all__ = ["HISTOGRAM_BINS", "HISTOGRAM_SAMPLE", "Diagnostics", "DiagnosticsProbe", "Histogram", "StepSample",
           "dead_fraction", "first_nonfinite_parameter", "histogram", "locate_nonfinite", "update_ratios"]

HISTOGRAM_SAMPLE = 1024  # a bigger tensor is histogrammed from this many of its values (48 bins: ~20 a bin)
_RELU_FUNCTIONS = {F.relu, F.relu_, torch.relu, torch.relu_, torch.Tensor.relu, torch.Tensor.relu_}


@dataclass(frozen=True)
class Histogram:
    """Counts of the finite values of one tensor in HISTOGRAM_BINS equal bins from lo to hi (its 0.1% and
    99.9% quantiles; values beyond are counted in the edge bins)."""

    name: str
    lo: float  # NaN when the tensor had no finite value
    hi: float
    counts: np.ndarray  # float32, read-only

    @property
    def edges(self) -> np.ndarray:
        return np.linspace(self.lo, self.hi, len(self.counts) + 1)

    def __repr__(self) -> str:
        return f"Histogram({self.name!r}, [{self.lo:.4g}, {self.hi:.4g}], n={int(self.counts.sum())})"


@dataclass(frozen=True)
class Diagnostics:
    """What one sampled step measured."""

    step: int
    param_names: tuple[str, ...]
    update_ratios: tuple[float, ...] | None  # ||w_after - w_before|| / ||w_before|| per parameter; None: no update
    relu_names: tuple[str, ...]  # "relu(conv1)" for F.relu(self.conv1(x)); the module name for nn.ReLU
    dead_relu: tuple[float, ...]  # per ReLU: fraction of its units that were 0 for every sample of the batch
    gradients: tuple[Histogram, ...]  # one per parameter, in param_names order
    activations: tuple[Histogram, ...]  # leaf module outputs and ReLU outputs, in forward order

    def __repr__(self) -> str:
        ratios = "none" if self.update_ratios is None else f"max {max(self.update_ratios, default=0):.3g}"
        return (f"Diagnostics(step={self.step}, update_ratios {ratios}, {len(self.relu_names)} ReLUs, "
                f"{len(self.gradients)} gradient and {len(self.activations)} activation histograms)")


# ----- the statistics, each checked against plain torch in tests/core/test_diagnostics.py -----------------
def dead_fraction(output: torch.Tensor) -> torch.Tensor:
    """Fraction of units (every position but the batch dimension) that are 0 for every sample; a 0-dim tensor."""
    per_sample = output.detach().reshape(output.shape[0], -1) if output.dim() >= 2 else output.detach().reshape(1, -1)
    alive = per_sample.amax(dim=0) > 0  # one float reduction; (x > 0).any(0) made a bool copy of x first
    return 1.0 - alive.float().mean()


def update_ratios(before: Sequence[torch.Tensor], after: Sequence[torch.Tensor], in_place: bool = False) -> torch.Tensor:
    """||after - before|| / ||before|| per tensor, as one 1-D tensor (NaN where ||before|| is 0).
    in_place: `before` may be overwritten (it is the probe's reused buffer; no 2 MB allocation a sample)."""
    size = torch.stack(torch._foreach_norm(list(before)))
    if in_place:
        torch._foreach_sub_(list(before), list(after))
        deltas = before
    else:
        deltas = torch._foreach_sub(list(after), list(before))
    moved = torch.stack(torch._foreach_norm(deltas))
    return torch.where(size > 0, moved / size, torch.full_like(size, math.nan))


def _direction_known(optimizer: torch.optim.Optimizer, params: Sequence[torch.Tensor]) -> bool:
    """Whether update_direction will know this step: the tutorial's rule, or plain SGD (momentum without
    dampening, Nesterov, weight decay or maximize), one parameter group, every parameter with a gradient."""
    if len(optimizer.param_groups) != 1 or any(p.grad is None for p in params):
        return False
    if type(optimizer) is ManualSGD:
        return True
    g = optimizer.param_groups[0]
    return (type(optimizer) is torch.optim.SGD and not g.get("nesterov") and not g.get("maximize")
            and g.get("weight_decay", 0) == 0 and g.get("dampening", 0) == 0)


def update_direction(optimizer: torch.optim.Optimizer, params: Sequence[torch.Tensor]) -> tuple[list, float]:
    """(d, lr) with the step just taken w_after = w_before - lr * d, read after the step from what it used:
    the gradients (the tutorial's rule, SGD without momentum) or SGD's momentum buffers. So ||dw|| needs no
    copy of the weights (2.3 MB for the seed Net) and no subtraction: one norm of tensors the step touched.
    Only for optimizers _direction_known accepts."""
    g = optimizer.param_groups[0]
    if type(optimizer) is ManualSGD or not g.get("momentum"):
        return [p.grad for p in params], g["lr"]
    return [optimizer.state[p]["momentum_buffer"] for p in params], g["lr"]


def first_nonfinite_parameter(model: nn.Module) -> str | None:
    """The first parameter holding a NaN or Inf, or None. Gradients are checked only on the steps that measure
    statistics, so a non-finite gradient on another step is applied, and the weights are what show it."""
    for name, p in model.named_parameters():
        if not torch.isfinite(p).all():
            return name
    return None


def locate_nonfinite(model: nn.Module, x, nonfinite: str) -> str:
    """Where the first NaN/Inf of a step is, in words: a gradient, a parameter, the input, the first leaf
    module whose output has one (found with one more forward pass, without gradients), or the loss.
    `x` is what the model takes: a tensor, a tuple (positional arguments) or a dict (keyword arguments)."""
    from explorer.core.data.batches import Batch  # the data package imports this one's users: import on use

    if nonfinite != "loss":
        return f"the gradient of {nonfinite}"
    broken = first_nonfinite_parameter(model)
    if broken is not None:
        return f"the weights of {broken} (an earlier update made them non-finite)"
    batch = Batch(x)
    if any(t.is_floating_point() and not torch.isfinite(t).all() for _, t in batch.tensors()):
        return "the input batch"
    found: list[str] = []

    def check(name):
        def hook(module, args, output):
            if not found and isinstance(output, torch.Tensor) and not torch.isfinite(output).all():
                found.append(name)
        return hook

    handles = [m.register_forward_hook(check(n)) for n, m in model.named_modules()
               if m is not model and next(m.children(), None) is None]
    try:
        with torch.no_grad():
            out = batch.call(model)
    finally:
        for h in handles:
            h.remove()
    if found:
        return f"the output of {found[0]}"
    if isinstance(out, torch.Tensor) and not torch.isfinite(out).all():
        return "the model's output"
    return "the loss (the model's output is finite)"


# ----- the probe ---------------------------------------------------------------------------------------
# The probe's own torch calls in a hook, out of sight of _ReluWatch: each call the mode sees costs ~6 us of Python,
# and the probe's sampling and dead-unit counts were three quarters of the calls it saw (the watched forward of the
# seed Net at batch 1 took 808 us against a plain forward's 287).
_unwatched = torch._C.DisableTorchFunction


class _ReluWatch(TorchFunctionMode):
    """Sees every torch call of one forward pass and keeps the output of each ReLU."""

    def __init__(self, sample: "StepSample"):
        super().__init__()
        self.sample = sample

    def __torch_function__(self, func, types, args=(), kwargs=None):
        out = func(*args, **(kwargs or {}))
        if func in _RELU_FUNCTIONS and isinstance(out, torch.Tensor):
            self.sample.add_relu(out)
        return out


class StepSample:
    """The measurements of one sampled step, filled in by the training loop as the step goes."""

    def __init__(self, probe: "DiagnosticsProbe", step: int):
        self.probe = probe
        self.step = step
        self._leaf_stack: list[tuple[str, nn.Module]] = []
        self._last_leaf = ""
        self._relu_names: list[str] = []
        self._dead: list[torch.Tensor] = []
        self._activations: list[tuple[str, torch.Tensor, float]] = []  # (name, sampled values, scale)
        self._gradients: list[tuple[torch.Tensor, float] | None] = []
        self._before: list[torch.Tensor] | None = None
        self._sizes: torch.Tensor | None = None  # ||w|| before the step, when the step's direction is known
        self._ratios: torch.Tensor | None = None
        self.seconds = 0.0  # time this sample added to its step, the watched forward counted whole
        self.forward_seconds = 0.0  # the watched forward alone (the loop subtracts what a plain one takes)

    @contextmanager
    def watch_forward(self) -> Iterator[None]:
        began = time.perf_counter()
        handles = []
        for name, module in self.probe.leaves:
            handles.append(module.register_forward_pre_hook(self._pre_hook(name, module)))
            handles.append(module.register_forward_hook(self._post_hook(name, module), always_call=True))
        try:
            with _ReluWatch(self):
                yield
        finally:
            for h in handles:
                h.remove()
            self.forward_seconds = time.perf_counter() - began
            self.seconds += self.forward_seconds
            self.probe.seconds["watched forward"] += self.forward_seconds

    def _pre_hook(self, name: str, module: nn.Module):
        def hook(mod, args):
            self._leaf_stack.append((name, module))

        return hook

    def _post_hook(self, name: str, module: nn.Module):
        def hook(mod, args, output):
            if self._leaf_stack and self._leaf_stack[-1][0] == name:
                self._leaf_stack.pop()
            self._last_leaf = name
            if isinstance(output, torch.Tensor) and not isinstance(module, nn.ReLU):  # the watch saw the ReLU
                with _unwatched():
                    self._activations.append((name, *self.probe.values(output)))

        return hook

    def add_relu(self, output: torch.Tensor) -> None:
        inside = self._leaf_stack[-1] if self._leaf_stack else None
        if inside is not None and isinstance(inside[1], nn.ReLU):
            name = inside[0]
        else:
            name = f"relu({inside[0] if inside else self._last_leaf or 'input'})"
        taken = set(self._relu_names)
        unique, n = name, 2
        while unique in taken:
            unique, n = f"{name} #{n}", n + 1
        self._relu_names.append(unique)
        self._dead.append(dead_fraction(output))
        self._activations.append((unique, *self.probe.values(output)))

    def after_backward(self, grads: Sequence[torch.Tensor | None]) -> None:
        began = time.perf_counter()
        self._gradients = [self.probe.values(g, copy=False) if g is not None else None for g in grads]
        self._spent("gradients", began)

    def before_update(self, params: Sequence[torch.Tensor], optimizer: torch.optim.Optimizer | None = None) -> None:
        """Read what the update ratio needs from before the step: for an optimizer whose step is known
        (update_direction) only the weights' norms, else a copy of the weights."""
        began = time.perf_counter()
        if optimizer is not None and _direction_known(optimizer, params):
            self._sizes = torch.stack(torch._foreach_norm([p.detach() for p in params]))
        else:
            self._before = self.probe.copy_of(params)
        self._spent("update ratios", began)

    def after_update(self, params: Sequence[torch.Tensor], optimizer: torch.optim.Optimizer | None = None) -> None:
        began = time.perf_counter()
        if self._sizes is not None:
            direction, lr = update_direction(optimizer, params)
            moved = torch.stack(torch._foreach_norm(direction)) * lr
            self._ratios = torch.where(self._sizes > 0, moved / self._sizes, torch.full_like(moved, math.nan))
            self._sizes = None
        else:
            self._ratios = update_ratios(self._before, [p.detach() for p in params], in_place=True)
        self._before = None
        self._spent("update ratios", began)

    def result(self) -> Diagnostics:
        began = time.perf_counter()
        try:
            return self._result()
        finally:
            self._spent("histograms", began)

    def _spent(self, part: str, began: float) -> None:
        took = time.perf_counter() - began
        self.seconds += took
        self.probe.seconds[part] += took

    def _result(self) -> Diagnostics:
        bins = self.probe.bins
        device = self.probe.device
        rows = [g for g in self._gradients if g is not None] + [(v, scale) for _, v, scale in self._activations]
        parts = [self._ratios if self._ratios is not None else torch.zeros(0, device=device)]
        if self._dead:
            parts.append(torch.stack(self._dead).to(device))
        if rows:
            lo, hi, counts = histograms([v.to(device) for v, _ in rows], [scale for _, scale in rows], bins)
            parts += [lo, hi, counts]
        values = torch.cat([p.reshape(-1).float() for p in parts]).cpu().numpy()  # the one transfer
        n_ratio = 0 if self._ratios is None else len(self._ratios)
        ratios = tuple(values[:n_ratio].tolist()) if self._ratios is not None else None
        at = n_ratio + len(self._dead)
        dead = tuple(values[n_ratio:at].tolist())
        n = len(rows)
        los, his = values[at : at + n].tolist(), values[at + n : at + 2 * n].tolist()
        counts = values[at + 2 * n :].reshape(-1, bins)
        made = iter(range(n))
        names = self.probe.param_names
        gradients = []
        for name, g in zip(names, self._gradients):
            if g is None:
                gradients.append(_histogram(name, math.nan, math.nan, np.zeros(bins)))
            else:
                i = next(made)
                gradients.append(_histogram(name, los[i], his[i], counts[i]))
        activations = []
        for name, _, _ in self._activations:
            i = next(made)
            activations.append(_histogram(name, los[i], his[i], counts[i]))
        return Diagnostics(self.step, names, ratios, tuple(self._relu_names), dead, tuple(gradients),
                           tuple(activations))


def _histogram(name: str, lo: float, hi: float, counts: np.ndarray) -> Histogram:
    counts = np.array(counts, dtype=np.float32)
    counts.setflags(write=False)
    return Histogram(name, lo, hi, counts)


class DiagnosticsProbe:
    """Measures the diagnostics of one model on the steps a schedule picks; makes a StepSample for each."""

    def __init__(self, model: nn.Module, bins: int = HISTOGRAM_BINS, sample_size: int = HISTOGRAM_SAMPLE):
        self.bins = bins
        self.sample_size = sample_size
        self._samples: dict[tuple[int, torch.device], torch.Tensor] = {}
        self._copy: list[torch.Tensor] = []
        self._copy_shapes: list | None = None
        self.param_names = tuple(n for n, _ in model.named_parameters())
        self.leaves = [(n, m) for n, m in model.named_modules() if m is not model and next(m.children(), None) is None]
        self._model = model
        # What the samples took, by part (the watched forward counted whole): bench/training.py prints the shares.
        self.seconds = dict.fromkeys(("watched forward", "gradients", "update ratios", "histograms"), 0.0)

    @property
    def device(self) -> torch.device:
        first = next(self._model.parameters(), None)  # read each time: the model may have moved
        return first.device if first is not None else torch.device("cpu")

    def copy_of(self, params: Sequence[torch.Tensor]) -> list[torch.Tensor]:
        """The parameters' values, copied into buffers kept between samples: a fresh copy of the seed Net's
        weights is a 2.3 MB allocation, which the allocator maps and the first write faults in each time."""
        params = [p.detach() for p in params]
        shapes = [(p.shape, p.dtype, p.device) for p in params]
        if self._copy_shapes != shapes:
            self._copy = [torch.empty_like(p) for p in params]
            self._copy_shapes = shapes
        torch._foreach_copy_(self._copy, params)
        return self._copy

    def values(self, t: torch.Tensor, copy: bool = True) -> tuple[torch.Tensor, float]:
        """The values of t to histogram, as a 1-D float tensor (at most sample_size of them, the same random
        positions every time so columns compare), and how many of t's values each stands for. copy=False
        for a tensor nothing changes before the step ends (a gradient: optimizers read it, never write it)."""
        flat = t.detach().reshape(-1)
        n = flat.numel()
        if n <= self.sample_size:
            return flat.to(torch.float32, copy=copy), 1.0
        key = (n, t.device)
        if key not in self._samples:
            g = torch.Generator().manual_seed(n)
            self._samples[key] = torch.randint(0, n, (self.sample_size,), generator=g).to(t.device)
        return flat.index_select(0, self._samples[key]).float(), n / self.sample_size

    def histogram(self, t: torch.Tensor) -> tuple[float, float, torch.Tensor]:
        """One tensor's histogram as a sampled step makes it (lo, hi, counts on t's device)."""
        if t.numel() == 0:
            return histogram(t, self.bins)
        values, scale = self.values(t)
        lo, hi, counts = histograms([values], [scale], self.bins)
        lo_value, hi_value = torch.stack([lo[0], hi[0]]).tolist()
        return lo_value, hi_value, counts[0]

    def sample(self, step: int) -> StepSample:
        return StepSample(self, step)

    def __repr__(self) -> str:
        return f"DiagnosticsProbe(bins={self.bins}, sample={self.sample_size}, {len(self.param_names)} parameters)"
