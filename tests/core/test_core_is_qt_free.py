"""explorer.core must run where Qt is not installed: no module under it imports Qt or explorer.ui."""

import pkgutil
import subprocess
import sys

import explorer.core


def test_importing_every_core_module_loads_no_qt():
    names = [m.name for m in pkgutil.iter_modules(explorer.core.__path__, "explorer.core.")]
    assert "explorer.core.session" in names
    code = (
        "import importlib, sys\n"
        f"for name in {names!r}: importlib.import_module(name)\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'pyqtgraph', 'shiboken6') or m.startswith('explorer.ui')]\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == ""
