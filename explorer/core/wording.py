"""Each piece of wording the app computes, written once: phrases a GUI can translate, a node's title, a
tensor's dims, a number.

A `Phrase` is an English template with {0}-style slots and its arguments: the core and the command line
print it as it is, the window translates the template (explorer.ui.phrases) and fills in the same arguments.
"""

from __future__ import annotations

from dataclasses import dataclass

TIMES = "\u00d7"  # one symbol for every shape the app writes: 6×1×5×5


@dataclass(frozen=True)
class Phrase:
    template: str
    args: tuple = ()

    def __str__(self) -> str:
        return self.template.format(*self.args)


def dims(shape) -> str:
    """'6×1×5×5'; 'scalar' for a 0-d shape."""
    return TIMES.join(str(d) for d in shape) if len(shape) else "scalar"


def format_number(value: float) -> str:
    """Four significant digits: what fits under a tensor picture and in a status line."""
    return f"{value:.4g}"


def node_title(cls: str, module: str | None, param: str | None = None, label: str | None = None) -> str:
    """An autograd node as the app names it: 'AddmmBackward0 (fc2)', 'AccumulateGrad (conv1.bias)',
    'ReluBackward0 (forward)' for an op in the model's own forward, the bare class for the loss's own nodes
    when no module is known."""
    where = param or ("forward" if module == "" else module)
    name = label or cls
    return f"{name} ({where})" if where else name


def forward_title(kind: str, name: str, op: str, owner: str) -> str:
    """A forward step as the app names it: the module's name ('conv1'), or 'relu (forward)' for a function
    called in a forward."""
    return name if kind == "module" else f"{op} ({owner or 'forward'})"
