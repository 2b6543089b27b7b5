# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""A job definition's bare name. The rule lives in module_utils/batch.py."""

from __future__ import annotations

DOCUMENTATION = r"""
name: batch_job_definition_name
short_description: The bare name of a job definition given as name, name:revision or ARN
description:
  - C(iris), C(iris:3) and C(arn:aws:batch:eu-west-1:123456789012:job-definition/iris:3) all give C(iris).
options:
  _input: {description: The job definition., type: str, required: true}
"""

EXAMPLES = r"""
- name: Name the job after its job definition
  ansible.builtin.set_fact:
    job_name: "{{ batch_job_definition | dockwright.toolkit.batch_job_definition_name }}"
"""

RETURN = r"""
_value: {description: "The name, without ARN prefix and revision (empty for an empty input).", type: str}
"""

from ansible_collections.dockwright.toolkit.plugins.module_utils.batch import job_definition_name


class FilterModule:
    def filters(self):
        return {"batch_job_definition_name": job_definition_name}
