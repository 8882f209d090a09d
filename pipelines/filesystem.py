"""What the commands say about the places they read and write: a folder where a file belongs (or the
reverse), a read-only folder, a full disk; one line each, checked before a command starts where possible."""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path


class PathProblem(ValueError):
    """A path a command cannot use; the message says which and why, in one line."""


def describe_os_error(exc: OSError) -> str:
    """One line for an operating-system error, naming the file and what to do about it."""
    return f"{exc.filename}: {os_reason(exc)}" if exc.filename else os_reason(exc)


def os_reason(exc: OSError) -> str:
    """What went wrong, without the file name."""
    code = exc.errno
    if code in (errno.ENOSPC, errno.EDQUOT):
        return "No space left on device (disk full or over quota): free some space and run again"
    if code == errno.EROFS:
        return "read-only file system: choose a folder that can be written"
    if code in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if code == errno.ENOTDIR:
        return "a file stands where a folder is needed"
    if code == errno.EISDIR:
        return "a folder stands where a file is needed"
    if code == errno.ENOENT:
        return "no such file or folder"
    return exc.strerror or type(exc).__name__


def disk_full(message: str) -> bool:
    """Whether an error message (DuckDB's, say) comes from a full disk."""
    return "no space left on device" in message.lower() or "disk full" in message.lower()


def _blocking_file(path: Path) -> Path | None:
    """The file, if any, that stands where `path` or one of its parent folders should be."""
    for candidate in (path, *path.parents):
        if candidate.exists():
            return candidate if not candidate.is_dir() else None
    return None


def input_folder(path: Path, what: str) -> Path:
    """A folder a command reads: it must exist and be a folder."""
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise PathProblem(f"{what} {path} is a file, not a folder")
    if not path.exists():
        raise PathProblem(f"{what} {path} not found")
    return path


def input_file(path: Path, what: str, missing: str = "") -> Path:
    """A file a command reads: it must exist and be a file."""
    path = Path(path)
    if path.is_dir():
        raise PathProblem(f"{what} {path} is a folder; give the file itself")
    if not path.exists():
        raise PathProblem(missing or f"{what} {path} not found")
    return path


def output_folder(path: Path, what: str) -> Path:
    """A folder a command writes into: a file must not stand in its place, and its file system must take writes.

    Nothing is created: the probe file goes into the nearest existing folder and is removed at once.
    """
    path = Path(path)
    blocking = _blocking_file(path)
    if blocking is not None:
        raise PathProblem(
            f"{what} {path} is a file, not a folder"
            if blocking == path
            else f"{what} {path} cannot be created: {blocking} is a file, not a folder"
        )
    _probe(next(p for p in (path, *path.parents) if p.exists()), what, path)
    return path


def output_file(path: Path, what: str) -> Path:
    """A file a command writes: a folder must not stand in its place, and its folder must take writes."""
    path = Path(path)
    if path.is_dir():
        raise PathProblem(f"{what} {path} is a folder; give a file path, e.g. {path / 'name'}")
    output_folder(path.parent, f"the folder of {what}")
    return path


def _probe(folder: Path, what: str, path: Path) -> None:
    try:
        fd, probe = tempfile.mkstemp(prefix=".sgpulse-probe-", dir=folder)
    except OSError as exc:
        raise PathProblem(f"{what} {path}: cannot write in {folder}: {os_reason(exc)}") from None
    os.close(fd)
    os.unlink(probe)
