"""Exports under real faults: SIGKILL mid-export, a full disk, a read-only or missing folder.

Each fault is real: a child process is killed with SIGKILL, its writes hit a file-size limit
(RLIMIT_FSIZE, which binds root too) or a genuinely full or read-only tmpfs mounted in a user
namespace. The export code is the one the app and the CLI run; nothing in it is mocked. Children are
forked from this process (torch is already imported here), so a trial costs milliseconds, not an
interpreter start-up.
"""

import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import onnx
import pytest
import torch
import torch.nn as nn
from onnx.reference import ReferenceEvaluator

from explorer.core.checkpoint import CheckpointError, load_checkpoint, save_checkpoint
from explorer.core.models import build_model
from explorer.core.checkpoint.onnx_export import export_onnx
from explorer.core.seeding import generator

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs fork, SIGKILL and RLIMIT_FSIZE")
REPO_ROOT = Path(__file__).resolve().parents[2]
METADATA = {"model": "seed", "dataset": "digits"}


def temp_files(folder: Path) -> list[Path]:
    return sorted(folder.glob(".*.tmp"))


def trained_version(step: int):
    """A model and an Adam optimizer with state, distinct for each step number."""
    model = build_model("seed", seed=step)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    model(torch.randn(2, 1, 32, 32, generator=generator(step))).sum().backward()
    optimizer.step()
    return model, optimizer


def fork_child(work) -> tuple[int, int]:
    """Run work(write_fd) in a forked child that never returns into pytest; (pid, read_fd) for the parent."""
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            os.close(read_fd)
            torch.set_num_threads(1)  # OpenMP's pool does not survive fork; one thread needs no pool
            work(write_fd)
        except BaseException:
            code = 1
        finally:
            os._exit(code)
    os.close(write_fd)
    return pid, read_fd


def read_all(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, 65536):
        chunks.append(chunk)
    os.close(fd)
    return b"".join(chunks)


# --- SIGKILL in the middle of an export ---------------------------------------------------------


@pytest.mark.parametrize("suffix", [".pt", ".safetensors"])
def test_sigkill_mid_export_leaves_the_old_or_the_complete_new_checkpoint(tmp_path, capsys, suffix):
    versions = {step: trained_version(step) for step in (1, 2, 3)}
    expected = {step: {n: t.clone() for n, t in model.state_dict().items()} for step, (model, _) in versions.items()}
    target = tmp_path / f"live{suffix}"
    save_checkpoint(target, *versions[1], step=1, metadata=METADATA)

    def export_round_and_round(ready_fd):
        os.write(ready_fd, b"r")
        for i in range(10**9):
            step = 1 + i % 3
            save_checkpoint(target, *versions[step], step=step, loss=float(step), metadata=METADATA)

    rng = random.Random(5)
    trials = killed_mid_write = 0
    # 25 kills, and more (up to 80) until at least 5 of them landed inside a write.
    while trials < 25 or (killed_mid_write < 5 and trials < 80):
        trials += 1
        pid, ready = fork_child(export_round_and_round)
        assert os.read(ready, 1) == b"r"
        time.sleep(rng.uniform(0.0, 0.06))
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        os.close(ready)
        assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL

        checkpoint = load_checkpoint(target)  # raises if the file is partial
        assert checkpoint.step in expected
        for name, tensor in expected[checkpoint.step].items():
            assert torch.equal(checkpoint.model_state[name], tensor), name
        if suffix == ".pt":
            _, optimizer = versions[checkpoint.step]
            saved_avg = checkpoint.optimizer_state["state"][4]["exp_avg"]
            assert torch.equal(saved_avg, optimizer.state_dict()["state"][4]["exp_avg"])
        leftovers = temp_files(tmp_path)
        killed_mid_write += bool(leftovers)
        for leftover in leftovers:  # a SIGKILLed writer cannot clean up after itself
            leftover.unlink()
    assert killed_mid_write >= 5, f"only {killed_mid_write} of {trials} kills landed inside a write"
    with capsys.disabled():
        print(f"\nSIGKILL mid-export {suffix}: {trials} kills, {killed_mid_write} inside a write; "
              f"{trials} times the old or the complete new file, 0 partial files")


def small_net(seed: int) -> nn.Module:
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 4))


def test_sigkill_mid_onnx_export_leaves_the_old_or_the_complete_new_file(tmp_path):
    """Most kills land in the exporter or the verification rather than the write; the file is always whole."""
    models = [small_net(0), small_net(1)]
    sample = torch.randn(2, 8, generator=generator(0))
    target = tmp_path / "live.onnx"
    export_onnx(target, models[0], sample, metadata={})

    def export_round_and_round(ready_fd):
        os.write(ready_fd, b"r")
        for i in range(10**9):
            export_onnx(target, models[i % 2 == 0], sample, metadata={"round": i})

    rng = random.Random(9)
    for _ in range(4):
        pid, ready = fork_child(export_round_and_round)
        assert os.read(ready, 1) == b"r"
        time.sleep(rng.uniform(0.0, 1.0))  # an export takes about half a second here
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(ready)
        proto = onnx.load(target)
        onnx.checker.check_model(proto, full_check=True)
        (out,) = ReferenceEvaluator(proto).run(None, {"input": sample.numpy()})
        with torch.no_grad():
            assert any(np.allclose(out, m(sample).numpy(), rtol=1e-4, atol=1e-5) for m in models)
        for leftover in temp_files(tmp_path):
            leftover.unlink()


