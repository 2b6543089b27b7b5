# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""A run told as a report: one line per step that matters (the roles' messages, what changed), failures as one
readable message instead of a JSON dump, and a heartbeat while a long task (an image build, a push, a Batch job)
runs. With -v, Ansible's default output, task by task."""

from __future__ import annotations

DOCUMENTATION = r"""
name: dockwright
type: stdout
short_description: A run as a report, with failures shown as their message alone
description:
  - Without C(-v), prints no play or task banners and no C(ok:) lines; it prints what the roles say
    (C(ansible.builtin.debug) messages, as they are, one after the other), one line per task that
    changed something (C(changed) and its name, with its time from one second on), warnings in full, retries, diffs
    (C(--diff)), and the recap with its C(changed=) counter.
  - A failed task prints its message as plain text (C(FAILED - <task>:) followed by the message, line breaks kept)
    rather than the whole result as JSON with the task's source.
  - With C(-v) or more, behaves like C(ansible.builtin.default), task banners and all, and failures are shown as
    the default callback shows them.
  - While a task runs longer than O(heartbeat) seconds, prints a line with its name and the time it has taken so
    far, every O(heartbeat) seconds, so that a build that installs large dependencies is seen working.
  - While a task runs, prints the lines its module appends to a file in the run's live directory (a temporary
    directory named to the tasks in C(DOCKWRIGHT_LIVE_DIR)), as they come - a Batch job's log lines, with and without
    C(-v). When the run is stopped (Ctrl-C) while a module follows a Batch job, says that the job keeps running and
    how to follow it again or cancel it.
options:
  heartbeat:
    description: Seconds between two "still running" lines for a long task; 0 prints none.
    type: float
    default: 15
    env:
      - name: DOCKWRIGHT_HEARTBEAT
    ini:
      - section: callback_dockwright
        key: heartbeat
extends_documentation_fragment:
  - default_callback
  - result_format_callback
requirements:
  - set as stdout callback in ansible.cfg
"""

import atexit
import contextlib
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

from ansible import constants as C
from ansible import context
from ansible.playbook.task_include import TaskInclude
from ansible.plugins.callback.default import CallbackModule as DefaultCallback
from ansible.plugins.loader import filter_loader
from ansible_collections.dockwright.toolkit.plugins.module_utils.batch_job_logs import interrupted_message
from ansible_collections.dockwright.toolkit.plugins.module_utils.live import LIVE_DIR_VARIABLE, SUFFIX, decode
from ansible_collections.dockwright.toolkit.plugins.module_utils.secrets import mask

# Loaded once here, in the controller: each task runs in a fork of it, so the lookups that ask the engine
# (docker_engine, image_files) find the Docker SDK loaded instead of importing it again, a tenth of a second each.
with contextlib.suppress(ImportError):
    import docker  # noqa: F401  pylint: disable=unused-import

# Secrets this process holds in its environment (keys, tokens, index URLs with credentials): masked in every
# failure shown, in every form (module_utils/secrets.py), whatever task printed them.
SECRET_VARIABLES = ("AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "DOCKWRIGHT_PIP_INDEX_URL",
                    "DOCKWRIGHT_PIP_EXTRA_INDEX_URL", "PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL")


def environment_secrets(environ=None):
    environ = os.environ if environ is None else environ
    return [environ[name] for name in SECRET_VARIABLES if environ.get(name)]


def failure_text(result, secrets=None):
    """The human part of a failed result: its msg, and for a failed command its last stderr lines; the secrets of
    the environment masked."""
    return mask(_failure_text(result), environment_secrets() if secrets is None else secrets)


def _failure_text(result):
    msg = str(result.get("msg") or "").strip()
    stderr = str(result.get("stderr") or "").strip()
    if stderr and stderr not in msg:
        tail = "\n".join(stderr.splitlines()[-10:])
        msg = f"{msg}\n{tail}" if msg else tail
    return msg or "the task failed without a message; rerun with -v for details"


def duration(seconds):
    """Seconds as a person says them: '45 s', '2 min 05 s', '1 h 03 min'."""
    seconds = int(seconds)
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


class Heartbeat:
    """Calls say(subject, "still running: <name> (<time>)") every interval seconds until stopped or started again."""

    def __init__(self, interval, say, clock=time.monotonic):
        self.interval = interval
        self._say = say
        self._clock = clock
        self._stop = None
        self._thread = None
        self._touched = None

    def touch(self):
        """Something else was printed for the task: no beat until interval seconds have passed since."""
        self._touched = self._clock()

    def start(self, name, subject=None):
        self.stop()
        if not self.interval or self.interval <= 0:
            return
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, args=(name, subject, self._stop, self._clock()),
                                        daemon=True)
        self._thread.start()

    def stop(self):
        """Stops the beat; a line being printed is finished first, so no line comes after this returns."""
        if self._stop is not None:
            self._stop.set()
            self._thread.join(timeout=5)
            self._stop = self._thread = None

    def _beat(self, name, subject, stop, started):
        self._touched = None
        while not stop.wait(self.interval):
            if self._touched is not None and self._clock() - self._touched < self.interval:
                continue
            self._say(subject, f"... still running: {name} ({duration(self._clock() - started)})")


