"""The record an export writes is the weights' real history, whatever happened before: stepped, trained,
paused, stopped, reset, a checkpoint applied, a new model or data set. The session owns that history."""

import pytest

from explorer.core.training.run import session_run
from explorer.core.checkpoint import load_checkpoint
from explorer.core.checkpoint.tasks import StagedCheckpoint, apply_staged, export_session, read_for_preview
from explorer.core.moves import Move
from explorer.core.session import SessionConfig, StepSession
from explorer.core.training.loop import TrainConfig


def export(session, path):
    export_session(session, path)
    return load_checkpoint(path)


def train(session, steps, **settings):
    run = session_run(session, TrainConfig(steps=steps, **settings))
    while run.next() is not None:
        pass
    return run


def test_a_stopped_run_records_its_steps_optimizer_state_settings_loss_and_accuracy(tmp_path):
    session = StepSession(SessionConfig(dataset="digits"))  # the stepping settings: manual-sgd, batch 1
    run = train(session, 12, optimizer="sgd", lr=0.02, momentum=0.9, batch_size=32)
    session.weights_changed()  # what the engine does when a run stops: the run object is gone afterwards
    del run
    checkpoint = export(session, tmp_path / "trained.pt")
    meta = checkpoint.metadata
    assert checkpoint.step == 12 and meta["optimizer_class"] == "SGD"
    assert meta["hyperparameters"]["optimizer"] == "sgd" and meta["hyperparameters"]["batch_size"] == 32
    assert meta["hyperparameters"]["lr"] == 0.02 and meta["dataset"] == "digits"
    assert checkpoint.loss is not None and meta["metrics"]["loss"] == pytest.approx(checkpoint.loss)
    assert 0 <= meta["metrics"]["test_accuracy"] <= 1  # the last step was the run's last: accuracies measured
    assert "momentum_buffer" in checkpoint.optimizer_state["state"][0]


def test_stepping_after_training_counts_on_and_records_the_stepping_optimizer(tmp_path):
    session = StepSession(SessionConfig(dataset="digits", optimizer="manual-sgd", lr=0.01))
    train(session, 5, optimizer="adam", lr=1e-3, batch_size=16)
    session.weights_changed()
    for move in (Move.RUN_FORWARD, Move.LOSS, Move.RUN_BACKWARD, Move.UPDATE):
        session.apply(move)
    checkpoint = export(session, tmp_path / "stepped.pt")
    assert checkpoint.step == 6
    assert checkpoint.metadata["hyperparameters"]["optimizer"] == "manual-sgd"
    assert checkpoint.metadata["hyperparameters"]["batch_size"] == 1
    assert checkpoint.loss == pytest.approx(float(session.loss.detach()))  # the loss of the step that was applied
    assert checkpoint.metadata["metrics"]["measured_at_step"] == 5  # the accuracy is the weights' of step 5


def test_a_run_continued_after_a_stop_counts_on_and_reset_starts_at_zero(tmp_path):
    session = StepSession(SessionConfig(dataset="tutorial"))
    train(session, 3, optimizer="sgd", batch_size=1)
    train(session, 4, optimizer="sgd", batch_size=1)  # a new run (Train again) from the trained weights
    assert export(session, tmp_path / "a.pt").step == 7
    session.apply(Move.RESET)
    fresh = export(session, tmp_path / "b.pt")
    assert fresh.step == 0 and fresh.optimizer_state is None and fresh.loss is None
    assert fresh.metadata["hyperparameters"]["optimizer"] == "manual-sgd"  # what stepping would use


def test_an_applied_checkpoint_brings_its_history_and_a_paused_run_counts_on_from_it(tmp_path):
    donor = StepSession(SessionConfig(dataset="digits"))
    train(donor, 8, optimizer="sgd", batch_size=8)
    saved = export(donor, tmp_path / "donor.pt")

    session = StepSession(SessionConfig(dataset="digits", seed=3))
    run = session_run(session, TrainConfig(optimizer="sgd", batch_size=8, steps=50))
    run.next()
    staged = StagedCheckpoint()
    read_for_preview(session, saved.path, staged, run)
    apply_staged(session, staged, run)
    opened = export(session, tmp_path / "opened.pt")
    assert opened.step == 8 and opened.metadata["hyperparameters"]["batch_size"] == 8
    assert opened.metadata["metrics"]["test_accuracy"] == saved.metadata["metrics"]["test_accuracy"]
    run.next()
    run.next()
    assert export(session, tmp_path / "later.pt").step == 10


def test_a_new_session_a_new_model_or_data_starts_a_fresh_history(tmp_path):
    session = StepSession(SessionConfig(dataset="tutorial"))
    train(session, 2, optimizer="sgd", batch_size=1)
    other = StepSession(SessionConfig(dataset="digits"))  # what the engine builds for a new model or data set
    assert export(other, tmp_path / "other.pt").step == 0
    assert export(session, tmp_path / "mine.pt").step == 2


def test_no_module_global_state_keeps_the_history():
    import explorer.core.checkpoint.training_record as record

    assert not any(type(v).__name__ == "WeakKeyDictionary" for v in vars(record).values())
    a, b = StepSession(SessionConfig(dataset="tutorial")), StepSession(SessionConfig(dataset="tutorial"))
    train(a, 2, optimizer="sgd", batch_size=1)
    assert (a.history.steps, b.history.steps) == (2, 0)