# --- a full disk --------------------------------------------------------------------------------


def export_any(path: Path, version_step: int) -> None:
    if path.suffix == ".onnx":
        export_onnx(path, small_net(version_step), torch.randn(2, 8), metadata={"step": version_step})
    else:
        save_checkpoint(path, *trained_version(version_step), step=version_step, metadata=METADATA)


@pytest.mark.parametrize("suffix", [".pt", ".safetensors", ".onnx"])
def test_a_file_size_limit_gives_a_clear_error_and_keeps_the_old_file(tmp_path, suffix):
    """RLIMIT_FSIZE fails the write with EFBIG the way a full disk fails it with ENOSPC, even for root."""
    import resource

    path = tmp_path / f"model{suffix}"
    export_any(path, 1)
    old = path.read_bytes()

    def export_under_a_limit(result_fd):
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit then fails instead of killing
        resource.setrlimit(resource.RLIMIT_FSIZE, (len(old) // 2, resource.RLIM_INFINITY))
        try:
            export_any(path, 2)
            message = "exported despite the limit"
        except CheckpointError as exc:
            message = str(exc)
        os.write(result_fd, message.encode())

    pid, result = fork_child(export_under_a_limit)
    message = read_all(result).decode()
    _, status = os.waitpid(pid, 0)
    assert os.WEXITSTATUS(status) == 0
    assert message == f"{path}: cannot write: File too large"
    assert path.read_bytes() == old
    assert temp_files(tmp_path) == []


def user_namespaces_work() -> bool:
    try:
        return subprocess.run(["unshare", "-Urm", "true"], capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


# Runs as root of its own user and mount namespace: a 3 MiB tmpfs holds one seed-Net file (2.3 MB)
# but not a second one, so writing the new file beside the old one genuinely runs out of space.
TMPFS_CHILD = textwrap.dedent(
    """
    import json, subprocess, sys, tempfile
    from pathlib import Path
    sys.path.insert(0, sys.argv[1])
    sys.path.insert(0, sys.argv[2])
    from test_export_faults import export_seed_net
    results = {}
    for suffix in (".pt", ".safetensors", ".onnx"):
        folder = Path(tempfile.mkdtemp())
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(folder)], check=True)
        path = folder / ("model" + suffix)
        export_seed_net(path, 1)
        old = path.read_bytes()
        for fault, prepare in (("full", None), ("read-only", ["mount", "-o", "remount,ro", str(folder)])):
            if prepare:
                subprocess.run(prepare, check=True)
            try:
                export_seed_net(path, 2)
                message = "exported"
            except Exception as exc:
                message = type(exc).__name__ + ": " + str(exc)
            leftovers = sorted(p.name for p in folder.iterdir() if p != path)
            results[suffix + " " + fault] = [message, path.read_bytes() == old, leftovers]
    print(json.dumps(results))
    """
)


def export_seed_net(path: Path, seed: int) -> None:
    model = build_model("seed", seed=seed)
    if path.suffix == ".onnx":
        export_onnx(path, model, torch.randn(1, 1, 32, 32), metadata=METADATA)
    else:
        save_checkpoint(path, model, step=seed, metadata=METADATA)


@pytest.mark.skipif(not user_namespaces_work(), reason="unprivileged user namespaces are not available")
def test_a_full_or_read_only_filesystem_gives_a_clear_error_and_keeps_the_old_file():
    result = subprocess.run(
        ["unshare", "-Urm", sys.executable, "-c", TMPFS_CHILD, str(REPO_ROOT), str(Path(__file__).parent)],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    results = json.loads(result.stdout.strip().splitlines()[-1])
    for case, (message, old_file_intact, leftovers) in results.items():
        reason = "No space left on device" if case.endswith("full") else "Read-only file system"
        assert message.startswith("CheckpointError: ") and message.endswith(f"cannot write: {reason}"), case
        assert old_file_intact, case
        assert leftovers == [], case
    assert len(results) == 6


# --- a folder that cannot be written ------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".pt", ".safetensors", ".onnx"])
def test_a_folder_that_is_a_file_gives_a_clear_error(tmp_path, suffix):
    (tmp_path / "exports").write_bytes(b"a file, not a folder")
    path = tmp_path / "exports" / f"model{suffix}"
    with pytest.raises(CheckpointError) as caught:
        export_any(path, 1)
    assert str(caught.value) == f"{path}: cannot write: Not a directory"
    assert (tmp_path / "exports").read_bytes() == b"a file, not a folder"
