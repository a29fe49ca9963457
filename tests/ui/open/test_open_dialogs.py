"""File > Open model and Open data: the dialogs, the controller on a stand-in window, and a real main window that
keeps its model when a broken one is opened."""

import dataclasses
import struct
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, QPoint, Qt, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMainWindow

from explorer.core.moves import Move
from explorer.core.models import ModelSpec
from explorer.core.session import SessionConfig
from explorer.ui.open.controller import ModelDataController
from explorer.ui.open.data_dialog import OpenDataDialog
from explorer.ui.open.model_dialog import OpenModelDialog
from explorer.ui.window.driver import WindowDriver
from tests.ui.engine_signals import wait_engine_signal_on

SHOTS = Path("/tmp/shots")

USER_MODELS = """
import torch
import torch.nn as nn

class Helper:
    pass

class Small(nn.Module):
    def __init__(self, width=8):
        super().__init__()
        self.fc1 = nn.Linear(32 * 32, width)
        self.fc2 = nn.Linear(width, 10)

    def forward(self, x):
        h = torch.relu(self.fc1(x.flatten(1)))
        return self.fc2(h) + 0 * h.sum()

class Wider(Small):
    pass
"""

BROKEN_MODEL = """
import torch.nn as nn

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(28 * 28, 10)

    def forward(self, x):
        return self.fc(x.flatten(1))
"""


def shot(widget, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(SHOTS / f"{name}.png"))


def click_open(qtbot, dialog) -> None:
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Open), Qt.MouseButton.LeftButton)


