"""The moves a stepping session can make: one name for each, shared by the session, the engine thread,
the snapshot's legal moves, the window's actions, the guided tutorial and the screenshots.

A str enum, so a move travels through Qt signals and settings as its plain value ("step_backward").
"""

from __future__ import annotations

import enum


class Move(str, enum.Enum):
    STEP_FORWARD = "step_forward"
    RUN_FORWARD = "run_forward"
    LOSS = "compute_loss"
    STEP_BACKWARD = "step_backward"
    RUN_BACKWARD = "run_backward"
    BACKWARD_FROM_OUTPUT = "backward_from_output"
    ZERO_GRAD = "zero_grad"
    UPDATE = "update"
    NEXT_BATCH = "next_batch"
    RESET = "reset"

    def __str__(self) -> str:
        return self.value

    @property
    def words(self) -> str:
        """For messages: "step backward"."""
        return self.value.replace("_", " ")
