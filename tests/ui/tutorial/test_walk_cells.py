"""Every cell of the guided walk runs as PyTorch code: the test runs each one against the installed torch, on a
session of its own that makes the same moves, and compares what it prints with what the panel shows; the cells'
claims about today's torch (the grad_fn chain, zero_grad's None) are checked on a plain nn.Module as well."""

import pytest
import torch

from explorer.core.moves import Move
from explorer.core.net import Net
from explorer.core.session import SessionConfig, StepSession
from explorer.core.walk.cells import CellRun, run_cell
from explorer.ui.engine.host import EngineHost
from explorer.ui.tutorial.dock import TutorialDock, connect_tutorial
from explorer.ui.tutorial.steps import CODE, TUTORIAL_CONFIG, prelude_code, tutorial_steps


@pytest.fixture
def walk(qtbot, show):
    host = EngineHost()
    dock = show(TutorialDock(), 560, 900)
    connect_tutorial(dock, host)
    host.configure(SessionConfig(**TUTORIAL_CONFIG))
    qtbot.waitUntil(lambda: dock.snapshot is not None, timeout=30_000)
    yield dock, host
    assert host.shutdown()


def test_the_panel_shows_what_each_cell_prints_in_the_installed_torch(qtbot, walk):
    dock, host = walk
    mine = StepSession(SessionConfig(**TUTORIAL_CONFIG))  # the same seed: the same weights and batch
    for index, step in enumerate(dock.steps):
        if mine.phase.value == "backward":  # the dock finishes a backward in flight before a step, visibly
            mine.apply(Move.RUN_BACKWARD)
        cell = CellRun(step.code, prelude_code(step))
        cell.take(mine)
        for move in step.moves:
            mine.apply(move)
        expected = cell.run(mine)
        dock.go(index) if index else dock.run_step()
        qtbot.waitUntil(lambda: not dock._sync_token and bool(dock.printed), timeout=30_000)
        assert dock.printed == expected, step.key
        assert dock.printed_view.toPlainText() == expected
        assert "Error" not in expected, (step.key, expected)
        if step.key == "grad_after":
            dock.grab().save("/tmp/shots/tutorial-cell-output.png")
    # the numbers are the app's own: the random gradient the backward step drew, the update the app made
    session = host.engine.session
    assert repr(session.model.conv1.bias).splitlines()[1] in dock.printed


def test_the_random_gradient_cell_prints_the_apps_own_gradient(qtbot, walk):
    dock, host = walk
    dock.go(3)
    qtbot.waitUntil(lambda: not dock._sync_token and dock.printed.startswith("tensor("), timeout=30_000)
    grad = host.engine.session.model.fc3.bias.grad
    assert dock.printed == str(grad)


def test_the_cells_claims_hold_for_a_plain_module_in_this_torch():
    torch.manual_seed(0)
    net = Net()
    printed = run_cell(CODE["grad_fn"], net, torch.randn(1, 1, 32, 32), (CODE["loss"],))
    assert printed.splitlines() == ["MseLossBackward0", "AddmmBackward0", "torch::autograd::AccumulateGrad",
                                    "ReluBackward0"]
    net(torch.randn(1, 1, 32, 32)).sum().backward()
    assert run_cell(CODE["grad_before"], net, torch.randn(1, 1, 32, 32)).endswith("None")
    assert all(p.grad is None for p in net.parameters())  # net.zero_grad()'s default since torch 2.0


def test_a_cell_that_fails_on_another_model_shows_torchs_error():
    printed = run_cell(CODE["grad_before"], torch.nn.Linear(3, 2), torch.randn(1, 3))
    assert printed.startswith("AttributeError:") and "conv1" in printed


def test_a_step_run_in_the_middle_of_a_stepped_backward_finishes_it_first(qtbot, walk):
    from explorer.core.moves import Move

    dock, host = walk
    failures = []
    host.engine.failed.connect(failures.append)
    for move in (Move.RUN_FORWARD, Move.LOSS, Move.STEP_BACKWARD, Move.STEP_BACKWARD):
        host.move(move)
    qtbot.waitUntil(lambda: dock.snapshot.phase == "backward", timeout=30_000)
    dock.go(2)  # forward: needs a new batch, which the session refuses mid-backward
    qtbot.waitUntil(lambda: not dock._sync_token and dock.printed.startswith("tensor("), timeout=30_000)
    assert failures == []
    assert dock.snapshot.phase == "forward done"
