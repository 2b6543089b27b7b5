import threading
import time

import pytest
from ansible_collections.dockwright.toolkit.plugins.callback.dockwright import (
    Heartbeat,
    duration,
    failure_text,
    plan_line,
    report_line,
)


@pytest.mark.parametrize(
    "result, expected",
    [
        ({"msg": "program_path 'x' does not exist"}, "program_path 'x' does not exist"),
        ({"msg": "failed", "stderr": "line1\nline2"}, "failed\nline1\nline2"),
        ({"msg": "boom: line2", "stderr": "line2"}, "boom: line2"),
        ({"stderr": "\n".join(f"l{i}" for i in range(30))}, "\n".join(f"l{i}" for i in range(20, 30))),
        ({}, "the task failed without a message; rerun with -v for details"),
    ],
)
def test_failure_text(result, expected):
    assert failure_text(result) == expected


@pytest.mark.parametrize(
    "seconds, expected",
    [(0, "0 s"), (59.9, "59 s"), (60, "1 min 00 s"), (125, "2 min 05 s"), (3599, "59 min 59 s"),
     (3600, "1 h 00 min"), (3 * 3600 + 4 * 60 + 30, "3 h 04 min")],
)
def test_duration(seconds, expected):
    assert duration(seconds) == expected


@pytest.mark.parametrize(
    "action, result, seconds, expected",
    [
        # A message is the line, as it is, whether its task changed something or not.
        ("ansible.builtin.debug", {"msg": "Dependencies: requirements.txt."}, 0, "Dependencies: requirements.txt."),
        ("debug", {"msg": "two\nlines", "changed": False}, 3, "two\nlines"),
        ("ansible.builtin.debug", {"msg": ["a", "b"]}, 0, "['a', 'b']"),
        ("ansible.builtin.debug", {"skipped_reason": "verbosity"}, 0, None),
        # A task that changed something is named, with its time from one second on.
        ("ansible.builtin.copy", {"changed": True, "dest": "/x/Dockerfile"}, 0.2, "changed: dockerfile : Write"),
        ("community.docker.docker_image", {"changed": True}, 12.5, "changed: dockerfile : Write (12 s)"),
        ("community.docker.docker_image", {"changed": True}, 125, "changed: dockerfile : Write (2 min 05 s)"),
        # Checks and reads that changed nothing say nothing.
        ("ansible.builtin.assert", {"changed": False, "msg": "All assertions passed"}, 0, None),
        ("ansible.builtin.set_fact", {"ansible_facts": {"a": 1}}, 0, None),
    ],
)
def test_report_line(action, result, seconds, expected):
    assert report_line(action, result, "dockerfile : Write", seconds) == expected


@pytest.mark.parametrize(
    "action, result, seconds, expected",
    [
        # In check mode a change is only what would happen; messages stay as they are.
        ("ansible.builtin.copy", {"changed": True}, 0.2, "would change: dockerfile : Write"),
        ("community.docker.docker_image", {"changed": True}, 12.5, "would change: dockerfile : Write (12 s)"),
        ("ansible.builtin.debug", {"msg": "Check mode: would build x:1", "changed": True}, 0,
         "Check mode: would build x:1"),
        ("ansible.builtin.copy", {"changed": False}, 0, None),
    ],
)
def test_report_line_in_check_mode(action, result, seconds, expected):
    assert report_line(action, result, "dockerfile : Write", seconds, check=True) == expected


@pytest.mark.parametrize(
    "changes, expected",
    [
        (0, "Plan (check mode): nothing changed, and a real run would change nothing."),
        (1, "Plan (check mode): nothing changed; a real run would make the 1 change above."),
        (4, "Plan (check mode): nothing changed; a real run would make the 4 changes above."),
    ],
)
def test_plan_line(changes, expected):
    assert plan_line(changes) == expected


class Lines:
    """Collects what the heartbeat says, and lets a test wait for a number of lines."""

    def __init__(self):
        self.lines = []
        self.event = threading.Event()

    def __call__(self, subject, text):
        self.lines.append((subject, text))
        self.event.set()

    def wait_for(self, count, seconds=5.0):
        deadline = time.monotonic() + seconds
        while len(self.lines) < count and time.monotonic() < deadline:
            self.event.wait(0.05)
            self.event.clear()
        return self.lines


