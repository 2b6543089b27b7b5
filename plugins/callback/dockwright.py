# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""Ansible's default output, with failures told as one readable message instead of a JSON dump."""

from __future__ import annotations

DOCUMENTATION = r"""
name: dockwright
type: stdout
short_description: The default output, with failures shown as their message alone
description:
  - Behaves like C(ansible.builtin.default), except that a failed task prints its message as plain text
    (C(FAILED - <task>:) followed by the message, line breaks kept) rather than the whole result as JSON
    with the task's source. With C(-v) or more, failures are shown as the default callback shows them.
extends_documentation_fragment:
  - default_callback
  - result_format_callback
requirements:
  - set as stdout callback in ansible.cfg
"""

from ansible import constants as C
from ansible.plugins.callback.default import CallbackModule as DefaultCallback


def failure_text(result):
    """The human part of a failed result: its msg, and for a failed command its last stderr lines."""
    msg = str(result.get("msg") or "").strip()
    stderr = str(result.get("stderr") or "").strip()
    if stderr and stderr not in msg:
        tail = "\n".join(stderr.splitlines()[-10:])
        msg = f"{msg}\n{tail}" if msg else tail
    return msg or "the task failed without a message; rerun with -v for details"


class CallbackModule(DefaultCallback):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "stdout"
    CALLBACK_NAME = "dockwright"

    def v2_runner_on_failed(self, result, ignore_errors=False):
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
