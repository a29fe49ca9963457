"""Record one real forward pass, one step per leaf module call or top-level functional op.

Leaf modules (conv1, fc1, ...) are caught with forward hooks. Functional ops that a forward calls outside any
leaf module (F.relu, F.max_pool2d, x.view, torch.cat, + ...) are caught with a TorchFunctionMode, so the
tutorial's forward reads as the page writes it: conv1, relu, max_pool2d, conv2, ... Each step keeps detached
copies of the real tensors that went in and came out, taken at the moment they were computed.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn as nn
from torch.overrides import TorchFunctionMode
from torch.utils._pytree import tree_flatten

from explorer.core.wording import forward_title

# Attribute reads (x.shape, x.grad_fn) go through __torch_function__ as descriptor __get__ calls: not steps.
_NOT_STEPS = {"__get__", "__set__", "__delete__"}


@dataclass(frozen=True)
class ForwardStep:
    """One step of the forward pass and the real tensors it saw."""

    index: int
    name: str  # qualified module name ("conv2") or op name ("relu")
    kind: str  # "module" or "function"
    op: str  # module class ("Conv2d") or op name ("max_pool2d")
    owner: str  # the module whose forward made this call ("" is the model itself)
    inputs: tuple[torch.Tensor, ...]
    outputs: tuple[torch.Tensor, ...]

    @property
    def output(self) -> torch.Tensor | None:
        return self.outputs[0] if self.outputs else None

    @property
    def title(self) -> str:
        return forward_title(self.kind, self.name, self.op, self.owner)

    def __repr__(self) -> str:
        shapes = [tuple(t.shape) for t in self.outputs]
        return f"ForwardStep({self.index}: {self.kind} {self.name!r} {self.op} -> {shapes})"


def _tensors(obj) -> tuple[torch.Tensor, ...]:
    """Detached copies of every tensor in obj, made without being seen as steps of the pass."""
    leaves, _ = tree_flatten(obj)
    with torch._C.DisableTorchFunction():
        return tuple(t.detach().clone() for t in leaves if isinstance(t, torch.Tensor))


def _op_name(func) -> str:
    name = getattr(func, "__name__", None) or repr(func)
    return name.strip("_") or name


class _FunctionSteps(TorchFunctionMode):
    """Sees every torch function call; keeps those made outside leaf modules."""

    def __init__(self, recorder: "ForwardRecorder"):
        super().__init__()
        self.recorder = recorder

    def __torch_function__(self, func, types, args=(), kwargs=None):
        out = func(*args, **(kwargs or {}))
        rec = self.recorder
        if rec.leaf_depth == 0 and getattr(func, "__name__", "") not in _NOT_STEPS:
            outputs = _tensors(out)
            if outputs:
                op = _op_name(func)
                rec.add(op, "function", op, rec.owner(), _tensors((args, kwargs)), outputs)
        return out


class ForwardRecorder:
    """Context manager around one forward pass of `model`; `steps` holds what it recorded."""

    def __init__(self, model: nn.Module):
        self.model = model
        self.steps: list[ForwardStep] = []
        self.leaf_depth = 0
        self._owners: list[str] = []
        self._handles: list = []
        self._pending_inputs: list[tuple[torch.Tensor, ...]] = []
        self._mode = _FunctionSteps(self)

    def owner(self) -> str:
        return self._owners[-1] if self._owners else ""

    def add(self, name, kind, op, owner, inputs, outputs) -> None:
        self.steps.append(ForwardStep(len(self.steps), name, kind, op, owner, inputs, outputs))

    def __enter__(self) -> "ForwardRecorder":
        for name, module in self.model.named_modules():
            is_leaf = next(module.children(), None) is None and module is not self.model
            self._handles.append(module.register_forward_pre_hook(self._pre_hook(name, is_leaf)))
            self._handles.append(module.register_forward_hook(self._post_hook(name, is_leaf), always_call=True))
        self._mode.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self._mode.__exit__(*exc)
        for h in self._handles:
            h.remove()
        self._handles.clear()

    def _pre_hook(self, name: str, is_leaf: bool):
        def hook(module, args):
            if self.leaf_depth:
                return  # a module inside a leaf (rare): its parent's step covers it
            self._owners.append(name)
            if is_leaf:
                self.leaf_depth += 1
                self._pending_inputs.append(_tensors(args))

        return hook

    def _post_hook(self, name: str, is_leaf: bool):
        def hook(module, args, output):
            if is_leaf and self.leaf_depth == 1 and self._owners and self._owners[-1] == name:
                self.leaf_depth = 0
                self._owners.pop()
                parent = self.owner()
                self.add(name, "module", type(module).__name__, parent, self._pending_inputs.pop(), _tensors(output))
            elif not is_leaf and self.leaf_depth == 0 and self._owners and self._owners[-1] == name:
                self._owners.pop()

        return hook
