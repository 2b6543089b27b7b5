# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""Check a BatchConfig.yml job definition section the way the batch_job_definition module will, before any call."""

from __future__ import annotations

DOCUMENTATION = r"""
name: batch_job_definition_errors
short_description: List what is wrong with a BatchConfig.yml job definition section
description:
  - Returns an empty list when M(dockwright.toolkit.batch_job_definition) would accept the section, otherwise
    one sentence per problem (unknown keys with the closest valid one, values Batch refuses, Fargate sizes),
    each naming the key and what to change.
  - It runs the module's own conversion to Batch's request, so a role can fail on a typo before an image is
    built or pushed.
options:
  _input:
    description: The job definition section (snake_case keys - name, command, vcpus, memory, ...).
    type: dict
    required: true
  image:
    description: The image URI the jobs run.
    type: str
    required: true
"""

EXAMPLES = r"""
- name: Check the job definition before any AWS call
  ansible.builtin.assert:
    that: _errors | length == 0
    fail_msg: "{{ _errors | join('\n') }}"
  vars:
    _errors: "{{ section | dockwright.toolkit.batch_job_definition_errors(image) }}"
"""

RETURN = r"""
_value:
  description: Problems found, one sentence each; empty when the section is fine.
  type: list
  elements: str
"""

from ansible_collections.dockwright.toolkit.plugins.module_utils.batch_job_definition import normalize_job_definition


def batch_job_definition_errors(section, image):
    """The problems normalize_job_definition finds in the section (empty when there is none)."""
    try:
        normalize_job_definition(section, image)
    except ValueError as err:
        return str(err).splitlines()
    return []


class FilterModule:
    def filters(self):
        return {"batch_job_definition_errors": batch_job_definition_errors}
