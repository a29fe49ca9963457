"""explorer.show on real third-party models, offscreen: the window opens on the user's own object, steps it
forward and backward on the engine thread to the same gradients as a plain loss.backward(), switches it
between train and eval mode, and gives it back as it was when the window closes."""

import copy
import threading

import pytest
import torch
from PySide6.QtCore import QSettings

import explorer
from explorer.core.devices import gui_friendly_threads
from tests.core.live.third_party import CASES, plain_gradients


@pytest.fixture(autouse=True)
def settings_of_this_test(tmp_path):
    """show() keeps the window's layout in the default QSettings, as the app does: here, a file of this test's."""
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))


def wait_for(qtbot, window, predicate, timeout=60000):
    qtbot.waitUntil(lambda: window.snapshot is not None and predicate(window.snapshot), timeout=timeout)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_show_steps_the_users_model_to_the_plain_gradients(qtbot, case, tmp_path):
    model = case.build().eval()
    # The reference on as many CPU threads as the engine's: another count sums in another order (last bits).
    threads = torch.get_num_threads()
    torch.set_num_threads(gui_friendly_threads())
    try:
        expected = plain_gradients(copy.deepcopy(model), case)
    finally:
        torch.set_num_threads(threads)
    window = explorer.show(model, case.batch(), target=case.target(), loss_fn=case.loss_fn, output=case.output,
                           block=False)
    qtbot.addWidget(window)
    wait_for(qtbot, window, lambda s: s.live and s.phase == "ready")
    assert type(model).__name__ in window.windowTitle() and window.model_dock.isVisible()
    assert not window.train_mode.action.isChecked()  # the model came in eval mode and stays so
    assert not window.session_menus.dataset_actions["digits"].isEnabled() and window.training_actions["train"].isEnabled()
    for move, after in (("step_forward", "forward"), ("run_forward", "forward done"), ("compute_loss", "loss computed"),
                        ("step_backward", "backward"), ("run_backward", "backward done")):
        qtbot.waitUntil(lambda: window.move_actions[move].isEnabled())
        window.move_actions[move].trigger()
        wait_for(qtbot, window, lambda s: s.phase == after)
    wait_for(qtbot, window, lambda s: s.phase == "backward done")
    if case.name in ("gpt2", "bert"):
        assert len(window.snapshot.input_tokens) == 8  # token ids shown as a sequence
    window.grab().save(str(tmp_path / f"show-{case.name}.png"))
    for name, p in model.named_parameters():
        assert torch.equal(p.grad, expected[name]), name
    window.train_mode.action.trigger()
    wait_for(qtbot, window, lambda s: s.model_training and s.phase == "ready")
    assert model.training
    window.close()
    assert not model.training  # given back in the mode it came in
    assert not any(m._forward_hooks or m._forward_pre_hooks for m in model.modules())


def test_a_batch_the_model_cannot_take_is_a_message_in_the_window(qtbot, monkeypatch):
    from explorer.ui import show as show_module

    messages, threads = [], []

    def warning(parent, title, text):
        threads.append(threading.current_thread())
        messages.append(text)

    monkeypatch.setattr(show_module.QMessageBox, "warning", warning)
    model = torch.nn.Linear(3, 2)
    window = explorer.show(model, torch.randn(4, 5), target=torch.randn(4, 2), block=False)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: bool(messages), timeout=20000)
    assert messages[0].startswith("batch: the model's forward failed on tensor [4, 5] float32")
    assert "test_show.py" in messages[0] and "explorer.show(model, torch.randn(4, 5)" in messages[0]
    assert threads == [threading.main_thread()]  # a message box is a widget: never from the engine thread
    assert model.weight.grad is None
    window.close()


def test_training_in_the_window_trains_the_users_object_on_their_dataloader(qtbot):
    from torch.utils.data import DataLoader, TensorDataset

    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Embedding(20, 8), torch.nn.Flatten(), torch.nn.Linear(40, 3))
    ids, labels = torch.randint(0, 20, (24, 5)), torch.randint(0, 3, (24,))
    loader = DataLoader(TensorDataset(ids, labels), batch_size=4, shuffle=True)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
    before = model[2].weight.detach().clone()
    window = explorer.show(model, data=loader, optimizer=optimizer, block=False)
    qtbot.addWidget(window)
    wait_for(qtbot, window, lambda s: s.live)
    assert len(window.snapshot.input_tokens) == 5
    qtbot.waitUntil(lambda: window.training_actions["step"].isEnabled())
    window.training_actions["step"].trigger()
    qtbot.waitUntil(lambda: window.training_state.phase == "paused" and window.training_state.step == 1, timeout=30000)
    assert not torch.equal(model[2].weight, before)  # the notebook's / script's own object was trained
    assert optimizer.state_dict()["param_groups"][0]["lr"] == 0.5
    window.close()  # no "save the trained weights?" question: they are in the caller's object
    assert not window.isVisible() and not window.engine.thread.isRunning()
