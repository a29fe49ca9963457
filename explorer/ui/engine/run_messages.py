"""The messages that end or pause a training run, as templates with arguments (TrainingState.message_parts).

The engine says them in the language installed when the run stopped; kept as templates too, a window rebuilt
in another language (View > Language) says them again in that one. Context "Engine", as the engine's tr().
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

STOPPED = QT_TRANSLATE_NOOP("Engine", "Stopped at step {0}.")
FINISHED = QT_TRANSLATE_NOOP("Engine", "Finished: {0} steps.")
ACCURACY = QT_TRANSLATE_NOOP("Engine", "Accuracy: train {0:.1%}, test {1:.1%}.")
PAUSED = QT_TRANSLATE_NOOP("Engine", "Paused at step {0}.")
TESTED = QT_TRANSLATE_NOOP("Engine", "Test accuracy {0:.1%}.")


def say(parts) -> str:
    """The message of (template, arguments) parts in the language installed now."""
    return " ".join(QCoreApplication.translate("Engine", template).format(*args) for template, args in parts)
