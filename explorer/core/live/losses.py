"""The loss when the user gives a target but no loss function: chosen by the target, as the task implies.

- integer class indices and a prediction with one more dimension, the classes: cross-entropy, the classes on
  the prediction's last dimension ([N, C] scores for [N] labels; [N, T, V] token scores for [N, T] token ids)
  or on its second ([N, C, H, W] scores for [N, H, W] labels, as nn.CrossEntropyLoss takes them);
- floating-point values of the prediction's shape: mean squared error.
Anything else is refused with both shapes: a loss that silently broadcast would train on nonsense.
"""

from __future__ import annotations

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor

from explorer.core.live.errors import ArgumentError


class TokenCrossEntropyLoss(nn.Module):
    """Cross-entropy over the last dimension of [..., V] scores for [...] class indices (-100 is ignored, as
    in Hugging Face's models)."""

    def forward(self, prediction: Tensor, target: Tensor) -> Tensor:
        return F.cross_entropy(prediction.reshape(-1, prediction.shape[-1]), target.reshape(-1), ignore_index=-100)


def default_loss(prediction: Tensor, target: Tensor | None) -> tuple[nn.Module, str]:
    """(loss module, task) for this prediction and target; ArgumentError naming `target` when none fits."""
    if target is None:
        raise ArgumentError("target", "no target and no loss_fn: give target= (class indices or values to "
                                      "regress to) or loss_fn= (any callable loss_fn(prediction, target))")
    shapes = f"the prediction has shape {list(prediction.shape)}, the target {list(target.shape)} {target.dtype}"
    if not prediction.is_floating_point():
        raise ArgumentError("output", f"the prediction is {prediction.dtype}; a loss needs floating point ({shapes})")
    if _is_class_index(target):
        if prediction.dim() == 2 and target.dim() == 1 and prediction.shape[0] == target.shape[0]:
            return nn.CrossEntropyLoss(), "classification"
        if prediction.dim() == target.dim() + 1 and prediction.shape[:-1] == target.shape:
            return TokenCrossEntropyLoss(), "tokens"
        if (prediction.dim() == target.dim() + 1 and prediction.dim() > 2 and prediction.shape[0] == target.shape[0]
                and prediction.shape[2:] == target.shape[1:]):
            return nn.CrossEntropyLoss(), "classification"
        raise ArgumentError("target", f"class indices must have the prediction's shape without its class "
                                      f"dimension: {shapes} (or pass loss_fn=)")
    if target.is_floating_point():
        if target.shape == prediction.shape:
            return nn.MSELoss(), "regression"
        raise ArgumentError("target", f"values to regress to must have the prediction's shape: {shapes} "
                                      "(or pass loss_fn=)")
    raise ArgumentError("target", f"expected int64 class indices (target.long()) or floating-point values, "
                                  f"got {target.dtype}")


def task_of(prediction: Tensor, target: Tensor | None) -> str:
    """The task a user's own loss function serves, for pictures only: classification when the target holds
    one class index per row of a 2-D prediction."""
    if (target is not None and _is_class_index(target) and prediction.dim() == 2 and target.dim() == 1
            and prediction.shape[0] == target.shape[0]):
        return "classification"
    return "custom"


def _is_class_index(target: Tensor) -> bool:
    return target.dtype == torch.int64
