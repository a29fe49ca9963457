"""Where a watched model really is: under DistributedDataParallel, DataParallel or torch.compile, and which
rank of a torch.distributed job this process is."""

from __future__ import annotations

import os

import torch.nn as nn


def unwrap(model: nn.Module) -> tuple[nn.Module, tuple[str, ...]]:
    """The module inside the wrappers, and the wrappers' class names from the outside in.

    torch.compile's OptimizedModule is recognised by name and attribute: importing torch._dynamo to test
    isinstance would cost a second for every user who never compiles."""
    wrappers = []
    while True:
        if isinstance(model, (nn.parallel.DistributedDataParallel, nn.DataParallel)):
            wrappers.append(type(model).__name__)
            model = model.module
        elif type(model).__name__ == "OptimizedModule" and isinstance(getattr(model, "_orig_mod", None), nn.Module):
            wrappers.append("OptimizedModule")
            model = model._orig_mod
        else:
            return model, tuple(wrappers)


def current_rank() -> tuple[int, int]:
    """(rank, world size): torch.distributed's when a process group is initialised, else torchrun's RANK and
    WORLD_SIZE variables (set before the user's script calls init_process_group), else (0, 1)."""
    import torch.distributed as dist

    if dist.is_available() and dist.is_initialized():
        return dist.get_rank(), dist.get_world_size()
    try:
        return int(os.environ.get("RANK", "0")), int(os.environ.get("WORLD_SIZE", "1"))
    except ValueError:
        return 0, 1
