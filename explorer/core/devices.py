"""Where training can run: the CPU always, a CUDA GPU when this PyTorch build and machine have one."""

from __future__ import annotations

import os
from dataclasses import dataclass

import torch


@dataclass(frozen=True)
class DeviceChoice:
    name: str  # what torch.device() takes: "cpu", "cuda"
    label: str  # for a menu
    available: bool
    reason: str  # why it is not available ("" when it is)


def device_choices() -> tuple[DeviceChoice, ...]:
    cpu = DeviceChoice("cpu", "CPU", True, "")
    if torch.cuda.is_available():
        cuda = DeviceChoice("cuda", f"CUDA: {torch.cuda.get_device_name(0)}", True, "")
    elif torch.version.cuda is None:
        cuda = DeviceChoice("cuda", "CUDA GPU", False,
                            f"this PyTorch build ({torch.__version__}) has no CUDA support: install a CUDA build "
                            "of torch for your GPU to train on it")
    else:
        cuda = DeviceChoice("cuda", "CUDA GPU", False,
                            f"PyTorch {torch.__version__} supports CUDA {torch.version.cuda}, but "
                            "torch.cuda.is_available() found no usable GPU (driver missing or too old?)")
    return cpu, cuda


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def thread_choices() -> tuple[int, ...]:
    """Sensible CPU thread counts for torch: 1 up to the cores this process may use."""
    return tuple(range(1, max(usable_cores(), torch.get_num_threads()) + 1))


def gui_friendly_threads() -> int:
    """torch's threads for a window that trains: one core fewer than torch would take, so the GUI thread
    keeps a core. Measured on 2 cores shared with other work: with both cores, every parallel operator
    waits for a core the GUI thread or another process holds, and a batch-1 step ran 35x slower."""
    return max(1, min(torch.get_num_threads(), usable_cores() - 1))
