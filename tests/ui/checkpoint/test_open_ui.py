"""File > Open in the window: a preview before applying, mismatches and untrusted files refused with the weights unchanged, recent files."""

import os
import struct
from pathlib import Path

import torch
from PySide6.QtCore import Qt

from explorer.core.moves import Move
from explorer.core.checkpoint import load_checkpoint, save_checkpoint
from explorer.core.models import build_model
from explorer.core.session import SessionConfig
from explorer.ui.checkpoint.recent_files import MAX_RECENT
from explorer.ui.window.driver import WindowDriver
from tests.shared_models import OtherNet
from tests.ui.engine_signals import wait_engine_signal_on

from .checkpoint_helpers import engine_weights, assert_same, wait_idle, wait_message, dismiss, open_preview, fact, save_shot


def test_open_shows_the_file_before_applying_and_apply_loads_weights_and_optimizer(qtbot, make_window, tmp_path):
    window, controller = make_window(SessionConfig(dataset="tutorial", optimizer="sgd", lr=0.01))
    donor = build_model("seed", seed=42)
    optimizer = torch.optim.SGD(donor.parameters(), lr=0.5, momentum=0.9)
    donor(torch.randn(1, 1, 32, 32)).sum().backward()
    optimizer.step()
    path = tmp_path / "donor.pt"
    metadata = {"model": "seed", "dataset": "tutorial", "metrics": {"loss": 0.125, "accuracy": 0.75},
                "hyperparameters": {"optimizer": "sgd", "lr": 0.5, "batch_size": 4}}
    save_checkpoint(path, donor, optimizer, step=321, loss=0.125, metadata=metadata)
    before = engine_weights(qtbot, window)

    dialog = open_preview(qtbot, controller, path)
    preview = dialog.preview
    assert (preview.step, preview.loss, preview.model, preview.dataset) == (321, 0.125, "seed", "tutorial")
    assert preview.fits and dialog.apply_button.isEnabled()
    assert ("accuracy", "0.75") in preview.metrics
    assert preview.optimizer.applies
    assert fact(dialog, "optimizer") == "SGD, state for 10 parameters; applied with the weights, so training resumes where it stopped"
    assert fact(dialog, "format") == ".pt file, explorer format 1"
    assert dialog.table.rowCount() == 10 and dialog.table.item(4, 0).text() == "fc1.weight"
    assert dialog.table.item(4, 1).text() == "1200\u00d7400"
    assert_same(engine_weights(qtbot, window), before)  # the preview changed nothing
    save_shot(dialog, "ui-checkpoint-preview.png")

    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, controller)
    assert_same(engine_weights(qtbot, window), donor.state_dict())
    assert "Loaded weights and optimizer state from donor.pt (step 321)" in window.statusBar().currentMessage()

    # The optimizer's state resumed; the session keeps its own learning rate.
    token = "test:optimizer"
    with wait_engine_signal_on(qtbot, window.engine.engine.task_finished, check_params_cb=lambda t, r: t == token) as blocker:
        window.engine.run_task(token, lambda s: s.optimizer.state_dict())
    state = blocker.args[1]
    assert state["param_groups"][0]["lr"] == 0.01
    assert torch.equal(state["state"][4]["momentum_buffer"], optimizer.state_dict()["state"][4]["momentum_buffer"])

    # The next export carries the checkpoint's step on; after Reset (fresh weights) steps count from 0.
    controller.export_to(tmp_path / "again.pt")
    wait_idle(qtbot, controller)
    assert load_checkpoint(tmp_path / "again.pt").step == 321
    WindowDriver(window).move(Move.RESET)
    controller.export_to(tmp_path / "fresh.pt")
    wait_idle(qtbot, controller)
    assert load_checkpoint(tmp_path / "fresh.pt").step == 0


def test_a_state_dict_saved_by_plain_pytorch_opens_and_applies(qtbot, make_window, tmp_path):
    window, controller = make_window()
    donor = build_model("seed", seed=13)
    torch.save(donor.state_dict(), tmp_path / "plain.pt")
    dialog = open_preview(qtbot, controller, tmp_path / "plain.pt")
    assert fact(dialog, "format") == ".pt file with no explorer metadata (written by another program)"
    assert fact(dialog, "model") == "not named in the file" and dialog.preview.fits
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, controller)
    assert_same(engine_weights(qtbot, window), donor.state_dict())


def test_a_file_for_another_model_lists_every_mismatch_and_changes_nothing(qtbot, make_window, tmp_path):
    window, controller = make_window()
    path = tmp_path / "other.pt"
    save_checkpoint(path, OtherNet(), step=7, metadata={"model": "other_net.py:OtherNet", "dataset": "tutorial"})
    before = engine_weights(qtbot, window)

    dialog = open_preview(qtbot, controller, path)
    assert not dialog.preview.fits and not dialog.apply_button.isEnabled()
    banner = dialog.banner.text()
    assert "Does not fit the model in this session; nothing will be changed." in banner
    assert "Missing in the file (2): fc3.weight, fc3.bias" in banner
    assert "Not in the model (2): head.weight, head.bias" in banner
    assert ("Wrong shape (2): conv2.weight (file 8\u00d76\u00d73\u00d73, model 16\u00d76\u00d75\u00d75), "
            "conv2.bias (file 8, model 16)") in banner
    save_shot(dialog, "ui-checkpoint-mismatch.png")
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Cancel), Qt.MouseButton.LeftButton)
    wait_idle(qtbot, controller)
    assert_same(engine_weights(qtbot, window), before)


