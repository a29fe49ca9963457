"""Which module created each autograd node: forward hooks claim a module's new grad_fn nodes.

When a module's forward finishes, its hook walks back from the output tensors through
`grad_fn.next_functions` and claims every node that is new (created since that call began) and not
yet claimed. Inner modules finish first, so a node lands in the innermost module whose forward made
it; functional ops in a parent's forward (F.relu in Net.forward) land in the parent; the root
module's name is "". A module called twice claims each call's nodes.

"New" is decided by autograd's own sequence numbers: every node gets the next number of a
thread-local counter when it is created, so a call owns the nodes numbered from the counter's value
at its start. The walk never enters a node a child call already claimed; instead each call hands
the older nodes at its border to the open call that created them (the innermost one that started
before them). So every node is visited by one walk only: the cost is O(new nodes) per call.
AccumulateGrad nodes (numbered UINT64_MAX, not in creation order) are claimed by the innermost
finishing call whose module owns the parameter, directly or through a submodule.
"""

from __future__ import annotations

import bisect
import contextlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

import torch
import torch.nn as nn
from torch.autograd.graph import Node

# Peeks at the thread-local counter that numbers new nodes (what torch.fx uses for the same job).
_next_sequence_nr = torch.autograd._get_sequence_nr
_LEAF_SEQUENCE_NR = 2**64 - 1  # AccumulateGrad's number: leaves are not created by a forward


class NodeModules(Mapping[Node, str]):
    """grad_fn node -> qualified name of the module whose forward created it ("" for the root).

    Holds strong references to its nodes, so they keep their identity while this mapping lives.
    """

    def __init__(self) -> None:
        self._modules: dict[Node, str] = {}

    def __getitem__(self, node: Node) -> str:
        return self._modules[node]

    def __iter__(self) -> Iterator[Node]:
        return iter(self._modules)

    def __len__(self) -> int:
        return len(self._modules)

    def __repr__(self) -> str:
        return f"NodeModules({len(self._modules)} nodes in {len(set(self._modules.values()))} modules)"


@dataclass
class _Call:
    """One module call in progress: where its node numbers start, and border nodes handed to it."""

    name: str
    start: int
    pending: list[Node] = field(default_factory=list)


class _Recorder:
    def __init__(self, model: nn.Module, result: NodeModules):
        self._claimed = result._modules
        self._calls: list[_Call] = []
        self._starts: list[int] = []  # the calls' start numbers, nondecreasing (calls nest)
        # id(parameter) -> the module that registers it; its AccumulateGrad belongs there or above
        self._param_owner = {
            id(param): name for name, module in model.named_modules() for param in module.parameters(recurse=False)
        }

    def before_forward(self, name: str) -> None:
        start = _next_sequence_nr()
        self._calls.append(_Call(name, start))
        self._starts.append(start)

    def after_forward(self, name: str, output: object) -> None:
        # Normally the top call is this one; after an exception caught inside a forward, drop the rest.
        while self._calls:
            call = self._calls.pop()
            self._starts.pop()
            if call.name == name:
                break
        else:
            return
        self._claim(call, [t.grad_fn for t in _tensors(output) if t.grad_fn is not None] + call.pending)

    def _claim(self, call: _Call, stack: list[Node]) -> None:
        claimed, handed = self._claimed, set()
        while stack:
            node = stack.pop()
            if node in claimed or node in handed:
                continue
            number = node._sequence_nr()
            if number == _LEAF_SEQUENCE_NR:
                if self._owns(call.name, node):
                    claimed[node] = call.name
                elif self._calls:
                    self._calls[-1].pending.append(node)
                handed.add(node)
            elif number < call.start:
                # made before this call began: it belongs to the innermost open call that was running then
                index = bisect.bisect_right(self._starts, number) - 1
                if index >= 0:
                    self._calls[index].pending.append(node)
                handed.add(node)
            else:
                claimed[node] = call.name
                stack.extend(next_node for next_node, _ in node.next_functions if next_node is not None)

    def _owns(self, name: str, accumulate_grad: Node) -> bool:
        owner = self._param_owner.get(id(getattr(accumulate_grad, "variable", None)))
        return owner is not None and (name == "" or owner == name or owner.startswith(name + "."))


@contextlib.contextmanager
def record_node_modules(model: nn.Module) -> Iterator[NodeModules]:
    """Run forward passes inside this block to learn which module created each grad_fn node."""
    result = NodeModules()
    recorder = _Recorder(model, result)
    handles = []
    try:
        for name, module in model.named_modules():
            handles.append(module.register_forward_pre_hook(lambda _m, _args, name=name: recorder.before_forward(name)))
            handles.append(
                module.register_forward_hook(
                    lambda _m, _args, output, name=name: recorder.after_forward(name, output), always_call=True
                )
            )
        yield result
    finally:
        for handle in handles:
            handle.remove()


def _tensors(value: object) -> Iterator[torch.Tensor]:
    """Every tensor in a module's output, through any nesting of tuples, lists and dicts."""
    if isinstance(value, torch.Tensor):
        yield value
    elif isinstance(value, (tuple, list)):
        for item in value:
            yield from _tensors(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _tensors(item)
