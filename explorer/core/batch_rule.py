"""The batch rule: a session steps the batch it was asked for where that works, and says what it took instead.

A batch larger than the data set is cut to what there is. Batch norm in training mode needs more than one value
per channel: over a 1x1 map (a torchvision ResNet's last blocks at 32x32) one sample has nothing to normalise,
so such a model gets two samples, and the notice names the other way out: eval mode (SessionConfig.eval_mode,
`--eval`, the Open model dialog's choice), where batch norm uses its running statistics and one sample works
unchanged. The model is checked at the batch and in the mode the session will step, so a model that cannot step
fails when it is opened, not on the first Step forward.
"""

from __future__ import annotations

from explorer.core.model_check import check_model
from explorer.core.models import ModelSpecError
from explorer.core.wording import Phrase

BATCH_NORM_NEEDS = "Expected more than 1 value per channel"  # torch's batch-norm error at one value per channel
# The session's notices are phrases: the command line prints them as they are, the window translates them.
CUT_TO_DATA = "batch size {0} -> {1}: '{2}' has only {3} training samples"
CUT_TO_ONE = "batch size {0} -> 1: '{1}' has only 1 training sample"
TRAINING_RAISED = ("training batch size 1 -> 2: the model's batch norm needs more than one value per channel, and "
                   "training always trains in training mode")
TRAIN_MODE_REFUSED = "Train mode needs a batch of 2 for this model's batch norm: choose Data > Batch size 2 first"
RAISED_FOR_BATCH_NORM = "batch size 1 -> 2: this model's batch norm needs 2 samples in training mode (or open it in eval mode)"


def batch_within(requested: int, train_size: int, name: str) -> tuple[int, list[Phrase]]:
    """The batch size the data allows, and a notice when that is less than `requested`."""
    size = min(requested, train_size)
    if size == requested:
        return size, []
    return size, [Phrase(CUT_TO_ONE, (requested, name)) if size == 1 else
                  Phrase(CUT_TO_DATA, (requested, size, name, train_size))]


def check_at_batch(session) -> None:
    """Check the session's model at its batch size and in its mode; raise ModelSpecError if it cannot take a step.
    Batch norm that fails at one sample in training mode moves the session to two (it resets to the new batch),
    with a notice."""
    training = session.model.training  # the mode the session steps in (reset set it from the config)
    try:
        check_model(session.model, session.data, batch_size=session.batch_size, output=session.spec.output,
                    training=training)
    except ModelSpecError as exc:
        if BATCH_NORM_NEEDS not in str(exc) or not training:
            raise
        if session.batch_size > 1 or session.data.train_size < 2:
            raise ModelSpecError(f"{exc}\nBatch norm in training mode needs more than one value per channel: "
                                 "a batch of 2 or more samples (or a larger input), or eval mode, where it uses "
                                 "its running statistics") from None
        session.notices.append(Phrase(RAISED_FOR_BATCH_NORM))
        session.batch_size = 2
        session.reset()
        check_model(session.model, session.data, batch_size=session.batch_size, output=session.spec.output)


def train_mode_problem(session) -> Phrase | None:
    """Why switching the session's model to training mode would break its next Step forward, or None: batch norm
    that the session's batch of one sample gives one value per channel (it was opened in eval mode). A user's
    live model (explorer.show) is switched as asked: its batches are the user's."""
    if session.ownership is not None or session.model.training or session.batch_size > 1:
        return None
    try:
        check_model(session.model, session.data, batch_size=1, output=session.spec.output, training=True)
    except ModelSpecError as exc:
        if BATCH_NORM_NEEDS in str(exc):
            return Phrase(TRAIN_MODE_REFUSED)
    return None


def training_batch(model, data, batch_size: int, output: str = "") -> tuple[int, list[Phrase]]:
    """The batch a training run of `model` on `data` can take, and a notice where it is not `batch_size`: a run
    trains in training mode, where batch norm at one sample may have one value per channel (checked once, with a
    dry run that leaves the model as it was). Raises ModelSpecError when the data has no second sample."""
    if batch_size != 1:
        return batch_size, []
    try:
        check_model(model, data, batch_size=1, output=output, training=True)
    except ModelSpecError as exc:
        if BATCH_NORM_NEEDS not in str(exc):
            raise
        if data.train_size < 2:
            raise ModelSpecError(f"{exc}\nBatch norm in training mode needs more than one value per channel, and "
                                 f"{data.name!r} has one training sample: train on more data") from None
        return 2, [Phrase(TRAINING_RAISED)]
    return 1, []
