"""The core's phrases (explorer.core.wording.Phrase) in the window's language.

The core writes each phrase once, as an English template and its arguments; here the template is looked up in
the translation and filled with the same arguments. The templates are listed below so that lupdate collects
them under the context the window translates them in.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from explorer.core.wording import Phrase

_STATUS_TEMPLATES = (  # explorer.core.session.StepSession.status_phrase, snapshot targets and predictions
    QT_TRANSLATE_NOOP("Status", "ready: batch {0}, nothing computed yet"),
    QT_TRANSLATE_NOOP("Status", "forward {0}/{1}: {2}"),
    QT_TRANSLATE_NOOP("Status", "forward {0}/{1}: {2} - forward done"),
    QT_TRANSLATE_NOOP("Status", "loss = {0:.4f} ({1})"),
    QT_TRANSLATE_NOOP("Status", "backward {0}/{1}: {2}"),
    QT_TRANSLATE_NOOP("Status", "backward {0}/{1}: {2} - backward done"),
    QT_TRANSLATE_NOOP("Status", "weights updated ({0}, lr={1})"),
    QT_TRANSLATE_NOOP("Status", "prediction: {0} ({1:.0%})"),
    QT_TRANSLATE_NOOP("Status", "output: {0}"),
    QT_TRANSLATE_NOOP("Status", "target: {0}"),
    QT_TRANSLATE_NOOP("Status", "no target"),
)
_NOTE_TEMPLATES = (  # explorer.core.snapshot's inspection notes
    QT_TRANSLATE_NOOP("Notes", "{0}.grad is None (no backward has written it since the start or zero_grad)"),
    QT_TRANSLATE_NOOP("Notes", "updated by {0} with lr={1}"),
    QT_TRANSLATE_NOOP("Notes", "saved {0}: {1}"),
    QT_TRANSLATE_NOOP("Notes", "not run yet at this step of the backward pass"),
    QT_TRANSLATE_NOOP("Notes", "ran as backward step {0}"),
    QT_TRANSLATE_NOOP("Notes", "the chain rule could not be worked here: {0}"),
)


def status_text(phrase: Phrase | None) -> str:
    """A status, target or prediction phrase in the window's language; '' for None."""
    return "" if phrase is None else QCoreApplication.translate("Status", phrase.template).format(*phrase.args)


def note_text(phrase: Phrase) -> str:
    return QCoreApplication.translate("Notes", phrase.template).format(*phrase.args)


def settings_text(config: dict, run) -> str:
    """The data and the settings that train the weights now: a running or paused run's own (a TrainingState),
    else the stepping session's, e.g. 'digits | batch 32 | sgd, lr 0.02'."""
    optimizer, batch, lr = ((run.optimizer, run.batch_size, run.lr) if run.has_run and run.optimizer
                            else (config.get("optimizer"), config.get("batch_size"), config.get("lr", 0)))
    return QCoreApplication.translate("MainWindow", "{0} | batch {1} | {2}, lr {3}").format(
        config.get("dataset"), batch, optimizer, f"{lr:g}")
