"""Atomic writes: the target is always the old file or the complete new one, even under SIGKILL."""

import errno
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import torch

from explorer.core.atomic import atomic_write, atomic_write_bytes
from explorer.core.checkpoint import load_checkpoint, save_checkpoint
from explorer.core.models import build_model

REPO_ROOT = Path(__file__).resolve().parents[2]


def temp_files(folder: Path) -> list[Path]:
    return sorted(folder.glob(".*.tmp"))


def test_writes_content_and_replaces_old_file(tmp_path):
    target = tmp_path / "data.bin"
    atomic_write_bytes(target, b"old")
    atomic_write(target, lambda file: file.write(b"new content"))
    assert target.read_bytes() == b"new content"
    assert temp_files(tmp_path) == []


def test_writer_that_raises_midway_leaves_old_file_and_no_temp_file(tmp_path):
    target = tmp_path / "data.bin"
    atomic_write_bytes(target, b"old content")

    def write_half_then_fail(file):
        file.write(b"half of the new")
        raise RuntimeError("writer broke")

    with pytest.raises(RuntimeError, match="writer broke"):
        atomic_write(target, write_half_then_fail)
    assert target.read_bytes() == b"old content"
    assert list(tmp_path.iterdir()) == [target]


def test_new_file_mode_follows_umask(tmp_path):
    # mkstemp would leave 0o600; a checkpoint should be as readable as any file the user creates.
    umask = os.umask(0o022)
    try:
        atomic_write_bytes(tmp_path / "data.bin", b"x")
    finally:
        os.umask(umask)
    assert (tmp_path / "data.bin").stat().st_mode & 0o777 == 0o644


def test_parent_that_is_a_file_raises_oserror(tmp_path):
    not_a_folder = tmp_path / "file"
    not_a_folder.write_bytes(b"I am a file")
    with pytest.raises(NotADirectoryError):
        atomic_write_bytes(not_a_folder / "data.bin", b"x")
    assert not_a_folder.read_bytes() == b"I am a file"


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root ignores folder permissions")
def test_read_only_folder_raises_and_keeps_old_file(tmp_path):
    target = tmp_path / "data.bin"
    atomic_write_bytes(target, b"old")
    tmp_path.chmod(0o555)
    try:
        with pytest.raises(PermissionError):
            atomic_write_bytes(target, b"new")
    finally:
        tmp_path.chmod(0o755)
    assert target.read_bytes() == b"old"


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX")
def test_full_disk_raises_and_keeps_old_file(tmp_path):
    """A file-size limit fails the write with EFBIG like a full disk would, and it binds root too."""
    target = tmp_path / "data.bin"
    atomic_write_bytes(target, b"old")
    child = (
        "import resource, signal, sys\n"
        f"sys.path.insert(0, {str(REPO_ROOT)!r})\n"
        "from explorer.core.atomic import atomic_write_bytes\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (1000, resource.RLIM_INFINITY))\n"
        "try:\n"
        f"    atomic_write_bytes({str(target)!r}, b'n' * 5000)\n"
        "except OSError as exc:\n"
        "    print(exc.errno)\n"
    )
    result = subprocess.run([sys.executable, "-S", "-c", child], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == str(errno.EFBIG), result.stderr
    assert target.read_bytes() == b"old"
    assert temp_files(tmp_path) == []


# The child writes whole checkpoint files (made by the parent) to one path, round and round,
# until it is killed. It imports only the standard library and explorer.core.atomic, so it starts fast.
CRASH_CHILD = """
import sys
sys.path.insert(0, sys.argv[1])
from explorer.core.atomic import atomic_write_bytes
target = sys.argv[2]
versions = [open(source, "rb").read() for source in sys.argv[3:]]
print("ready", flush=True)
i = 0
while True:
    atomic_write_bytes(target, versions[i % len(versions)])
    i += 1
"""


@pytest.mark.skipif(sys.platform == "win32", reason="needs SIGKILL")
def test_sigkill_at_random_moments_never_leaves_a_broken_checkpoint(tmp_path):
    sources = []
    for step in range(3):
        model = build_model("seed", seed=step)
        path = tmp_path / f"version{step}.pt"
        save_checkpoint(path, model, step=step, loss=float(step), metadata={"model": "seed"})
        sources.append(path)
    versions = {source.read_bytes(): step for step, source in enumerate(sources)}
    expected_fc1 = {step: build_model("seed", seed=step).fc1.weight for step in range(3)}
    folder = tmp_path / "live"
    folder.mkdir()
    target = folder / "checkpoint.pt"
    target.write_bytes(sources[0].read_bytes())

    rng = random.Random(1234)
    killed_mid_write = trials = 0
    # 20 kills, and more (up to 60) until at least 3 of them landed inside a write.
    while trials < 20 or (killed_mid_write < 3 and trials < 60):
        trials += 1
        child = subprocess.Popen(
            [sys.executable, "-S", "-c", CRASH_CHILD, str(REPO_ROOT), str(target), *map(str, sources)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert child.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.0, 0.04))
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        child.stdout.close()
        assert child.returncode == -signal.SIGKILL

        content = target.read_bytes()
        assert content in versions, "the target is neither the old nor a complete new checkpoint"
        checkpoint = load_checkpoint(target)
        assert checkpoint.step == versions[content]
        assert torch.equal(checkpoint.model_state["fc1.weight"], expected_fc1[checkpoint.step])
        leftovers = temp_files(folder)
        killed_mid_write += bool(leftovers)
        for leftover in leftovers:  # a SIGKILLed writer cannot clean up after itself
            leftover.unlink()
    # Proof that the kills landed inside writes, not only between them.
    assert killed_mid_write >= 3
