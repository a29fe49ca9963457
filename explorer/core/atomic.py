"""Atomic file writes: the target holds either its old content or the complete new content, never a mix.

The new content goes into a temporary file in the target's own folder (os.replace is only atomic
within one filesystem), is flushed to disk, and then renamed over the target in one step. A crash,
a full disk or an exception in the writer at any moment leaves the old file as it was. OSError
reaches the caller unchanged, so it can name the path and the reason (read-only folder, disk full).

Some writers catch the OSError of a failed write and raise their own, unclear error instead
(torch.save's zip writer reports "unexpected pos 12416 vs 12368" for a full disk). The file handed to
the writer remembers the first OSError, and that is what the caller gets.

A process killed outright (SIGKILL, power loss) cannot remove its temporary file: one named
`.NAME.<random>.tmp` may then stay next to the target. It is never mistaken for the target.
"""

from __future__ import annotations

import contextlib
import errno
import os
import uuid
from pathlib import Path
from typing import BinaryIO, Callable


def atomic_write(path: str | os.PathLike, write: Callable[[BinaryIO], None]) -> None:
    """Replace `path` with what `write(file)` writes, atomically and durably."""
    path = Path(path)
    folder = path.parent
    temp = folder / f".{path.name}.{uuid.uuid4().hex}.tmp"
    # os.open with 0o666 lets the umask decide the mode, as for any new file (mkstemp would force 0o600).
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        with os.fdopen(fd, "wb") as file:
            recorder = _WriteErrorRecorder(file)
            try:
                write(recorder)
            except Exception:
                if recorder.error is not None:
                    raise recorder.error from None
                raise
            file.flush()
            os.fsync(file.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise
    _fsync_folder(folder)


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> None:
    """Replace `path` with `data`, atomically and durably."""
    atomic_write(path, lambda file: file.write(data))


class _WriteErrorRecorder:
    """The open file, passed through, remembering the first OSError a write raised."""

    def __init__(self, file: BinaryIO):
        self._file = file
        self.error: OSError | None = None

    def write(self, data) -> int:
        try:
            return self._file.write(data)
        except OSError as exc:
            self.error = self.error or exc
            raise

    def __getattr__(self, name: str):
        return getattr(self._file, name)

    def __repr__(self) -> str:
        return f"_WriteErrorRecorder({self._file!r}, error={self.error!r})"


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself survive a power loss (the folder entry is what changed)."""
    if os.name == "nt":  # Windows cannot open a folder as a file; NTFS journals the rename
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError as exc:
        # Some filesystems (network, FUSE) cannot fsync a folder; the data itself is already on disk.
        if exc.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EBADF):
            raise
    finally:
        os.close(fd)
