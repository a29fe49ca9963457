"""Train, Pause, Resume, Stop and Step through the window's actions, against the engine's real run."""

import time

import pytest

from explorer.core.training.messages import TrainSettings
from .training_helpers import training_window, trigger  # noqa: F401 (fixture)

LONG = dict(optimizer="manual-sgd", lr=0.001, batch_size=1, length=10_000_000)


def enabled(actions):
    return {name for name, action in actions.items() if action.isEnabled()}


def test_start_pause_resume_stop_in_quick_succession(qtbot, training_window):
    window = training_window("tutorial", **LONG)
    for _ in range(6):
        trigger(qtbot, window, "train", "running")
        trigger(qtbot, window, "pause", "paused")
        trigger(qtbot, window, "resume", "running")
        trigger(qtbot, window, "pause", "paused")
        trigger(qtbot, window, "resume", "running")
        trigger(qtbot, window, "stop", "idle")
    assert enabled(window.training_actions) == {"train", "step"}
    assert window.engine.engine.run is None
    phases = [s.phase for s in window.states]
    assert phases.count("idle") == 6 and phases[-1] == "idle"


def test_stepping_actions_are_disabled_while_training_and_back_when_paused(qtbot, training_window):
    window = training_window("tutorial", **LONG)
    trigger(qtbot, window, "train", "running")
    assert enabled(window.move_actions) == set()
    assert enabled(window.training_actions) == {"pause", "stop"}
    assert not window.session_menus.dataset_actions["digits"].isEnabled() and not window.session_menus.lr_action.isEnabled()
    state = trigger(qtbot, window, "pause", "paused")
    qtbot.waitUntil(lambda: window.snapshot.param_version > 0 and enabled(window.move_actions)
                    == set(window.snapshot.legal_moves), timeout=10_000)
    assert "step_forward" in enabled(window.move_actions)
    assert enabled(window.training_actions) == {"resume", "step", "stop"}
    assert window.training_dock.lr_box.isEnabled() and not window.training_dock.batch_box.isEnabled()
    assert state.step > 0 and window.steps_since_export == state.step


def test_pausing_hands_the_views_the_trained_weights(qtbot, training_window):
    window = training_window("tutorial", **LONG)
    version = window.snapshot.param_version
    trigger(qtbot, window, "train", "running")
    trigger(qtbot, window, "pause", "paused")
    qtbot.waitUntil(lambda: window.snapshot.param_version > version, timeout=10_000)
    assert window.snapshot.phase == "ready"  # the stepping pass restarts from the trained weights
    shown = window.inspector_dock  # the inspector re-asks for what it shows when param_version grows
    assert shown is not None


def test_one_step_takes_exactly_one_optimizer_step(qtbot, training_window):
    window = training_window("tutorial", **LONG)
    assert trigger(qtbot, window, "step", "paused").step == 1
    assert trigger(qtbot, window, "step", "paused").step == 2
    assert window.training_plots_dock.loss_plot.buffer.x.tolist() == [1.0, 2.0]
    assert trigger(qtbot, window, "stop", "idle").step == 2


def test_a_finished_run_says_so_and_frees_the_controls(qtbot, training_window):
    window = training_window("tutorial", optimizer="manual-sgd", lr=0.01, batch_size=1, length=40)
    state = trigger(qtbot, window, "train", "idle")
    assert state.step == 40 and "Finished" in state.message
    assert window.training_dock.progress.value() == 40
    assert enabled(window.training_actions) == {"train", "step"}


def test_closing_mid_training_exits_within_two_seconds(qtbot, training_window):
    window = training_window("digits", optimizer="sgd", lr=0.01, batch_size=64, length=10_000_000)
    trigger(qtbot, window, "train", "running")
    qtbot.waitUntil(lambda: window.training_plots_dock.counts["steps"] >= 3, timeout=30_000)
    window.steps_since_export = 0  # no "save the trained weights?" prompt (the checkpoint tests cover it)
    start = time.monotonic()
    window.close()
    assert not window.engine.thread.isRunning()
    assert time.monotonic() - start < 2.0


def test_a_task_asked_for_while_training_runs_when_training_pauses(qtbot, training_window):
    window = training_window("tutorial", **LONG)
    trigger(qtbot, window, "train", "running")
    answers = []
    window.engine.engine.task_finished.connect(lambda token, result: answers.append((token, result)))
    window.engine.run_task("count", lambda session: window.engine.engine.run.step)
    qtbot.wait(200)
    assert answers == []  # the engine thread is busy training
    state = trigger(qtbot, window, "pause", "paused")
    qtbot.waitUntil(lambda: bool(answers), timeout=10_000)
    assert answers == [("count", state.step)]


