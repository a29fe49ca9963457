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


def release(ts: Path, qm: Path) -> None:
    subprocess.run([tool("lrelease"), str(ts), "-qm", str(qm)], cwd=ROOT, capture_output=True, check=True)


def main() -> None:
    for lang in LANGUAGES:
        ts = TRANSLATIONS / f"explorer_{lang}.ts"
        print(update_ts(ts, ("-no-obsolete",)).strip())
        release(ts, ts.with_suffix(".qm"))
        print(f"built {ts.with_suffix('.qm').relative_to(ROOT)}")


if __name__ == "__main__":
    main()
