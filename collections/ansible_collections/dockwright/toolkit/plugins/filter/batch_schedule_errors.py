# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""Check an EventBridge Scheduler schedule that submits a Batch job: name, expression, time zone, target, role."""

from __future__ import annotations

DOCUMENTATION = r"""
name: batch_schedule_errors
short_description: List what is wrong with a schedule that submits an AWS Batch job
description:
  - Returns an empty list when the schedule can be made as far as can be told without AWS, otherwise one
    sentence per problem naming the variable to change and what to give.
  - The rules are those the module M(dockwright.toolkit.batch_schedule) applies - the schedule's and the group's
    names, the expression (V(cron()) with six fields, one of the day fields V(?); V(rate(N unit)); V(at(...))),
    the time zone, the queue (name or ARN), the job definition (name, name:revision or ARN), the job name and
    the role ARN.
options:
  _input:
    description:
      - The schedule, keyed like the batch_schedule module's options - C(name), C(group), C(state),
        C(expression), C(timezone), C(job_queue), C(job_definition), C(job_name), C(role_arn), C(role_name),
        C(description), and C(endpoint_url).
    type: dict
    required: true
  prefix:
    description: What the sentences put before each key to name the variable the user set.
    type: str
    default: batch_schedule_
"""

EXAMPLES = r"""
- name: Check the schedule before any AWS call
  ansible.builtin.assert:
    that: _errors | length == 0
    fail_msg: "{{ _errors | join('\n') }}"
  vars:
    _errors: >-
      {{ {'name': batch_schedule_name, 'expression': batch_schedule_expression,
          'job_queue': batch_schedule_job_queue, 'job_definition': batch_schedule_job_definition}
         | dockwright.toolkit.batch_schedule_errors }}
"""

RETURN = r"""
_value:
  description: Problems found, one sentence each; empty when the schedule is fine.
  type: list
  elements: str
"""

from ansible_collections.dockwright.toolkit.plugins.module_utils.aws import endpoint_url_errors
from ansible_collections.dockwright.toolkit.plugins.module_utils.batch_schedule import schedule_errors

_KEYS = ("name", "group", "state", "expression", "timezone", "job_queue", "job_definition", "job_name", "role_arn",
         "role_name", "description")


def batch_schedule_errors(settings, prefix="batch_schedule_"):
    """The problems of the schedule (empty when there is none), each naming prefix + the key."""
    settings = dict(settings or {})
    endpoint = settings.pop("endpoint_url", None)
    errors = schedule_errors(settings, {key: prefix + key for key in _KEYS})
    return errors + (endpoint_url_errors(endpoint, prefix + "endpoint_url") if endpoint is not None else [])


class FilterModule:
    def filters(self):
        return {"batch_schedule_errors": batch_schedule_errors}
