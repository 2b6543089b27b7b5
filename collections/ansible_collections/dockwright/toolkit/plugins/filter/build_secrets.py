# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""The secrets that give a build its CA bundle and package indexes, out of every layer. The rules live in
module_utils/package_index.py."""

from __future__ import annotations

DOCUMENTATION = r"""
name: build_secrets
short_description: The BuildKit secrets of a build, for its CA bundle and package indexes
description:
  - Returns the C(secrets) option of M(community.docker.docker_image_build) for the index URL, the extra index URLs
    and the CA bundle that are set, as the generated Dockerfile mounts them, C(build-ca) (the bundle, a file),
    C(pip-index-url) and C(pip-extra-index-url) (the URLs whole, credentials included, as values).
  - BuildKit keeps secrets out of layers, history, configuration and cache; nothing is given for what is empty.
options:
  _input: {description: The index URL (may be empty)., type: str, required: true}
  extra: {description: The extra index URLs separated by spaces (may be empty)., type: str, required: true}
  ca_bundle: {description: The path of the CA bundle (may be empty)., type: str, default: ""}
"""

EXAMPLES = r"""
- name: Build
  community.docker.docker_image_build:
    name: iris
    path: ./iris
    secrets: >-
      {{ image_pip_index_url | dockwright.toolkit.build_secrets(image_pip_extra_index_url, '/etc/ssl/ca.pem') }}
  no_log: true
"""

RETURN = r"""
_value: {description: "The secrets: a list of C({id, type, src}) or C({id, type, value})", type: list, elements: dict}
"""

from ansible_collections.dockwright.toolkit.plugins.module_utils.package_index import build_secrets


class FilterModule:
    def filters(self):
        return {"build_secrets": build_secrets}
