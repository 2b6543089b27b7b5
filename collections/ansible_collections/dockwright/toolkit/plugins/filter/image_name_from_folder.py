# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""The image name a program folder gives when none is set. The rule lives in module_utils/image_reference.py."""

from __future__ import annotations

DOCUMENTATION = r"""
name: image_name_from_folder
short_description: The image name a folder gives when no name is set
description:
  - The folder's last component, lowercased, each run of characters other than letters, digits, C(.), C(_) and C(-)
    replaced by one C(-), separators trimmed at both ends; C(./My Model) gives C(my-model).
options:
  _input:
    description: The folder (resolve it first with C(realpath) to name what C(.) stands for).
    type: str
    required: true
"""

EXAMPLES = r"""
- name: Name the image after the program folder
  ansible.builtin.set_fact:
    image_name: "{{ program_path | ansible.builtin.realpath | dockwright.toolkit.image_name_from_folder }}"
"""

RETURN = r"""
_value: {description: The image name (empty when the folder's name has no usable character)., type: str}
"""

from ansible_collections.dockwright.toolkit.plugins.module_utils.image_reference import name_from_folder


class FilterModule:
    def filters(self):
        return {"image_name_from_folder": name_from_folder}
