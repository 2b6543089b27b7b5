# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""The build arguments that give a build its package indexes, credentials out of every image. The rules live in
module_utils/package_index.py."""

from __future__ import annotations

DOCUMENTATION = r"""
name: package_index_args
short_description: Build arguments for the package indexes, credentials kept out of image history and build cache
description:
  - Returns C(PIP_INDEX_URL) and C(PIP_EXTRA_INDEX_URL) in their public form (scheme, host, path) and, when a URL
    carries credentials, the whole URL in C(FTP_PROXY) or C(ftp_proxy), Docker's predefined proxy arguments that the
    engine leaves out of image history and of the cache key. A carrier is given only when it carries credentials.
  - For a Dockerfile that does not read C(FTP_PROXY) (one of the user's own), the URLs are given whole, as before.
options:
  _input: {description: The index URL (may be empty)., type: str, required: true}
  extra: {description: The extra index URLs (may be empty)., type: str, required: true}
  dockerfile: {description: The text of the Dockerfile being built., type: str, default: ""}
"""

EXAMPLES = r"""
- name: Build
  community.docker.docker_image:
    name: iris
    source: build
    build:
      path: ./iris
      args: >-
        {{ image_pip_index_url
           | dockwright.toolkit.package_index_args(image_pip_extra_index_url, _dockerfile_text) }}
  vars:
    _dockerfile_text: "{{ lookup('ansible.builtin.file', 'iris/Dockerfile') }}"
"""

RETURN = r"""
_value: {description: The build arguments., type: dict}
"""

from ansible_collections.dockwright.toolkit.plugins.module_utils.package_index import build_args


class FilterModule:
    def filters(self):
        return {"package_index_args": build_args}