def click_radio(qtbot, radio) -> None:
    """Click on the radio's indicator (the middle of a wide radio button is past its text, where clicks miss)."""
    qtbot.mouseClick(radio, Qt.MouseButton.LeftButton, pos=QPoint(8, radio.height() // 2))


def write_mnist(folder: Path, count: int = 8) -> Path:
    """train-images/labels with `count` blank 28x28 images: the smallest folder the MNIST reader takes."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "train-images-idx3-ubyte").write_bytes(struct.pack(">4B3I", 0, 0, 8, 3, count, 28, 28) + bytes(count * 784))
    (folder / "train-labels-idx1-ubyte").write_bytes(struct.pack(">4BI", 0, 0, 8, 1, count) + bytes(range(count)))
    return folder


@pytest.fixture
def user_file(tmp_path):
    path = tmp_path / "my_models.py"
    path.write_text(USER_MODELS)
    return path


# ----- the model dialog -----------------------------------------------------------------------------------
def test_choosing_a_builtin_model(qtbot, show):
    dialog = show(OpenModelDialog(), 560, 420)
    assert dialog.builtin_radio.isChecked() and not dialog.notice_label.isVisible()
    assert [dialog.builtin_combo.itemData(i) for i in range(dialog.builtin_combo.count())] == ["seed", "resnet", "mlp"]
    dialog.builtin_combo.setCurrentIndex(1)
    shot(dialog, "open-model-builtin")
    click_open(qtbot, dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.model_spec() == ModelSpec("resnet")


def test_choosing_a_class_from_a_file_without_running_it(qtbot, show, user_file, tmp_path):
    ran = tmp_path / "ran.txt"
    user_file.write_text(f"open({str(ran)!r}, 'w').write('ran')\n" + USER_MODELS)
    dialog = show(OpenModelDialog(), 560, 460)
    click_radio(qtbot, dialog.file_radio)
    assert dialog.file_radio.isChecked() and dialog.notice_label.isVisible()
    assert "runs as Python code" in dialog.notice_label.text()
    dialog.set_path(str(user_file))
    assert [dialog.class_combo.itemText(i) for i in range(dialog.class_combo.count())] == ["Small", "Wider"]
    assert not ran.exists()  # parsed, not run
    dialog.class_combo.setCurrentIndex(1)
    qtbot.keyClicks(dialog.kwargs_edit, '{"width": 4}')
    qtbot.keyClicks(dialog.shape_edit, "1, 32, 32")
    shot(dialog, "open-model-file")
    click_open(qtbot, dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.model_spec() == ModelSpec(f"{user_file}:Wider", {"width": 4}, (1, 32, 32))


@pytest.mark.parametrize("field, text, message", [
    ("kwargs_edit", "{width: 4}", "are not JSON"),
    ("kwargs_edit", "[4]", "must be a JSON object"),
    ("shape_edit", "one,two", "positive whole numbers"),
])
def test_bad_fields_keep_the_dialog_open_with_the_reason(qtbot, show, field, text, message):
    dialog = show(OpenModelDialog(), 560, 420)
    qtbot.keyClicks(getattr(dialog, field), text)
    click_open(qtbot, dialog)
    assert dialog.isVisible() and dialog.model_spec() is None
    assert dialog.error_label.isVisible() and message in dialog.error_label.text()


def test_a_file_that_cannot_be_parsed_or_found(qtbot, show, tmp_path):
    dialog = show(OpenModelDialog(), 560, 460)
    dialog.file_radio.setChecked(True)
    bad = tmp_path / "bad.py"
    bad.write_text("class Net(nn.Module)\n")
    dialog.set_path(str(bad))
    assert "Cannot list its classes" in dialog.classes_label.text() and dialog.class_combo.count() == 0
    dialog.class_combo.setCurrentText("Net")  # a typed name is still allowed: the engine will report the error
    shot(dialog, "open-model-unparsable")
    click_open(qtbot, dialog)
    assert dialog.model_spec() == ModelSpec(f"{bad}:Net")
    other = show(OpenModelDialog(current=ModelSpec(f"{tmp_path}/absent.py:Net")), 560, 460)
    click_open(qtbot, other)
    assert other.isVisible() and "absent.py: no such file" in other.error_label.text()


def test_the_dialog_shows_the_current_model(show, user_file):
    spec = ModelSpec(f"{user_file}:Wider", {"width": 3}, (1, 28, 28))
    dialog = show(OpenModelDialog(current=spec), 560, 460)
    assert dialog.file_radio.isChecked() and dialog.path_edit.text() == str(user_file)
    assert dialog.class_combo.currentText() == "Wider"
    assert dialog.kwargs_edit.text() == '{"width": 3}' and dialog.shape_edit.text() == "1,28,28"


# ----- the data dialog ------------------------------------------------------------------------------------
def test_choosing_data(qtbot, show, tmp_path):
    dialog = show(OpenDataDialog(current="digits"), 620, 360)
    assert dialog.radios["digits"].isChecked() and not dialog.folder_edits["mnist"].isEnabled()
    click_radio(qtbot, dialog.radios["tutorial"])
    click_open(qtbot, dialog)
    assert dialog.dataset_name() == "tutorial"

    mnist = write_mnist(tmp_path / "mnist")
    dialog = show(OpenDataDialog(current="digits"), 620, 360)
    click_radio(qtbot, dialog.radios["mnist"])
    assert dialog.folder_edits["mnist"].isEnabled() and not dialog.folder_edits["folder"].isEnabled()
    qtbot.keyClicks(dialog.folder_edits["mnist"], str(mnist))
    shot(dialog, "open-data-mnist")
    click_open(qtbot, dialog)
    assert dialog.dataset_name() == f"mnist:{mnist}"

    dialog = show(OpenDataDialog(current=f"folder:{tmp_path}"), 620, 360)
    assert dialog.radios["folder"].isChecked() and dialog.folder_edits["folder"].text() == str(tmp_path)
    click_open(qtbot, dialog)
    assert dialog.dataset_name() == f"folder:{tmp_path}"


@pytest.mark.parametrize("kind, folder, message", [
    ("mnist", "", "Choose a folder"),
    ("folder", "absent", "absent: no such folder"),
    ("mnist", ".", "no train-images-idx3-ubyte and train-labels-idx1-ubyte files"),
])
def test_bad_data_folders_keep_the_dialog_open(qtbot, show, tmp_path, kind, folder, message):
    dialog = show(OpenDataDialog(), 620, 360)
    dialog.set_folder(kind, str(tmp_path / folder) if folder else "")
    click_open(qtbot, dialog)
    assert dialog.isVisible() and dialog.dataset_name() is None and message in dialog.error_label.text()


# ----- the controller on a stand-in window ----------------------------------------------------------------
class FakeEngine(QObject):
    failed = Signal(str)
    model_changed = Signal(object)


class FakeHost:
    """EngineHost's configuration side, without a thread: records what it was asked to build."""

    def __init__(self):
        self.engine = FakeEngine()
        self.config = SessionConfig(dataset="tutorial")
        self.requests = []

    def reconfigure(self, **changes):
        self.requests.append(changes)
        self.config = dataclasses.replace(self.config, **changes)


class FakeWindow(QMainWindow):
    def __init__(self):
        super().__init__()
        self.engine = FakeHost()
        self.file_actions = []

    def add_file_actions(self, actions):
        self.file_actions += actions


def test_the_controller_adds_its_actions_and_requests_a_new_session(qtbot, show, user_file):
    window = show(FakeWindow(), 800, 500)
    controller = ModelDataController(window)
    assert [a.objectName() for a in window.file_actions] == ["action_open_model", "action_open_data"]
    controller.open_model_action.trigger()
    dialog = controller.model_dialog
    assert dialog.isVisible() and dialog.builtin_radio.isChecked()
    dialog.file_radio.setChecked(True)
    dialog.set_path(str(user_file))
    qtbot.keyClicks(dialog.kwargs_edit, '{"width": 5}')
    click_open(qtbot, dialog)
    assert window.engine.requests == [{"model": f"{user_file}:Small", "model_kwargs": '{"width": 5}', "input_shape": "",
                                      "output": "", "eval_mode": False}]
    window.engine.engine.model_changed.emit(None)  # built: nothing to report
    assert controller.message_box is None and "Opened" in window.statusBar().currentMessage()

    controller.open_data_action.trigger()
    assert controller.data_dialog.radios["tutorial"].isChecked()
    click_radio(qtbot, controller.data_dialog.radios["digits"])
    click_open(qtbot, controller.data_dialog)
    assert window.engine.requests[-1] == {"dataset": "digits"}


def test_a_failure_is_shown_and_the_config_goes_back(qtbot, show):
    window = show(FakeWindow(), 800, 500)
    controller = ModelDataController(window)
    before = window.engine.config
    controller.apply_model(ModelSpec("/tmp/x.py:Net"))
    assert window.engine.config.model == "/tmp/x.py:Net"
    window.engine.engine.failed.emit('/tmp/x.py: Net: forward failed: RuntimeError: boom\n  File "/tmp/x.py", line 3')
    box = controller.message_box
    qtbot.waitUntil(box.isVisible)
    assert box.windowTitle() == "Could not open the model" and box.text() == "<p>/tmp/x.py: Net: forward failed: RuntimeError: boom</p>"
    assert 'File "/tmp/x.py", line 3' in box.informativeText() and "keeps the model" in box.informativeText()
    assert window.engine.config == before
    box.close()
    window.engine.engine.failed.emit("cannot step forward now")  # a move's failure is not this controller's
    assert controller.message_box is box and not box.isVisible()


# ----- a real main window ---------------------------------------------------------------------------------
def controller_of(window) -> ModelDataController:
    """The window's own controller once main_window builds one; until then, one made here."""
    return getattr(window, "model_data", None) or ModelDataController(window)


def test_a_broken_model_file_leaves_the_old_model_working(qtbot, window, tmp_path):
    controller = controller_of(window)
    driver = WindowDriver(window)
    broken = tmp_path / "broken_net.py"
    broken.write_text(BROKEN_MODEL)
    controller.open_model()
    dialog = controller.model_dialog
    dialog.file_radio.setChecked(True)
    dialog.set_path(str(broken))
    click_open(qtbot, dialog)
    qtbot.waitUntil(lambda: controller.message_box is not None and controller.message_box.isVisible(), timeout=30_000)
    box = controller.message_box
    assert box.text().startswith(f"<p>{broken}: Net: forward failed")
    assert f'File "{broken}", line 10, in forward' in box.informativeText()
    shot(box, "open-model-failed")
    box.close()
    assert window.engine.config.model == "seed"
    snapshot = driver.move(Move.STEP_FORWARD)
    assert snapshot.forward[0].name == "conv1"  # still the tutorial's Net
    assert window.model_dock.isVisible()


def test_opening_a_user_model_and_mnist_files_in_the_app(qtbot, window, user_file, tmp_path):
    controller = controller_of(window)
    driver = WindowDriver(window)
    with wait_engine_signal_on(qtbot, window.engine.engine.model_changed, timeout=30_000) as changed:
        controller.apply_model(ModelSpec(f"{user_file}:Small", {"width": 6}, (1, 32, 32)))
    assert changed.args[0].class_name == "Small" and changed.args[0].param_shapes[0] == (6, 1024)
    mnist = write_mnist(tmp_path / "mnist")
    with wait_engine_signal_on(qtbot, window.engine.engine.model_changed, timeout=30_000):
        controller.open_data()
        controller.data_dialog.set_folder("mnist", str(mnist))
        click_open(qtbot, controller.data_dialog)
    assert window.engine.config.dataset == f"mnist:{mnist}" and window.engine.config.model_kwargs == '{"width": 6}'
    driver.wait_until(lambda: window.snapshot.config.get("dataset") == f"mnist:{mnist}", "the mnist session")
    snapshot = driver.repeat(Move.STEP_FORWARD, 3)
    assert [step.name for step in snapshot.forward][:2] == ["flatten", "fc1"]
    assert snapshot.input.values.shape[-2:] == (32, 32)  # MNIST's 28x28 padded to the model's input shape
    driver.move(Move.RUN_FORWARD)
    driver.move(Move.LOSS)
    driver.repeat(Move.STEP_BACKWARD, 4)
    shot(window, "main-user-model-mnist")
    assert controller.message_box is None


DICT_MODEL = """
import torch.nn as nn

class TwoHeads(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Flatten(), nn.Linear(32 * 32, 16), nn.ReLU())
        self.aux = nn.Linear(16, 16)
        self.scores = nn.Linear(16, 10)

    def forward(self, x):
        h = self.body(x)
        return {"aux": self.aux(h), "scores": self.scores(h)}
"""


def test_the_dialog_names_the_prediction_and_the_window_steps_on_it(qtbot, window, tmp_path):
    path = tmp_path / "two_heads.py"
    path.write_text(DICT_MODEL)
    controller = controller_of(window)
    driver = WindowDriver(window)
    controller.open_model()
    dialog = controller.model_dialog
    dialog.file_radio.setChecked(True)
    dialog.set_path(str(path))
    click_open(qtbot, dialog)  # no name: a dict of two tensors is refused, its entries listed
    qtbot.waitUntil(lambda: controller.message_box is not None and controller.message_box.isVisible(), timeout=30_000)
    assert "aux: [1, 16]" in controller.message_box.text() and "scores: [1, 10]" in controller.message_box.text()
    controller.message_box.close()
    controller.open_model()
    dialog = controller.model_dialog
    assert dialog.output_edit.text() == ""
    dialog.file_radio.setChecked(True)
    dialog.set_path(str(path))
    qtbot.keyClicks(dialog.output_edit, "scores")
    shot(dialog, "open-model-output")
    with wait_engine_signal_on(qtbot, window.engine.engine.model_changed, timeout=30_000) as changed:
        click_open(qtbot, dialog)
    assert dialog.model_spec() == ModelSpec(f"{path}:TwoHeads", {}, None, "scores")
    assert changed.args[0].class_name == "TwoHeads" and window.engine.config.output == "scores"
    driver.wait_until(lambda: window.snapshot.config.get("output") == "scores", "the two-heads session")
    snapshot = driver.move(Move.RUN_FORWARD)
    assert snapshot.forward_total > 0 and snapshot.output_probs.shape == (10,)  # the scores head, not aux's 16
    snapshot = driver.move(Move.LOSS)
    assert snapshot.loss is not None
    snapshot = driver.move(Move.RUN_BACKWARD)
    assert snapshot.backward_total > 0 and len(snapshot.backward_done_ids) == snapshot.backward_total
