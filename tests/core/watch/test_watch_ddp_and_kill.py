"""explorer.watch in real child processes: a torchrun job of two ranks (gloo on CPU, DistributedDataParallel),
and a watched training killed with SIGKILL in the middle."""

import os
import signal
import subprocess
import sqlite3
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import torch

from explorer.core.watch.reader import RunReader

SCRIPT = Path(__file__).with_name("train_script.py")
REPO_ROOT = Path(__file__).resolve().parents[3]


def run_ddp_job(run_dir: Path, steps: int = 30, every: int = 5, *extra: str) -> subprocess.CompletedProcess:
    """torchrun --nproc_per_node=2 of the training script with DDP and explorer.watch; shared with the UI test."""
    torchrun = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node=2"]
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    return subprocess.run([*torchrun, str(SCRIPT), str(run_dir), str(steps), "--ddp", "--every", str(every), *extra],
                          capture_output=True, text=True, timeout=180, env=env)


@pytest.mark.skipif(sys.platform == "win32", reason="gloo via torchrun on POSIX")
def test_torchrun_two_ranks_record_both_and_ddp_norms_agree(tmp_path):
    done = run_ddp_job(tmp_path / "run", 30, 5, "--save", str(tmp_path / "watched.pt"))
    assert done.returncode == 0, done.stderr[-3000:]
    plain = run_ddp_job(tmp_path / "unused", 30, 5, "--no-watch", "--save", str(tmp_path / "plain.pt"))
    assert plain.returncode == 0, plain.stderr[-3000:]
    watched_weights = torch.load(tmp_path / "watched.pt", weights_only=True)
    plain_weights = torch.load(tmp_path / "plain.pt", weights_only=True)
    for name, value in plain_weights.items():  # watching changed nothing, bit for bit
        assert torch.equal(value, watched_weights[name]), name
    reader = RunReader(tmp_path / "run")
    chunks = {c.rank: c for c in reader.poll()}
    assert sorted(chunks) == [0, 1]
    assert reader.problems == []
    for rank, chunk in chunks.items():
        assert reader.ranks[rank].world_size == 2
        assert reader.ranks[rank].param_names[0] == "conv1.weight"  # DDP's "module." prefix unwrapped
        steps, losses = chunk.scalars["loss"]
        assert steps.tolist() == list(range(1, 31))
        assert np.isfinite(losses).all()
    # Each rank trains on its own batches: the losses differ ...
    assert not np.allclose(chunks[0].scalars["loss"][1], chunks[1].scalars["loss"][1])
    # ... but DDP averaged the gradients before optimizer.step(), where the watcher reads them: equal norms.
    norms0, norms1 = chunks[0].vectors["grad_norm"], chunks[1].vectors["grad_norm"]
    assert [s for s, _, _ in norms0] == [1, 5, 10, 15, 20, 25, 30] == [s for s, _, _ in norms1]
    for (_, a, _), (_, b, _) in zip(norms0, norms1):
        assert len(a) == 10 and (a > 0).all()
        np.testing.assert_array_equal(a, b)
    assert {"gradient", "activation"} <= set(chunks[0].histograms)
    reader.close()


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_sigkill_mid_run_keeps_every_flushed_step(tmp_path):
    run_dir = tmp_path / "run"
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    child = subprocess.Popen([sys.executable, str(SCRIPT), str(run_dir), "100000", "--print-flushed"],
                             stdout=subprocess.PIPE, text=True, env=env)
    flushed = 0
    deadline = time.monotonic() + 120
    try:
        while flushed < 60 and time.monotonic() < deadline:
            line = child.stdout.readline()
            if line.startswith("flushed "):
                flushed = int(line.split()[1])
        time.sleep(0.3)  # killed in the middle of later steps and commits, not right after a flush
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    assert flushed >= 60
    path = run_dir / "rank-00000.sqlite"
    with sqlite3.connect(path) as connection:  # opening recovers the WAL a killed writer left
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    reader = RunReader(run_dir)
    (chunk,) = reader.poll()
    assert reader.problems == []
    steps, losses = chunk.scalars["loss"]
    assert set(range(1, flushed + 1)) <= set(steps.tolist())  # every step recorded before the kill
    assert steps.tolist() == list(range(1, len(steps) + 1))  # and nothing torn: no gap, no half step
    assert np.isfinite(losses).all()
    reader.close()
