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
  path: {description: The file's name, for messages., type: str, default: the output file}
"""

EXAMPLES = r"""
- name: Record the pushed image in the output file
  ansible.builtin.copy:
    dest: out/result.json
    content: "{{ current | json_merge({'image': {'uri': uri, 'digest': digest}}, path='out/result.json') }}"
    mode: "0644"
"""

RETURN = r"""
_value: {description: The merged document as text., type: str}
"""

import json

from ansible.errors import AnsibleFilterError


def merge(base, update):
    """A copy of C(base) with C(update) merged in: dictionaries key by key, other values replaced."""
    result = dict(base)
    for key, value in update.items():
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = merge(result[key], value)
        else:
            result[key] = value
    return result


def json_merge(text, update, path="the output file"):
    """Return the JSON text of C(text) merged with C(update); see DOCUMENTATION."""
    if not isinstance(update, dict):
        raise AnsibleFilterError(f"json_merge needs a dictionary to merge, not {type(update).__name__}")
    text = "" if text is None else str(text)
    if text.strip():
        try:
            current = json.loads(text)
        except ValueError as err:
            raise AnsibleFilterError(f"{path} is not valid JSON ({err}): fix or remove it.") from None
        if not isinstance(current, dict):
            raise AnsibleFilterError(f"{path} holds a JSON {type(current).__name__}, not an object: "
                                     "fix or remove it.")
    else:
        current = {}
    return json.dumps(merge(current, dict(update)), indent=2, sort_keys=True) + "\n"


class FilterModule:
    def filters(self):
        return {"json_merge": json_merge}
