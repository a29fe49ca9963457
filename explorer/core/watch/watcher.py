"""explorer.watch(model, run_dir): the app's training diagnostics in the user's own loop, through hooks.

What it hooks, and why these: a forward pre-hook on the model as the user calls it (DDP and torch.compile
wrappers included: their own hooks run eagerly) tells that a training step's forward began; torch.optim's
global step pre- and post-hooks fire around every optimizer.step(), after backward (and after DDP averaged
the gradients), which is where gradients are read and update sizes measured. No hook on backward itself: a
per-parameter hook would cost a Python call per tensor on every step, and the gradients are complete at
optimizer.step() anyway.

What it measures is explorer.core.training.diagnostics' (the app's own probe): gradient norms with one
torch._foreach_norm and one transfer on the steps the schedule picks; on sampled steps the forward is watched
(leaf outputs, every ReLU, functional ones too) for dead units and activation histograms, gradients are
histogrammed, and ||dw||/||w|| is measured around optimizer.step(). The schedule is the app's BudgetSchedule:
each kind of work gets a share of the measured step time, so watching keeps the loop near its own speed.

Watching only reads: no tensor of the model, its gradients or the optimizer is written, and no random number
generator is drawn from, so the weights stay bit-identical to an unwatched loop's.
"""

from __future__ import annotations

import atexit
import math
import os
import sys
import time
import weakref
from typing import Any

import torch
import torch.nn as nn

from explorer.core.training.diagnostics import DiagnosticsProbe, StepSample, first_nonfinite_parameter
from explorer.core.training.schedule import BudgetSchedule, Schedule
from explorer.core.watch import records
from explorer.core.watch.store import RunWriter
from explorer.core.watch.wrapping import current_rank, unwrap

STATS_SHARE = 0.003  # of the measured step time: gradient norms
DIAGNOSTICS_SHARE = 0.005  # histograms, update ratios, dead units
PENDING_LOSSES = 64  # tensors given to log() are read in batches of this many (one transfer, not one a step)


class WatchSchedule(BudgetSchedule):
    """The app's BudgetSchedule, plus charging time to a work without counting a run of it."""

    def charge(self, work: str, seconds: float) -> None:
        self.seconds[work] += seconds


class EverySchedule(Schedule):
    """every=N: statistics and diagnostics on step 1 and every N-th step."""

    def __init__(self, every: int):
        if every < 1:
            raise ValueError(f"every must be at least 1, got {every}")
        self.every = every

    def stats_due(self, step: int) -> bool:
        return step == 1 or step % self.every == 0

    def diagnostics_due(self, step: int) -> bool:
        return self.stats_due(step)

    def charge(self, work: str, seconds: float) -> None:
        """Fixed intervals: time is not rationed."""


