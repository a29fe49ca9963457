"""The Open model dialog's mode choice (Step in: Training / Eval mode) and what the window does with it: a torchvision
ResNet-18 steps one sample in eval mode unchanged; in training mode a batch-norm model's batch is raised to two and
the status bar says the batch it really steps; Training > Train mode keeps the choice and refuses what cannot step;
a training run trains in training mode and gives the model back in the session's mode."""

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from explorer.core.moves import Move
from explorer.core.session import SessionConfig
from explorer.core.training.messages import TrainSettings
from explorer.ui.i18n import install_translators
from explorer.ui.open.model_dialog import OpenModelDialog
from explorer.ui.window.driver import WindowDriver
from tests.cli.test_batch_norm_batches import BN_MODEL
from tests.ui.engine_signals import wait_engine_signal_on
from tests.ui.open.test_open_dialogs import FakeWindow, click_open, click_radio, shot
from explorer.ui.open.controller import ModelDataController

RESNET18_FILE = """
import torch.nn as nn
import torchvision


class ResNet18(nn.Module):
    \"\"\"torchvision's ResNet-18 with random weights and ten classes: batch norm over a 1x1 map at 32x32.\"\"\"

    def __init__(self):
        super().__init__()
        self.net = torchvision.models.resnet18(num_classes=10)

    def forward(self, x):
        return self.net(x)
"""


def open_file_model(qtbot, window, path: Path, cls: str, eval_mode: bool, input_shape: str = ""):
    """File > Open model with the dialog, as a user would; returns once the engine built the session."""
    controller = window.model_data
    controller.open_model()
    dialog = controller.model_dialog
    assert dialog.train_radio.isChecked() != dialog.eval_radio.isChecked()  # one mode, shown as the session's
    dialog.file_radio.setChecked(True)
    dialog.set_path(str(path))
    dialog.class_combo.setCurrentText(cls)
    dialog.shape_edit.setText(input_shape)
    click_radio(qtbot, dialog.eval_radio if eval_mode else dialog.train_radio)
    with wait_engine_signal_on(qtbot, window.engine.engine.model_changed, timeout=60_000):
        click_open(qtbot, dialog)
    driver = WindowDriver(window)
    driver.wait_until(lambda: window.snapshot.config.get("model") == f"{path}:{cls}", "the new session")
    return driver


# ----- the dialog -------------------------------------------------------------------------------------------
def test_the_dialog_offers_the_mode_and_shows_the_current_one(qtbot, show):
    dialog = show(OpenModelDialog(), 560, 560)
    assert dialog.train_radio.isChecked() and not dialog.eval_mode()
    click_radio(qtbot, dialog.eval_radio)
    assert dialog.eval_mode()
    shot(dialog, "open-model-eval-mode")
    again = show(OpenModelDialog(eval_mode=True), 560, 560)
    assert again.eval_radio.isChecked() and again.eval_mode()


def test_the_dialog_in_chinese(qtbot, show):
    install_translators(QApplication.instance(), "zh_CN")
    try:
        dialog = show(OpenModelDialog(eval_mode=True), 560, 560)
        assert dialog.eval_radio.text() != "&Eval mode" and dialog.train_radio.text() != "&Training mode"
        shot(dialog, "open-model-eval-mode-zh_CN")
    finally:
        install_translators(QApplication.instance(), "en")


def test_the_controller_asks_for_the_mode_chosen(qtbot, show):
    window = show(FakeWindow(), 800, 500)
    controller = ModelDataController(window)
    controller.open_model()
    click_radio(qtbot, controller.model_dialog.eval_radio)
    click_open(qtbot, controller.model_dialog)
    assert window.engine.requests[-1]["eval_mode"] is True
    controller.open_model()  # the next time, the dialog shows the mode in use
    assert controller.model_dialog.eval_radio.isChecked()
    controller.model_dialog.reject()


# ----- the window ---------------------------------------------------------------------------------------------
def test_resnet18_in_eval_mode_steps_one_sample_unchanged(qtbot, window, tmp_path):
    from tests.core.live.third_party import need

    need("torchvision")
    path = tmp_path / "resnet18.py"
    path.write_text(RESNET18_FILE)
    driver = open_file_model(qtbot, window, path, "ResNet18", eval_mode=True, input_shape="3,32,32")
    assert window.engine.config.eval_mode and window.snapshot.batch_size == 1
    assert not window.snapshot.model_training and not window.train_mode.action.isChecked()
    label = window.config_label.text()
    assert "batch 1 |" in label and "raised" not in label and label.endswith("| eval mode")
    assert "batch size 1 -> 2" not in window.statusBar().currentMessage()  # no adjustment: nothing to say
    snapshot = driver.move(Move.STEP_FORWARD)  # was: "Expected more than 1 value per channel"
    assert snapshot.forward[0].name == "net.conv1"
    snapshot = driver.move(Move.RUN_FORWARD)
    snapshot = driver.move(Move.LOSS)
    assert snapshot.loss is not None and window.error_box is None
    # Training > Train mode: one sample cannot step in training mode here, so the switch is refused and said
    window.train_mode.action.trigger()
    qtbot.waitUntil(lambda: "Train mode needs a batch of 2" in window.statusBar().currentMessage(), timeout=30_000)
    driver.wait_until(lambda: not window.train_mode.action.isChecked(), "the check mark back on eval")
    assert window.engine.config.eval_mode
    shot(window, "main-resnet18-eval-mode")