class LiveTail:
    """Prints what the modules of a task append to the live files of directory (module_utils/live.py) while it
    runs: say(subject, text, note) for each line, from a thread that looks every interval seconds. stop() prints
    what is left and removes the files; job is the last job a file named (what was followed)."""

    def __init__(self, directory, say, interval=0.25):
        self.directory, self.interval = directory, interval
        self._say = say
        self._lock = threading.Lock()
        self._files = {}  # path -> (offset read, text of an unfinished line)
        self._stop = self._thread = self._subject = None
        self.job = None

    @property
    def running(self):
        return self._thread is not None

    def start(self, subject=None):
        self.stop()
        self.job, self._subject = None, subject
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._follow, args=(self._stop,), daemon=True)
        self._thread.start()

    def stop(self):
        """Stops following; the lines written until now are printed first. Returns the job followed, if any."""
        if self._thread is None:
            return None
        self._stop.set()
        self._thread.join(timeout=5)
        self._stop = self._thread = None
        self.poll()
        for path in self._files:
            with contextlib.suppress(OSError):
                os.remove(path)
        self._files = {}
        return self.job

    def _follow(self, stop):
        while not stop.wait(self.interval):
            self.poll()

    def poll(self):
        """Prints what the files gained since the last look."""
        with self._lock:
            for path in sorted(Path(self.directory).glob(f"*{SUFFIX}"), key=str):
                offset, rest = self._files.get(str(path), (0, ""))
                try:
                    with open(path, encoding="utf-8", errors="replace") as handle:
                        handle.seek(offset)
                        text = handle.read()
                        offset = handle.tell()
                except OSError:
                    continue
                records, rest = decode(rest + text)
                self._files[str(path)] = (offset, rest)
                for record in records:
                    if isinstance(record.get("job"), dict):
                        self.job = record["job"]
                    elif "note" in record:
                        self._say(self._subject, str(record["note"]), True)
                    elif "line" in record:
                        self._say(self._subject, str(record["line"]), False)


def report_line(action, result, label, seconds, check=False):
    """The line the report gives a task's result without -v, or None for a task that says nothing: a message's
    text as it is, or 'changed: <task>' (with its time from one second on); in check mode 'would change: <task>',
    nothing having changed."""
    if action in ("debug", "ansible.builtin.debug", "ansible.legacy.debug"):
        return str(result["msg"]) if "msg" in result else None
    if result.get("changed", False):
        said = "would change" if check else "changed"
        return f"{said}: {label}" + (f" ({duration(seconds)})" if seconds >= 1 else "")
    return None


def plan_line(changes):
    """The closing line of a run in check mode (a plan): what it did (nothing) and how many changes a real run makes."""
    if not changes:
        return "Plan (check mode): nothing changed, and a real run would change nothing."
    return (f"Plan (check mode): nothing changed; a real run would make the {changes} "
            f"change{'s' if changes != 1 else ''} above.")


def warm_plugins():
    """Load this collection's filters (and the module_utils they import) once, in the controller, before the first
    task. Each task runs in a fork of the controller that inherits what it has loaded; left to the tasks, every fork
    would load them anew: finding one filter of a collection loads all its filter files, about 60 ms, paid by every
    task that uses one (most of a run's fixed cost). Lookups are found by their own file alone, and the ones that
    cost (the AWS SDK) serve one task of the runs that use them, so they are left to their tasks."""
    here = Path(__file__).resolve().parent.parent
    with contextlib.suppress(Exception):  # a speed-up only: a plugin that fails to load fails in its task, as before
        filters = sorted(path.stem for path in (here / "filter").glob("[a-z]*.py"))
        if filters:
            filter_loader.get(f"dockwright.toolkit.{filters[0]}")  # loads every filter file of the collection


