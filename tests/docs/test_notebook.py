"""docs/explorer-session.ipynb runs from top to bottom: its code cells as one script (always), and through a
Jupyter kernel with nbclient where nbclient and ipykernel are installed."""

import json
from pathlib import Path

import pytest

NOTEBOOK = Path(__file__).resolve().parents[2] / "docs" / "explorer-session.ipynb"


def code_cells() -> list[str]:
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    return ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]


def test_the_notebooks_cells_run_as_one_script(capsys):
    namespace: dict = {"__name__": "__notebook__"}
    for index, source in enumerate(code_cells()):
        exec(compile(source, f"{NOTEBOOK.name}[cell {index}]", "exec"), namespace)
    out = capsys.readouterr().out
    assert "True" in out  # the stepped gradients equal a plain backward's
    assert "target: class indices must have the prediction's shape" in out
    assert namespace["t"].model is namespace["lm"]  # the session stepped the notebook's own object


def test_the_notebook_executes_in_a_kernel():
    nbclient = pytest.importorskip("nbclient")
    nbformat = pytest.importorskip("nbformat")
    pytest.importorskip("ipykernel")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbclient.NotebookClient(notebook, timeout=300, kernel_name="python3").execute()
    texts = [o.get("text", "") for c in notebook.cells if c.cell_type == "code" for o in c.outputs]
    assert any("nodes" in t for t in texts) and not any(o.get("output_type") == "error"
                                                       for c in notebook.cells for o in c.get("outputs", []))
