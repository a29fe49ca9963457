"""explorer.watch in one process: it never changes the training, records what it says, and never stops it."""

import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F

import explorer
from explorer.core.net import Net
from explorer.core.watch.reader import RunReader

REPO_ROOT = Path(__file__).resolve().parents[3]


def batches(n, batch=8, seed=1):
    g = torch.Generator().manual_seed(seed)
    return [(torch.randn(batch, 1, 32, 32, generator=g), torch.randn(batch, 10, generator=g)) for _ in range(n)]


def train(model, data, optimizer, watcher=None, log_before_step=False):
    for x, y in data:
        optimizer.zero_grad()
        loss = F.mse_loss(model(x), y)
        loss.backward()
        if watcher is not None and log_before_step:
            watcher.log(loss=loss)
        optimizer.step()
        if watcher is not None and not log_before_step:
            watcher.log(loss=loss, lr=optimizer.param_groups[0]["lr"])


def read(run_dir):
    reader = RunReader(run_dir)
    (chunk,) = reader.poll()
    return reader, chunk


@pytest.mark.parametrize("make_optimizer", [
    lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9),
    lambda p: torch.optim.Adam(p, lr=1e-3),
], ids=["sgd-momentum", "adam"])
def test_watched_weights_equal_unwatched_bit_for_bit(tmp_path, make_optimizer):
    torch.set_num_threads(1)
    data = batches(40)
    torch.manual_seed(0)
    plain = Net()
    watched = Net()
    watched.load_state_dict(plain.state_dict())
    train(plain, data, make_optimizer(plain.parameters()))
    rng_before = torch.get_rng_state()
    watcher = explorer.watch(watched, tmp_path / "run", every=1)  # everything measured on every step
    train(watched, data, make_optimizer(watched.parameters()), watcher)
    watcher.close()
    assert torch.equal(torch.get_rng_state(), rng_before)  # no random number drawn from the user's generator
    for (name, a), b in zip(plain.state_dict().items(), watched.state_dict().values()):
        assert torch.equal(a, b), name
    reader, chunk = read(tmp_path / "run")
    assert len(chunk.vectors["grad_norm"]) == 40
    assert len(chunk.histograms["activation"]) == 40
    reader.close()


def test_records_the_norms_ratios_and_dead_units_torch_gives(tmp_path):
    torch.manual_seed(0)
    net = Net()
    optimizer = torch.optim.SGD(net.parameters(), lr=0.1)
    watcher = explorer.watch(net, tmp_path / "run", every=1)
    (x, y), = batches(1)
    optimizer.zero_grad()
    loss = F.mse_loss(net(x), y)
    loss.backward()
    expected_norms = [p.grad.norm().item() for p in net.parameters()]
    before = [p.detach().clone() for p in net.parameters()]
    optimizer.step()
    expected_ratios = [((p.detach() - b).norm() / b.norm()).item() for p, b in zip(net.parameters(), before)]
    watcher.log(loss=loss)
    watcher.close()
    reader, chunk = read(tmp_path / "run")
    assert chunk.scalars["loss"][0].tolist() == [1]
    assert chunk.scalars["loss"][1][0] == pytest.approx(loss.item(), rel=1e-6)
    (step, norms, _), = chunk.vectors["grad_norm"]
    np.testing.assert_allclose(norms, expected_norms, rtol=1e-5)
    (_, ratios, _), = chunk.vectors["update_ratio"]
    np.testing.assert_allclose(ratios, expected_ratios, rtol=1e-4)
    (_, dead, relu_names), = chunk.vectors["dead_relu"]
    assert relu_names == ("relu(conv1)", "relu(conv2)", "relu(fc1)", "relu(fc2)")  # functional F.relu seen
    assert ((dead >= 0) & (dead <= 1)).all()
    (_, names, table), = chunk.histograms["gradient"]
    assert names == tuple(n for n, _ in net.named_parameters()) and table.shape == (10, 50)
    np.testing.assert_allclose(table[:, 2:].sum(axis=1), [p.numel() for p in net.parameters()], rtol=1e-3)
    assert reader.ranks[0].model_text.startswith("Net(")
    reader.close()


def test_log_goes_to_the_step_it_was_called_in_before_or_after_optimizer_step(tmp_path):
    for before in (False, True):
        torch.manual_seed(0)
        net = Net()
        watcher = explorer.watch(net, tmp_path / f"run{before}")
        train(net, batches(5), torch.optim.SGD(net.parameters(), lr=0.01), watcher, log_before_step=before)
        watcher.close()
        reader, chunk = read(tmp_path / f"run{before}")
        assert chunk.scalars["loss"][0].tolist() == [1, 2, 3, 4, 5]
        reader.close()


