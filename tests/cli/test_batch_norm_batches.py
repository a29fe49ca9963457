"""Batch norm at batch size 1 (a torchvision ResNet's last blocks at 32x32 see a 1x1 map): a batch that works,
checked at the batch the session steps, and every reduction of a requested setting said."""

import textwrap

import pytest

from explorer.cli import run_cli
from explorer.core.moves import Move
from explorer.core.session import SessionConfig, StepSession

BN_MODEL = textwrap.dedent('''
    import torch.nn as nn


    class PooledBatchNorm(nn.Module):
        """Like torchvision's ResNet-18 on a 32x32 input: batch norm over a 1x1 map."""

        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(1, 8, 3, stride=2)
            self.pool = nn.AdaptiveAvgPool2d(1)
            self.bn = nn.BatchNorm2d(8)
            self.fc = nn.Linear(8, 10)

        def forward(self, x):
            return self.fc(self.bn(self.pool(self.conv(x))).flatten(1))
''')


@pytest.fixture
def bn_model(tmp_path):
    path = tmp_path / "bn_model.py"
    path.write_text(BN_MODEL)
    return f"{path}:PooledBatchNorm"


def test_graph_takes_two_samples_for_batch_norm_and_says_so(bn_model, tmp_path, capsys):
    out = tmp_path / "g.json"
    assert run_cli(["graph", "--model", bn_model, "--dataset", "digits", "--out", str(out)]) == 0
    assert "--batch-size 1 -> 2" in capsys.readouterr().err
    assert out.exists()


def test_graph_on_one_sample_data_says_what_would_work(bn_model, tmp_path, capsys):
    assert run_cli(["graph", "--model", bn_model, "--dataset", "tutorial", "--out", str(tmp_path / "g.json")]) != 0
    err = capsys.readouterr().err
    assert "batch norm" in err and "--batch-size 2" in err and "Traceback" not in err


def test_a_batch_cut_to_the_data_is_said(tmp_path, capsys):
    assert run_cli(["graph", "--batch-size", "2", "--dataset", "tutorial", "--out", str(tmp_path / "g.json")]) == 0
    assert "--batch-size 2 -> 1" in capsys.readouterr().err


def test_the_session_steps_a_batch_norm_model_at_a_batch_that_works(bn_model):
    session = StepSession(SessionConfig(model=bn_model, dataset="digits", batch_size=1))
    assert session.batch_size == 2 and "batch size 1 -> 2" in str(session.notices[0])
    for move in (Move.STEP_FORWARD, Move.RUN_FORWARD, Move.LOSS, Move.RUN_BACKWARD, Move.UPDATE):
        session.apply(move)  # was: "Expected more than 1 value per channel" on the first Step forward
    assert len(session.targets) == 2


def test_the_session_says_when_the_data_holds_fewer_samples_than_the_batch():
    session = StepSession(SessionConfig(dataset="tutorial", batch_size=2))
    assert session.batch_size == 1 and [str(n) for n in session.notices] == ["batch size 2 -> 1: 'tutorial' has only 1 training sample"]
