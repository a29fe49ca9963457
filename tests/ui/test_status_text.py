"""The GUI's status line says what the core session says, in the GUI's language."""

from explorer.core.moves import Move
from explorer.core.session import SessionConfig, StepSession
from explorer.core.snapshot import Snapshotter
from explorer.ui.status_text import prediction_text, status_text, target_text


def test_status_text_equals_the_sessions_own_status_in_english(qapp):
    s = StepSession(SessionConfig(dataset="tutorial"))
    snaps = Snapshotter(s)
    seen = [status_text(snaps.snapshot()) == s.status()]
    moves = [Move.STEP_FORWARD] * 4 + [Move.RUN_FORWARD, Move.LOSS] + [Move.STEP_BACKWARD] * 12 + [Move.RUN_BACKWARD, Move.UPDATE]
    for move in moves:
        s.apply(move)
        seen.append(status_text(snaps.snapshot()) == s.status())
    assert all(seen), [i for i, ok in enumerate(seen) if not ok]


def test_prediction_and_target_texts_equal_the_cores(qapp):
    for dataset in ("tutorial", "digits"):
        s = StepSession(SessionConfig(dataset=dataset))
        s.run_forward()
        snap = Snapshotter(s).snapshot()
        assert prediction_text(snap) == snap.prediction_text and prediction_text(snap)
        assert target_text(snap) == snap.target_text