def test_a_nan_is_recorded_with_the_first_module_whose_output_held_it(tmp_path):
    torch.manual_seed(0)
    net = nn.Sequential(Net(), nn.BatchNorm1d(10), nn.Dropout(0.5))  # buffers and random draws
    twin = nn.Sequential(Net(), nn.BatchNorm1d(10), nn.Dropout(0.5))
    twin.load_state_dict(net.state_dict())
    watcher = explorer.watch(net, tmp_path / "run", every=1)
    for model, w in ((net, watcher), (twin, None)):
        torch.manual_seed(5)
        optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
        for i, (x, y) in enumerate(batches(4)):
            if i == 1:
                with torch.no_grad():
                    model[0].fc1.weight[0, 0] = math.nan  # the user's own bug, between two steps
            optimizer.zero_grad()
            loss = F.mse_loss(model(x), y)
            loss.backward()
            optimizer.step()
            if w is not None:
                w.log(loss=loss)
    watcher.close()
    for a, b in zip(net.state_dict().values(), twin.state_dict().values()):  # the second look changed nothing
        assert torch.equal(a.isnan(), b.isnan()) and torch.equal(a.nan_to_num(), b.nan_to_num())
    reader, chunk = read(tmp_path / "run")
    messages = [m for _, _, m in chunk.events]
    assert messages[0].startswith("step 2: the gradient of") and "NaN or Inf" in messages[0]
    assert "the weights of 0.fc1.weight are NaN or Inf" in messages[1]
    # Found by running step 2's batch again before its update spread the NaN to every layer.
    assert messages[2] == ("step 2: the first output with NaN or Inf in its forward pass (run again without "
                           "gradients) is 0.fc1's")
    reader.close()


def test_an_unwritable_run_dir_is_said_once_and_training_goes_on(tmp_path, capfd):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    torch.manual_seed(0)
    net = Net()
    reference = Net()
    reference.load_state_dict(net.state_dict())
    data = batches(3)
    watcher = explorer.watch(net, blocker / "run")
    train(net, data, torch.optim.SGD(net.parameters(), lr=0.01), watcher)
    watcher.close()
    train(reference, data, torch.optim.SGD(reference.parameters(), lr=0.01))
    assert watcher.error is not None and str(blocker / "run") in watcher.error
    err = capfd.readouterr().err
    assert err.count("explorer.watch:") == 1 and "Recording stopped; the training goes on" in err
    assert all(torch.equal(a, b) for a, b in zip(net.state_dict().values(), reference.state_dict().values()))