def test_weights_that_are_already_nan_get_reset_advice_not_resume(qtbot, training_window):
    """A NaN gradient on a step without statistics is applied; the next step's loss shows it. Resume cannot
    repair NaN weights, so the message says Reset."""
    window = training_window("tutorial", **LONG)
    done = []
    window.engine.engine.task_finished.connect(lambda token, result: done.append(token))
    window.engine.run_task("poison", lambda session: session.model.fc2.bias.data.fill_(float("nan")))
    qtbot.waitUntil(lambda: "poison" in done, timeout=10_000)
    state = trigger(qtbot, window, "train", "paused")
    assert state.nonfinite_step == 1 and "fc2.bias" in state.nonfinite_origin
    message = window.training_dock.message.text()
    assert "Reset" in message and "Resume cannot help" in message


def test_the_progress_bar_shows_speed_and_time_left_while_running(qtbot, training_window):
    window = training_window("tutorial", **LONG)
    bar = window.training_dock.progress
    trigger(qtbot, window, "train", "running")
    qtbot.waitUntil(lambda: "steps/s" in bar.format() and "left" in bar.format(), timeout=10_000)
    assert bar.text().startswith(f"step {bar.value()} of {bar.maximum()} \u00b7 ")
    assert bar.updatesEnabled()  # the update only defers the bar's repaint to the event loop (no GIL held there)
    state = trigger(qtbot, window, "pause", "paused")
    assert bar.format() == "step %v of %m" and bar.value() == state.step
    assert "steps/s" in window.training_dock.speed_label.text()  # the speed of the stretch just ended


def test_running_a_tutorial_step_pauses_training_and_shows_its_result(qtbot, training_window):
    window = training_window("tutorial", **LONG)
    window.show_tutorial()
    dock = window.tutorial_dock
    qtbot.waitUntil(lambda: bool(dock.result_text()), timeout=10_000)
    trigger(qtbot, window, "train", "running")
    dock.go(2)  # the forward cell, while the engine thread is busy training
    qtbot.waitUntil(lambda: window.training_state.phase == "paused", timeout=10_000)
    assert "tutorial" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: dock.result_text().startswith("output:"), timeout=10_000)
    out = window.engine.engine.session.output.detach()[0]
    assert dock.result_text().split()[1] == f"{float(out[0]):.3f}"
    trigger(qtbot, window, "resume", "running")  # the run goes on from where it was paused
    dock.run_button.click()
    qtbot.waitUntil(lambda: window.training_state.phase == "paused", timeout=10_000)
    qtbot.waitUntil(lambda: dock.result_text().startswith("output:"), timeout=10_000)


def test_the_cuda_entry_says_why_it_is_off(qtbot, training_window):
    window = training_window("tutorial")
    qtbot.waitUntil(lambda: "cuda" in window.device_menus.device_actions, timeout=10_000)
    cpu, cuda = window.device_menus.device_actions["cpu"], window.device_menus.device_actions["cuda"]
    assert cpu.isChecked() and cpu.isEnabled()
    import torch

    if not torch.cuda.is_available():
        assert not cuda.isEnabled() and "CUDA" in cuda.toolTip()
    seen = window.snapshot.serial
    cpu.trigger()  # moving to the device it is on keeps everything working
    qtbot.waitUntil(lambda: window.snapshot.serial > seen, timeout=10_000)
    assert trigger(qtbot, window, "step", "paused").step == 1


def test_settings_are_checked_and_remembered(qtbot, training_window):
    window = training_window("tutorial", optimizer="adam", lr=0.003, batch_size=4, length=7, unit="epochs", seed=5)
    window.write_settings()
    from explorer.ui.training.settings import load_train_settings

    assert load_train_settings(window.settings) == TrainSettings("adam", 0.003, 4, 7, "epochs", 5)
    assert TrainSettings(batch_size=4, length=7, unit="epochs").steps(train_size=10) == 14


@pytest.mark.parametrize("lr", [10.0])
def test_nan_guard_pauses_and_names_the_step_and_the_layer(qtbot, training_window, lr):
    window = training_window("tutorial", optimizer="manual-sgd", lr=lr, batch_size=1, length=1000)
    state = trigger(qtbot, window, "train", "paused")
    assert state.nonfinite_step is not None and state.nonfinite_step <= 10
    assert state.step == state.nonfinite_step - 1  # the bad step's update was not applied
    message = window.training_dock.message.text()
    assert f"step {state.nonfinite_step}" in message and state.nonfinite_origin in message
    assert state.nonfinite_origin  # e.g. "the output of fc1" or "the gradient of fc1.weight"
    assert "#fdecea" in window.training_dock.message.styleSheet()  # shown as a warning
    assert enabled(window.training_actions) == {"resume", "step", "stop"}
    window.training_dock.grab().save("/tmp/shots/training-dock-nan.png")