def test_heartbeat_beats_until_stopped():
    said = Lines()
    beat = Heartbeat(0.05, said)
    beat.start("image : Build the image", subject="task")
    assert len(said.wait_for(3)) >= 3
    beat.stop()
    count = len(said.lines)
    time.sleep(0.2)
    assert len(said.lines) == count  # nothing after stop() returned
    assert said.lines[0] == ("task", "... still running: image : Build the image (0 s)")


def test_heartbeat_follows_the_task_that_runs_now():
    said = Lines()
    beat = Heartbeat(0.05, said)
    beat.start("first")
    said.wait_for(1)
    beat.start("second")
    said.lines.clear()
    said.wait_for(2)
    beat.stop()
    assert said.lines and all("second" in text for _, text in said.lines)


def test_heartbeat_of_zero_says_nothing():
    said = Lines()
    beat = Heartbeat(0, said)
    beat.start("quiet")
    time.sleep(0.2)
    beat.stop()
    assert said.lines == []


def test_failure_text_masks_the_environments_secrets(monkeypatch):
    from urllib.parse import quote

    index = "https://me:t0k3n-4242@pypi.example.com/simple"
    monkeypatch.setenv("DOCKWRIGHT_PIP_INDEX_URL", index)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG")
    text = failure_text({"msg": f"refused {quote(index, safe='')} with wJalrXUtnFEMI/K7MDENG",
                         "stderr": "pip: t0k3n-4242 rejected"})
    assert "t0k3n" not in text and "wJalr" not in text and text.count("*****") == 3


def test_heartbeat_keeps_quiet_while_other_lines_come():
    said = Lines()
    beat = Heartbeat(0.2, said)
    beat.start("batch_job : Submit")
    deadline = time.monotonic() + 0.7
    while time.monotonic() < deadline:  # a live line every 50 ms: no beat is needed
        beat.touch()
        time.sleep(0.05)
    assert said.lines == []
    assert len(said.wait_for(1, seconds=2)) == 1  # quiet again: the beat comes back
    beat.stop()


class Printed:
    def __init__(self):
        self.lines = []

    def __call__(self, subject, text, note):
        self.lines.append((subject, text, note))


def test_live_tail_prints_what_the_files_gain_and_removes_them(tmp_path):
    from ansible_collections.dockwright.toolkit.plugins.callback.dockwright import LiveTail
    from ansible_collections.dockwright.toolkit.plugins.module_utils.live import LiveWriter

    printed = Printed()
    tail = LiveTail(str(tmp_path), printed, interval=0.02)
    tail.start("task")
    writer = LiveWriter(str(tmp_path))
    writer.write({"job": {"id": "j1", "name": "train"}})
    writer.note("--- attempt 1")
    writer.lines(["one"])
    deadline = time.monotonic() + 5
    while len(printed.lines) < 2 and time.monotonic() < deadline:  # printed while the task runs, not at its end
        time.sleep(0.02)
    assert printed.lines == [("task", "--- attempt 1", True), ("task", "one", False)]
    with open(writer.path, "a", encoding="utf-8") as handle:  # half a record: printed once whole
        handle.write('{"line": "tw')
    time.sleep(0.1)
    assert len(printed.lines) == 2
    with open(writer.path, "a", encoding="utf-8") as handle:
        handle.write('o"}\n{"line": "three"}\n')
    assert tail.stop() == {"id": "j1", "name": "train"}  # what is left is printed before stop() returns
    assert [text for _, text, _ in printed.lines] == ["--- attempt 1", "one", "two", "three"]
    assert list(tmp_path.iterdir()) == [] and not tail.running
    tail.start("next task")
    assert tail.stop() is None and len(printed.lines) == 4  # the next task starts with nothing followed


def test_warm_plugins_loads_every_filter_of_the_collection_once():
    """Tasks run in forks of the controller: what warm_plugins loads there, before the first task, no task loads
    again (finding one filter of a collection loads all its filter files, in every fork that was not given them)."""
    from pathlib import Path

    from ansible.plugins.loader import filter_loader
    from ansible_collections.dockwright.toolkit.plugins.callback import dockwright

    plugins = Path(dockwright.__file__).resolve().parent.parent
    dockwright.warm_plugins()
    loaded = {Path(path).resolve() for path in filter_loader._module_cache}
    expected = {path.resolve() for path in (plugins / "filter").glob("[a-z]*.py")}
    assert len(expected) > 30
    assert expected <= loaded, sorted(map(str, expected - loaded))
    assert filter_loader.get("dockwright.toolkit.boolean") is not None
