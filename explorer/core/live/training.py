"""Training a user's own model in the window: their batches, loss, optimizer and prediction name."""

from __future__ import annotations

from explorer.core.session import StepSession
from explorer.core.training.loop import TrainConfig
from explorer.core.training.messages import TrainSettings
from explorer.core.training.run import TrainingRun


def live_training_run(session: StepSession, settings: TrainSettings) -> TrainingRun:
    """A run over a live model's own batches: an epoch is one pass over its `data` (one batch without data);
    the user's optimizer when they gave one (the Training panel's learning rate then applies to it on Resume)."""
    stream = session.source.fresh()
    per_epoch = max(1, stream.batches_per_epoch)
    steps = settings.length * per_epoch if settings.unit == "epochs" else settings.length
    given = session._given_optimizer
    config = TrainConfig(optimizer=settings.optimizer, lr=given.param_groups[0]["lr"] if given else settings.lr,
                         batch_size=stream.first.size, steps=steps, seed=settings.seed)
    return TrainingRun(session.model, session.source, config, stream=stream, optimizer=given,
                       output=session.spec.output, history=session.history)
