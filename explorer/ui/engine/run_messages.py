"""The messages that end or pause a training run, as Phrases (TrainingState.message_parts).

The engine says them in the language installed when the run stopped; kept as phrases too, a window rebuilt
in another language (View > Language) says them again in that one. Context "Engine", as the engine's tr().
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

from explorer.ui.phrases import engine_text

STOPPED = QT_TRANSLATE_NOOP("Engine", "Stopped at step {0}.")
FINISHED = QT_TRANSLATE_NOOP("Engine", "Finished: {0} steps.")
ACCURACY = QT_TRANSLATE_NOOP("Engine", "Accuracy: train {0:.1%}, test {1:.1%}.")
PAUSED = QT_TRANSLATE_NOOP("Engine", "Paused at step {0}.")
TESTED = QT_TRANSLATE_NOOP("Engine", "Test accuracy {0:.1%}.")
RESET = QT_TRANSLATE_NOOP("Engine", "Reset: fresh weights; the training run ended.")
MODEL_CHANGED = QT_TRANSLATE_NOOP("Engine", "The model changed; the training run ended.")
MODEL_MOVED = QT_TRANSLATE_NOOP("Engine", "The model moved to {0}; the training run ended.")
STEP_FAILED = QT_TRANSLATE_NOOP("Engine", "Training stopped at step {0}: step {1} failed: {2}")
NONFINITE_WEIGHTS = QT_TRANSLATE_NOOP(
    "Engine", "Paused at step {0}: a non-finite value (NaN or Inf) appeared in {1}. The weights themselves are "
    "no longer finite, so Resume cannot help: press Reset for fresh weights, or open a checkpoint.")
NONFINITE_STEP = QT_TRANSLATE_NOOP(
    "Engine", "Paused at step {0}: a non-finite value (NaN or Inf) appeared in {1}. That step's update was not "
    "applied. Lower the learning rate and press Resume, or Reset for fresh weights.")


def say(parts) -> str:
    """The message of these Phrases in the language installed now."""
    return engine_text(parts)
