"""Eval mode, the other way out of batch norm at one sample: the session (and `graph`, `explain`) steps the model as
model.eval() sets it, batch norm on its running statistics, so batch size 1 works unchanged; the check runs in
that mode; training still trains in training mode; and the session keeps the mode the user chose."""

import pytest
import torch

from explorer.cli import run_cli
from explorer.core.moves import Move
from explorer.core.session import SessionConfig, SessionError, StepSession
from explorer.core.training.loop import TrainConfig
from explorer.core.training.run import session_run
from tests.cli.test_batch_norm_batches import bn_model  # noqa: F401 (a fixture)

RESNET18 = dict(model="torchvision.models:resnet18", model_kwargs='{"num_classes": 10}', input_shape="3,32,32")
GRAPH_RESNET18 = ["--model", RESNET18["model"], "--model-kwargs", RESNET18["model_kwargs"],
                  "--input-shape", RESNET18["input_shape"]]
STEP = (Move.STEP_FORWARD, Move.RUN_FORWARD, Move.LOSS, Move.STEP_BACKWARD, Move.RUN_BACKWARD, Move.UPDATE)


@pytest.fixture(scope="module")
def torchvision():
    from tests.core.live.third_party import need

    return need("torchvision")


def bn_running_stats(model) -> list[torch.Tensor]:
    return [m.running_mean.clone() for m in model.modules() if isinstance(m, torch.nn.BatchNorm2d)]


def test_resnet18_steps_one_sample_in_eval_mode_unchanged(torchvision):
    # 'tutorial' has one sample: in training mode this is refused (see test_batch_norm_batches)
    session = StepSession(SessionConfig(**RESNET18, dataset="tutorial", batch_size=1, eval_mode=True))
    assert session.batch_size == 1 and session.notices == [] and not session.model.training
    stats = bn_running_stats(session.model)
    step = session.step_forward()  # was: "Expected more than 1 value per channel"
    assert step.name == "conv1" and step.output.shape == (1, 64, 16, 16)
    for move in STEP[1:]:
        session.apply(move)
    assert len(session.targets) == 1 and session.update_record is not None
    # eval mode: batch norm used its running statistics and left them as they were
    assert all(torch.equal(a, b) for a, b in zip(stats, bn_running_stats(session.model)))
    session.apply(Move.RESET)
    assert not session.model.training and session.config.eval_mode  # Reset keeps the mode the session steps in


def test_resnet18_in_training_mode_gets_two_samples_and_the_notice_names_eval_mode(torchvision):
    session = StepSession(SessionConfig(**RESNET18, dataset="digits", batch_size=1))
    assert session.batch_size == 2 and session.model.training
    notice = str(session.notices[0])
    assert notice.startswith("batch size 1 -> 2") and "eval mode" in notice


def test_training_mode_on_one_sample_is_refused_with_eval_mode_named(torchvision):
    with pytest.raises(Exception, match="eval mode, where it uses its running statistics"):
        StepSession(SessionConfig(**RESNET18, dataset="tutorial", batch_size=1))


def test_the_switch_to_training_mode_is_refused_where_batch_norm_cannot_step_the_batch(bn_model):  # noqa: F811
    session = StepSession(SessionConfig(model=bn_model, dataset="digits", batch_size=1, eval_mode=True))
    session.run_forward()
    with pytest.raises(SessionError, match="Batch size 2"):
        session.set_training(True)
    assert not session.model.training and session.phase.value == "forward done"  # nothing changed
    session.set_training(False)
    assert session.config.eval_mode


def test_the_mode_switched_to_is_kept_through_reset(bn_model):  # noqa: F811
    session = StepSession(SessionConfig(model=bn_model, dataset="digits", batch_size=4))
    session.set_training(False)
    assert session.config.eval_mode and not session.model.training
    session.apply(Move.RESET)
    assert not session.model.training
    session.set_training(True)  # four samples: batch norm has values to normalise
    session.apply(Move.RESET)
    assert session.model.training and not session.config.eval_mode


def test_training_trains_in_training_mode_and_gives_the_model_back_in_the_sessions(bn_model):  # noqa: F811
    session = StepSession(SessionConfig(model=bn_model, dataset="digits", batch_size=1, eval_mode=True))
    run = session_run(session, TrainConfig(batch_size=8, steps=3, seed=0), diagnostics=False)
    stats = bn_running_stats(session.model)
    modes = []
    while (metrics := run.next()) is not None:
        modes.append(session.model.training)
        session.back_to_stepping_mode()  # what the engine does at each pause: the moves step in eval mode
        assert not session.model.training
    assert modes == [True, True, True] and metrics is None
    assert not all(torch.equal(a, b) for a, b in zip(stats, bn_running_stats(session.model)))  # it trained


def test_graph_of_resnet18_at_one_sample_in_eval_mode(torchvision, tmp_path, capsys):
    out = tmp_path / "g.json"
    assert run_cli(["graph", *GRAPH_RESNET18, "--dataset", "tutorial", "--eval", "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert "note:" not in captured.err and "wrote" in captured.out and out.stat().st_size > 0


def test_graph_without_eval_names_it(torchvision, tmp_path, capsys):
    assert run_cli(["graph", *GRAPH_RESNET18, "--dataset", "tutorial", "--out", str(tmp_path / "g.json")]) != 0
    assert "give --eval" in capsys.readouterr().err
    assert run_cli(["graph", *GRAPH_RESNET18, "--dataset", "digits", "--out", str(tmp_path / "g.json")]) == 0
    assert "--batch-size 1 -> 2" in (err := capsys.readouterr().err) and "--eval" in err


def test_explain_in_eval_mode(bn_model, capsys):  # noqa: F811
    assert run_cli(["explain", "--model", bn_model, "--batch-size", "1", "--eval", "--no-numeric", "--node", "1",
                    "--format", "json"]) == 0
    assert '"batch_size": 1' in capsys.readouterr().out


def test_the_help_texts_list_eval(capsys):
    for command in ("graph", "explain"):
        with pytest.raises(SystemExit):
            run_cli([command, "--help"])
        assert "--eval" in capsys.readouterr().out
    from explorer.ui.window.options import window_options_help

    assert "--eval" in window_options_help()


def test_train_raises_a_batch_norm_models_batch_of_one_and_records_it(bn_model, tmp_path, capsys):  # noqa: F811
    from explorer.core.checkpoint import load_checkpoint

    out = tmp_path / "bn.pt"
    # was: a traceback, "Expected more than 1 value per channel when training", at the first step
    assert run_cli(["train", "--model", bn_model, "--dataset", "digits", "--batch-size", "1", "--steps", "3",
                    "--out", str(out)]) == 0
    assert "training batch size 1 -> 2" in capsys.readouterr().err
    assert load_checkpoint(out).metadata["hyperparameters"]["batch_size"] == 2  # the batch that trained


def test_a_checkpoint_of_fresh_weights_records_the_batch_the_session_steps(bn_model):  # noqa: F811
    from explorer.core.checkpoint.training_record import training_record

    session = StepSession(SessionConfig(model=bn_model, dataset="digits", batch_size=1))
    assert training_record(session)[3]["hyperparameters"]["batch_size"] == 2  # was 1, the batch asked for
