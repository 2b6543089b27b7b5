# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""A lock on a program folder for the length of a run, so two runs never mix their Dockerfile and image.

No Ansible imports. The lock is a file in the temporary folder, named after the program folder's real path (the
user's folder is not touched), holding the owning run's process id; a lock whose process is gone (a run killed) is
stale and taken over. Looking at the lock and taking it happen under an flock on a guard file next to it, so two runs
starting together never both see it free (the kernel lets go of the guard when a process dies)."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import tempfile
import time


def lock_path(folder: str, root: str | None = None) -> str:
    """Where the lock of C(folder) lives: one file per real path, in C(root) (the temporary folder)."""
    digest = hashlib.sha1(os.path.realpath(folder).encode("utf-8")).hexdigest()[:20]
    return os.path.join(root or tempfile.gettempdir(), f"dockwright-{digest}.lock")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        return True
    return True


def holder(path: str) -> dict | None:
    """Who holds the lock file C(path) ({pid, started}), or None when nobody (no file, a stale or unreadable one)."""
    try:
        with open(path, encoding="utf-8") as handle:
            owner = json.load(handle)
        pid = int(owner["pid"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return owner if _alive(pid) else None


@contextlib.contextmanager
def _guarded(path: str):
    """Hold the guard of the lock file C(path) for the length of the block."""
    handle = os.open(f"{path}.guard", os.O_CREAT | os.O_RDWR, 0o644)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)  # closing lets go of the flock


def _take(path: str, pid: int) -> None:
    """Write the lock file C(path) for C(pid) whole (a reader never sees it half-written)."""
    partial = f"{path}.{pid}.partial"
    with open(partial, "w", encoding="utf-8") as stream:
        json.dump({"pid": pid, "started": time.time()}, stream)
    os.replace(partial, path)


def acquire(folder: str, pid: int, timeout: float, on_wait=None, clock=time.monotonic, sleep=time.sleep,
            root: str | None = None) -> bool:
    """Take the lock on C(folder) for the run C(pid), waiting up to C(timeout) seconds for another run to finish
    (C(on_wait(owner)) is called once when it has to wait). Returns whether it holds the lock; True also when C(pid)
    held it already."""
    path = lock_path(folder, root)
    deadline, told = clock() + timeout, False
    while True:
        with _guarded(path):
            owner = holder(path)
            if owner is None:  # free, or stale (its run is gone): ours
                _take(path, pid)
                return True
        if int(owner["pid"]) == pid:
            return True
        if clock() >= deadline:
            return False
        if not told and on_wait:
            on_wait(owner)
            told = True
        sleep(min(1.0, max(0.0, deadline - clock())))


def release(folder: str, pid: int, root: str | None = None) -> bool:
    """Give the lock up when C(pid) holds it; returns whether a lock file was removed."""
    path = lock_path(folder, root)
    with _guarded(path):
        owner = holder(path)
        if owner and int(owner["pid"]) == pid:
            os.unlink(path)
            return True
    return False
