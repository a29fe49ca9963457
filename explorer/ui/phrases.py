"""The core's phrases (explorer.core.wording.Phrase) in the window's language.

The core writes each phrase once, as an English template and its arguments; here the template is looked up in
the translation and filled with the same arguments. The templates are listed below so that lupdate collects
them under the context the window translates them in.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from explorer.core.wording import Phrase

_STATUS_TEMPLATES = (  # explorer.core.session.StepSession.status_phrase, snapshot targets and predictions
    QT_TRANSLATE_NOOP("Status", "ready: batch no. {0} loaded, nothing computed yet"),
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
_NOTICE_TEMPLATES = (  # explorer.core.batch_rule: a setting a new session could not take as asked
    QT_TRANSLATE_NOOP("Notices", "batch size {0} -> {1}: '{2}' has only {3} training samples"),
    QT_TRANSLATE_NOOP("Notices", "batch size {0} -> 1: '{1}' has only 1 training sample"),
    QT_TRANSLATE_NOOP("Notices", "batch size 1 -> 2: this model's batch norm needs 2 samples in training mode (or open "
                      "it in eval mode)"),
    QT_TRANSLATE_NOOP("Notices", "training batch size 1 -> 2: the model's batch norm needs more than one value per "
                      "channel, and training always trains in training mode"),
    QT_TRANSLATE_NOOP("Notices", "Train mode needs a batch of 2 for this model's batch norm: choose Data > Batch size 2 "
                      "first"),
)

_CAPTION_TEMPLATES = (  # explorer.core.snapshot's inspection titles and the captions over its tensors
    QT_TRANSLATE_NOOP("Captions", "{0}.grad"),
    QT_TRANSLATE_NOOP("Captions", "{0} before update"),
    QT_TRANSLATE_NOOP("Captions", "{0} after - before"),
    QT_TRANSLATE_NOOP("Captions", "{0} input {1}"),
    QT_TRANSLATE_NOOP("Captions", "{0} output"),
    QT_TRANSLATE_NOOP("Captions", "forward {0}: {1}"),
    QT_TRANSLATE_NOOP("Captions", "input"),
    QT_TRANSLATE_NOOP("Captions", "grad_outputs[{0}] (in, from the loss side)"),
    QT_TRANSLATE_NOOP("Captions", "grad_inputs[{0}] (out, towards the inputs)"),
)


def status_text(phrase: Phrase | None) -> str:
    """A status, target or prediction phrase in the window's language; '' for None."""
    return "" if phrase is None else QCoreApplication.translate("Status", phrase.template).format(*phrase.args)


def notice_text(phrase: Phrase) -> str:
    return QCoreApplication.translate("Notices", phrase.template).format(*phrase.args)


def note_text(phrase: Phrase) -> str:
    return QCoreApplication.translate("Notes", phrase.template).format(*phrase.args)


def engine_text(phrases) -> str:
    """Messages the engine made from its own templates (explorer.ui.engine.run_messages), in the window's language."""
    return " ".join(QCoreApplication.translate("Engine", p.template).format(*p.args) for p in phrases)


def caption_text(phrase: Phrase | None, name: str = "") -> str:
    """A caption over a tensor or an inspection's title in the window's language; `name` when it has no phrase
    (a parameter's or an input's own name)."""
    return name if phrase is None else QCoreApplication.translate("Captions", phrase.template).format(*phrase.args)


def settings_text(snapshot, run) -> str:
    """The data and the settings that train the weights now: a running or paused run's own (a TrainingState),
    else the stepping session's as it really steps, e.g. 'digits | batch 2 (raised from 1) | sgd, lr 0.02 | eval mode'."""
    config = snapshot.config
    if run.has_run and run.optimizer:
        optimizer, batch, lr = run.optimizer, str(run.batch_size), run.lr
    else:
        optimizer, lr = config.get("optimizer"), config.get("lr", 0)
        asked, batch = config.get("batch_size"), str(snapshot.batch_size)
        if asked is not None and asked < snapshot.batch_size:  # the batch rule (explorer.core.batch_rule)
            batch = QCoreApplication.translate("MainWindow", "{0} (raised from {1})").format(snapshot.batch_size, asked)
        elif asked is not None and asked > snapshot.batch_size:
            batch = QCoreApplication.translate("MainWindow", "{0} (cut from {1})").format(snapshot.batch_size, asked)
    text = QCoreApplication.translate("MainWindow", "{0} | batch {1} | {2}, lr {3}").format(
        config.get("dataset"), batch, optimizer, f"{lr:g}")
    if not (run.has_run and run.optimizer) and not snapshot.model_training:  # a run trains in training mode
        text += QCoreApplication.translate("MainWindow", " | eval mode")
    return text
