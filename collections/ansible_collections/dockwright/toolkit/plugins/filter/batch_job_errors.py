# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""Check a Batch job to submit: queue, job definition, name and overrides."""

from __future__ import annotations

DOCUMENTATION = r"""
name: batch_job_errors
short_description: List what is wrong with an AWS Batch job to submit
description:
  - Returns an empty list when the job can be submitted as far as can be told without AWS, otherwise one
    sentence per problem naming the variable to change and what to give.
  - The rules are those the module M(dockwright.toolkit.batch_job) applies (queue name or ARN, job definition
    name, name:revision or ARN, Batch names, command splitting, environment variable names).
options:
  _input:
    description:
      - The job, keyed like the batch_job module's options - C(queue), C(job_definition), C(name) (empty means
        the job definition's name), C(parameters), C(command), C(environment), C(vcpus), C(memory) (0 means the
        job definition's), C(timeout), C(poll_interval).
    type: dict
    required: true
  prefix:
    description: What the sentences put before each key to name the variable the user set (C(job_definition)
      is called prefix + C(definition)).
    type: str
    default: batch_job_
"""

EXAMPLES = r"""
- name: Check the job before any AWS call
  ansible.builtin.assert:
    that: _errors | length == 0
    fail_msg: "{{ _errors | join('\n') }}"
  vars:
    _errors: >-
      {{ {'queue': batch_job_queue, 'job_definition': batch_job_definition, 'name': batch_job_name}
         | dockwright.toolkit.batch_job_errors }}
"""

RETURN = r"""
_value:
  description: Problems found, one sentence each; empty when the job is fine.
  type: list
  elements: str
"""

from ansible_collections.dockwright.toolkit.plugins.module_utils.aws import endpoint_url_errors
from ansible_collections.dockwright.toolkit.plugins.module_utils.batch_job import submit_errors

_KEYS = ("queue", "job_definition", "name", "parameters", "command", "environment", "vcpus", "memory", "timeout",
         "poll_interval", "log_wait", "log_tail")


def batch_job_errors(settings, prefix="batch_job_"):
    """The problems of the job (empty when there is none), each naming prefix + the key."""
    names = {key: prefix + key for key in _KEYS}
    names["job_definition"] = prefix + "definition"
    settings = dict(settings or {})
    endpoint = settings.pop("endpoint_url", None)
    errors = submit_errors(settings, names)
    return errors + (endpoint_url_errors(endpoint, prefix + "endpoint_url") if endpoint is not None else [])


class FilterModule:
    def filters(self):
        return {"batch_job_errors": batch_job_errors}
