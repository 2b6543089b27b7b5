# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""The registry as build cache: its tags and references. The rule lives in module_utils/build_cache.py."""

from __future__ import annotations

DOCUMENTATION = r"""
name: build_cache
short_description: The tags and references of a repository's build cache for a set of dependency files
description:
  - The cache of a repository for the dependency files whose sha256 is O(key) is two tags, C(deps-<key>) (the
    Dockerfile's dependency stage) and C(deps-<key>-image) (an image built on it; its layers below the code are
    those every build with these dependencies makes). The key is the first 16 hex digits of the sha256.
  - Returns the tags, the full references in the repository (empty when the repository or the key is empty), and
    whether O(dockerfile), when given, has the stage named C(deps) that the cache holds.
options:
  _input: {description: "The repository, C(registry/name); a tag after it is dropped.", type: str, required: true}
  key: {description: The sha256 of the dependency files; empty means no cache., type: str, required: true}
  dockerfile: {description: The Dockerfile's text, to look for its C(deps) stage., type: str}
"""

EXAMPLES = r"""
- name: Show where the cache of team/iris lives
  ansible.builtin.debug:
    msg: "{{ ('127.0.0.1:5000/team/iris:1.0' | dockwright.toolkit.build_cache('0123456789abcdef0123')).deps }}"
"""

RETURN = r"""
_value:
  description: The cache.
  type: dict
  contains:
    key: {description: The key (16 hex digits)., type: str}
    tags: {description: "C(deps) and C(image): the tags in the repository.", type: dict}
    name: {description: The repository without a tag (empty when the references are)., type: str}
    deps: {description: The dependency stage's reference (C(registry/name:deps-<key>))., type: str}
    image: {description: The image's reference (C(registry/name:deps-<key>-image))., type: str}
    stage: {description: Whether the Dockerfile has a C(deps) stage (true when none was given)., type: bool}
"""

from ansible_collections.dockwright.toolkit.plugins.module_utils.build_cache import build_cache


def _build_cache(repository, key, dockerfile=None):
    return build_cache(repository, key, dockerfile)


class FilterModule:
    def filters(self):
        return {"build_cache": _build_cache}
