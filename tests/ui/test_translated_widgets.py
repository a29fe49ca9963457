"""The window in Simplified Chinese, searched for English left on screen, however its strings were built.

test_translations checks the .ts against what lupdate finds in the code; strings built where lupdate cannot
see them (tr() inside an f-string, a message made in the old language before a switch) only show up on
screen. So this drives the window in zh_CN through the tutorial's story and reads every text a person sees:
labels, buttons, actions, tabs, dock titles, group titles, combo entries, the status bar.
"""

import re

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (QAbstractButton, QApplication, QComboBox, QDockWidget, QLabel, QMenu, QProgressBar,
                               QTabBar)

from explorer.core.moves import Move
from explorer.core.session import SessionConfig
from explorer.ui.i18n import install_translators
from explorer.ui.window.language_switch import switch_language
from explorer.ui.main_window import MainWindow
from explorer.ui.window.driver import WindowDriver

TAGS = re.compile(r"<code>.*?</code>|<[^>]+>|&[a-z]+;", re.S)
# two English words in a row (identifiers like fc1.weight, AddmmBackward0 or MSELoss are not words here)
ENGLISH = re.compile(r"(?<![\w.])[A-Za-z]{2,}(?:'[a-z]+)?[ ,:]+[A-Za-z]{2,}(?![\w.(])")
# English that belongs on screen in Chinese too: names from PyTorch and of this app, and units
ALLOWED = ("explorer", "PyTorch", "Net", "manual-sgd", "steps/s", "NaN or Inf", "English", "ONNX", "CPU",
           "CUDA", "safetensors", "grad_fn", "zero_grad", "lr")


def visible_texts(window) -> list[str]:
    texts = []
    for w in window.findChildren(QLabel) + window.findChildren(QAbstractButton):
        if w.isVisible():
            texts.append(w.text())
    for dock in window.findChildren(QDockWidget):
        texts.append(dock.windowTitle())
    for bar in window.findChildren(QTabBar):
        texts += [bar.tabText(i) for i in range(bar.count())]
    for combo in window.findChildren(QComboBox):
        if combo.isVisible():
            texts.append(combo.currentText() or combo.placeholderText())
    for bar in window.findChildren(QProgressBar):
        if bar.isVisible():
            texts.append(bar.text())
    for menu in window.findChildren(QMenu):
        texts.append(menu.title())
        texts += [a.text() for a in menu.actions()]
    texts.append(window.windowTitle())
    texts.append(window.statusBar().currentMessage())
    return texts


def english_in(text: str) -> list[str]:
    plain = TAGS.sub(" ", text)
    for allowed in ALLOWED:
        plain = plain.replace(allowed, " ")
    return ENGLISH.findall(plain)


def test_english_words_are_found_by_the_search():
    assert english_in("running now") == ["running now"]
    assert english_in("前向 2/12：conv2") == [] and english_in("AccumulateGrad (conv1.bias)") == []


def assert_no_english(window, when: str) -> None:
    QApplication.processEvents()
    found = {t: english_in(t) for t in visible_texts(window) if english_in(t)}
    assert not found, f"English on screen in zh_CN ({when}): {found}"


@pytest.fixture
def chinese_window(qtbot, tmp_path, close_at_end):
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    window = MainWindow(SessionConfig(dataset="tutorial"), settings)
    close_at_end(window)  # not qtbot.addWidget: the language switch deletes it
    window.resize(1600, 1000)
    window.show()
    WindowDriver(window).wait_ready()
    try:
        yield window
    finally:
        install_translators(QApplication.instance(), "en")


def test_no_english_is_left_in_the_chinese_window(qtbot, chinese_window):
    window = chinese_window
    drive = WindowDriver(window)
    drive.repeat(Move.STEP_FORWARD, 3)
    drive.move(Move.RUN_FORWARD)
    drive.move(Move.LOSS)
    drive.repeat(Move.STEP_BACKWARD, 5)
    window.training_actions["step"].trigger()  # one training step, then paused
    drive.wait_until(lambda: window.training_state.phase == "paused", "one training step")
    window.training_actions["stop"].trigger()  # "Stopped at step 1." made in English
    drive.wait_until(lambda: window.training_state.phase == "idle", "the run to stop")
    chinese = switch_language(window, "zh_CN")
    qtbot.addWidget(chinese)
    drive = WindowDriver(chinese)
    drive.wait_until(lambda: chinese.snapshot is not None and chinese.model_dock.info is not None, "zh_CN")
    drive.move(Move.RUN_FORWARD)
    drive.move(Move.LOSS)
    drive.repeat(Move.STEP_BACKWARD, 3)
    # the Inspector's column captions and title for each kind of target: a node's gradients (it follows the
    # running node), a forward step's input and output, the input, a parameter after an update
    chinese.inspector_dock.raise_()
    drive.wait_until(lambda: chinese.inspector_dock.target == ("node", chinese.snapshot.current_node), "the running node")
    assert_no_english(chinese, "the running node in the Inspector")
    for kind, key in (("activation", "1"), ("input", "")):
        inspection = drive.inspect(kind, key)
        assert_no_english(chinese, f"{kind} {key} in the Inspector")
        # single English words the search lets through ("conv2 output", "forward 2: relu"): said in Chinese
        shown = [column.caption.text() for column in chinese.inspector_dock.columns if column.isVisible()]
        english = [view.label for view in inspection.views]
        assert len(shown) == len(english) and not set(shown) & set(english), (shown, english)
        assert chinese.inspector_dock.title_label.text() != inspection.title
    chinese.show_tutorial()
    drive.wait_until(lambda: bool(chinese.tutorial_dock.result_text()), "the walk's first step")
    for dock in (chinese.training_dock, chinese.training_plots_dock, chinese.inspector_dock, chinese.graph_dock):
        dock.raise_()
        assert_no_english(chinese, f"with {dock.objectName()} in front")
    chinese.steps_since_export = 0
    chinese.close()
