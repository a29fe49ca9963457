"""Every node of a real pass has a rule that recomputes autograd's gradients and passes the numeric check.

The pass runs in float64 for the 1e-6 comparison: in float32 autograd's own rounding (a sum of a few thousand
products) is already about 1e-6 relative. A float32 pass is checked to what float32 allows.
"""

from __future__ import annotations

import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F

from explorer.core.chain_rule.one_pass import explain_pass, in_float64, run_pass
from explorer.core.session import SessionConfig, StepSession


class SkipSharedCatNet(nn.Module):
    """A user model: a skip connection, a module used twice, torch.cat and BatchNorm."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(1, 4, 3, padding=1)
        self.bn = nn.BatchNorm2d(4)
        self.shared = nn.Conv2d(4, 4, 3, padding=1)
        self.fc = nn.Linear(8 * 4 * 4, 10)

    def forward(self, x):
        h = F.relu(self.bn(self.stem(x)))
        a = self.shared(h)
        b = self.shared(torch.relu(a)) + h  # the same module twice, and a skip connection
        c = torch.cat([a, b], 1)
        return self.fc(F.adaptive_avg_pool2d(c, 4).flatten(1))


def _session(model: str, dataset: str, user: bool = False, batch: int = 3) -> StepSession:
    config = SessionConfig(model="seed", dataset=dataset, batch_size=batch)
    if user:
        torch.manual_seed(0)
        return StepSession(config, model=SkipSharedCatNet())
    return StepSession(SessionConfig(model=model, dataset=dataset, batch_size=batch))


def _numeric_ok(check, tolerance):
    if check.relative <= tolerance:
        return True
    # a corner (a tie in max pooling, ReLU at 0): autograd takes one of the one-sided slopes
    return check.kink and min(abs(check.left - check.autograd), abs(check.right - check.autograd)) <= tolerance * max(abs(check.autograd), 1e-12)


MODELS = [("seed", "tutorial", False), ("seed", "digits", False), ("resnet", "digits", False), ("resnet", "tutorial", False),
          ("mlp", "digits", False), ("mlp", "tutorial", False), ("user", "digits", True)]


@pytest.mark.parametrize("model,dataset,user", MODELS)
def test_every_node_has_a_rule_that_matches_autograd(model, dataset, user):
    session = run_pass(in_float64(_session(model, dataset, user)))
    explained = explain_pass(session)
    assert len(explained) == len(session.backward_steps) == session.graph.graph.number_of_nodes()
    kinds = {e.cls for e in explained}
    assert "AccumulateGrad" in kinds
    if user:
        assert {"CatBackward0", "NativeBatchNormBackward0", "AddBackward0", "ConvolutionBackward0"} <= kinds
    for e in explained:
        assert e.has_rule, e.cls
        assert e.problem is None, (e.cls, e.problem)
        assert e.max_relative is not None and e.max_relative < 1e-6, (e.cls, e.module, e.checks)
        assert e.worked is not None and abs(e.worked.total - e.worked.autograd) <= 1e-6 * max(abs(e.worked.autograd), 1e-12)
        assert e.numeric is not None and _numeric_ok(e.numeric, 1e-4), (e.cls, e.module, e.numeric)
    parameters = [e for e in explained if e.cls == "AccumulateGrad"]
    assert {e.param for e in parameters} == set(session.param_names)
    assert all(e.numeric.kind == "loss" for e in parameters)  # the model's real loss, rerun in float64


def test_float32_pass_matches_to_float32_rounding():
    session = run_pass(_session("seed", "digits", batch=4))
    for e in explain_pass(session):
        assert e.max_relative < 1e-4, (e.cls, e.checks)
        assert _numeric_ok(e.numeric, 1e-4), (e.cls, e.numeric)


def test_fc3_addmm_names_its_saved_tensors_and_works_an_element():
    session = run_pass(_session("seed", "digits", batch=2))
    (e,) = [x for x in explain_pass(session) if x.cls == "AddmmBackward0" and x.module == "fc3"]
    saved = {s.name: s for s in e.saved}
    assert saved["mat1"].shape == (2, 84) and saved["mat1"].used and saved["mat1"].produced_by == "relu (forward)"
    assert saved["mat2"].shape == (84, 10) and saved["mat2"].produced_by == "fc3.weightᵀ"
    assert e.worked.slot == 0 and e.worked.name.startswith("self")  # dL/db: the first gradient sent on
    x = explain_pass(session, node=e.node_id)[0]
    assert x.node_id == e.node_id
    from explorer.core.chain_rule.session_nodes import explain_session_node
    w = explain_session_node(session, e.node_id, slot=1, index=(1, 3)).worked
    assert w.index == (1, 3) and len(w.terms) == 4 and w.rest_count == 6  # Σ over the 10 outputs of fc3
    assert w.total == pytest.approx(w.autograd, rel=1e-5)
    assert {t.index[0] for t in w.terms} == {1}  # only sample 1's outputs depend on x[1, 3]
