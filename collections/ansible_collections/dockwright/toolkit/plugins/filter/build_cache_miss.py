# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""What a failed pull of the build cache means. The rule lives in module_utils/build_cache.py."""

from __future__ import annotations

DOCUMENTATION = r"""
name: build_cache_miss
short_description: What a failed pull of the registry's build cache means, in a few words
description:
  - Takes the C(msg) of a failed C(community.docker.docker_image) pull and says why the cache is not there - not
    pushed yet (the first run with these dependencies), access denied - or else the first line of the message.
options:
  _input: {description: The failure message., type: str, required: true}
"""

EXAMPLES = r"""
- name: Say why the build goes on without the cache
  ansible.builtin.debug:
    msg: "Building without the registry cache: {{ pull.msg | dockwright.toolkit.build_cache_miss }}."
"""

RETURN = r"""
_value: {description: The reason., type: str}
"""

from ansible_collections.dockwright.toolkit.plugins.module_utils.build_cache import cache_miss


def _build_cache_miss(message):
    return cache_miss(message)


class FilterModule:
    def filters(self):
        return {"build_cache_miss": _build_cache_miss}