class Watcher:
    """Records one model's training into run_dir; see watch()."""

    def __init__(self, model: nn.Module, run_dir: str | os.PathLike, *, every: int | None = None,
                 histograms: bool = True, activations: bool = True):
        if not isinstance(model, nn.Module):
            raise TypeError(f"watch() needs an nn.Module, got {type(model).__name__}")
        self.model = model
        self.module, self.wrappers = unwrap(model)
        self.histograms = histograms
        # Forward hooks inside a compiled graph would be traced into it (or break it): only the wrapper's own.
        self.activations = activations and "OptimizedModule" not in self.wrappers
        self.rank, self.world_size = current_rank()
        named = [(n, p) for n, p in self.module.named_parameters() if p.requires_grad]
        self.param_names = tuple(n for n, _ in named)
        self.params = tuple(p for _, p in named)
        self._param_ids = frozenset(id(p) for p in self.params)
        self._uniform = len({(p.dtype, p.device) for p in self.params}) <= 1
        self.schedule: WatchSchedule | EverySchedule = WatchSchedule(STATS_SHARE, DIAGNOSTICS_SHARE, 0.0) if every is None else EverySchedule(every)
        self.probe = DiagnosticsProbe(self.module)
        self.step = 0  # optimizer steps taken
        self.nonfinite_step: int | None = None
        self._optimizer: weakref.ref | None = None
        self._foreign: weakref.WeakSet = weakref.WeakSet()  # optimizers of other models
        self._forward_since_step = False
        self._logs = 0
        self._pending: list[tuple[str, int, torch.Tensor]] = []
        self._sample: StepSample | None = None  # the next step's diagnostics, when due
        self._watching = None  # the sample's forward watch while the forward runs
        self._locate_next_forward = False
        self._last_input: tuple | None = None
        self._charged_writer = 0.0
        self._last_step_end: float | None = None
        self._complained: set[str] = set()
        self._handles: list[Any] = []
        self.writer = RunWriter(run_dir, self.rank, self._meta(every))
        if self.writer.error is None:
            self._attach()
            atexit.register(self.close)

    def _meta(self, every: int | None) -> dict[str, object]:
        return {"rank": self.rank, "world_size": self.world_size, "model": repr(self.module)[:100_000],
                "model_class": type(self.module).__qualname__, "wrappers": list(self.wrappers),
                "params": [[n, list(p.shape)] for n, p in zip(self.param_names, self.params)],
                "every": every, "histograms": self.histograms, "activations": self.activations,
                "torch": torch.__version__}

    # ----- hooks ---------------------------------------------------------------------------------------
    def _attach(self) -> None:
        from torch.optim.optimizer import register_optimizer_step_post_hook, register_optimizer_step_pre_hook

        self._handles = [
            self.model.register_forward_pre_hook(self._on_forward_start, with_kwargs=True),
            self.model.register_forward_hook(self._on_forward_end, always_call=True),
            register_optimizer_step_pre_hook(self._on_step_start),
            register_optimizer_step_post_hook(self._on_step_end),
        ]
        self._last_step_end = None  # time spent detached is not step time
        self._arm(self.step + 1)

    def _detach(self) -> None:
        for handle in self._handles:
            handle.remove()
        self._handles = []
        self._end_forward_watch()

    @property
    def recording(self) -> bool:
        return bool(self._handles) and self.writer.active

    def _mine(self, optimizer: torch.optim.Optimizer) -> bool:
        if self._optimizer is not None:
            return self._optimizer() is optimizer
        if optimizer in self._foreign:
            return False
        owns = any(id(p) in self._param_ids for group in optimizer.param_groups for p in group["params"])
        if owns:
            self._optimizer = weakref.ref(optimizer)  # the first optimizer of this model's parameters counts steps
        else:
            self._foreign.add(optimizer)
        return owns

    def _on_forward_start(self, module, args, kwargs) -> None:
        if not (torch.is_grad_enabled() and module.training):
            return  # an evaluation pass is not a training step
        self._forward_since_step = True
        self._last_input = (args, kwargs)  # references, no copy: the batch the user holds anyway
        if self._locate_next_forward:
            self._locate_next_forward = False
            self._watching = _NonfiniteLocator(self, self.step + 1, "the forward pass")
        elif self._sample is not None and self.activations and not getattr(self._sample, "forward_seen", False):
            self._sample.forward_seen = True
            self._watching = self._sample.watch_forward()
            self._watching.__enter__()

    def _on_forward_end(self, module, args, output) -> None:
        self._end_forward_watch()

    def _end_forward_watch(self) -> None:
        watching, self._watching = self._watching, None
        if watching is not None:
            watching.__exit__(None, None, None)

    def _on_step_start(self, optimizer, args, kwargs) -> None:
        if not self._mine(optimizer):
            return
        step = self.step + 1
        self._end_forward_watch()  # a forward that raised before its post-hook ran
        if self.schedule.stats_due(step):
            if self._pending:  # the losses so far first: a reader then never sees a step's norms long before its loss
                self._read_pending()
            began = time.perf_counter()
            self._record_grad_norms(step)
            self.schedule.spent("stats", time.perf_counter() - began)
        sample = self._sample
        if sample is not None:
            if self.histograms:
                sample.after_backward([p.grad for p in self.params])
            sample.before_update(self.params)

    def _on_step_end(self, optimizer, args, kwargs) -> None:
        if not self._mine(optimizer):
            return
        step = self.step = self.step + 1
        self._forward_since_step = False
        sample, self._sample = self._sample, None
        began = time.perf_counter()
        if sample is not None:
            sample.after_update(self.params)
            for record in records.from_diagnostics(sample.result()):
                self.writer.put(record)
        if len(self._pending) >= PENDING_LOSSES:
            self._read_pending()
        # Everything watching costs is charged: the sample's own time, turning it into records, and the writer
        # thread's time (it holds the GIL the loop needs between two torch ops).
        written = self.writer.busy_seconds
        extra = time.perf_counter() - began + written - self._charged_writer
        self._charged_writer = written
        if sample is not None:
            self.schedule.spent("diagnostics", sample.seconds)
        self.schedule.charge("diagnostics", extra)
        now = time.perf_counter()
        if self._last_step_end is not None:
            self.schedule.spent("step", now - self._last_step_end)
        self._last_step_end = now
        if not self.writer.active:
            self._detach()  # the writer said why, once; from now on watching costs nothing
            return
        self._arm(step + 1)

    def _arm(self, step: int) -> None:
        if self.schedule.diagnostics_due(step):
            self._sample = self.probe.sample(step)

    # ----- measurements --------------------------------------------------------------------------------
    @torch.no_grad()
    def _record_grad_norms(self, step: int) -> None:
        grads = [_dense(p.grad) if p.grad is not None else torch.zeros((), dtype=p.dtype, device=p.device)
                 for p in self.params]
        if not grads:
            return
        norms = torch._foreach_norm(grads)
        values = torch.stack(norms).tolist() if self._uniform else [float(n) for n in norms]
        self.writer.put(records.vector("grad_norm", step, values))
        if self.nonfinite_step is None:
            bad = next((name for name, v in zip(self.param_names, values) if not math.isfinite(v)), None)
            if bad is not None:
                self._nonfinite(step, f"the gradient of {bad}")

    def _nonfinite(self, step: int, what: str) -> None:
        """The first NaN/Inf of the run: say what held it, whether the weights already do, and find the first
        module whose output holds one in the next training forward."""
        self.nonfinite_step = step
        self.writer.put(records.event(step, "nonfinite", f"step {step}: {what} is NaN or Inf"))
        broken = first_nonfinite_parameter(self.module)
        if broken is not None:
            self.writer.put(records.event(step, "nonfinite", f"step {step}: the weights of {broken} are NaN or Inf"))
        if not self._locate_in_last_batch(step):
            self._locate_next_forward = bool(self._handles)

    def _locate_in_last_batch(self, step: int) -> bool:
        """Run the step's batch through the model once more, without gradients, to find the first module whose
        output holds a NaN/Inf; before the optimizer applies the step, so its weights are the ones that made it.
        Training does not notice: batch-norm buffers are put back, random generators forked. Not for compiled
        models (a second compilation) nor SyncBatchNorm (a collective that other ranks would not join)."""
        if self._last_input is None or "OptimizedModule" in self.wrappers or any(
                isinstance(m, nn.SyncBatchNorm) for m in self.module.modules()):
            return False
        args, kwargs = self._last_input
        buffers = [(b, b.clone()) for b in self.module.buffers()]
        locator = _NonfiniteLocator(self, step, "its forward pass (run again without gradients)")
        devices = [p.device for p in self.params if p.device.type == "cuda"][:1]
        try:
            with torch.random.fork_rng(devices=devices), torch.no_grad():
                self.module(*args, **kwargs)
        except Exception:  # noqa: BLE001 - the user's forward may refuse a second call; then the next step says
            return locator.found
        finally:
            locator.__exit__()
            with torch.no_grad():
                for buffer, saved in buffers:
                    buffer.copy_(saved)
        return True

    def _read_pending(self) -> None:
        pending, self._pending = self._pending, []
        try:
            with torch.no_grad():
                values = torch.stack([t.reshape(()) for _, _, t in pending]).tolist()  # one transfer
        except RuntimeError:  # tensors on several devices or of odd kinds: one by one
            values = [float(t) for _, _, t in pending]
        for (name, step, _), value in zip(pending, values):
            self._put_scalar(name, step, value)

    def _put_scalar(self, name: str, step: int, value: float) -> None:
        self.writer.put(records.scalar(name, step, value))
        if name == "loss" and not math.isfinite(value) and self.nonfinite_step is None:
            self._nonfinite(step, "the loss")

    # ----- the user's side -----------------------------------------------------------------------------
    def log(self, step: int | None = None, **metrics) -> None:
        """Record scalars (loss=..., accuracy=..., any name) for the current training step. Tensors are
        read in batches, not one transfer a step. Never raises: a value that is not a number is skipped
        (said once)."""
        if not self.recording:
            return
        self._logs += 1
        if step is None:
            if self._optimizer is None:
                step = self._logs  # no optimizer.step() seen (yet): one log call per step
            else:
                step = self.step + 1 if self._forward_since_step else self.step
        for name, value in metrics.items():
            if isinstance(value, torch.Tensor):
                if value.numel() == 1:
                    self._pending.append((name, step, value.detach()))
                    continue
                value = value.detach().float().mean().item()
            try:
                number = float(value)
            except (TypeError, ValueError):
                if name not in self._complained:
                    self._complained.add(name)
                    print(f"explorer.watch: {name}={value!r} is not a number; not recorded", file=sys.stderr)
                continue
            self._put_scalar(name, step, number)

    def pause(self) -> None:
        """Stop watching for a while (an evaluation phase, a benchmark's plain rounds): hooks off, no cost."""
        self._detach()
        self._sample = None

    def resume(self) -> None:
        """Watch again after pause(); steps go on counting from where they were."""
        if not self._handles and self.writer.active:
            self._attach()

    def flush(self) -> bool:
        """Commit everything recorded so far; True when it is on disk (in the file's WAL)."""
        if self._pending:
            self._read_pending()
        return self.writer.flush()

    def close(self) -> None:
        """Stop watching: hooks removed, everything recorded so far committed. Called at exit too."""
        self._detach()
        if self._pending:
            self._read_pending()
        self.writer.close()
        atexit.unregister(self.close)

    def __enter__(self) -> "Watcher":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def error(self) -> str | None:
        return self.writer.error

    def __repr__(self) -> str:
        wrapped = f" in {'/'.join(self.wrappers)}" if self.wrappers else ""
        return (f"Watcher({type(self.module).__name__}{wrapped}, rank {self.rank}/{self.world_size}, step {self.step}, "
                f"{self.writer!r})")


