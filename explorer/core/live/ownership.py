"""The user's model is theirs: what a session must give back when it ends, and what Reset returns to.

A live model keeps its own train/eval mode and device while explorer steps it; the session records them
when it starts and restores them when it closes. Reset cannot draw "fresh weights" for a model explorer did
not build, so it returns to the weights, buffers and optimizer state the session started with (kept on the
CPU, so a GPU model's copy costs no GPU memory).
"""

from __future__ import annotations

import copy

import torch
import torch.nn as nn


def model_device(model: nn.Module) -> torch.device:
    """Where the model's parameters (else buffers) live; the CPU for a model with neither."""
    for t in (*model.parameters(), *model.buffers()):
        return t.device
    return torch.device("cpu")


class BorrowedModel:
    """What a stepping session needs besides its moves once the model may be a user's own object: the name and
    learning rate of the optimizer it steps (the user's, or the config's), the train/eval switch, and closing,
    which gives a user's model back. Explorer's hooks live only while a pass runs, so none is left to remove."""

    @property
    def optimizer_label(self) -> str:
        given = self._given_optimizer
        return type(given).__name__ if given is not None else self.config.optimizer

    @property
    def lr(self) -> float:
        given = self._given_optimizer
        return float(given.param_groups[0]["lr"]) if given is not None else self.config.lr

    def set_training(self, training: bool) -> None:
        """Dropout on or off, batch norm on the batch's or the running statistics: the mode the moves step in from
        now on; the pass in flight is dropped."""
        self.model.train(training)
        self.training_mode = training
        self._clear_pass()

    def back_to_stepping_mode(self) -> None:
        """After a training run (which trains in training mode): the moves go on in the session's own mode."""
        self.model.train(self.training_mode)

    def close(self) -> None:
        """Drop the pass and its tensors; a user's model gets its own mode and device back."""
        self._clear_pass()
        self.update_record = None
        if self.ownership is not None:
            self.ownership.give_back()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class ModelOwnership:
    def __init__(self, model: nn.Module, optimizer: torch.optim.Optimizer | None):
        self.model = model
        self.training = model.training
        self.device = model_device(model)
        self._state = {k: v.detach().to("cpu", copy=True) for k, v in model.state_dict().items()}
        self._optimizer_state = copy.deepcopy(optimizer.state_dict()) if optimizer is not None else None

    def rewind(self, optimizer: torch.optim.Optimizer | None) -> None:
        """Back to the weights, buffers and optimizer state the session started with; gradients cleared."""
        self.model.load_state_dict(self._state)
        self.model.zero_grad(set_to_none=True)
        if optimizer is not None and self._optimizer_state is not None:
            optimizer.load_state_dict(self._optimizer_state)

    def give_back(self) -> None:
        """The mode and device the model had when the session began."""
        self.model.train(self.training)
        if model_device(self.model) != self.device:
            self.model.to(self.device)
