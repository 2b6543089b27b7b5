# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""What differs between two image environments, as a short table. The rules live in module_utils/environment.py."""

from __future__ import annotations

DOCUMENTATION = r"""
name: environment_diff
short_description: What differs between two image environments, as a short text table
description:
  - Takes two environments as the lookup C(image_environment) returns them and returns a table of what differs
    (base, base digest, Python, dependency file and its sha256, then each distribution added, removed or changed),
    one row each with the first image's and the second's value, and a count; or one line saying nothing differs.
options:
  _input: {description: The first environment., type: dict, required: true}
  other: {description: The second environment., type: dict, required: true}
"""

EXAMPLES = r"""
- name: Show what differs
  ansible.builtin.debug:
    msg: "{{ lookup('dockwright.toolkit.image_environment', 'churn:1.3')
             | dockwright.toolkit.environment_diff(lookup('dockwright.toolkit.image_environment', 'churn:1.4')) }}"
"""

RETURN = r"""
_value: {description: The table (lines separated by newlines)., type: str}
"""

from ansible_collections.dockwright.toolkit.plugins.module_utils.environment import table


class FilterModule:
    def filters(self):
        return {"environment_diff": table}
