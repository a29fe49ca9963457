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
)
_NOTE_TEMPLATES = (  # explorer.core.snapshot's inspection notes
    QT_TRANSLATE_NOOP("Notes", "{0}.grad is None (no backward has written it yet)"),
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