class RunsCode:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch '{self.marker}'",))


def bad_files(folder: Path) -> dict[str, str]:
    """Untrusted files, each with a fragment its one-line error must contain."""
    good = folder / "good.pt"
    save_checkpoint(good, build_model("seed", seed=5), step=1, metadata={"model": "seed"})
    data = good.read_bytes()
    (folder / "truncated.pt").write_bytes(data[: len(data) // 2])
    (folder / "random.safetensors").write_bytes(os.urandom(4096))
    (folder / "empty.pt").write_bytes(b"")
    (folder / "folder.pt").mkdir()
    (folder / "huge-header.safetensors").write_bytes(struct.pack("<Q", 2**62) + b"{}")
    torch.save({"model_state_dict": {"w": torch.zeros(2)}, "step": RunsCode(folder / "PAYLOAD_RAN")}, folder / "evil.pt")
    torch.save({"model_state_dict": build_model("seed").state_dict(), "metadata": {"format_version": 7}},
               folder / "future.pt")
    return {
        "truncated.pt": "truncated",
        "random.safetensors": "not a readable safetensors file",
        "empty.pt": "empty file (0 bytes)",
        "folder.pt": "is a folder",
        "huge-header.safetensors": "header too large",
        "evil.pt": "refused: the file asks to run or build",
        "future.pt": "written by a newer explorer (format 7)",
        "missing.pt": "no such file",
    }


def test_untrusted_files_give_a_one_line_message_and_leave_the_weights_bit_identical(qtbot, make_window, tmp_path):
    window, controller = make_window()
    cases = bad_files(tmp_path)
    before = engine_weights(qtbot, window)
    for name, fragment in cases.items():
        controller.open_path(tmp_path / name)
        box = wait_message(qtbot, controller)
        first_line = box.text().splitlines()[0]
        assert first_line.startswith(f"{tmp_path / name}: ") and fragment in first_line, first_line
        assert "Traceback" not in box.text() and box.windowTitle() == "Cannot open checkpoint"
        assert controller.preview_dialog is None
        dismiss(qtbot, controller)
    assert not (tmp_path / "PAYLOAD_RAN").exists(), "opening a checkpoint ran code from it"
    assert_same(engine_weights(qtbot, window), before)
    assert window.isVisible() and window.snapshot is not None


def test_nan_weights_are_shown_as_a_warning_before_applying(qtbot, make_window, tmp_path):
    window, controller = make_window()
    model = build_model("seed")
    with torch.no_grad():
        model.fc2.weight[0, 0] = float("nan")
    path = tmp_path / "diverged.safetensors"
    save_checkpoint(path, model, step=9, metadata={"model": "seed"})
    dialog = open_preview(qtbot, controller, path)
    assert dialog.warning_label.isVisible()
    assert dialog.warning_label.text() == "Warning: 1 tensor holds NaN or Inf values: fc2.weight"
    assert fact(dialog, "optimizer").startswith("none (.safetensors holds weights only)")
    dialog.reject()
    wait_idle(qtbot, controller)


def test_an_optimizer_of_another_kind_is_left_alone_and_the_weights_still_apply(qtbot, make_window, tmp_path):
    window, controller = make_window()  # the session's optimizer is the tutorial's manual rule
    donor = build_model("seed", seed=8)
    adam = torch.optim.Adam(donor.parameters())
    donor(torch.zeros(1, 1, 32, 32)).sum().backward()
    adam.step()
    path = tmp_path / "adam.pt"
    save_checkpoint(path, donor, adam, step=2, metadata={"model": "seed"})
    dialog = open_preview(qtbot, controller, path)
    assert not dialog.preview.optimizer.applies
    assert "not applied (holds Adam state, but the optimizer is ManualSGD): weights only" in fact(dialog, "optimizer")
    dialog.accept()
    wait_idle(qtbot, controller)
    assert_same(engine_weights(qtbot, window), donor.state_dict())
    assert "Loaded weights from adam.pt (step 2)" in window.statusBar().currentMessage()


def test_recent_files_most_recent_first_missing_ones_disabled_and_at_most_eight(qtbot, make_window, tmp_path):
    window, controller = make_window()
    paths = []
    for index in range(MAX_RECENT + 2):
        path = tmp_path / f"run{index}.safetensors"
        save_checkpoint(path, build_model("seed"), metadata={"model": "seed"})
        controller.recent.add(path)
        paths.append(path)
    assert controller.recent.paths() == paths[::-1][:MAX_RECENT]
    paths[-1].unlink()
    menu = controller.recent.menu
    menu.aboutToShow.emit()
    entries = [a for a in menu.actions() if not a.isSeparator()]
    assert entries[0].text() == "&1 run9.safetensors (missing)" and not entries[0].isEnabled()
    assert entries[1].text() == "&2 run8.safetensors" and entries[1].isEnabled()
    assert entries[-1].text() == "&Clear list"

    entries[1].trigger()  # opening from the menu shows the preview
    wait_idle(qtbot, controller)
    qtbot.waitUntil(lambda: controller.preview_dialog is not None)
    assert controller.preview_dialog.preview.path == str(paths[8])
    controller.preview_dialog.reject()
    wait_idle(qtbot, controller)
    assert controller.recent.paths()[0] == paths[8]  # opened, so now the most recent
    clear = [a for a in menu.actions() if a.text() == "&Clear list"]  # the menu was rebuilt
    clear[0].trigger()
    assert controller.recent.paths() == [] and not menu.menuAction().isEnabled()


