"""Applying a Checkpoint to a model and its optimizer: checked first, then all of it or nothing.

Every mismatch is named up front (missing, unexpected and wrong-shaped tensors; optimizer state
that would trip the next step), and a failure half-way restores what the model and optimizer held.
"""

from __future__ import annotations

import copy

import torch

from explorer.core.checkpoint.contents import Checkpoint
from explorer.core.checkpoint.errors import CheckpointError, first_line, plural
from explorer.core.wording import dims


def check_compatible(model: torch.nn.Module, checkpoint: Checkpoint) -> None:
    """Raise CheckpointError listing every missing, unexpected and wrong-shaped tensor, if there are any."""
    expected = {name: tuple(tensor.shape) for name, tensor in model.state_dict().items()}
    found = checkpoint.shapes()
    missing = [name for name in expected if name not in found]
    unexpected = [name for name in found if name not in expected]
    wrong_shape = [
        f"{name} (file {dims(found[name])} vs model {dims(shape)})"
        for name, shape in expected.items()
        if name in found and found[name] != shape
    ]
    problems = []
    if missing:
        problems.append(f"missing {plural(len(missing), 'tensor')}: {', '.join(missing)}")
    if unexpected:
        problems.append(f"{plural(len(unexpected), 'unexpected tensor')}: {', '.join(unexpected)}")
    if wrong_shape:
        problems.append(f"{plural(len(wrong_shape), 'wrong shape')}: {', '.join(wrong_shape)}")
    if problems:
        raise CheckpointError(f"{checkpoint.path}: does not fit this model: {'; '.join(problems)}")


def check_optimizer_fits(model: torch.nn.Module, optimizer: torch.optim.Optimizer, checkpoint: Checkpoint) -> None:
    """Catch what optimizer.load_state_dict lets through and the next step would trip over."""
    path, state = checkpoint.path, checkpoint.optimizer_state
    saved_class = checkpoint.metadata.get("optimizer_class")
    if saved_class is not None and saved_class != type(optimizer).__name__:
        raise CheckpointError(f"{path}: holds {saved_class} state, but the optimizer is {type(optimizer).__name__}")
    saved_groups, groups = state["param_groups"], optimizer.param_groups
    if len(saved_groups) != len(groups):
        raise CheckpointError(
            f"{path}: holds optimizer state for {plural(len(saved_groups), 'parameter group')}; "
            f"the optimizer has {len(groups)}"
        )
    names = {id(param): name for name, param in model.named_parameters()}
    params = {}
    for index, (saved, group) in enumerate(zip(saved_groups, groups)):
        if len(saved["params"]) != len(group["params"]):
            raise CheckpointError(
                f"{path}: optimizer group {index} holds {plural(len(saved['params']), 'parameter')}; "
                f"the optimizer's has {len(group['params'])}"
            )
        params.update(zip(saved["params"], group["params"]))
    for key, entry in state["state"].items():
        param = params.get(key)
        if param is None:
            raise CheckpointError(f"{path}: optimizer state for a parameter the optimizer does not have ({key!r})")
        for field, value in entry.items():
            if isinstance(value, torch.Tensor) and value.dim() > 0 and value.shape != param.shape:
                raise CheckpointError(
                    f"{path}: optimizer state '{field}' of {names.get(id(param), 'a parameter')} is "
                    f"{dims(tuple(value.shape))}; the parameter is {dims(tuple(param.shape))}"
                )


def apply_checkpoint(
    model: torch.nn.Module, checkpoint: Checkpoint, optimizer: torch.optim.Optimizer | None = None
) -> None:
    """Copy `checkpoint` into `model` and `optimizer`, all or nothing.

    The optimizer is only changed when the checkpoint holds optimizer state. A `.safetensors` file or
    a bare state_dict holds none, and then the optimizer is left as it is (see
    checkpoint.optimizer_state). On any failure the model and optimizer keep exactly what they held,
    and CheckpointError says why.
    """
    check_compatible(model, checkpoint)
    optimizer_state = None
    if optimizer is not None and checkpoint.optimizer_state is not None:
        check_optimizer_fits(model, optimizer, checkpoint)
        # A private copy: the optimizer updates its state tensors in place, and the checkpoint must stay as read.
        optimizer_state = copy.deepcopy(checkpoint.optimizer_state)
    model_before = {name: tensor.detach().clone() for name, tensor in model.state_dict().items()}
    optimizer_before = copy.deepcopy(optimizer.state_dict()) if optimizer_state is not None else None
    try:
        model.load_state_dict(checkpoint.model_state, strict=True)
        if optimizer_state is not None:
            optimizer.load_state_dict(optimizer_state)
    except Exception as exc:
        model.load_state_dict(model_before, strict=True)
        if optimizer_before is not None:
            optimizer.load_state_dict(optimizer_before)
        raise CheckpointError(f"{checkpoint.path}: cannot apply: {first_line(exc)}") from None
