# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""Merge values into the text of a JSON file, so several steps can each record their part of one output file."""

from __future__ import annotations

DOCUMENTATION = r"""
name: json_merge
short_description: Merge a dictionary into a JSON document's text and return the new text
description:
  - Parses the input (the current content of a JSON file, empty for a new file), merges O(update) into it
    recursively (dictionaries are merged key by key, anything else is replaced) and returns stable text
    (sorted keys, two-space indent, final newline), so an unchanged result is byte for byte the same file.
  - Fails with a message naming O(path) when the input is not a JSON object.
options:
  _input: {description: The current JSON text; empty or null means an empty object., type: str, required: true}
  update: {description: The values to merge in., type: dict, required: true}
  path: {description: "The file's name, for messages.", type: str, default: the output file}
"""

EXAMPLES = r"""
# Read the run's record (written by dockwright.toolkit.json_record); a file that is no JSON object is named.
- name: Read the record
  ansible.builtin.set_fact:
    record: >-
      {{ lookup('ansible.builtin.file', 'out/dockwright.json')
         | dockwright.toolkit.json_merge({}, path='out/dockwright.json') | from_json }}
"""

RETURN = r"""
_value: {description: The merged document as text., type: str}
"""

from ansible.errors import AnsibleFilterError
from ansible_collections.dockwright.toolkit.plugins.module_utils.json_record import merge, merged_text

__all__ = ["json_merge", "merge"]


def json_merge(text, update, path="the output file"):
    """Return the JSON text of C(text) merged with C(update); see DOCUMENTATION."""
    if not isinstance(update, dict):
        raise AnsibleFilterError(f"json_merge needs a dictionary to merge, not {type(update).__name__}")
    try:
        return merged_text(text, dict(update), path)
    except ValueError as err:
        raise AnsibleFilterError(str(err)) from None


class FilterModule:
    def filters(self):
        return {"json_merge": json_merge}
