"""`explorer explain`: text and JSON for one node or all, errors as one line."""

from __future__ import annotations

import json

from explorer.cli import run_cli


def test_one_node_as_text(capsys):
    assert run_cli(["explain", "--node", "3", "--batch-size", "2"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("[3] n2 AddmmBackward0 (fc3)")
    assert "dL/dx = dL/dy · mat2ᵀ = dL/dy · W" in out and "_saved_mat1  [2, 84]  from relu (forward)" in out
    assert "worked element: dL/dself[" in out and "numeric check" in out


def test_all_nodes_as_json_in_float64(capsys):
    assert run_cli(["explain", "--all", "--model", "mlp", "--float64", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["dtype"] == "float64" and len(data["nodes"]) == 11  # mlp on digits: NllLoss, LogSoftmax, 2 Addmm, 2 T, Relu, View, 4 leaves
    for node in data["nodes"]:
        assert node["has_rule"] and node["recompute_max_relative"] < 1e-6
        assert node["numeric"]["relative"] < 1e-4 and node["worked"]["autograd"] == node["numeric"]["autograd"]
    leaf = next(n for n in data["nodes"] if n["cls"] == "AccumulateGrad")
    assert leaf["numeric"]["kind"] == "loss" and leaf["param"]


def test_chinese_text(capsys):
    assert run_cli(["explain", "--node", "1", "--lang", "zh_CN"]) == 0
    out = capsys.readouterr().out
    assert "规则" in out and "保存的张量" in out and "数值检查" in out


def test_a_step_that_does_not_exist_is_one_line(capsys):
    assert run_cli(["explain", "--node", "99"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("explorer explain: error: backward step 99 does not exist") and err.count("\n") == 1
