"""The settings file is untrusted input: real damaged files (truncated, random bytes, wrong types for every key,
absurd values) start the real window every time, each bad value is reset to its default and said once in the
status bar, and the file is rewritten clean (the next start finds nothing to say)."""

import random

import pytest
from PySide6.QtCore import QByteArray, QSettings

from explorer.core.moves import Move
from explorer.core.session import SessionConfig
from explorer.core.training.messages import TrainSettings
from explorer.ui.checkpoint.recent_files import MAX_RECENT, SETTINGS_KEY as RECENT_KEY
from explorer.ui.main_window import MainWindow
from explorer.ui.settings import load_session_config, unreadable_keys
from explorer.ui.training.settings import load_train_settings
from explorer.ui.window.driver import WindowDriver


def open_window(qtbot, path):
    """The window as the app builds it from a settings file (session config read from it too)."""
    settings = QSettings(str(path), QSettings.Format.IniFormat)
    window = MainWindow(settings=settings)
    qtbot.addWidget(window)
    window.show()
    WindowDriver(window).wait_ready()
    return window


def close(window):
    window.close()
    assert not window.engine.thread.isRunning()


def problems_in(path) -> list:
    """What a fresh read of the file finds wrong (nothing, once the window has rewritten it)."""
    settings = QSettings(str(path), QSettings.Format.IniFormat)
    found: list = []
    load_session_config(settings, found)
    load_train_settings(settings, found)
    return [str(p) for p in found] + unreadable_keys(settings)


@pytest.fixture
def good_file(qtbot, tmp_path):
    """A settings file as explorer writes it, after a session that changed a few things."""
    path = tmp_path / "good.ini"
    window = open_window(qtbot, path)
    window.training_dock.lr_box.setValue(0.05)
    close(window)
    return path


def test_a_truncated_file_opens_the_window_at_every_cut(qtbot, good_file, tmp_path):
    data = good_file.read_bytes()
    assert b"[Session]" in data and b"state=@ByteArray" in data
    for cut in (len(data) // 7, len(data) // 3, data.index(b"state=@ByteArray") + 40, len(data) - 9):
        path = tmp_path / f"cut{cut}.ini"
        path.write_bytes(data[:cut])
        window = open_window(qtbot, path)
        assert window.snapshot is not None and window.isVisible()
        close(window)
        assert problems_in(path) == []


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_random_bytes_open_the_window_and_are_removed(qtbot, tmp_path, seed):
    path = tmp_path / "random.ini"
    rng = random.Random(seed)
    path.write_bytes(bytes(rng.randrange(256) for _ in range(4000)))
    window = open_window(qtbot, path)
    assert window.engine.config == SessionConfig()
    assert "unreadable entries" in window.settings_message
    close(window)
    assert problems_in(path) == []
    again = open_window(qtbot, path)
    assert again.settings_problems == [] and again.settings_message == ""
    close(again)


WRONG_TYPES = {
    "settings_version": "abc",
    "language": 5,
    "Checkpoints/ask_before_quitting": "maybe",
    "MainWindow/geometry": "hello",
    "MainWindow/state": 12,
    "Session/model": 3,
    "Session/model_kwargs": [1, 2],
    "Session/input_shape": 2.5,
    "Session/dataset": [1],
    "Session/batch_size": "five",
    "Session/optimizer": 7,
    "Session/lr": "fast",
    "Session/momentum": QByteArray(b"\x00\x01"),
    "Session/seed": "zero",
    "Training/optimizer": 1.5,
    "Training/lr": [0.1],
    "Training/batch_size": 2.5,
    "Training/length": "long",
    "Training/unit": 3,
    "Training/seed": "x",
}


def test_every_key_of_the_wrong_type_is_reset_said_and_rewritten(qtbot, tmp_path):
    path = tmp_path / "types.ini"
    settings = QSettings(str(path), QSettings.Format.IniFormat)
    for key, value in WRONG_TYPES.items():
        settings.setValue(key, value)
    settings.setValue(RECENT_KEY, 42)
    settings.sync()
    del settings
    window = open_window(qtbot, path)
    reported = {p.key for p in window.settings_problems}
    assert set(WRONG_TYPES) <= reported | {"Session/model_kwargs", "Session/input_shape"}
    assert window.engine.config == SessionConfig()
    assert window.training_dock.settings() == TrainSettings()
    message = window.settings_message
    assert "Session/batch_size" in message and "MainWindow/geometry" in message
    close(window)
    assert problems_in(path) == []
    again = open_window(qtbot, path)
    assert again.settings_problems == []
    close(again)


def test_absurd_values_are_reset_not_clamped_and_the_controls_work(qtbot, tmp_path):
    path = tmp_path / "absurd.ini"
    settings = QSettings(str(path), QSettings.Format.IniFormat)
    for key, value in {"Session/batch_size": -5, "Session/optimizer": "bogus", "Session/lr": -1,
                       "Session/momentum": "nan", "Session/dataset": "bogus", "Session/seed": -3,
                       "Training/lr": 1e6, "Training/batch_size": -5, "Training/length": 0,
                       "Training/unit": "fortnights", "settings_version": "1" + "0" * 30}.items():
        settings.setValue(key, value)
    settings.setValue("Session/model", "seed")
    settings.setValue(RECENT_KEY, [f"/tmp/run{i}.pt" for i in range(10_000)])
    settings.sync()
    del settings
    window = open_window(qtbot, path)
    assert window.engine.config == SessionConfig()
    assert window.training_dock.settings() == TrainSettings()  # reset, not clamped to 1 and 10
    assert window.session_menus.optimizer_actions["manual-sgd"].isChecked()
    assert window.session_menus.dataset_actions["digits"].isChecked()
    driver = WindowDriver(window)
    driver.move(Move.RUN_FORWARD)
    driver.move(Move.LOSS)
    driver.move(Move.RUN_BACKWARD)
    driver.move(Move.UPDATE)  # "bogus" would have failed here on every click
    assert window.snapshot.phase == "updated"
    window.session_menus.optimizer_actions["adam"].trigger()  # batch -5 made every change fail
    driver.wait_until(lambda: window.snapshot.config.get("optimizer") == "adam", "the Adam session")
    assert len(window.checkpoints.recent.paths()) == MAX_RECENT
    close(window)
    assert problems_in(path) == []
    stored = QSettings(str(path), QSettings.Format.IniFormat).value(RECENT_KEY)
    assert len(stored) == MAX_RECENT
    assert path.stat().st_size < 10_000
