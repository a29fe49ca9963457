"""A checkpoint's metadata: plain data only, the fields explorer records itself, and the model it names.

Metadata is plain data (str, int, float, bool, None, lists, and dicts with str keys), so a `.pt`
file loads with weights_only=True. Callers give "model" (the model spec text, e.g. "seed"),
"dataset", "hyperparameters" and "metrics"; full_metadata adds "format_version",
"explorer_version", "torch_version", "saved_at" (ISO 8601, UTC) and "optimizer_class".
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING

import torch

from explorer import __version__
from explorer.core.checkpoint.errors import CheckpointError
from explorer.core.models import ModelSpec, ModelSpecError, model_spec

if TYPE_CHECKING:
    from explorer.core.checkpoint.contents import Checkpoint

FORMAT_VERSION = 1
MODEL_SPEC_KEY = "model"
# The model's constructor arguments (a JSON object as text) and one sample's input shape (e.g. "1,28,28"),
# recorded next to MODEL_SPEC_KEY when they are not the defaults.
MODEL_KWARGS_KEY, INPUT_SHAPE_KEY = "model_kwargs", "input_shape"
# The output entry that is the prediction (explorer.core.outputs), recorded when the user named one.
OUTPUT_KEY = "output"
# safetensors keeps step and loss among the metadata strings, so a metadata field may not use these names.
RESERVED_METADATA_KEYS = ("step", "loss")
# What save_checkpoint records on every write; a conversion renews these rather than copying them.
AUTOMATIC_METADATA_KEYS = ("format_version", "explorer_version", "torch_version", "saved_at", "optimizer_class")
_PLAIN_SCALARS = (str, int, float, bool, type(None))


def plain_data_problem(value: object, where: str) -> str | None:
    """Where `value` holds something other than plain data, and what; None when it is all plain."""
    kind = type(value)  # exact types: a numpy float or a str subclass would not load with weights_only
    if kind in _PLAIN_SCALARS:
        return None
    if kind is list:
        return next((p for i, item in enumerate(value) if (p := plain_data_problem(item, f"{where}[{i}]"))), None)
    if kind is dict:
        for key, item in value.items():
            if type(key) is not str:
                return f"{where} has a key {key!r} that is not a str"
            problem = plain_data_problem(item, f"{where}[{key!r}]")
            if problem:
                return problem
        return None
    return f"{where} is a {kind.__module__}.{kind.__qualname__}"


def check_caller_metadata(metadata: dict) -> None:
    """Raise TypeError or ValueError for metadata a caller may not save: not plain data, or a reserved name."""
    problem = plain_data_problem(metadata, "metadata")
    if problem:
        raise TypeError(f"{problem}; checkpoint metadata holds only str, int, float, bool, None, lists and dicts")
    reserved = [key for key in RESERVED_METADATA_KEYS if key in metadata]
    if reserved:
        raise ValueError(f"metadata may not use the names {reserved}: step and loss are arguments")


def full_metadata(metadata: dict, optimizer_class: str | None) -> dict:
    """The caller's fields plus what explorer records itself (a loaded checkpoint's own fields are renewed)."""
    full = {key: value for key, value in metadata.items() if key != "optimizer_class"}
    full.update(
        format_version=FORMAT_VERSION,
        explorer_version=__version__,
        torch_version=str(torch.__version__),  # torch's own version type would not load with weights_only
        saved_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
    )
    if optimizer_class is not None:
        full["optimizer_class"] = optimizer_class
    return full


def caller_metadata(checkpoint: Checkpoint) -> dict:
    """The fields a caller gave when the checkpoint was saved, without those explorer records itself,
    so that writing it again (in another format) records the new write."""
    return {key: value for key, value in checkpoint.metadata.items() if key not in AUTOMATIC_METADATA_KEYS}


def saved_model_spec(checkpoint: Checkpoint) -> ModelSpec | None:
    """The model the file names, with its constructor arguments and input shape; None when it names none.

    Only a spec: building one that names a .py file runs that file, so callers build it only when the
    model is built in or the user named the same file themselves.
    """
    meta = checkpoint.metadata
    text = meta.get(MODEL_SPEC_KEY)
    if not isinstance(text, str):
        return None
    kwargs, shape = meta.get(MODEL_KWARGS_KEY, ""), meta.get(INPUT_SHAPE_KEY, "")
    output = meta.get(OUTPUT_KEY, "")
    if not isinstance(kwargs, str) or not isinstance(shape, str) or not isinstance(output, str):
        raise CheckpointError(
            f"{checkpoint.path}: '{MODEL_KWARGS_KEY}', '{INPUT_SHAPE_KEY}' and '{OUTPUT_KEY}' must be text")
    try:
        return model_spec(text, kwargs, shape, output)
    except ModelSpecError as exc:
        raise CheckpointError(f"{checkpoint.path}: {exc}") from None
