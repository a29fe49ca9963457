"""`explorer runs DIR`: a watched run's summary; its TensorBoard export; clear errors for bad folders."""

import math

import pytest
import torch
import torch.nn.functional as F

import explorer
import explorer.cli
from explorer.cli import run_cli
from explorer.core.net import Net


@pytest.fixture(autouse=True)
def only_runs(monkeypatch):
    monkeypatch.setattr(explorer.cli, "SUBCOMMANDS", ("runs",))


@pytest.fixture
def run_dir(tmp_path):
    torch.manual_seed(0)
    net = Net()
    optimizer = torch.optim.SGD(net.parameters(), lr=0.05)
    watcher = explorer.watch(net, tmp_path / "run", every=5)
    g = torch.Generator().manual_seed(0)
    for step in range(1, 21):
        x, y = torch.randn(4, 1, 32, 32, generator=g), torch.randn(4, 10, generator=g)
        optimizer.zero_grad()
        loss = F.mse_loss(net(x), y)
        loss.backward()
        optimizer.step()
        watcher.log(loss=loss, lr=0.05)
    watcher.close()
    return tmp_path / "run"


def test_summary_names_ranks_steps_loss_and_diagnostics(run_dir, capsys):
    assert run_cli(["runs", str(run_dir)]) == 0
    out = capsys.readouterr().out
    assert "1 rank(s) of world size 1; model Net, 585,506 parameters in 10 tensors" in out
    assert "rank 0  rank-00000.sqlite" in out and "last step 20" in out
    assert "loss: 20 points, first " in out
    assert "lr: 20 points, last 0.05 at step 20" in out
    assert "gradient norms: 5 steps measured; largest at step 20: " in out  # steps 1, 5, 10, 15, 20
    assert "dead ReLU units at step 20: relu(conv1) " in out
    assert "gradient histograms: 5 steps" in out and "Problems" not in out


def test_a_bad_rank_file_is_listed_and_a_missing_folder_is_an_error(run_dir, tmp_path, capsys):
    (run_dir / "rank-00001.sqlite").write_bytes(b"not sqlite" * 50)
    assert run_cli(["runs", str(run_dir)]) == 0
    out = capsys.readouterr().out
    assert f"Problems:\n  {run_dir / 'rank-00001.sqlite'}: not a readable explorer run store" in out
    assert run_cli(["runs", str(tmp_path / "nowhere")]) == 1
    assert capsys.readouterr().err.strip() == f"explorer runs: error: {tmp_path / 'nowhere'}: no such folder"


def test_tensorboard_export_reads_back_with_tensorboard(run_dir, tmp_path, capsys):
    pytest.importorskip("tensorboard")
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    assert run_cli(["runs", str(run_dir), "--tensorboard", str(tmp_path / "tb")]) == 0
    assert "TensorBoard event files: " in capsys.readouterr().out
    events = EventAccumulator(str(tmp_path / "tb" / "rank-0"), size_guidance={"scalars": 0, "histograms": 0})
    events.Reload()
    assert [e.step for e in events.Scalars("loss")] == list(range(1, 21))
    assert math.isfinite(events.Scalars("grad_norm/fc1.weight")[0].value)
    assert events.Histograms("gradient/fc1.weight")[0].histogram_value.num == pytest.approx(1200 * 400, rel=1e-3)
