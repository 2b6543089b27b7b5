# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""A yes/no setting read strictly. The rule lives in module_utils/settings.py."""

from __future__ import annotations

DOCUMENTATION = r"""
name: boolean
short_description: A yes/no setting read strictly, a misspelt one failing with its name
description:
  - Like C(bool), but a value that is neither a YAML boolean nor one of C(true/yes/on/1), C(false/no/off/0) or empty
    fails, naming the setting and the closest word (C(push_to_ecr) set to C(ture) would otherwise run without
    pushing).
options:
  _input: {description: The value., type: raw, required: true}
  name: {description: "The setting's name, for the message.", type: str, default: the value}
"""

EXAMPLES = r"""
- name: Read the older tool's push_to_ecr
  ansible.builtin.set_fact:
    push: "{{ push_to_ecr | dockwright.toolkit.boolean('push_to_ecr') }}"
"""

RETURN = r"""
_value: {description: The boolean., type: bool}
"""

from ansible.errors import AnsibleFilterError
from ansible_collections.dockwright.toolkit.plugins.module_utils.settings import parse_boolean


def boolean(value, name="the value"):
    try:
        return parse_boolean(value, name)
    except ValueError as err:
        raise AnsibleFilterError(str(err)) from None


class FilterModule:
    def filters(self):
        return {"boolean": boolean}