class CallbackModule(DefaultCallback):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "stdout"
    CALLBACK_NAME = "dockwright"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._heartbeat = Heartbeat(0, self._say_still_running)
        self._task_started = time.monotonic()
        # The run's live directory: tasks (forks of this process) inherit its name, and their modules write there.
        self._live_dir = tempfile.mkdtemp(prefix="dockwright-live-")
        os.environ[LIVE_DIR_VARIABLE] = self._live_dir
        self._live = LiveTail(self._live_dir, self._say_live)
        atexit.register(self._at_exit, os.getpid())

    def _quiet(self):
        """Whether the run is told as a report (no -v)."""
        return self._display.verbosity == 0

    def set_options(self, *args, **kwargs):
        super().set_options(*args, **kwargs)
        self._heartbeat.interval = float(self.get_option("heartbeat") or 0)

    def _say_still_running(self, task, text):
        if task is not None and not self._quiet() and self._last_task_banner != task._uuid:
            self._print_task_banner(task)  # the default callback holds the banner back until a result comes
        self._display.display(text, color=C.COLOR_VERBOSE)
        with contextlib.suppress(OSError, ValueError):  # Ansible flushes at the end; a pipe must see it now
            sys.stdout.flush()

    def _say_live(self, task, text, note):
        """A line a module wrote while its task runs: the job's own as they are, the module's notes dimmed."""
        self._heartbeat.touch()
        if task is not None and not self._quiet() and self._last_task_banner != task._uuid:
            self._print_task_banner(task)
        self._display.display(mask(text, environment_secrets()), color=C.COLOR_VERBOSE if note else None)
        with contextlib.suppress(OSError, ValueError):
            sys.stdout.flush()

    def _stop_task(self):
        """The task has ended: no more beats, and what its module wrote last is printed before its result."""
        self._heartbeat.stop()
        self._live.stop()

    def _at_exit(self, pid):
        """At the end of the run: a task still following a job means the run was stopped (Ctrl-C): say that the job
        keeps running, and how to follow or cancel it. The live directory is removed."""
        if os.getpid() != pid:  # a fork of the controller that exits
            return
        self._heartbeat.stop()
        job = self._live.stop() if self._live.running else None
        if job and job.get("id"):
            self._display.display(interrupted_message(str(job["id"]), str(job.get("name") or "")),
                                  color=C.COLOR_WARN)
        shutil.rmtree(self._live_dir, ignore_errors=True)

    def v2_playbook_on_start(self, playbook):
        super().v2_playbook_on_start(playbook)
        warm_plugins()

    def v2_playbook_on_play_start(self, play):
        if self._quiet():
            self._play = play  # the banner left out
            return
        super().v2_playbook_on_play_start(play)

    def v2_playbook_on_task_start(self, task, is_conditional):
        super().v2_playbook_on_task_start(task, is_conditional)
        self._task_started = time.monotonic()
        self._heartbeat.start(task.get_name().strip(), task)
        self._live.start(task)

    def v2_playbook_on_handler_task_start(self, task):
        super().v2_playbook_on_handler_task_start(task)
        self._task_started = time.monotonic()
        self._heartbeat.start(task.get_name().strip(), task)
        self._live.start(task)

    def v2_playbook_on_include(self, included_file):
        if not self._quiet():
            super().v2_playbook_on_include(included_file)

    def v2_runner_on_ok(self, result):
        self._stop_task()
        if not self._quiet():
            super().v2_runner_on_ok(result)
            return
        self._handle_warnings_and_exception(result)
        if isinstance(result.task, TaskInclude) or (result.task.loop and "results" in result.result):
            return  # a loop's items are told one by one
        self._report(result, result.result)

    def v2_runner_item_on_ok(self, result):
        if not self._quiet():
            super().v2_runner_item_on_ok(result)
            return
        self._handle_warnings_and_exception(result)
        if not isinstance(result.task, TaskInclude):
            self._report(result, result.result)

    def _report(self, result, outcome):
        line = report_line(result.task.action, outcome, result.task.get_name().strip(),
                           time.monotonic() - self._task_started, check=bool(result.task.check_mode))
        if line is not None:
            self._display.display(line, color=C.COLOR_CHANGED if outcome.get("changed", False) else C.COLOR_OK)

    def v2_runner_on_skipped(self, result):
        self._stop_task()
        if self._quiet():
            self._handle_warnings_and_exception(result)
            return
        super().v2_runner_on_skipped(result)

    def v2_runner_item_on_skipped(self, result):
        if not self._quiet():
            super().v2_runner_item_on_skipped(result)

    def v2_runner_on_unreachable(self, result):
        self._stop_task()
        super().v2_runner_on_unreachable(result)

    def v2_playbook_on_stats(self, stats):
        self._stop_task()
        if context.CLIARGS.get("check") and not stats.failures and not stats.dark:
            self._display.display(plan_line(sum(stats.changed.values())), color=C.COLOR_OK)
        super().v2_playbook_on_stats(stats)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._stop_task()
        if ignore_errors or self._display.verbosity > 0 or (result.task.loop and "results" in result.result):
            super().v2_runner_on_failed(result, ignore_errors=ignore_errors)
            return
        # Warnings in full; the exception is not shown (its message is, once, below: the traceback is for -v).
        self._handle_warnings(result.result)
        self._display.display(
            f"FAILED - {result.task.get_name()}:\n{failure_text(result.result)}",
            color=C.COLOR_ERROR,
            stderr=self.get_option("display_failed_stderr"),
        )
