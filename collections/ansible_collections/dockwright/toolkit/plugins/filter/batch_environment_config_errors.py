# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""Check the compute_environment and job_queue sections of a BatchConfig.yml."""

from __future__ import annotations

DOCUMENTATION = r"""
name: batch_environment_config_errors
short_description: List what is wrong with the compute_environment and job_queue sections of a BatchConfig.yml
description:
  - Returns an empty list when both sections (each optional) are mappings holding only known keys, otherwise a
    sentence saying what is wrong, naming each unknown key with the closest known one and listing the known keys.
  - Other sections of the file (job_definition, ...) are left to the roles that read them.
options:
  _input:
    description: The file's content, as read from YAML.
    type: raw
    required: true
  what:
    description: How to call the file in the sentence.
    type: str
    default: the BatchConfig.yml
"""

EXAMPLES = r"""
- name: Check the BatchConfig.yml
  ansible.builtin.assert:
    that: _errors | length == 0
    fail_msg: "{{ _errors | join(' ') }}"
  vars:
    _errors: >-
      {{ lookup('dockwright.toolkit.yaml_file', 'BatchConfig.yml')
         | dockwright.toolkit.batch_environment_config_errors("batch_environment_config_file 'BatchConfig.yml'") }}
"""

RETURN = r"""
_value:
  description: Problems found; empty when the sections are fine.
  type: list
  elements: str
"""

from ansible_collections.dockwright.toolkit.plugins.module_utils.batch_compute_environment import config_file_errors


def batch_environment_config_errors(data, what="the BatchConfig.yml"):
    """The problems of the file's compute_environment and job_queue sections (empty when there is none)."""
    return config_file_errors(data, what)


class FilterModule:
    def filters(self):
        return {"batch_environment_config_errors": batch_environment_config_errors}
