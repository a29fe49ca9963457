"""File > Compare checkpoints in a real window: the numbers plain torch gives, a picture of B - A, and a list
of what differs when the models differ."""

from pathlib import Path

import numpy as np
import pytest
import torch

from explorer.core.checkpoint import save_checkpoint
from explorer.core.models import build_model
from tests.ui.windows import open_window

SHOTS = Path("/tmp/shots")


@pytest.fixture
def window(qtbot, tmp_path):
    w = open_window(qtbot, tmp_path, size=(1200, 800))
    yield w
    w.steps_since_export = 0
    w.close()


def open_comparison(qtbot, window, a, b):
    window.compare.compare(a, b)
    qtbot.waitUntil(lambda: window.compare.dialog is not None and window.compare.dialog.isVisible(), timeout=30_000)
    return window.compare.dialog


def test_the_file_menu_offers_compare(window):
    assert window.compare.action in window.file_menu.actions()


def test_compare_shows_plain_torch_numbers_and_the_difference(qtbot, window, tmp_path):
    a, b = build_model("seed", seed=0), build_model("seed", seed=0)
    with torch.no_grad():
        b.fc1.weight.mul_(1.5)
    save_checkpoint(tmp_path / "a.pt", a, step=1, metadata={})
    save_checkpoint(tmp_path / "b.pt", b, step=2, metadata={})
    dialog = open_comparison(qtbot, window, tmp_path / "a.pt", tmp_path / "b.pt")
    assert dialog.table.rowCount() == 10 and not dialog.differences_label.isVisible()
    row = [t.name for t in dialog.shown.comparison.tensors].index("fc1.weight")
    cells = [dialog.table.item(row, c).text() for c in range(6)]
    w = a.fc1.weight.detach().double()
    assert cells[:2] == ["fc1.weight", "1200\u00d7400"]
    assert float(cells[2]) == pytest.approx(torch.linalg.norm(w).item(), rel=1e-4)
    assert float(cells[3]) == pytest.approx(1.5 * torch.linalg.norm(w).item(), rel=1e-4)
    assert cells[4] == "50.000%" and cells[5] == "1.00000"
    assert dialog.table.item(0, 4).text() == "0.000%"  # conv1.weight did not move
    dialog.table.selectRow(row)
    view = dialog.picture._view
    np.testing.assert_allclose(view.values, (b.fc1.weight - a.fc1.weight).detach().numpy(), rtol=1e-6)
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert dialog.grab().save(str(SHOTS / "ui-compare-checkpoints.png"))


def test_different_models_list_what_differs(qtbot, window, tmp_path):
    save_checkpoint(tmp_path / "seed.pt", build_model("seed", seed=0), metadata={})
    save_checkpoint(tmp_path / "mlp.pt", build_model("mlp", seed=0), metadata={})
    dialog = open_comparison(qtbot, window, tmp_path / "seed.pt", tmp_path / "mlp.pt")
    text = dialog.differences_label.text()
    assert dialog.differences_label.isVisible() and "different models" in text
    assert "only in seed.pt: conv1.weight" in text
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert dialog.grab().save(str(SHOTS / "ui-compare-different-models.png"))


def test_an_unreadable_file_is_a_message_and_the_window_goes_on(qtbot, window, tmp_path):
    (tmp_path / "bad.pt").write_bytes(b"junk")
    save_checkpoint(tmp_path / "a.pt", build_model("seed", seed=0), metadata={})
    window.compare.compare(tmp_path / "a.pt", tmp_path / "bad.pt")
    qtbot.waitUntil(lambda: window.compare.message_box is not None and window.compare.message_box.isVisible(),
                    timeout=30_000)
    assert "bad.pt" in window.compare.message_box.text()
    assert window.compare.dialog is None
