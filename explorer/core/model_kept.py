"""Run something on a model and leave it as it was: what the dry runs that check a model need."""

from __future__ import annotations

import contextlib
from typing import Iterator

import torch
import torch.nn as nn


@contextlib.contextmanager
def model_kept(model: nn.Module) -> Iterator[None]:
    """Whatever runs inside leaves the model's buffers, gradients, mode and torch's random streams as they were."""
    buffers = [(b, b.detach().clone()) for b in model.buffers()]
    grads = [(p, p.grad) for p in model.parameters()]
    was_training = model.training
    devices = sorted({t.device.index or 0 for t in [*model.parameters(), *model.buffers()] if t.is_cuda})
    try:
        with torch.random.fork_rng(devices=devices):
            yield
    finally:
        with torch.no_grad():
            for buffer, value in buffers:
                buffer.copy_(value)
        for param, grad in grads:
            param.grad = grad
        model.train(was_training)
