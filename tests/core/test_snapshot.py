"""Snapshots and inspections: plain numpy pictures of the session, equal to its tensors."""

import numpy as np
import torch

from explorer.core.session import SessionConfig, StepSession
from explorer.core.snapshot import Snapshotter, inspect, model_info, tensor_view


def test_tensor_view_stats_equal_torch():
    t = torch.tensor([[0.0, -2.0], [3.0, float("nan")]])
    v = tensor_view("t", t)
    finite = torch.tensor([0.0, -2.0, 3.0])
    assert v.stats.min == -2.0 and v.stats.max == 3.0 and v.stats.nonfinite == 1
    assert np.isclose(v.stats.mean, float(finite.mean()))
    assert np.isclose(v.stats.norm, float(finite.norm()))
    assert v.stats.zero_fraction == 0.25 and v.hist_counts.sum() == 3
    assert not v.values.flags.writeable


def test_snapshots_follow_the_session_and_carry_the_real_tensors():
    s = StepSession(SessionConfig(dataset="tutorial"))
    snaps = Snapshotter(s)
    first = snaps.snapshot()
    assert first.phase == "ready" and "step_forward" in first.legal_moves and first.graph is None
    s.step_forward()
    s.step_forward()
    snap = snaps.snapshot()
    assert [f.title for f in snap.forward] == ["conv1", "relu (forward)"]
    np.testing.assert_array_equal(snap.forward[0].output.values, s.forward_steps[0].output[0].numpy())
    assert snap.current_module == ""  # relu is Net.forward's own op
    s.run_forward()
    s.compute_loss()
    snap = snaps.snapshot()
    assert snap.graph is not None and len(snap.graph.node_ids) == 26 and snap.loss == float(s.loss.detach())
    assert snap.forward[0] is snaps.snapshot().forward[0]  # built once, reused
    for _ in range(3):
        step = s.step_backward()
    snap = snaps.snapshot()
    assert snap.current_node == step.node_id
    assert snap.backward_done_ids == tuple(st.node_id for st in s.backward_steps[:3])
    assert snap.serial > first.serial


def test_inspecting_a_parameter_shows_weight_grad_and_update():
    s = StepSession(SessionConfig(dataset="tutorial"))
    ins = inspect(s, "param", "conv1.bias")
    assert ins.views[1] is None and "None" in str(ins.notes[0])
    s.run_forward(); s.compute_loss(); s.run_backward()
    ins = inspect(s, "param", "conv1.bias")
    np.testing.assert_array_equal(ins.views[1].values, s.model.conv1.bias.grad.numpy())
    rec = s.update()
    ins = inspect(s, "param", "conv1.bias")
    assert len(ins.views) == 4
    np.testing.assert_allclose(ins.views[3].values, (rec.after["conv1.bias"] - rec.before["conv1.bias"]).numpy())


def test_model_info_counts_the_seed_net():
    info = model_info(StepSession(SessionConfig(dataset="tutorial")))
    assert info.total_params == 585_506 and len(info.param_names) == 10
    assert info.rows[1].text == "(conv1): Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1))"


def test_a_tensor_of_values_a_few_ulps_apart_gets_a_histogram():
    """MobileNetV3 has activations whose float32 min and max differ in the last bit: 40 float32 bin edges do not
    fit between them, which numpy refuses."""
    import numpy as np

    from explorer.core.snapshot import tensor_view

    a = np.array([1.0, np.nextafter(np.float32(1.0), np.float32(2))], np.float32)
    view = tensor_view("x", a)
    assert view.hist_counts.sum() == 2 and len(view.hist_edges) == 41
