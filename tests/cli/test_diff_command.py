"""`explorer diff` and the comparison behind File > Compare checkpoints: the numbers plain torch gives."""

import json
import math

import pytest
import torch

from explorer.cli import run_cli
from explorer.core.checkpoint import save_checkpoint
from explorer.core.checkpoint.compare import compare_checkpoints
from explorer.core.models import build_model


def two_checkpoints(tmp_path):
    a, b = build_model("seed", seed=0), build_model("seed", seed=0)
    with torch.no_grad():
        for p in b.parameters():
            p.add_(0.01 * torch.randn_like(p))
        b.conv1.bias.zero_()
    save_checkpoint(tmp_path / "a.pt", a, step=10, metadata={"model": "seed"})
    save_checkpoint(tmp_path / "b.safetensors", b, step=20, metadata={"model": "seed"})
    return a, b


def test_the_comparison_gives_the_numbers_plain_torch_gives(tmp_path):
    a, b = two_checkpoints(tmp_path)
    comparison, _, _ = compare_checkpoints(tmp_path / "a.pt", tmp_path / "b.safetensors")
    assert comparison.same_architecture and [t.name for t in comparison.tensors] == list(a.state_dict())
    for t in comparison.tensors:
        x, y = a.state_dict()[t.name].double().flatten(), b.state_dict()[t.name].double().flatten()
        assert t.norm_a == pytest.approx(torch.linalg.norm(x).item(), rel=1e-12)
        assert t.norm_b == pytest.approx(torch.linalg.norm(y).item(), rel=1e-12)
        assert t.relative_change == pytest.approx((torch.linalg.norm(y - x) / torch.linalg.norm(x)).item(), rel=1e-12)
        if t.name == "conv1.bias":
            assert math.isnan(t.cosine)  # all zeros in B: no direction to compare
        else:
            assert t.cosine == pytest.approx(torch.nn.functional.cosine_similarity(x, y, dim=0).item(), rel=1e-9)


def test_explorer_diff_prints_a_row_per_tensor(tmp_path, capsys):
    two_checkpoints(tmp_path)
    assert run_cli(["diff", str(tmp_path / "a.pt"), str(tmp_path / "b.safetensors")]) == 0
    out = capsys.readouterr().out
    assert "(step 10)" in out and "(step 20)" in out
    assert sum(1 for line in out.splitlines() if line.startswith(("conv", "fc"))) == 10
    assert run_cli(["diff", "--json", str(tmp_path / "a.pt"), str(tmp_path / "b.safetensors")]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["same_architecture"] and len(data["tensors"]) == 10


def test_different_models_list_what_differs(tmp_path, capsys):
    save_checkpoint(tmp_path / "seed.pt", build_model("seed", seed=0), metadata={})
    save_checkpoint(tmp_path / "mlp.pt", build_model("mlp", seed=0), metadata={})
    small = build_model("seed", seed=0)
    state = small.state_dict()
    state["fc1.weight"] = torch.zeros(7, 400)
    torch.save(state, tmp_path / "odd.pt")
    comparison, _, _ = compare_checkpoints(tmp_path / "seed.pt", tmp_path / "odd.pt")
    assert not comparison.same_architecture
    assert comparison.shape_differs == (("fc1.weight", (1200, 400), (7, 400)),)
    assert "fc1.weight: 1200\u00d7400 in seed.pt, 7\u00d7400 in odd.pt" in comparison.differences()
    assert run_cli(["diff", str(tmp_path / "seed.pt"), str(tmp_path / "mlp.pt")]) == 1
    out = capsys.readouterr().out
    assert "different models" in out and "only in seed.pt: conv1.weight" in out
    assert "fc2.weight: 84\u00d71200 in seed.pt, 10\u00d7128 in mlp.pt" in out


def test_an_unreadable_file_is_one_line_on_stderr(tmp_path, capsys):
    (tmp_path / "bad.pt").write_bytes(b"not a checkpoint")
    two_checkpoints(tmp_path)
    assert run_cli(["diff", str(tmp_path / "a.pt"), str(tmp_path / "bad.pt")]) == 1
    err = capsys.readouterr().err
    assert "bad.pt" in err and len(err.strip().splitlines()) == 1
