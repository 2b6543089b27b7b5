# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""Which index credentials a build of a given Dockerfile would leave in the engine. The rules live in
module_utils/package_index.py."""

from __future__ import annotations

DOCUMENTATION = r"""
name: package_index_exposed
short_description: The pip variables whose credentials a build would record in the engine's build cache
description:
  - Empty for a Dockerfile that reads the credentials from C(FTP_PROXY)/C(ftp_proxy) (the generated one); otherwise
    the names (C(PIP_INDEX_URL), C(PIP_EXTRA_INDEX_URL)) whose URL carries credentials.
options:
  _input: {description: The index URL (may be empty)., type: str, required: true}
  extra: {description: The extra index URLs (may be empty)., type: str, required: true}
  dockerfile: {description: The text of the Dockerfile being built., type: str, default: ""}
"""

EXAMPLES = r"""
- name: Warn
  ansible.builtin.debug:
    msg: "{{ image_pip_index_url | dockwright.toolkit.package_index_exposed(image_pip_extra_index_url, _text) }}"
"""

RETURN = r"""
_value: {description: Variable names., type: list, elements: str}
"""

from ansible_collections.dockwright.toolkit.plugins.module_utils.package_index import exposed


class FilterModule:
    def filters(self):
        return {"package_index_exposed": exposed}
