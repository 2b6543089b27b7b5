# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""The dockerfile role's settings checked before anything is written."""

from __future__ import annotations

DOCUMENTATION = r"""
name: dockerfile_errors
short_description: Say what is wrong with the dockerfile role's settings, before anything is written
description:
  - Returns one sentence per problem (command form, user name and uid, pip release, base image pattern and
    reference, mode, and a Dockerfile in the folder that is not dockwright's or was edited while the mode is
    C(generate), no command to run when C(program) is given); an empty list when all is well. Companion filter
    C(dockerfile_command) returns the command the image runs (C(dockerfile_command |
    dockwright.toolkit.dockerfile_command(program))). Each sentence names the variable to change. The rules live in
    the collection's C(module_utils/dockerfile.py).
options:
  _input:
    description:
      - The settings by role variable name (C(dockerfile_command), C(dockerfile_user), C(dockerfile_uid),
        C(dockerfile_pip_version), C(dockerfile_base_image_pattern), C(dockerfile_base_image), C(dockerfile_mode),
        C(dockerfile_environment), C(dockerfile_labels), C(dockerfile_apt_packages)), plus C(path) and
        C(existing_state) of the Dockerfile already in the folder, and C(program) (what the program_info lookup says
        of the folder) and C(path_folder).
    type: dict
    required: true
"""

EXAMPLES = r"""
- name: Check the settings
  ansible.builtin.assert:
    that: _errors | length == 0
    fail_msg: "{{ _errors | join('\n') }}"
  vars:
    _errors: >-
      {{ {'dockerfile_user': dockerfile_user, 'dockerfile_uid': dockerfile_uid, 'dockerfile_mode': dockerfile_mode}
         | dockwright.toolkit.dockerfile_errors }}
"""

RETURN = r"""
_value: {description: The sentences (empty when the settings are fine)., type: list, elements: str}
"""

from ansible_collections.dockwright.toolkit.plugins.module_utils.dockerfile import command_for, settings_errors


class FilterModule:
    def filters(self):
        return {"dockerfile_errors": settings_errors, "dockerfile_command": command_for}
