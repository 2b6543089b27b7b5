import json
import os
import subprocess
import sys

from ansible_collections.dockwright.toolkit.plugins.module_utils.folder_lock import acquire, holder, lock_path, release


class Clock:
    def __init__(self):
        self.now, self.pauses = 0.0, []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.pauses.append(seconds)
        self.now += seconds


def test_lock_path_is_per_real_folder_and_outside_it(tmp_path):
    (tmp_path / "a").mkdir()
    os.symlink(tmp_path / "a", tmp_path / "link")
    assert lock_path(str(tmp_path / "a"), "/locks") == lock_path(str(tmp_path / "link"), "/locks")
    assert lock_path(str(tmp_path / "a"), "/locks") != lock_path(str(tmp_path / "b"), "/locks")
    assert lock_path(str(tmp_path / "a"), "/locks").startswith("/locks/dockwright-")


def test_take_hold_again_and_release(tmp_path):
    folder, root, me = str(tmp_path / "f"), str(tmp_path), os.getpid()
    assert acquire(folder, me, 0, root=root) and acquire(folder, me, 0, root=root)
    assert holder(lock_path(folder, root))["pid"] == me
    assert release(folder, me, root=root) and not os.path.exists(lock_path(folder, root))
    assert not release(folder, me, root=root)


def test_another_live_run_is_waited_for_then_refused(tmp_path):
    folder, root = str(tmp_path / "f"), str(tmp_path)
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        assert acquire(folder, other.pid, 0, root=root)
        clock, waited = Clock(), []
        assert not acquire(folder, os.getpid(), 3, on_wait=waited.append, clock=clock, sleep=clock.sleep, root=root)
        assert [owner["pid"] for owner in waited] == [other.pid] and sum(clock.pauses) == 3
        assert not release(folder, os.getpid(), root=root)  # not ours to give up
    finally:
        other.kill()
        other.wait()


def test_a_lock_left_by_a_killed_run_is_taken_over(tmp_path):
    folder, root = str(tmp_path / "f"), str(tmp_path)
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    with open(lock_path(folder, root), "w", encoding="utf-8") as handle:
        json.dump({"pid": gone.pid, "started": 0}, handle)
    assert holder(lock_path(folder, root)) is None
    assert acquire(folder, os.getpid(), 0, root=root)
    assert holder(lock_path(folder, root))["pid"] == os.getpid()


def test_an_unreadable_lock_is_stale(tmp_path):
    folder, root = str(tmp_path / "f"), str(tmp_path)
    with open(lock_path(folder, root), "w", encoding="utf-8") as handle:
        handle.write("not json")
    assert acquire(folder, os.getpid(), 0, root=root)


CONTENDER = """
import os, sys, time
from ansible_collections.dockwright.toolkit.plugins.module_utils.folder_lock import acquire, release
folder, root, log, start = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
time.sleep(max(0.0, start - time.time()))  # all start at once
assert acquire(folder, os.getpid(), 60, root=root, sleep=lambda s: time.sleep(0.01))
with open(log, "a", encoding="utf-8") as out:
    out.write(f"in {os.getpid()}\\n")
time.sleep(0.05)
with open(log, "a", encoding="utf-8") as out:
    out.write(f"out {os.getpid()}\\n")
assert release(folder, os.getpid(), root=root)
"""


def test_runs_starting_together_hold_the_lock_one_at_a_time(tmp_path):
    """Eight processes that reach the lock at the same instant: never two inside at once, and all get their turn."""
    import time

    folder, root, log = str(tmp_path / "f"), str(tmp_path), tmp_path / "log"
    collections = os.path.join(os.path.dirname(__file__), *[".."] * 4, "collections")
    env = {**os.environ, "PYTHONPATH": os.path.realpath(collections)}
    start = time.time() + 1.5
    runs = [subprocess.Popen([sys.executable, "-c", CONTENDER, folder, root, str(log), str(start)], env=env)
            for _ in range(8)]
    assert [run.wait(timeout=60) for run in runs] == [0] * 8
    lines = log.read_text().splitlines()
    assert len(lines) == 16
    assert all(lines[i].startswith("in ") and lines[i + 1] == "out " + lines[i][3:] for i in range(0, 16, 2)), lines
    assert not os.path.exists(lock_path(folder, root))


def test_a_live_holder_is_left_alone_and_its_lock_respected(tmp_path):
    """Looking at the lock probes the holder without signalling it (a SIGHUP would end a plain sleep)."""
    folder, root = str(tmp_path / "f"), str(tmp_path)
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        assert acquire(folder, other.pid, 0, root=root)
        for _ in range(3):
            assert holder(lock_path(folder, root))["pid"] == other.pid
            assert not acquire(folder, os.getpid(), 0, root=root)
        assert other.poll() is None  # still running: nothing was sent to it
    finally:
        other.kill()
        other.wait()


def test_a_process_of_another_user_counts_as_alive(tmp_path, monkeypatch):
    """kill(pid, 0) on another user's process is refused (EPERM): it is alive. Root is never refused, so the refusal
    is what os.kill answers here."""
    folder, root = str(tmp_path / "f"), str(tmp_path)
    with open(lock_path(folder, root), "w", encoding="utf-8") as handle:
        json.dump({"pid": 424242, "started": 0}, handle)

    def refused(pid, signal):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "kill", refused)
    assert holder(lock_path(folder, root))["pid"] == 424242
    assert not acquire(folder, os.getpid(), 0, root=root)


def test_the_lock_and_its_guard_live_in_the_lock_folder_and_nowhere_else(tmp_path, monkeypatch):
    folder, root, elsewhere = str(tmp_path / "f"), tmp_path / "locks", tmp_path / "cwd"
    root.mkdir()
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert acquire(folder, os.getpid(), 0, root=str(root))
    import hashlib

    digest = hashlib.sha1(os.path.realpath(folder).encode()).hexdigest()[:20]
    assert lock_path(folder, str(root)) == str(root / f"dockwright-{digest}.lock")
    assert sorted(p.name for p in root.iterdir()) == sorted([os.path.basename(lock_path(folder, str(root))),
                                                             os.path.basename(lock_path(folder, str(root))) + ".guard"])
    assert release(folder, os.getpid(), root=str(root))
    assert list(elsewhere.iterdir()) == []


def test_the_waits_between_looks_are_a_second_and_end_at_the_deadline(tmp_path):
    folder, root = str(tmp_path / "f"), str(tmp_path)
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        assert acquire(folder, other.pid, 0, root=root)
        clock = Clock()
        assert not acquire(folder, os.getpid(), 2.5, clock=clock, sleep=clock.sleep, root=root)
        assert clock.pauses == [1.0, 1.0, 0.5]
    finally:
        other.kill()
        other.wait()
