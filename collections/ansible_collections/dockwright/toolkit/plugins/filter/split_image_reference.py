# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""An image reference split into name and tag. The rule lives in module_utils/image_reference.py."""

from __future__ import annotations

DOCUMENTATION = r"""
name: split_image_reference
short_description: Split an image reference into its name and its tag
description:
  - Returns C([name, tag]) for C(name[:tag][@digest]); the digest is dropped and a missing tag is C(""). A colon
    that belongs to a registry's port (C(host:5000/team/iris)) is not taken for a tag.
options:
  _input: {description: The image reference., type: str, required: true}
"""

EXAMPLES = r"""
- name: Take the tag of the local image, latest when it has none
  ansible.builtin.set_fact:
    tag: "{{ (ecr_image | dockwright.toolkit.split_image_reference)[1] or 'latest' }}"
"""

RETURN = r"""
_value: {description: The name and the tag., type: list, elements: str}
"""

from ansible_collections.dockwright.toolkit.plugins.module_utils.image_reference import split_reference


def split_image_reference(reference):
    return list(split_reference(str(reference)))


class FilterModule:
    def filters(self):
        return {"split_image_reference": split_image_reference}
