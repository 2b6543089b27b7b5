# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""The .dockerignore lines that keep credential files out of a build context."""

from __future__ import annotations

DOCUMENTATION = r"""
name: credential_patterns
short_description: The .dockerignore lines that keep credential files out, at any depth
description:
  - Each credential pattern of the collection's C(module_utils/credentials.py) (SSH keys, .netrc, .pypirc, cloud and
    kube configurations, key stores, Terraform state, ...), once as given and once under C(**/), so the file is left
    out at the top of the folder and below it.
options: {}
"""

EXAMPLES = r"""
- name: Show the credential lines of the .dockerignore
  ansible.builtin.debug:
    msg: "{{ lookup('dockwright.toolkit.credential_patterns', wantlist=True) }}"
"""

RETURN = r"""
_raw: {description: The lines., type: list, elements: str}
"""

from ansible.plugins.lookup import LookupBase
from ansible_collections.dockwright.toolkit.plugins.module_utils.credentials import dockerignore_lines


class LookupModule(LookupBase):
    def run(self, terms, variables=None, **kwargs):
        return dockerignore_lines()
