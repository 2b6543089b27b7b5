# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""Check a package index URL before anything is built. The rules live in module_utils/package_index.py."""

from __future__ import annotations

DOCUMENTATION = r"""
name: package_index_errors
short_description: List what is wrong with a package index URL, without repeating its credentials
description:
  - Returns an empty list when the value is empty or an http(s) URL with a host (several, separated by spaces, when
    O(several) is true), otherwise one sentence per problem naming the setting and showing the URL's public form only
    (scheme, host, path).
options:
  _input: {description: The name of the setting the URL comes from., type: str, required: true}
  value: {description: The URL (may carry credentials)., type: str, required: true}
  several:
    description: Whether several URLs separated by spaces are allowed (pip's extra index).
    type: bool
    default: false
"""

EXAMPLES = r"""
- name: Check the package indexes
  ansible.builtin.assert:
    that: _errors | length == 0
    fail_msg: "{{ _errors | join('\n') }}"
    quiet: true
  vars:
    _errors: "{{ 'image_pip_index_url' | dockwright.toolkit.package_index_errors(image_pip_index_url) }}"
"""

RETURN = r"""
_value:
  description: Problems found; empty when the URL is fine.
  type: list
  elements: str
  sample: ["image_pip_index_url holds ftp://host/simple that is not an http(s) URL with a host: give the index as https://[user:token@]host/path/simple."]
"""

from ansible_collections.dockwright.toolkit.plugins.module_utils.package_index import index_errors


class FilterModule:
    def filters(self):
        return {"package_index_errors": index_errors}
