"""The window shows the core's own phrases: in English word for word, in Chinese translated."""

from explorer.core.moves import Move
from explorer.core.session import SessionConfig, StepSession
from explorer.core.snapshot import Snapshotter
from explorer.ui.i18n import install_translators
from explorer.ui.phrases import status_text

MOVES = [Move.STEP_FORWARD] * 4 + [Move.RUN_FORWARD, Move.LOSS] + [Move.STEP_BACKWARD] * 12 + [Move.RUN_BACKWARD, Move.UPDATE]


def test_status_target_and_prediction_are_the_cores_own_words_in_english(qapp):
    s = StepSession(SessionConfig(dataset="digits"))
    snaps = Snapshotter(s)
    for move in [None, *MOVES]:
        if move is not None:
            s.apply(move)
        snap = snaps.snapshot()
        assert status_text(snap.status) == s.status()
        assert status_text(snap.target) == str(snap.target) and str(snap.target).startswith("target: ")
    assert str(snap.prediction).startswith("prediction: ")


def test_every_status_phrase_is_translated(qapp):
    install_translators(qapp, "zh_CN")
    try:
        s = StepSession(SessionConfig(dataset="digits"))
        snaps = Snapshotter(s)
        for move in [None, *MOVES]:
            if move is not None:
                s.apply(move)
            snap = snaps.snapshot()
            for phrase in (snap.status, snap.target, snap.prediction):
                if phrase is not None:
                    assert status_text(phrase) != str(phrase), phrase.template
    finally:
        install_translators(qapp, "en")
