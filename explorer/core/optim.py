"""Optimizers: the tutorial's manual rule, SGD with momentum and Adam, behind one factory.

The manual rule is a torch.optim.Optimizer too, so checkpoints store its state like any other.
"""

from __future__ import annotations

from typing import Iterable

import torch

OPTIMIZERS = ("manual-sgd", "sgd", "adam")


class ManualSGD(torch.optim.Optimizer):
    """The tutorial's update rule: weight = weight - learning_rate * gradient."""

    def __init__(self, params: Iterable, lr: float = 0.01):
        if lr <= 0:
            raise ValueError(f"learning rate must be positive, got {lr}")
        super().__init__(params, {"lr": lr})

    @torch.no_grad()
    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is not None:
                    p.sub_(group["lr"] * p.grad)
        return loss


def make_optimizer(name: str, params: Iterable, lr: float, momentum: float = 0.9) -> torch.optim.Optimizer:
    """Build an optimizer by its CLI/GUI name."""
    params = list(params)
    if name == "manual-sgd":
        return ManualSGD(params, lr=lr)
    if name == "sgd":
        return torch.optim.SGD(params, lr=lr, momentum=momentum)
    if name == "adam":
        return torch.optim.Adam(params, lr=lr)
    raise ValueError(f"unknown optimizer {name!r}; choose one of {', '.join(OPTIMIZERS)}")
