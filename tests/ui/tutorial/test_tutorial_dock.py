"""The guided walk runs each cell of the tutorial page in the app and shows the app's own numbers."""

import numpy as np
import pytest

from explorer.core.moves import Move
from explorer.core.session import SessionConfig
from explorer.ui.engine.host import EngineHost
from explorer.ui.tutorial.dock import TutorialDock, connect_tutorial
from explorer.ui.tutorial.steps import BACKWARD_NODES


@pytest.fixture
def walk(qtbot, show):
    host = EngineHost()
    dock = show(TutorialDock(), 520, 760)
    connect_tutorial(dock, host)
    host.configure(SessionConfig(dataset="digits", optimizer="adam"))  # the walk must switch to the page's setup
    qtbot.waitUntil(lambda: dock.snapshot is not None, timeout=30_000)
    yield dock, host
    assert host.shutdown()


def wait_for_result(qtbot, dock, predicate=lambda text: bool(text)):
    qtbot.waitUntil(lambda: predicate(dock.result_text()), timeout=30_000)
    return dock.result_text()


def test_the_walk_runs_every_cell_with_the_apps_numbers(qtbot, walk):
    dock, host = walk
    dock.run_step()
    text = wait_for_result(qtbot, dock)
    assert "10 parameter tensors" in text and "585,506" in text and "6×1×5×5" in text
    assert host.config.dataset == "tutorial" and host.config.optimizer == "manual-sgd"

    dock.go(2)  # a random input, forward
    text = wait_for_result(qtbot, dock, lambda t: t.startswith("output:"))
    out = host.engine.session.output.detach()[0]
    assert text.split()[1] == f"{float(out[0]):.3f}"

    dock.go(3)  # zero_grad + out.backward(randn)
    assert "autograd nodes" in wait_for_result(qtbot, dock)

    dock.go(5)  # the loss
    text = wait_for_result(qtbot, dock, lambda t: t.startswith("loss ="))
    assert text == f"loss = {float(host.engine.session.loss.detach()):.4f}"

    with qtbot.waitSignal(dock.nodes_highlighted, timeout=30_000) as chain:
        dock.go(6)  # loss.grad_fn.next_functions ...
    assert wait_for_result(qtbot, dock) == "MseLossBackward0 (loss) → AddmmBackward0 (fc3) → ReluBackward0 (forward)"
    assert dock.printed.splitlines() == ["MseLossBackward0", "AddmmBackward0", "torch::autograd::AccumulateGrad",
                                         "ReluBackward0"]  # what today's torch says: [0][0] is fc3.bias
    assert len(chain.args[0]) == 3

    dock.go(7)  # conv1.bias.grad before backward: None, as net.zero_grad() leaves it today
    wait_for_result(qtbot, dock, lambda t: t == "conv1.bias.grad = None")
    assert dock.printed == "conv1.bias.grad before backward\nNone"

    dock.go(8)  # after backward, one node short: the text asks the reader to step conv1.bias's node with F11
    session = host.engine.session
    wait_for_result(qtbot, dock, lambda t: t == "conv1.bias.grad = None")  # zero_grad left None; not written yet
    assert session.phase.value == "backward" and Move.STEP_BACKWARD in session.legal_moves()
    assert len(session.backward_steps) == BACKWARD_NODES
    host.move(Move.STEP_BACKWARD)
    qtbot.waitUntil(lambda: session.phase.value == "backward done", timeout=30_000)
    host.inspect("param", "conv1.bias")  # as the window's inspector re-reads its target
    grad = session.model.conv1.bias.grad.numpy()
    expected = ", ".join(f"{v:.4f}" for v in grad)
    wait_for_result(qtbot, dock, lambda t: expected in t)

    dock.go(10)  # the update rule
    text = wait_for_result(qtbot, dock, lambda t: "change of conv1.bias" in t)
    record = session.update_record
    change = (record.after["conv1.bias"] - record.before["conv1.bias"]).numpy()
    # the manual rule: weight = weight - 0.01 * gradient (float32 rounding of the subtraction aside)
    np.testing.assert_allclose(change, -0.01 * session.model.conv1.bias.grad.numpy(), rtol=1e-4, atol=1e-8)
    assert f"{change[0]:.4f}" in text


def test_an_inspection_the_step_did_not_ask_for_does_not_hide_its_result(qtbot, walk):
    dock, host = walk
    dock.go(8)  # conv1.bias.grad after backward (one node short of it)
    host.inspect("param", "conv1.weight")  # as the inspector re-reading its own target after the weights changed
    text = wait_for_result(qtbot, dock, lambda t: "conv1.bias.grad = " in t)
    qtbot.wait(300)  # the conv1.weight answer has arrived by now
    assert dock.result_text() == text and dock.inspection.target == ("param", "conv1.bias")


def test_back_and_next_buttons_follow_the_page(qtbot, walk):
    dock, _ = walk
    assert not dock.back_button.isEnabled() and not dock.start_over_button.isVisible()
    dock.next_button.click()
    assert dock.index == 1 and dock.back_button.isEnabled()
    dock.go(len(dock.steps) - 1)
    assert not dock.next_button.isEnabled()
    dock.back_button.click()
    assert dock.index == len(dock.steps) - 2
    assert dock.start_over_button.isVisible()
    dock.start_over_button.click()  # F1 reopened on the last step can start over
    assert dock.index == 0


def test_the_chain_rule_step_works_one_element_of_fc3s_dl_dx(qtbot, walk):
    dock, host = walk
    dock.go(next(i for i, s in enumerate(dock.steps) if s.key == "chain_rule"))
    assert dock.steps[dock.index - 1].key == "grad_after"  # right after the backward pass
    text = wait_for_result(qtbot, dock, lambda t: "relative error" in t)
    session = host.engine.session
    fc3 = next(s for s in session.backward_steps if s.cls == "AddmmBackward0" and s.module == "fc3")
    dl_dx = fc3.grad_out[1].double()[0]  # mat1: fc3's input
    i = int(dl_dx.abs().argmax())
    # dL/dx[0, i] = Σⱼ dL/dy[0, j] · W[j, i], with the model's own W
    by_hand = float((fc3.grad_in[0].double()[0] * session.model.fc3.weight.detach().double()[:, i]).sum())
    assert text.startswith(f"dL/dx[0, {i}] = Σⱼ dL/dy[0, j] · W[j, {i}] = ")
    assert dock.explanation.worked.total == pytest.approx(by_hand, rel=1e-6)
    assert f"autograd: {float(dl_dx[i]):.6g}" in text
    assert "the other 6 terms" in text  # ten terms: four listed, six summed
    assert dock.explanation.numeric.relative < 1e-4
