"""The moves a stepping session can make, the phases they lead through, and which moves each phase allows:
one name for each move, shared by the session, the engine thread, the snapshot's legal moves, the window's
actions, the guided tutorial and the screenshots.

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


class Phase(enum.Enum):
    READY = "ready"  # a batch is loaded, nothing computed yet
    FORWARD = "forward"  # part of the forward pass is revealed
    FORWARD_DONE = "forward done"
    LOSS_DONE = "loss computed"
    BACKWARD = "backward"  # part of the backward pass is revealed
    BACKWARD_DONE = "backward done"
    UPDATED = "updated"


def legal_moves(phase: Phase) -> set[Move]:
    """The moves a session in `phase` may make (the window enables exactly these)."""
    p = phase
    moves = {Move.ZERO_GRAD, Move.NEXT_BATCH, Move.RESET}
    if p in (Phase.READY, Phase.FORWARD, Phase.BACKWARD_DONE, Phase.UPDATED):
        moves |= {Move.STEP_FORWARD, Move.RUN_FORWARD}
    if p is Phase.FORWARD_DONE:
        moves |= {Move.LOSS, Move.BACKWARD_FROM_OUTPUT}
    if p in (Phase.LOSS_DONE, Phase.BACKWARD):
        moves |= {Move.STEP_BACKWARD, Move.RUN_BACKWARD}
    if p is Phase.BACKWARD_DONE:
        moves.add(Move.UPDATE)
    if p is Phase.BACKWARD:
        # The pass in flight has already written its gradients: clearing them, or dropping the pass for a
        # new batch, would make the rest of the backward appear at once (and the next one add to it).
        moves -= {Move.ZERO_GRAD, Move.NEXT_BATCH}
    return moves


def refusal(move: Move, phase: Phase) -> str:
    """Why `move` is not legal in `phase`, and what to do instead."""
    hints = {
        Move.LOSS: "run the forward pass to the end first",
        Move.BACKWARD_FROM_OUTPUT: "run the forward pass to the end first",
        Move.STEP_BACKWARD: "the backward pass is finished" if phase is Phase.BACKWARD_DONE else "compute the loss first",
        Move.RUN_BACKWARD: "compute the loss first",
        Move.UPDATE: "run backward to the end first" if phase is not Phase.UPDATED
        else "the weights were already updated with these gradients; run a new forward pass",
        Move.STEP_FORWARD: "the forward pass is finished; compute the loss or start backward",
        Move.RUN_FORWARD: "the forward pass is finished; compute the loss or start backward",
        Move.ZERO_GRAD: "wait until the backward pass in progress has finished",
        Move.NEXT_BATCH: "finish the backward pass in progress first (Step backward or Run backward), or Reset",
    }
    return hints.get(move, "")