class _NonfiniteLocator:
    """Watches one forward pass for the first leaf module whose output holds a NaN or Inf (one transfer per
    leaf: it runs once, after the first non-finite value of a run)."""

    def __init__(self, watcher: Watcher, step: int, where: str):
        self.watcher, self.step, self.where, self.found = watcher, step, where, False
        self.handles = [m.register_forward_hook(self._check(n)) for n, m in watcher.probe.leaves]

    def _check(self, name: str):
        def hook(module, args, output):
            if not self.found and isinstance(output, torch.Tensor) and output.is_floating_point():
                if not bool(torch.isfinite(output).all()):
                    self.found = True
                    self.watcher.writer.put(records.event(
                        self.step, "nonfinite_origin", f"step {self.step}: the first output with NaN or Inf in "
                        f"{self.where} is {name}'s"))
        return hook

    def __exit__(self, *exc) -> None:
        for h in self.handles:
            h.remove()


def _dense(g: torch.Tensor) -> torch.Tensor:
    return g.coalesce().values() if g.is_sparse else g


def watch(model: nn.Module, run_dir: str | os.PathLike, *, every: int | None = None, histograms: bool = True,
          activations: bool = True) -> Watcher:
    """Record `model`'s training into run_dir (one SQLite file per rank), from the user's own loop.

    Call it once the model is built (wrapped in DDP or torch.compile or not; under torchrun, after
    init_process_group, though torchrun's RANK variable is read otherwise), then train as usual: forward,
    loss.backward() and optimizer.step() are seen through hooks. `watcher.log(loss=loss, accuracy=...)`
    records scalars. every=None adapts how often gradients, histograms and dead units are measured to keep
    the loop's speed (a share of the measured step time); every=N measures them on every N-th step.
    `explorer runs DIR` prints a summary; `explorer --run DIR` follows the run in the window.
    """
    return Watcher(model, run_dir, every=every, histograms=histograms, activations=activations)
