"""No GUI test waits on an engine-thread signal with pytest-qt's own waitSignal.

pytest-qt connects its blocker to the signal directly, so when the engine thread emits, the blocker's clean-up
(stopping its timeout QTimer, which lives on the GUI thread) runs on the engine thread, and Qt prints
"QObject::killTimer: Timers cannot be stopped from another thread", which fails the test (qt_log_level_fail).
That is what cut back the Open model dialog's output test once. Engine signals are waited on through
tests.ui.engine_signals.wait_engine_signal_on, which re-emits them on the GUI thread first.
"""

import ast
import re
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
WAITS = {"waitSignal", "waitSignals", "assertNotEmitted"}
# objects that live on the engine thread: the Engine (host.engine) and the Explainer (host.explainer)
ENGINE_THREAD = re.compile(r"\bengine\.engine\b|\bexplainer\b|\bEngine\(")


def engine_signal_waits(source: str) -> list[str]:
    """The waitSignal-like calls in `source` whose signal belongs to an engine-thread object."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in WAITS:
            for arg in node.args[:1]:
                text = ast.unparse(arg)
                if ENGINE_THREAD.search(text):
                    found.append(f"line {node.lineno}: {node.func.attr}({text})")
    return found


def test_the_check_finds_a_direct_wait_on_an_engine_signal():
    assert engine_signal_waits("with qtbot.waitSignal(window.engine.engine.model_changed):\n    pass\n") == [
        "line 1: waitSignal(window.engine.engine.model_changed)"]
    assert engine_signal_waits("qtbot.waitSignal(relay.fired)\nqtbot.waitSignal(dock.inspect_requested)\n") == []


def test_no_test_waits_on_an_engine_thread_signal_directly():
    offending = {
        str(path.relative_to(TESTS)): waits
        for path in TESTS.rglob("*.py")
        if path.name != Path(__file__).name and (waits := engine_signal_waits(path.read_text(encoding="utf-8")))
    }
    assert offending == {}, "use tests.ui.engine_signals.wait_engine_signal_on for these"
