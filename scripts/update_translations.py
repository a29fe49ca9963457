"""Refresh the translation sources from the code, then build the .qm files the app loads.

    .venv/bin/python scripts/update_translations.py

pyside6-lupdate collects every self.tr(...) and QCoreApplication.translate(...) string under explorer/ui into
resources/translations/explorer_<lang>.ts (keeping finished translations); translate the new entries there
(Qt Linguist, or any editor), then run this again: pyside6-lrelease turns each .ts into its .qm.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "resources" / "translations"
LANGUAGES = ("zh_CN",)


def tool(name: str) -> str:
    return str(Path(sys.executable).parent / f"pyside6-{name}")


def sources() -> list[str]:
    return sorted(str(p.relative_to(ROOT)) for p in (ROOT / "explorer" / "ui").rglob("*.py"))


def update_ts(ts: Path, extra: tuple[str, ...] = ()) -> str:
    out = subprocess.run([tool("lupdate"), *extra, *sources(), "-ts", str(ts)], cwd=ROOT, capture_output=True,
                         text=True, check=True)
    return out.stdout + out.stderr


def carry_over(ts: Path) -> int:
    """Fill each unfinished entry whose source text is already translated elsewhere in the file (a string that
    moved to another class keeps its translation); returns how many were filled."""
    import xml.etree.ElementTree as ET

    tree = ET.parse(ts)
    known = {}
    for message in tree.iter("message"):
        tr = message.find("translation")
        if tr is not None and tr.text and tr.get("type") in (None, "obsolete", "vanished"):
            known.setdefault(message.findtext("source"), tr.text)
    filled = 0
    for message in tree.iter("message"):
        tr = message.find("translation")
        if tr is not None and tr.get("type") == "unfinished" and message.findtext("source") in known:
            tr.text = known[message.findtext("source")]
            del tr.attrib["type"]
            filled += 1
    tree.write(ts, encoding="utf-8", xml_declaration=True)
    return filled


def release(ts: Path, qm: Path) -> None:
    subprocess.run([tool("lrelease"), str(ts), "-qm", str(qm)], cwd=ROOT, capture_output=True, check=True)


def main() -> None:
    for lang in LANGUAGES:
        ts = TRANSLATIONS / f"explorer_{lang}.ts"
        update_ts(ts)  # keeps the translations of strings that moved, as obsolete entries, for carry_over
        print(f"carried over {carry_over(ts)} translation(s) of strings that moved")
        print(update_ts(ts, ("-no-obsolete",)).strip())
        release(ts, ts.with_suffix(".qm"))
        print(f"built {ts.with_suffix('.qm').relative_to(ROOT)}")


if __name__ == "__main__":
    main()
