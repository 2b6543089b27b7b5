# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""An image's registry digest among its RepoDigests. The rule lives in module_utils/image_reference.py."""

from __future__ import annotations

DOCUMENTATION = r"""
name: registry_digest
short_description: The registry digest of an image, from its RepoDigests, for its own repository only
description:
  - Returns the C(sha256:...) digest that the image's own repository gives it among its C(RepoDigests) (as
    C(docker image inspect) shows them); empty when it has none (built or imported locally, or pushed only under
    other names).
options:
  _input: {description: The RepoDigests (C(repository@sha256:...))., type: list, elements: str, required: true}
  reference: {description: The image reference (C(name:tag)) whose repository counts., type: str, required: true}
"""

EXAMPLES = r"""
- name: Show the base's digest
  ansible.builtin.debug:
    msg: "{{ ['python@sha256:abc'] | dockwright.toolkit.registry_digest('python:3.11-slim') }}"
"""

RETURN = r"""
_value: {description: "The digest (C(sha256:...)), or empty.", type: str}
"""

from ansible_collections.dockwright.toolkit.plugins.module_utils.image_reference import registry_digest


def _registry_digest(repo_digests, reference):
    return registry_digest(str(reference), list(repo_digests or []))


class FilterModule:
    def filters(self):
        return {"registry_digest": _registry_digest}
