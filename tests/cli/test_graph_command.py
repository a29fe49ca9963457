"""`explorer graph`: the JSON reads back into the same graph as a direct trace; DOT is valid Graphviz text."""

import json
import shutil
import subprocess

import networkx as nx
import pytest
import torch

pytest.importorskip("explorer.core.data.datasets")  # written alongside; the command needs it

from explorer.cli import run_cli
from explorer.core.autograd.graph import trace_graph
from explorer.core.data.datasets import load_dataset
from explorer.core.models import build_model


def direct_trace(dataset: str, batch_size: int):
    model = build_model("seed", 0)
    data = load_dataset(dataset, 0)
    x, y = data.sample_batch(torch.arange(batch_size))
    return trace_graph(data.loss_fn(model(x), y), model=model).graph


def test_json_reads_back_as_the_traced_graph_with_positions(tmp_path, capsys):
    out = tmp_path / "graph.json"
    assert run_cli(["graph", "--out", str(out)]) == 0
    assert "26 nodes and 25 edges" in capsys.readouterr().out
    data = json.loads(out.read_text())
    back = nx.node_link_graph(data, edges="edges")
    expected = direct_trace("tutorial", 1)
    assert set(back.nodes) == set(expected.nodes) and set(back.edges) == set(expected.edges)
    for node, attributes in back.nodes(data=True):
        assert attributes["cls"] == expected.nodes[node]["cls"]
        assert attributes["param"] == expected.nodes[node]["param"]
        assert isinstance(attributes["x"], float) and isinstance(attributes["y"], float)
    assert back.nodes["n0"]["cls"] == "MseLossBackward0" and back.nodes["n0"]["y"] == 0.0
    assert {back.nodes[n]["module"] for n in back if back.nodes[n]["cls"] == "AddmmBackward0"} == {"fc1", "fc2", "fc3"}
    for u, v, attributes in back.edges(data=True):
        assert back.nodes[u]["y"] < back.nodes[v]["y"]
        assert len(attributes["bends"]) == round(back.nodes[v]["y"] - back.nodes[u]["y"]) - 1
    assert data["graph"]["model"] == "Net" and data["graph"]["none_inputs"] == 2


def test_dot_output_for_a_digits_batch(tmp_path):
    out = tmp_path / "graph.dot"
    argv = ["graph", "--dataset", "digits", "--batch-size", "4", "--format", "dot", "--out", str(out)]
    assert run_cli(argv) == 0
    text = out.read_text()
    expected = direct_trace("digits", 4)
    assert text.startswith("digraph autograd {") and text.rstrip().endswith("}")
    assert text.count("{") == text.count("}")
    assert sum(" -> " in line for line in text.splitlines()) == expected.number_of_edges()
    assert sum("[label=" in line for line in text.splitlines()) == expected.number_of_nodes()
    assert '"NllLossBackward0"' in text  # cross-entropy's root
    if shutil.which("dot"):  # Graphviz itself, where installed
        subprocess.run(["dot", "-Tplain", str(out)], check=True, capture_output=True)


def test_errors_are_one_line_and_write_nothing(tmp_path, capsys):
    assert run_cli(["graph", "--out", str(tmp_path / "missing" / "graph.json")]) == 1
    assert run_cli(["graph", "--dataset", "nope", "--out", str(tmp_path / "a.json")]) == 1
    assert run_cli(["graph", "--model", str(tmp_path / "none.py") + ":Net", "--out", str(tmp_path / "b.json")]) == 1
    errors = capsys.readouterr().err.splitlines()
    assert len(errors) == 3 and all(line.startswith("explorer graph: error: ") for line in errors)
    assert "missing" in errors[0] and "nope" in errors[1] and "none.py" in errors[2]
    assert not list(tmp_path.glob("*.json"))


def test_a_model_that_does_not_fit_the_data_is_reported(tmp_path, capsys):
    model_file = tmp_path / "tiny.py"
    model_file.write_text("import torch.nn as nn\n\nclass Tiny(nn.Linear):\n    def __init__(self):\n        super().__init__(3, 10)\n")
    assert run_cli(["graph", "--model", f"{model_file}:Tiny", "--out", str(tmp_path / "g.json")]) == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert f"{model_file}:Tiny" in line and "forward failed" in line
    assert not (tmp_path / "g.json").exists()
