# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""Check a make logs or make cancel run: the action, the job id, the waits and the reason."""

from __future__ import annotations

DOCUMENTATION = r"""
name: batch_job_control_errors
short_description: List what is wrong with following or stopping an AWS Batch job
description:
  - Returns an empty list when the job can be followed or stopped as far as can be told without AWS, otherwise one
    sentence per problem naming the variable to change and what to give.
  - The rules are those the modules M(dockwright.toolkit.batch_job_logs) and M(dockwright.toolkit.batch_job_cancel)
    apply (a Batch job id or ARN, whole seconds, a reason Batch takes).
options:
  _input:
    description:
      - The run, keyed C(action) (C(logs) or C(cancel)), C(job_id), C(timeout), C(poll_interval), C(log_wait),
        C(log_tail), C(reason) and C(endpoint_url).
    type: dict
    required: true
  prefix:
    description: What the sentences put before each key to name the variable the user set.
    type: str
    default: batch_job_control_
"""

EXAMPLES = r"""
- name: Check the job id before any AWS call
  ansible.builtin.assert:
    that: _errors | length == 0
    fail_msg: "{{ _errors | join('\n') }}"
  vars:
    _errors: >-
      {{ {'action': 'logs', 'job_id': batch_job_control_job_id} | dockwright.toolkit.batch_job_control_errors }}
"""

RETURN = r"""
_value:
  description: Problems found, one sentence each; empty when the run is fine.
  type: list
  elements: str
"""

from ansible_collections.dockwright.toolkit.plugins.module_utils.aws import endpoint_url_errors
from ansible_collections.dockwright.toolkit.plugins.module_utils.batch_job_logs import control_errors

_KEYS = ("action", "job_id", "timeout", "poll_interval", "log_wait", "log_tail", "reason")


def batch_job_control_errors(settings, prefix="batch_job_control_"):
    """The problems of the run (empty when there is none), each naming prefix + the key."""
    names = {key: prefix + key for key in _KEYS}
    settings = dict(settings or {})
    endpoint = settings.pop("endpoint_url", None)
    errors = control_errors(settings, names)
    return errors + (endpoint_url_errors(endpoint, prefix + "endpoint_url") if endpoint is not None else [])


class FilterModule:
    def filters(self):
        return {"batch_job_control_errors": batch_job_control_errors}
