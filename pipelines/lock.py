"""One writer per warehouse: an exclusive lock on `<warehouse>.lock`, held for a whole refresh.

DuckDB allows one writing process per file, and a refresh also replaces the published warehouse and the
briefs; two refreshes at once would delete, publish or discard each other's builds. Every entry point takes
this lock before it touches the build: `sgpulse refresh` and `sgpulse brief` in the CLI, and every Dagster
run (the `paths` resource, whatever launched the run: the UI, the schedule, the sensor). The raw-files sensor
does not start a run while the lock is held.

The lock is `flock(2)` on the lock file: the kernel releases it when its holder dies, however it dies
(kill -9 included), so a dead process's lock is never in the way; the next holder finds the dead holder's
note in the file and says that it recovered it. The holder writes its pid, start time and host there so
that a refused refresh can say who holds the warehouse. The file is removed on release.
"""

from __future__ import annotations

import datetime as dt
import errno
import fcntl
import json
import os
import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path

WAIT_ENV = "SGPULSE_LOCK_WAIT_SECONDS"
# A person at the command line hears at once that another refresh is running; a run started by the schedule
# or the sensor, with nobody watching, waits for the other one to finish.
CLI_WAIT_SECONDS = 0.0
RUN_WAIT_SECONDS = 600.0
POLL_SECONDS = 0.2
# Even without waiting, a refresh tries for this long: a sensor's look at the lock holds it for an instant.
GRACE_SECONDS = 1.0

# Locks this process holds, by lock file: a Dagster run inside `sgpulse refresh` finds the CLI's lock here.
_held: dict[str, WarehouseLock] = {}
_held_guard = threading.Lock()


def lock_path(warehouse: Path) -> Path:
    return Path(warehouse).with_name(Path(warehouse).name + ".lock")


def wait_seconds(default: float, env=os.environ) -> float:
    """How long to wait for another holder: SGPULSE_LOCK_WAIT_SECONDS, else the entry point's default."""
    value = (env.get(WAIT_ENV) or "").strip()
    if not value:
        return default
    try:
        seconds = float(value)
    except ValueError:
        raise ValueError(f"{WAIT_ENV} must be a number of seconds, not {value!r}") from None
    if seconds < 0:
        raise ValueError(f"{WAIT_ENV} must be 0 or more, not {value!r}")
    return seconds


@dataclass(frozen=True)
class Holder:
    """Who holds (or last held) a warehouse's lock, as written in its lock file."""

    pid: int
    started_at: str  # ISO 8601, UTC
    host: str = ""
    what: str = "refresh"
    run_id: str = ""

    @property
    def started(self) -> str:
        try:
            return dt.datetime.fromisoformat(self.started_at).strftime("%Y-%m-%d %H:%M:%S UTC")
        except ValueError:
            return self.started_at or "an unknown time"

    def alive(self) -> bool:
        """Whether the holder's process still runs (on this host; another host's cannot be checked)."""
        if self.host and self.host != socket.gethostname():
            return True
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True

    @classmethod
    def parse(cls, text: str) -> Holder | None:
        try:
            data = json.loads(text)
            return cls(
                int(data["pid"]),
                str(data.get("started_at", "")),
                str(data.get("host", "")),
                str(data.get("what", "refresh")),
                str(data.get("run_id", "")),
            )
        except (ValueError, KeyError, TypeError):
            return None


class WarehouseBusy(Exception):
    """Another process holds the warehouse: the one-line reason names it."""

    def __init__(self, warehouse: Path, holder: Holder | None, waited: float):
        self.warehouse, self.holder = warehouse, holder
        who = (
            f"another {holder.what} (pid {holder.pid}, started at {holder.started})"
            if holder
            else "another refresh (just starting)"
        )
        if holder and not holder.alive():
            who += ", which has ended but left a process that still holds the lock,"
        waited_text = f"after waiting {waited:g} s; " if waited else ""
        super().__init__(
            f"{who} holds the warehouse {warehouse}; {waited_text}try again when it has finished, or use "
            f"--wait SECONDS (or {WAIT_ENV}) to wait for it"
        )


class WarehouseLock:
    """`with WarehouseLock(path, wait):` holds the warehouse's lock or raises WarehouseBusy."""

    def __init__(self, warehouse: Path, wait: float = 0.0, what: str = "refresh", run_id: str = ""):
        self.warehouse = Path(warehouse)
        self.path = lock_path(self.warehouse)
        self.wait, self.what, self.run_id = wait, what, run_id
        self.fd: int | None = None
        self.recovered: Holder | None = None  # a dead holder's note, found when the lock was taken

    def acquire(self) -> WarehouseLock:
        started = time.monotonic()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                os.close(fd)
                if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                    raise
                waited = time.monotonic() - started
                if waited >= max(self.wait, GRACE_SECONDS):
                    raise WarehouseBusy(self.warehouse, self._holder_note(), self.wait) from None
                time.sleep(POLL_SECONDS)
                continue
            # The previous holder removes the file as it releases: a file locked after that is no longer the
            # one at the path, and a third process may have locked a new one. Lock the file at the path.
            try:
                same = os.fstat(fd).st_ino == os.stat(self.path).st_ino
            except FileNotFoundError:
                same = False
            if not same:
                os.close(fd)
                continue
            self.fd = fd
            break
        previous = Holder.parse(os.pread(self.fd, 4096, 0).decode("utf-8", "replace"))
        self.recovered = previous if previous and previous.pid != os.getpid() else None
        note = {
            "pid": os.getpid(),
            "started_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
            "host": socket.gethostname(),
            "what": self.what,
            "run_id": self.run_id,
        }
        os.ftruncate(self.fd, 0)
        os.pwrite(self.fd, json.dumps(note).encode("utf-8"), 0)
        with _held_guard:
            _held[str(self.path)] = self
        return self

    def _holder_note(self) -> Holder | None:
        # The holder writes its note just after taking the lock: give it a moment.
        for _ in range(10):
            try:
                holder = Holder.parse(self.path.read_text(encoding="utf-8"))
            except OSError:
                holder = None
            if holder:
                return holder
            time.sleep(0.05)
        return None

    def release(self) -> None:
        if self.fd is None:
            return
        with _held_guard:
            _held.pop(str(self.path), None)
        try:
            self.path.unlink(missing_ok=True)  # while still held: nobody can have locked it in between
        finally:
            os.close(self.fd)
            self.fd = None

    def __enter__(self) -> WarehouseLock:
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()


def held_here(warehouse: Path) -> WarehouseLock | None:
    """The lock of `warehouse` if this process holds it."""
    with _held_guard:
        return _held.get(str(lock_path(warehouse)))


def busy(warehouse: Path) -> WarehouseBusy | None:
    """Why a refresh could not start now (who holds the warehouse), or None: a look for sensors, not a lock."""
    path = lock_path(warehouse)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except FileNotFoundError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError:
            note = Holder.parse(os.pread(fd, 4096, 0).decode("utf-8", "replace"))
            return WarehouseBusy(Path(warehouse), note, 0)
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)
