# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""Turn a failed BuildKit build's log into what a user needs: the failing step and its last lines. The rule lives in
module_utils/build_cache.py."""

from __future__ import annotations

DOCUMENTATION = r"""
name: build_error
short_description: Summarise a failed BuildKit build for a human
description:
  - Takes the plain-progress log of a failed build (the C(stderr) of M(community.docker.docker_image_build)) and
    returns a short text, the step that failed, the last lines it printed and BuildKit's error, with every secret
    given replaced by C(*****) in every form (raw, URL-encoded, escaped).
options:
  _input: {description: The build log., type: str, required: true}
  secrets: {description: Strings to mask wherever they appear., type: list, elements: str, default: []}
  lines: {description: How many of the failing step's last output lines to keep., type: int, default: 15}
"""

EXAMPLES = r"""
- name: Report the failed build
  ansible.builtin.fail:
    msg: "{{ __image_build.stderr | dockwright.toolkit.build_error(secrets=[image_pip_index_url]) }}"
"""

RETURN = r"""
_value: {description: "The summary, several lines.", type: str}
"""

from ansible_collections.dockwright.toolkit.plugins.module_utils.build_cache import build_error


class FilterModule:
    def filters(self):
        return {"build_error": build_error}
