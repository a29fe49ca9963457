"""Run a guided-walk cell as PyTorch code against the session's own model and capture what it prints.

A step of the walk moves the session (forward, zero_grad, backward, update) so the panels show the cell's
result; the cell's own code runs too, on a copy of the model taken when the step began, so the text beside the
code is what that code prints in the installed torch, with the app's weights, gradients and batch. The copy
keeps each parameter's .grad (copy.deepcopy does not) and the draws of the session's backward generator, so a
cell's torch.randn(1, 10) gives the gradient the app's *Backward from output* gives. Both run on the engine
thread: `CellRun.take` as a task before the step's moves, `CellRun.run` as a task after them.

Names a cell finds: torch, nn, F, net (the model), input (the session's batch). Earlier cells a cell depends on
(`prelude`) run first, silently, as in a notebook run from the top.
"""

from __future__ import annotations

import contextlib
import copy
import io
import traceback

import torch
import torch.nn as nn
import torch.nn.functional as F


def copy_with_grads(model: nn.Module) -> nn.Module:
    twin = copy.deepcopy(model)
    for source, target in zip(model.parameters(), twin.parameters()):
        target.grad = None if source.grad is None else source.grad.detach().clone()
    return twin


class CellRun:
    """One step's cells: `take` copies what they need from the session, `run` runs them and returns the text."""

    def __init__(self, code: str, prelude: tuple[str, ...] = ()):
        self.code = code
        self.prelude = prelude
        self._net: nn.Module | None = None
        self._input: torch.Tensor | None = None
        self._rng_state: torch.Tensor | None = None

    def take(self, session) -> None:
        """Copy the model, its gradients, the batch and the backward generator's state (engine thread)."""
        self._net = copy_with_grads(session.model)
        self._input = session.inputs.detach().clone()
        self._rng_state = session.backward_rng_state()

    def run(self, session=None) -> str:
        """Run the prelude and the cell on the copy; what the cell prints, or the error it raised."""
        if self._net is None:
            raise RuntimeError("CellRun.run before take: the step's copy of the model was not made")
        return run_cell(self.code, self._net, self._input, self.prelude, self._rng_state)


def run_cell(code: str, net: nn.Module, inputs: torch.Tensor, prelude: tuple[str, ...] = (),
             rng_state: torch.Tensor | None = None) -> str:
    """Exec the prelude cells, then `code`, with net and input bound; return what `code` printed.

    torch's global generator is forked (and set to `rng_state` when given), so a cell's random draws
    neither disturb the app nor differ from the app's own draws.
    """
    namespace = {"torch": torch, "nn": nn, "F": F, "net": net, "input": inputs}
    with torch.random.fork_rng(devices=[]):
        if rng_state is not None:
            torch.random.set_rng_state(rng_state)
        try:
            for cell in prelude:
                with contextlib.redirect_stdout(io.StringIO()):
                    exec(compile(cell, "<cell>", "exec"), namespace)
            printed = io.StringIO()
            with contextlib.redirect_stdout(printed):
                exec(compile(code, "<cell>", "exec"), namespace)
        except Exception as exc:  # the model in use may not be the page's Net: show what torch says
            return "".join(traceback.format_exception_only(type(exc), exc)).strip()
    return printed.getvalue().rstrip("\n")
