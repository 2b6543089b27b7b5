# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""Check image names and tags against the rules Docker applies, before anything is built. The rule lives in
module_utils/image_reference.py; this is its filter."""

from __future__ import annotations

DOCUMENTATION = r"""
name: image_ref_errors
short_description: List what is wrong with an image name and tag, in Docker's own rules
description:
  - Returns an empty list for a name and tag Docker accepts, otherwise one sentence per problem,
    each naming the value and what to change.
  - The name may carry a registry (C(host:port/)) and path components; components are lowercase
    letters and digits separated by C(.), C(_), C(__) or dashes. Tags are up to 128 characters of
    letters, digits, C(_), C(.) and C(-), not starting with C(.) or C(-).
options:
  _input: {description: The image name (without tag)., type: str, required: true}
  tag: {description: The tag; empty to check the name alone., type: str, default: ""}
  name_var: {description: How to call the name in messages., type: str, default: image_name}
  tag_var: {description: How to call the tag in messages., type: str, default: image_version}
  split:
    description: The input is a whole reference (C(name[:tag][@digest])) to be split before checking.
    type: bool
    default: false
"""

EXAMPLES = r"""
- name: Check the image reference
  ansible.builtin.assert:
    that: _errors | length == 0
    fail_msg: "{{ _errors | join(' ') }}"
  vars:
    _errors: "{{ image_name | image_ref_errors(image_version) }}"
"""

RETURN = r"""
_value:
  description: Problems found; empty when Docker accepts the reference.
  type: list
  elements: str
"""

from ansible_collections.dockwright.toolkit.plugins.module_utils.image_reference import image_ref_errors


class FilterModule:
    def filters(self):
        return {"image_ref_errors": image_ref_errors}
