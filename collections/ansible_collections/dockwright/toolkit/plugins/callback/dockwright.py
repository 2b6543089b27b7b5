# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""Ansible's default output, with failures told as one readable message instead of a JSON dump, and a heartbeat
while a long task (an image build, a push, a Batch job) runs."""

from __future__ import annotations

DOCUMENTATION = r"""
name: dockwright
type: stdout
short_description: The default output, with failures shown as their message alone
description:
  - Behaves like C(ansible.builtin.default), except that a failed task prints its message as plain text
    (C(FAILED - <task>:) followed by the message, line breaks kept) rather than the whole result as JSON
    with the task's source. With C(-v) or more, failures are shown as the default callback shows them.
  - While a task runs longer than O(heartbeat) seconds, prints a line with its name and the time it has taken so
    far, every O(heartbeat) seconds, so that a build that installs large dependencies is seen working.
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

import contextlib
import os
import sys
import threading
import time

from ansible import constants as C
from ansible.plugins.callback.default import CallbackModule as DefaultCallback
from ansible_collections.dockwright.toolkit.plugins.module_utils.secrets import mask

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
        while not stop.wait(self.interval):
            self._say(subject, f"... still running: {name} ({duration(self._clock() - started)})")


class CallbackModule(DefaultCallback):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "stdout"
    CALLBACK_NAME = "dockwright"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._heartbeat = Heartbeat(0, self._say_still_running)

    def set_options(self, *args, **kwargs):
        super().set_options(*args, **kwargs)
        self._heartbeat.interval = float(self.get_option("heartbeat") or 0)

    def _say_still_running(self, task, text):
        if task is not None and self._last_task_banner != task._uuid:
            self._print_task_banner(task)  # the default callback holds the banner back until a result comes
        self._display.display(text, color=C.COLOR_VERBOSE)
        with contextlib.suppress(OSError, ValueError):  # Ansible flushes at the end; a pipe must see it now
            sys.stdout.flush()

    def v2_playbook_on_task_start(self, task, is_conditional):
        super().v2_playbook_on_task_start(task, is_conditional)
        self._heartbeat.start(task.get_name().strip(), task)

    def v2_playbook_on_handler_task_start(self, task):
        super().v2_playbook_on_handler_task_start(task)
        self._heartbeat.start(task.get_name().strip(), task)

    def v2_runner_on_ok(self, result):
        self._heartbeat.stop()
        super().v2_runner_on_ok(result)

    def v2_runner_on_skipped(self, result):
        self._heartbeat.stop()
        super().v2_runner_on_skipped(result)

    def v2_runner_on_unreachable(self, result):
        self._heartbeat.stop()
        super().v2_runner_on_unreachable(result)

    def v2_playbook_on_stats(self, stats):
        self._heartbeat.stop()
        super().v2_playbook_on_stats(stats)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._heartbeat.stop()
        if ignore_errors or self._display.verbosity > 0 or (result.task.loop and "results" in result.result):
            super().v2_runner_on_failed(result, ignore_errors=ignore_errors)
            return
        if self._last_task_banner != result.task._uuid:
            self._print_task_banner(result.task)
        self._display.display(
            f"FAILED - {result.task.get_name()}:\n{failure_text(result.result)}",
            color=C.COLOR_ERROR,
            stderr=self.get_option("display_failed_stderr"),
        )
