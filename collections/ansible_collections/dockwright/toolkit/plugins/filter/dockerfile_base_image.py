# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""The base image a Dockerfile names. The rule lives in module_utils/dockerfile.py."""

from __future__ import annotations

DOCUMENTATION = r"""
name: dockerfile_base_image
short_description: The base image a Dockerfile names in ARG BASE_IMAGE
description:
  - Returns the value of the Dockerfile's C(ARG BASE_IMAGE=...) line (the generated Dockerfile builds every stage
    from it), or an empty string when there is none.
options:
  _input: {description: The Dockerfile's text., type: str, required: true}
"""

EXAMPLES = r"""
- name: Show the base
  ansible.builtin.debug:
    msg: "{{ lookup('ansible.builtin.file', 'examples/iris/Dockerfile') | dockwright.toolkit.dockerfile_base_image }}"
"""

RETURN = r"""
_value: {description: "The base image reference (C(python:3.11-slim)), or empty.", type: str}
"""

from ansible_collections.dockwright.toolkit.plugins.module_utils.dockerfile import base_image


class FilterModule:
    def filters(self):
        return {"dockerfile_base_image": base_image}
