"""What an exported checkpoint records about the session's training: the model, data set and settings,
the optimizer, the last loss, and how many optimizer steps the weights have been through.

Everything here runs on the engine thread, with the session.
"""

from __future__ import annotations

import dataclasses
import weakref

from explorer.core.checkpoint import INPUT_SHAPE_KEY, MODEL_KWARGS_KEY, MODEL_SPEC_KEY, OUTPUT_KEY, plain_data_problem


def training_record(session, run=None) -> tuple:
    """(optimizer, step, metadata) of the training behind the session's weights: the paused run's
    when there is one (its optimizer and TrainConfig), else the stepping session's."""
    metadata = session_metadata(session)
    if run is None:
        return session.optimizer, training_step(session), metadata
    metadata["hyperparameters"] = {key: value for key, value in dataclasses.asdict(run.config).items()
                                   if plain_data_problem(value, key) is None}
    return run.optimizer, training_step(session) + run.step, metadata


def session_metadata(session) -> dict:
    """What the session was: model, data set and the plain-valued settings."""
    config = dataclasses.asdict(session.config)
    model_keys = {MODEL_SPEC_KEY: "model", MODEL_KWARGS_KEY: "model_kwargs", INPUT_SHAPE_KEY: "input_shape",
                  OUTPUT_KEY: "output"}
    hyperparameters = {key: value for key, value in config.items()
                       if key not in (*model_keys.values(), "dataset") and plain_data_problem(value, key) is None}
    loss = last_loss(session)
    return {
        **{key: config[field] for key, field in model_keys.items() if config.get(field)},  # "": the default
        "dataset": session.config.dataset,
        "hyperparameters": hyperparameters,
        "metrics": {"loss": loss} if loss is not None else {},
    }


# Optimizer steps a model's weights had been through before the current training run, set when a
# checkpoint is applied. Keyed by the model object: a reset builds a new model, whose weights start at 0.
# Read and written only on the engine thread.
_BASE_STEPS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def training_step(session) -> int:
    """The steps behind the session's weights before the current run: 0 for fresh weights."""
    return _BASE_STEPS.get(session.model, 0)


def set_training_step(session, step: int) -> None:
    _BASE_STEPS[session.model] = step


def last_loss(session) -> float | None:
    loss = getattr(session, "loss", None)
    return None if loss is None else float(loss.detach())
