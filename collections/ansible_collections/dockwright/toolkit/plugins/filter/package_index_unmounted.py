# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""The package indexes given for a build whose Dockerfile never mounts them. The rules live in
module_utils/package_index.py."""

from __future__ import annotations

DOCUMENTATION = r"""
name: package_index_unmounted
short_description: The package indexes a Dockerfile never mounts as secrets
description:
  - Returns the names C(PIP_INDEX_URL) and C(PIP_EXTRA_INDEX_URL) of the indexes that are set but that the Dockerfile's
    text never mounts (C(--mount=type=secret,id=pip-index-url), C(id=pip-extra-index-url)), so its steps will not use
    them. Empty for the generated Dockerfile.
options:
  _input: {description: The index URL (may be empty)., type: str, required: true}
  extra: {description: The extra index URLs (may be empty)., type: str, required: true}
  dockerfile: {description: The text of the Dockerfile being built., type: str, default: ""}
"""

EXAMPLES = r"""
- name: Warn about an index the Dockerfile does not read
  ansible.builtin.debug:
    msg: "{{ _unmounted | join(', ') }} set, but the Dockerfile does not mount it."
  vars:
    _unmounted: >-
      {{ image_pip_index_url
         | dockwright.toolkit.package_index_unmounted('', lookup('ansible.builtin.file', 'iris/Dockerfile')) }}
  when: _unmounted | length > 0
"""

RETURN = r"""
_value: {description: The pip variables whose secret is not mounted., type: list, elements: str}
"""

from ansible_collections.dockwright.toolkit.plugins.module_utils.package_index import unmounted


class FilterModule:
    def filters(self):
        return {"package_index_unmounted": unmounted}
