"""Which part of a model's output is the prediction: one rule for the window, train, graph and export.

1. A tensor is the prediction.
2. A name given by the user (`--output logits`, the Open model dialog, `explorer.show(output=...)`) picks a
   key of a dict or Hugging Face `ModelOutput`, a field of a named tuple, or an index of a tuple or list.
3. Otherwise an entry called `logits` (Hugging Face outputs, torchvision's GoogLeNet/Inception named tuples).
4. Otherwise, in a tuple or list, the first entry if it is a tensor: PyTorch's own convention for the main
   result (nn.LSTM's `(output, (h, c))`, nn.MultiheadAttention's `(attn_output, weights)`).
5. Otherwise the only tensor among a dict's entries.
6. Otherwise the rule refuses and lists the entries: a dict's order says nothing about which tensor is the
   prediction, and guessing would train on the wrong one with no sign.
"""

from __future__ import annotations

from collections.abc import Mapping

import torch

PREDICTION_NAME = "logits"


class OutputError(ValueError):
    """The prediction cannot be told from a model's output; the message lists what the output holds."""


def output_entries(output: object) -> list[tuple[str, object]]:
    """A structured output's top-level entries as (name, value): keys, named-tuple fields, or indices."""
    if isinstance(output, Mapping):  # dict, OrderedDict, Hugging Face ModelOutput
        return [(str(k), v) for k, v in output.items()]
    if isinstance(output, tuple) and hasattr(output, "_fields"):
        return list(zip(output._fields, output))
    if isinstance(output, (tuple, list)):
        return [(str(i), v) for i, v in enumerate(output)]
    return []


def describe_output(output: object) -> str:
    """e.g. "dict {aux: [2, 16], logits: [2, 10]}", for messages that ask the user to name the prediction."""
    parts = []
    for name, value in output_entries(output):
        shape = f"[{', '.join(map(str, value.shape))}]" if isinstance(value, torch.Tensor) else type(value).__name__
        parts.append(f"{name}: {shape}")
    return f"{type(output).__name__} {{{', '.join(parts)}}}"


def select_output(output: object, name: str | None = None) -> torch.Tensor:
    """The prediction in `output` by the rule above; `name` is the user's choice (step 2) or None."""
    if isinstance(output, torch.Tensor):
        if name:
            raise OutputError(f"the model returned one tensor, which has no entry {name!r}: leave the output name empty")
        return output
    entries = output_entries(output)
    if not entries:
        raise OutputError(f"forward returned {type(output).__name__}, which holds no tensor")
    if not any(isinstance(v, torch.Tensor) for _, v in entries):
        raise OutputError(f"forward returned {describe_output(output)}, which holds no tensor")
    by_name = dict(entries)
    if name:
        if name not in by_name:
            raise OutputError(f"the output has no entry {name!r}; it holds {describe_output(output)}")
        return _tensor(by_name[name], name, output)
    if PREDICTION_NAME in by_name:
        return _tensor(by_name[PREDICTION_NAME], PREDICTION_NAME, output)
    if isinstance(output, (tuple, list)) and isinstance(output[0], torch.Tensor):
        return output[0]
    tensors = [(n, v) for n, v in entries if isinstance(v, torch.Tensor)]
    if len(tensors) == 1:
        return tensors[0][1]
    raise OutputError(f"forward returned {describe_output(output)}: name the prediction "
                      f"(--output NAME, or Prediction output in the Open model dialog), e.g. --output {tensors[0][0]}")


def _tensor(value: object, name: str, output: object) -> torch.Tensor:
    if not isinstance(value, torch.Tensor):
        raise OutputError(f"the output's entry {name!r} is a {type(value).__name__}, not a tensor; "
                          f"it holds {describe_output(output)}")
    return value
