# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""Which of some paths are credential files. The list lives in module_utils/credentials.py."""

from __future__ import annotations

DOCUMENTATION = r"""
name: credential_files
short_description: Which of some paths are, or lie in, credential files or folders
description:
  - Returns the paths that match a credential pattern of the collection's C(module_utils/credentials.py) at any
    depth (C(sub/id_rsa), C(deploy/.env), C(nested/.aws/credentials)), sorted; an empty list when none does.
options:
  _input: {description: Relative paths with C(/) separators., type: list, elements: str, required: true}
"""

EXAMPLES = r"""
- name: Check that no credential file reached the image
  ansible.builtin.assert:
    that: _found | length == 0
  vars:
    _found: >-
      {{ lookup('dockwright.toolkit.image_files', 'iris:1.0', wantlist=True) | dockwright.toolkit.credential_files }}
"""

RETURN = r"""
_value: {description: The matching paths., type: list, elements: str}
"""

from ansible_collections.dockwright.toolkit.plugins.module_utils.credentials import credential_files


class FilterModule:
    def filters(self):
        return {"credential_files": credential_files}
