"""Every user-visible string of the GUI has a finished Simplified Chinese translation, and the shipped .qm
file is built from the current .ts."""

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QTranslator

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "translations" / "explorer_zh_CN.ts"
QM = TS.with_suffix(".qm")
PLACEHOLDER = re.compile(r"\{[0-9]*(?::[^}]*)?\}")


def messages(ts: Path):
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.find("name").text
        for message in context.iter("message"):
            translation = message.find("translation")
            if translation.get("type") in ("vanished", "obsolete"):
                continue
            yield name, message.find("source").text, translation


@pytest.fixture(scope="module")
def refreshed_ts(tmp_path_factory):
    """The committed .ts after lupdate has scanned today's code: new strings show up as unfinished."""
    copy = tmp_path_factory.mktemp("ts") / TS.name
    shutil.copy(TS, copy)
    sources = sorted(str(p) for p in (ROOT / "explorer" / "ui").rglob("*.py"))
    lupdate = Path(sys.executable).parent / "pyside6-lupdate"
    subprocess.run([str(lupdate), *sources, "-ts", str(copy)], check=True, capture_output=True, timeout=120)
    return copy


def test_every_string_in_the_code_is_translated(refreshed_ts):
    unfinished = [f"{ctx}: {src!r}" for ctx, src, tr in messages(refreshed_ts)
                  if tr.get("type") == "unfinished" or not (tr.text or "").strip()]
    assert len(list(messages(refreshed_ts))) > 100
    assert not unfinished, "missing Chinese translations (run scripts/update_translations.py and translate):\n" + \
        "\n".join(unfinished)


def test_translations_keep_the_placeholders():
    wrong = [src for _, src, tr in messages(TS)
             if sorted(PLACEHOLDER.findall(src)) != sorted(PLACEHOLDER.findall(tr.text or ""))]
    assert not wrong, f"placeholders differ: {wrong}"


def test_the_shipped_qm_matches_the_ts():
    translator = QTranslator()
    assert translator.load(str(QM))
    stale = [src for ctx, src, tr in messages(TS) if translator.translate(ctx, src) != tr.text]
    assert not stale, f"{QM.name} is out of date (run scripts/update_translations.py): {stale[:5]}"


def test_every_string_has_the_context_the_code_looks_it_up_in(refreshed_ts):
    """lupdate files `tr(...)` outside a class, or a wrapper's `translate(ctx, text)`, under no context, where no
    lookup at run time can find it (the stats line and the training buttons stayed English that way)."""
    nameless = [src for ctx, src, _ in messages(refreshed_ts) if not ctx]
    assert not nameless, f"strings lupdate filed under no context: {nameless[:5]}"
