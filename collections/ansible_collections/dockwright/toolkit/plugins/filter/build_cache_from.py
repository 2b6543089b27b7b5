# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""The registry as build cache: BuildKit's cache_from values, and what a build log says of the cache. The rules live
in module_utils/build_cache.py."""

from __future__ import annotations

DOCUMENTATION = r"""
name: build_cache_from
short_description: BuildKit cache_from values for image references, and a sentence on the cache a build used
description:
  - C(build_cache_from) turns image references into C(type=registry,ref=...) values for the C(cache_from) option of
    M(community.docker.docker_image_build), so that each image's inline cache is read.
  - C(build_cache_report) reads a plain-progress BuildKit log and returns one sentence, which references' cache was
    used and how many steps it spared, or why none was used.
options:
  _input:
    description: The references (build_cache_from) or the build log (build_cache_report).
    type: raw
    required: true
  refs: {description: The references given to the build (build_cache_report)., type: list, elements: str, default: []}
"""

EXAMPLES = r"""
- name: Build with the cache of the last push
  community.docker.docker_image_build:
    name: iris
    path: ./iris
    cache_from: "{{ ['registry.example.com/ml/iris:buildcache'] | dockwright.toolkit.build_cache_from }}"
  register: __build

- name: Say what the cache spared
  ansible.builtin.debug:
    msg: "{{ __build.stderr | dockwright.toolkit.build_cache_report(['registry.example.com/ml/iris:buildcache']) }}"
"""

RETURN = r"""
_value: {description: The cache_from values (a list), or the sentence (a string)., type: raw}
"""

from ansible_collections.dockwright.toolkit.plugins.module_utils.build_cache import cache_from, cache_sentence


class FilterModule:
    def filters(self):
        return {"build_cache_from": cache_from, "build_cache_report": cache_sentence}
