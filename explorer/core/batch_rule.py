"""The batch rule: a session steps the batch it was asked for where that works, and says what it took instead.

A batch larger than the data set is cut to what there is. Batch norm in training mode needs more than one value
per channel: over a 1x1 map (a torchvision ResNet's last blocks at 32x32) one sample has nothing to normalise,
so such a model gets two samples. The model is checked at the batch the session will step, so a model that
cannot step fails when it is opened, not on the first Step forward.
"""

from __future__ import annotations

from explorer.core.model_check import check_model
from explorer.core.models import ModelSpecError

BATCH_NORM_NEEDS = "Expected more than 1 value per channel"  # torch's batch-norm error at one value per channel


def batch_within(requested: int, train_size: int, name: str) -> tuple[int, list[str]]:
    """The batch size the data allows, and a notice when that is less than `requested`."""
    size = min(requested, train_size)
    if size == requested:
        return size, []
    return size, [f"batch size {requested} -> {size}: {name!r} has only {train_size} "
                  f"training sample{'s' if train_size != 1 else ''}"]


def check_at_batch(session) -> None:
    """Check the session's model at its batch size; raise ModelSpecError if it cannot take a step. Batch norm
    that fails at one sample moves the session to two (it resets to the new batch), with a notice."""
    try:
        check_model(session.model, session.data, batch_size=session.batch_size, output=session.spec.output)
    except ModelSpecError as exc:
        if BATCH_NORM_NEEDS not in str(exc):
            raise
        if session.batch_size > 1 or session.data.train_size < 2:
            raise ModelSpecError(f"{exc}\nBatch norm in training mode needs more than one value per channel: "
                                 "a batch of 2 or more samples (or a larger input)") from None
        session.notices.append("batch size 1 -> 2: the model's batch norm needs more than one value per channel "
                               "in training mode")
        session.batch_size = 2
        session.reset()
        check_model(session.model, session.data, batch_size=session.batch_size, output=session.spec.output)