def test_in_training_mode_the_status_bar_says_the_batch_it_steps(qtbot, window, tmp_path):
    path = tmp_path / "bn_model.py"
    path.write_text(BN_MODEL)
    open_file_model(qtbot, window, path, "PooledBatchNorm", eval_mode=False)
    assert window.engine.config.batch_size == 1 and window.snapshot.batch_size == 2
    qtbot.waitUntil(lambda: "or open it in eval mode" in window.statusBar().currentMessage(), timeout=10_000)
    assert "batch 2 (raised from 1)" in window.config_label.text()  # was: "batch 1", the batch asked for
    assert "eval mode" not in window.config_label.text()
    shot(window.statusBar(), "statusbar-batch-raised")


def test_train_mode_switch_is_kept_and_training_gives_the_model_back_in_eval_mode(qtbot, window, tmp_path):
    path = tmp_path / "bn_model.py"
    path.write_text(BN_MODEL)
    driver = open_file_model(qtbot, window, path, "PooledBatchNorm", eval_mode=False)
    window.train_mode.action.trigger()  # to eval mode: the host's config follows, so later sessions keep it
    driver.wait_until(lambda: not window.snapshot.model_training, "eval mode")
    qtbot.waitUntil(lambda: window.engine.config.eval_mode, timeout=10_000)
    assert window.config_label.text().endswith("| eval mode")
    window.training_dock.set_settings(TrainSettings(batch_size=8, length=3, unit="steps"))
    window.training_actions["train"].trigger()
    qtbot.waitUntil(lambda: window.training_state.phase == "idle" and window.training_state.step == 3, timeout=60_000)
    driver.wait_until(lambda: window.snapshot.param_version > 0 and not window.snapshot.model_training,
                      "the model back in eval mode after training")
    assert not window.train_mode.action.isChecked()
    driver.move(Move.RESET)
    assert not window.snapshot.model_training  # Reset keeps the mode too


def test_the_settings_file_keeps_the_mode(tmp_path):
    from explorer.ui.settings import load_session_config, save_session_config

    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    save_session_config(settings, SessionConfig(eval_mode=True))
    settings.sync()
    assert load_session_config(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)).eval_mode
    settings.setValue("Session/eval_mode", "maybe")  # a hand-edited file: the default, and the reason
    problems = []
    assert not load_session_config(settings, problems).eval_mode
    assert [p.key for p in problems] == ["Session/eval_mode"] and "true or false" in problems[0].reason


def test_training_a_batch_norm_model_at_batch_one_trains_on_two_and_says_so(qtbot, window, tmp_path):
    path = tmp_path / "bn_model.py"
    path.write_text(BN_MODEL)
    open_file_model(qtbot, window, path, "PooledBatchNorm", eval_mode=True)
    window.training_dock.set_settings(TrainSettings(batch_size=1, length=3, unit="steps"))
    window.training_actions["train"].trigger()
    qtbot.waitUntil(lambda: "training batch size 1 -> 2" in window.statusBar().currentMessage(), timeout=30_000)
    qtbot.waitUntil(lambda: window.training_state.phase == "idle" and window.training_state.step == 3, timeout=60_000)
    assert not window.training_state.error  # was: "step 1 failed: Expected more than 1 value per channel"


def test_every_notice_the_core_writes_is_translated():
    from explorer.core import batch_rule
    from explorer.core.wording import Phrase
    from explorer.ui.phrases import _NOTICE_TEMPLATES, notice_text

    written = (batch_rule.CUT_TO_DATA, batch_rule.CUT_TO_ONE, batch_rule.RAISED_FOR_BATCH_NORM,
               batch_rule.TRAINING_RAISED, batch_rule.TRAIN_MODE_REFUSED)
    assert set(written) == set(_NOTICE_TEMPLATES)
    install_translators(QApplication.instance(), "zh_CN")
    try:
        for template in written:
            phrase = Phrase(template, (3, 2, "digits", 2)[: template.count("{")])
            assert notice_text(phrase) != str(phrase) and "批量" in notice_text(phrase)
    finally:
        install_translators(QApplication.instance(), "en")
