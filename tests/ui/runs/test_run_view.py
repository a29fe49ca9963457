"""File > Open run in the window: a torchrun job's two ranks shown, followed live, and bad stores named."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from PySide6.QtCore import Qt

import explorer
from explorer.core.net import Net
from tests.core.watch.test_watch_ddp_and_kill import run_ddp_job
from tests.ui.windows import open_window

SHOTS = "/tmp/shots"


@pytest.fixture
def window(qtbot, tmp_path):
    w = open_window(qtbot, tmp_path, size=(1500, 950))
    yield w
    w.runs.close_run()


def curve_points(overlay, rank):
    xs, ys = overlay.curves[rank].getData()
    return xs, ys


def test_a_torchrun_run_opens_with_both_ranks_and_rank_1_on_request(qtbot, window, tmp_path):
    done = run_ddp_job(tmp_path / "run", steps=30, every=5)
    assert done.returncode == 0, done.stderr[-3000:]
    window.runs.open_run(str(tmp_path / "run"))
    runs = window.runs
    qtbot.waitUntil(lambda: runs.plots.counts["steps"] == 30 and runs.dock.rank_box.count() == 2, timeout=20_000)
    dock, plots = runs.dock, runs.plots
    assert [dock.rank_box.itemText(i) for i in range(2)] == ["rank 0", "rank 1"]
    assert dock.rank_box.currentText() == "rank 0"  # rank 0 by default
    # Both ranks overlaid: their losses differ (own batches), their gradient norms agree (DDP averaged them).
    (x0, loss0), (x1, loss1) = curve_points(dock.loss_overlay, 0), curve_points(dock.loss_overlay, 1)
    assert x0.tolist() == x1.tolist() == list(range(1, 31)) and not np.allclose(loss0, loss1)
    (n0x, n0), (n1x, n1) = curve_points(dock.norm_overlay, 0), curve_points(dock.norm_overlay, 1)
    assert n0x.tolist() == n1x.tolist() == [1, 5, 10, 15, 20, 25, 30]
    np.testing.assert_allclose(n0, n1, rtol=1e-6)
    # The curves panel, the app's own, draws rank 0: its loss, per-parameter norms, histograms.
    assert plots.windowTitle() == "Run curves"
    assert plots.loss_plot.buffer.y[:, 0].tolist() == pytest.approx(loss0.tolist())
    assert plots.norm_plot.names[0] == "conv1.weight" and len(plots.norm_plot.buffer) == 7
    assert plots.counts["diagnostics"] == 7 and len(plots.gradient_histograms.histories["fc1.weight"]) == 7
    assert "Net(" in dock.model_text.toPlainText() and "fc1.weight  (1200, 400)" in dock.model_text.toPlainText()
    assert "2 of 2 rank(s): rank 0 at step 30, rank 1 at step 30." in dock.status.text()
    assert dock.problems.isHidden()
    dock.raise_()
    plots.raise_()
    qtbot.wait(200)
    window.grab().save(f"{SHOTS}/run-two-ranks.png")
    # The user picks rank 1 in the box: the curves panel redraws from rank 1's records.
    dock.rank_box.setFocus()
    qtbot.keyClick(dock.rank_box, Qt.Key.Key_Down)
    assert runs.shown_rank == 1 and dock.rank_box.currentText() == "rank 1"
    assert plots.loss_plot.buffer.y[:, 0].tolist() == pytest.approx(loss1.tolist())
    dock.grab().save(f"{SHOTS}/run-dock-two-ranks.png")


def test_a_run_is_followed_while_it_is_written(qtbot, window, tmp_path):
    torch.manual_seed(0)
    net = Net()
    optimizer = torch.optim.SGD(net.parameters(), lr=0.01)
    watcher = explorer.watch(net, tmp_path / "live", every=2)
    x, y = torch.randn(2, 1, 32, 32), torch.randn(2, 10)

    def steps(n):
        for _ in range(n):
            optimizer.zero_grad()
            loss = F.mse_loss(net(x), y)
            loss.backward()
            optimizer.step()
            watcher.log(loss=loss)
        watcher.flush()

    steps(10)
    window.runs.open_run(str(tmp_path / "live"))
    qtbot.waitUntil(lambda: window.runs.plots.counts["steps"] == 10, timeout=20_000)
    steps(15)
    qtbot.waitUntil(lambda: window.runs.plots.counts["steps"] == 25, timeout=20_000)
    assert window.runs.plots.loss_plot.buffer.x.tolist() == list(range(1, 26))
    watcher.close()


def test_a_corrupt_rank_file_is_named_and_the_good_rank_shown(qtbot, window, tmp_path):
    torch.manual_seed(0)
    net = Net()
    optimizer = torch.optim.SGD(net.parameters(), lr=0.01)
    with explorer.watch(net, tmp_path / "run", every=1) as watcher:
        for _ in range(3):
            optimizer.zero_grad()
            loss = F.mse_loss(net(torch.ones(1, 1, 32, 32)), torch.zeros(1, 10))
            loss.backward()
            optimizer.step()
            watcher.log(loss=loss)
    bad = tmp_path / "run" / "rank-00001.sqlite"
    bad.write_bytes(b"half a file" * 100)
    window.runs.open_run(str(tmp_path / "run"))
    qtbot.waitUntil(lambda: window.runs.plots.counts["steps"] == 3, timeout=20_000)
    problems = window.runs.dock.problems
    qtbot.waitUntil(lambda: problems.isVisible())
    assert problems.text().startswith(f"{bad}: not a readable explorer run store")
    window.runs.dock.grab().save(f"{SHOTS}/run-dock-corrupt-rank.png")


def test_a_missing_folder_says_so_and_the_window_goes_on(qtbot, window, tmp_path):
    window.runs.open_run(str(tmp_path / "nowhere"))
    problems = window.runs.dock.problems
    qtbot.waitUntil(lambda: problems.isVisible(), timeout=10_000)
    assert problems.text() == f"{tmp_path / 'nowhere'}: no such folder"
    assert window.runs.open_action.isEnabled()


def test_explorer_dash_dash_run_names_the_folder_to_open():
    from explorer.ui.app import parse_gui_args

    assert parse_gui_args(["--run", "runs/exp1"]).run == "runs/exp1"
    assert parse_gui_args([]).run is None


def test_file_menu_offers_open_run(window):
    assert window.runs.open_action in window.file_menu.actions()
    assert window.runs.open_action.text() == "Open &run..."
