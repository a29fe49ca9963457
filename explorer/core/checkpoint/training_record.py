"""What an exported checkpoint records about the session's weights: the model, and the history the session
keeps of them (explorer.core.training.history): how many optimizer steps, the optimizer with its state, the
settings and data set of the last step, its loss and the last metrics.

Everything here runs on the engine thread, with the session.
"""

from __future__ import annotations

import dataclasses

from explorer.core.checkpoint import (
    INPUT_SHAPE_KEY, MODEL_KWARGS_KEY, MODEL_SPEC_KEY, OUTPUT_KEY, plain_data_problem,
)

# The stepping session's settings that are the training's, for weights nothing has trained yet.
STEPPING_SETTINGS = ("optimizer", "lr", "momentum", "batch_size", "seed")


def training_record(session) -> tuple:
    """(optimizer, step, loss, metadata) of the training behind the session's weights."""
    history = session.history
    config = dataclasses.asdict(session.config)
    model_keys = {MODEL_SPEC_KEY: "model", MODEL_KWARGS_KEY: "model_kwargs", INPUT_SHAPE_KEY: "input_shape",
                  OUTPUT_KEY: "output"}
    if history.fresh:  # nothing has trained these weights: what the window would train them with
        hyperparameters = {key: config[key] for key in STEPPING_SETTINGS}
        hyperparameters["batch_size"] = session.batch_size  # the batch it steps (the batch rule may have raised it)
        dataset = session.config.dataset
    else:
        hyperparameters, dataset = history.hyperparameters, history.dataset or session.config.dataset
    loss = history.loss if not history.fresh else last_loss(session)
    metrics = {"loss": loss} if loss is not None else {}
    metrics.update(history.metrics)
    metadata = {
        **{key: config[field] for key, field in model_keys.items() if config.get(field)},  # "": the default
        "dataset": dataset,
        "hyperparameters": {key: value for key, value in hyperparameters.items()
                            if plain_data_problem(value, key) is None},
        "metrics": {key: value for key, value in metrics.items() if plain_data_problem(value, key) is None},
    }
    return history.optimizer, history.steps, loss, metadata


def last_loss(session) -> float | None:
    """The loss the stepping pass computed on the weights as they are, if it has."""
    loss = getattr(session, "loss", None)
    return None if loss is None else float(loss.detach())