DISK_FULL_CHILD = """
import resource, signal, sys, torch, torch.nn.functional as F
import explorer
from explorer.core.net import Net
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG, as ENOSPC would
torch.manual_seed(0)
net = Net()
opt = torch.optim.SGD(net.parameters(), lr=0.01)
watcher = explorer.watch(net, sys.argv[1], every=1)
watcher.flush()
resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, resource.RLIM_INFINITY))
x, y = torch.randn(4, 1, 32, 32), torch.randn(4, 10)
for step in range(150):
    opt.zero_grad(); loss = F.mse_loss(net(x), y); loss.backward(); opt.step(); watcher.log(loss=loss)
    if step % 20 == 0:
        watcher.flush()
print("trained", step + 1, "recording" if watcher.recording else f"stopped at {watcher.step}", flush=True)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX")
def test_a_full_disk_mid_run_stops_recording_not_training(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    done = subprocess.run([sys.executable, "-c", DISK_FULL_CHILD, str(tmp_path / "run")], capture_output=True,
                          text=True, timeout=300, env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("trained 150 stopped at ")  # the loop went on; the watcher let go
    assert done.stderr.count("explorer.watch:") == 1
    assert "rank-00000.sqlite: cannot record: disk I/O error" in done.stderr  # SQLite's words for EFBIG and ENOSPC
    reader, chunk = read(tmp_path / "run")  # what was committed before the disk filled is readable
    steps = chunk.scalars["loss"][0].tolist()
    assert steps and steps == list(range(1, len(steps) + 1))
    reader.close()


def test_wrapped_models_are_watched_inside_their_wrapper(tmp_path):
    torch.manual_seed(0)
    net, twin = Net(), Net()
    twin.load_state_dict(net.state_dict())
    wrapped = nn.DataParallel(net)  # on a machine without GPUs it just calls the module
    watcher = explorer.watch(wrapped, tmp_path / "run", every=1)
    assert watcher.module is net and watcher.wrappers == ("DataParallel",)
    train(wrapped, batches(2), torch.optim.SGD(wrapped.parameters(), lr=0.01), watcher)
    watcher.close()
    train(nn.DataParallel(twin), batches(2), torch.optim.SGD(twin.parameters(), lr=0.01))
    assert all(torch.equal(a, b) for a, b in zip(net.state_dict().values(), twin.state_dict().values()))
    reader, chunk = read(tmp_path / "run")
    assert reader.ranks[0].param_names[0] == "conv1.weight"
    assert len(chunk.vectors["grad_norm"]) == 2 and len(chunk.histograms["activation"]) == 2
    reader.close()


def test_another_models_optimizer_does_not_count_steps(tmp_path):
    torch.manual_seed(0)
    net, other = Net(), nn.Linear(3, 1)
    other_optimizer = torch.optim.SGD(other.parameters(), lr=0.1)
    watcher = explorer.watch(net, tmp_path / "run")
    train(net, batches(3), torch.optim.SGD(net.parameters(), lr=0.01), watcher)
    other_optimizer.step()
    assert watcher.step == 3
    watcher.close()


def test_import_explorer_stays_light():
    code = "import sys, explorer; print('torch' in sys.modules); print(callable(explorer.watch))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.stdout.split() == ["False", "True"]


def test_a_compiled_model_is_watched_through_its_wrapper_and_trains_the_same(tmp_path):
    torch.manual_seed(0)
    net, twin = Net(), Net()
    twin.load_state_dict(net.state_dict())
    compiled, compiled_twin = torch.compile(net, backend="eager"), torch.compile(twin, backend="eager")
    watcher = explorer.watch(compiled, tmp_path / "run", every=2)
    assert watcher.wrappers == ("OptimizedModule",) and not watcher.activations  # no hooks inside the graph
    data = batches(6, batch=4)
    train(compiled, data, torch.optim.SGD(compiled.parameters(), lr=0.01, momentum=0.9), watcher)
    watcher.close()
    train(compiled_twin, data, torch.optim.SGD(compiled_twin.parameters(), lr=0.01, momentum=0.9))
    assert all(torch.equal(a, b) for a, b in zip(net.state_dict().values(), twin.state_dict().values()))
    reader, chunk = read(tmp_path / "run")
    assert chunk.scalars["loss"][0].tolist() == [1, 2, 3, 4, 5, 6]
    assert [s for s, _, _ in chunk.vectors["grad_norm"]] == [1, 2, 4, 6]
    assert "gradient" in chunk.histograms and "activation" not in chunk.histograms
    reader.close()


def test_a_hugging_face_model_we_did_not_write_is_watched_and_trains_the_same(tmp_path):
    transformers = pytest.importorskip("transformers")
    torch.manual_seed(0)
    config = transformers.GPT2Config(n_layer=2, n_head=2, n_embd=32, vocab_size=100, n_positions=32,
                                     bos_token_id=0, eos_token_id=0)
    model, twin = transformers.GPT2LMHeadModel(config), transformers.GPT2LMHeadModel(config)
    twin.load_state_dict(model.state_dict())
    watcher = explorer.watch(model, tmp_path / "run", every=2)
    for m, w in ((model, watcher), (twin, None)):
        torch.manual_seed(1)
        optimizer = torch.optim.AdamW(m.parameters(), lr=1e-3)
        for _ in range(4):
            ids = torch.randint(0, 100, (2, 16))
            loss = m(input_ids=ids, labels=ids).loss  # keyword inputs, an output object: the hooks do not mind
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            if w is not None:
                w.log(loss=loss)
    watcher.close()
    assert all(torch.equal(a, b) for a, b in zip(model.state_dict().values(), twin.state_dict().values()))
    reader, chunk = read(tmp_path / "run")
    assert chunk.scalars["loss"][0].tolist() == [1, 2, 3, 4]
    (_, norms, _) = chunk.vectors["grad_norm"][0]
    assert len(norms) == len(reader.ranks[0].param_names) == len(list(model.parameters()))
    assert np.isfinite(norms).all()
    assert len(chunk.histograms["activation"][0][1]) > 10  # every leaf module's output
    reader.close()
