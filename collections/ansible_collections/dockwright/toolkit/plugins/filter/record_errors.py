# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""Why the run's JSON record cannot be merged into, checked before any change."""

from __future__ import annotations

DOCUMENTATION = r"""
name: record_errors
short_description: Say why the run's JSON record cannot be written, before anything changes
description:
  - Returns one sentence per reason the record O(_input) cannot be merged into by M(dockwright.toolkit.json_record)
    (its folder and the folder's parent missing, a folder in its place, a file that is not a JSON object); an empty
    list when it can, or when no path is given. Each sentence names O(name), the variable the user set.
options:
  _input:
    description: The record's path (relative to the directory ansible-playbook runs in).
    type: str
    required: true
  name: {description: "The variable that holds the path, for messages.", type: str, default: output_file}
"""

EXAMPLES = r"""
- name: Check that the output file can be merged into
  ansible.builtin.assert:
    that: _errors | length == 0
    fail_msg: "{{ _errors | join('\n') }}"
  vars:
    _errors: "{{ ecr_output_file | dockwright.toolkit.record_errors('ecr_output_file') }}"
"""

RETURN = r"""
_value: {description: The sentences (empty when the record can be written)., type: list, elements: str}
"""

from ansible_collections.dockwright.toolkit.plugins.module_utils.json_record import record_errors


class FilterModule:
    def filters(self):
        return {"record_errors": record_errors}
