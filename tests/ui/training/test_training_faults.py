"""Faults inside training and at close: a model whose forward raises mid-run, and one slower than 5 s per step.

The message names what failed with the user's own code line, the run ends cleanly, every control is usable
again, and closing never aborts (a QThread destroyed while running would kill this very test process)."""

import time

import pytest
from PySide6.QtCore import QSettings

from explorer.core.moves import Move
from explorer.core.session import SessionConfig
from explorer.core.training.messages import TrainSettings
from explorer.ui.main_window import MainWindow
from explorer.ui.window.driver import WindowDriver

MODELS = '''
import time

import torch.nn as nn

TRAINING_BATCHES = {"seen": 0}


class FailsOnItsFifthBatch(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(1024, 10)

    def forward(self, x):
        if x.shape[0] == 32:  # the training batches (the dry run, stepping and testing use other sizes)
            TRAINING_BATCHES["seen"] += 1
            if TRAINING_BATCHES["seen"] == 5:
                raise RuntimeError("the fifth training batch is cursed")
        return self.fc(x.flatten(1))


class TakesSixSecondsAStep(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(1024, 10)

    def forward(self, x):
        if x.shape[0] == 32:
            time.sleep(6.0)
        return self.fc(x.flatten(1))
'''


@pytest.fixture
def model_window(qtbot, tmp_path):
    windows = []

    def make(cls: str):
        path = tmp_path / "faulty_models.py"
        path.write_text(MODELS)
        settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(SessionConfig(model=f"{path}:{cls}", dataset="digits"), settings)
        window.states = []
        window.engine.engine.training_state.connect(window.states.append)
        qtbot.addWidget(window)
        window.resize(1200, 800)
        window.show()
        WindowDriver(window).wait_ready()
        window.training_dock.set_settings(TrainSettings(optimizer="sgd", lr=0.01, batch_size=32, length=50))
        windows.append(window)
        return window, path

    yield make
    for window in windows:  # a failed test still closes them: a running engine thread would abort pytest
        window.steps_since_export = 0
        window.close()
        qtbot.waitUntil(lambda: not window.engine.thread.isRunning(), timeout=30_000)


def test_an_exception_in_training_is_reported_and_frees_every_control(qtbot, model_window, capfd):
    window, path = model_window("FailsOnItsFifthBatch")
    window.training_actions["train"].trigger()
    # window.states is filled on the engine thread (a plain callable connects directly): wait for the window's
    qtbot.waitUntil(lambda: window.training_state.error, timeout=60_000)
    state = window.training_state
    assert state.phase == "idle" and state.error and state.step == 4
    assert "step 5 failed" in state.message and "the fifth training batch is cursed" in state.message
    assert str(path) in state.message and 'raise RuntimeError("the fifth training batch is cursed")' in state.message
    # the panel says so (not "Training..."), the progress bar shows the 4 steps that ran
    assert "cursed" in window.training_dock.message.text()
    assert window.training_dock.progress.value() == 4
    box = window.error_box
    assert box is not None and box.isVisible() and "cursed" in box.text()
    assert "raise RuntimeError" in box.informativeText()
    box.accept()
    # every control usable again: Train and One step, the stepping moves, the menus, the panel's fields
    actions = window.training_actions
    assert actions["train"].isEnabled() and actions["step"].isEnabled()
    assert not actions["pause"].isEnabled() and not actions["resume"].isEnabled()
    assert window.move_actions[Move.STEP_FORWARD].isEnabled()
    assert all(a.isEnabled() for a in window.session_menus.actions)
    assert window.training_dock.batch_box.isEnabled()
    driver = WindowDriver(window)
    driver.move(Move.RUN_FORWARD)
    # a new run trains (the model fails only once) and answers Pause
    seen = len(window.states)
    actions["train"].trigger()
    qtbot.waitUntil(lambda: window.training_state.phase == "running", timeout=30_000)
    qtbot.waitUntil(actions["pause"].isEnabled, timeout=30_000)
    actions["pause"].trigger()
    qtbot.waitUntil(lambda: any(s.phase == "paused" for s in window.states[seen:]), timeout=30_000)
    window.steps_since_export = 0
    window.close()
    qtbot.waitUntil(lambda: not window.engine.thread.isRunning(), timeout=30_000)
    assert "Traceback" not in capfd.readouterr().err


def test_closing_during_a_six_second_step_finishes_it_without_freezing_or_aborting(qtbot, model_window, capfd):
    window, _ = model_window("TakesSixSecondsAStep")
    window.training_actions["train"].trigger()
    qtbot.waitUntil(lambda: window.training_state.phase == "running", timeout=30_000)
    qtbot.wait(500)  # inside the first step's sleep
    window.steps_since_export = 0
    began = time.monotonic()
    window.close()
    held = time.monotonic() - began
    assert held < 1.0, f"the close held the GUI thread {held:.1f} s"
    assert window.isVisible() and window.engine.thread.isRunning()
    assert "Finishing" in window.step_label.text()
    assert not window.menuBar().isEnabled()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=30_000)
    assert not window.engine.thread.isRunning()
    assert window.states[-1].phase == "idle" and window.states[-1].step == 1  # the step in flight completed
    err = capfd.readouterr().err
    assert "Traceback" not in err and "QThread: Destroyed" not in err
