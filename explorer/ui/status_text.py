"""The status line, composed in the GUI from a snapshot's facts so that it can be translated."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from explorer.core.snapshot import SessionSnapshot


def node_title(snapshot: SessionSnapshot, node_id: str) -> str:
    """'AddmmBackward0 (fc2)', 'AccumulateGrad (conv1.bias)', 'ReluBackward0 (forward)'."""
    attrs = snapshot.graph.attrs.get(node_id, {}) if snapshot.graph is not None else {}
    module = attrs.get("module")
    where = attrs.get("param") or ("forward" if module == "" else module)
    cls = attrs.get("cls", node_id)
    return f"{cls} ({where})" if where else cls


def status_text(snapshot: SessionSnapshot) -> str:
    """Where the step stands, e.g. 'forward 4/12: conv2' or 'backward 12/26: AddmmBackward0 (fc1)'."""
    phase = snapshot.phase
    if phase == "ready":
        return QCoreApplication.translate("Status", "ready: batch {0}, nothing computed yet").format(snapshot.batch_index + 1)
    if phase in ("forward", "forward done") and snapshot.forward:
        text = QCoreApplication.translate("Status", "forward {0}/{1}: {2}").format(
            len(snapshot.forward), snapshot.forward_total, snapshot.forward[-1].title)
        return text + (QCoreApplication.translate("Status", " - forward done") if phase == "forward done" else "")
    if phase == "loss computed" and snapshot.loss is not None:
        return QCoreApplication.translate("Status", "loss = {0:.4f} ({1})").format(snapshot.loss, snapshot.loss_name)
    if phase in ("backward", "backward done") and snapshot.current_node is not None:
        text = QCoreApplication.translate("Status", "backward {0}/{1}: {2}").format(
            len(snapshot.backward_done_ids), snapshot.backward_total, node_title(snapshot, snapshot.current_node))
        return text + (QCoreApplication.translate("Status", " - backward done") if phase == "backward done" else "")
    if phase == "updated":
        c = snapshot.config
        return QCoreApplication.translate("Status", "weights updated ({0}, lr={1})").format(c.get("optimizer"), f"{c.get('lr', 0):g}")
    return snapshot.status


def prediction_text(snapshot: SessionSnapshot) -> str:
    """'prediction: 7 (93%)' for a classifier, 'output: 0.12 -0.40 ...' otherwise; '' before the output exists."""
    probs = snapshot.output_probs
    if probs is None:
        return ""
    if snapshot.task == "classification":
        k = int(probs.argmax())
        name = snapshot.class_names[k] if k < len(snapshot.class_names) else str(k)
        return QCoreApplication.translate("Status", "prediction: {0} ({1:.0%})").format(name, float(probs[k]))
    return QCoreApplication.translate("Status", "output: {0}").format(" ".join(f"{v:.3f}" for v in probs.tolist()[:16]))


def target_text(snapshot: SessionSnapshot) -> str:
    if snapshot.task == "classification" and snapshot.target_values:
        k = int(snapshot.target_values[0])
        return QCoreApplication.translate("Status", "target: {0}").format(snapshot.class_names[k] if k < len(snapshot.class_names) else k)
    return QCoreApplication.translate("Status", "target: {0}").format(" ".join(f"{v:g}" for v in snapshot.target_values))


# The templates explorer.core.snapshot.Note uses, marked here so that lupdate collects them.
_NOTE_TEMPLATES = (
    QT_TRANSLATE_NOOP("Notes", "{0}.grad is None (no backward has written it yet)"),
    QT_TRANSLATE_NOOP("Notes", "updated by {0} with lr={1}"),
    QT_TRANSLATE_NOOP("Notes", "saved {0}: {1}"),
    QT_TRANSLATE_NOOP("Notes", "not run yet at this step of the backward pass"),
    QT_TRANSLATE_NOOP("Notes", "ran as backward step {0}"),
)


def note_text(note) -> str:
    return QCoreApplication.translate("Notes", note.template).format(*note.args)


def move_done_text(move, snapshot: SessionSnapshot) -> str:
    """What a move that changes state without a new picture did, for the status bar's message area ('' for
    the moves whose result the step line and the panels already show)."""
    from explorer.core.moves import Move

    if move is Move.ZERO_GRAD:
        return QCoreApplication.translate("Status", "Zero grad: every parameter's .grad is zero now")
    if move is Move.UPDATE:
        c = snapshot.config
        return QCoreApplication.translate("Status", "Updated the weights ({0}, lr={1})").format(
            c.get("optimizer"), f"{c.get('lr', 0):g}")
    if move is Move.NEXT_BATCH:
        return QCoreApplication.translate("Status", "Loaded batch {0}").format(snapshot.batch_index + 1)
    if move is Move.RESET:
        return QCoreApplication.translate("Status", "Reset: fresh weights from seed {0}, the first batch").format(
            snapshot.config.get("seed"))
    return ""
