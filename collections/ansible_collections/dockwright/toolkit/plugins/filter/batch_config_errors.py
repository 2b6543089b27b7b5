# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""Check a BatchConfig.yml's sections: no unknown one, and the compute_environment and job_queue ones."""

from __future__ import annotations

DOCUMENTATION = r"""
name: batch_config_errors
short_description: List what is wrong with the sections of a BatchConfig.yml
description:
  - Returns an empty list when the file's top-level keys are sections (job_definition, compute_environment,
    job_queue) and the compute_environment and job_queue sections (each optional) are mappings holding only known
    keys; otherwise a sentence saying what is wrong, naming each unknown key with the closest known one and listing
    the known keys.
  - The job_definition section is checked by the filter batch_job_definition_errors.
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
         | dockwright.toolkit.batch_config_errors("batch_environment_config_file 'BatchConfig.yml'") }}
"""

RETURN = r"""
_value:
  description: Problems found; empty when the sections are fine.
  type: list
  elements: str
"""

from ansible_collections.dockwright.toolkit.plugins.module_utils.batch_compute_environment import config_file_errors


def batch_config_errors(data, what="the BatchConfig.yml"):
    """The problems of the file's compute_environment and job_queue sections (empty when there is none)."""
    return config_file_errors(data, what)


class FilterModule:
    def filters(self):
        return {"batch_config_errors": batch_config_errors}
