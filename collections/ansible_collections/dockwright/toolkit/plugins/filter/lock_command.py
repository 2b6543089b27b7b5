# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""The lock role's rules as filters: its settings' errors, the uv command, the lock's header and body. The rules live
in module_utils/lock.py."""

from __future__ import annotations

DOCUMENTATION = r"""
name: lock_command
short_description: The uv command that locks a requirements file for the image's target, with hashes
description:
  - Returns the argument list of C(uv pip compile) for the manifest, the output file, the Python version and the CPU
    architecture (C(x86_64), C(amd64), C(arm64), C(aarch64)), with hashes and without a header; the index comes from
    the environment (C(UV_INDEX_URL)), never from the command line.
  - The same file provides C(lock_errors) (the settings' problems), C(lock_header) (the header's comment lines) and
    C(lock_body) (a lock's text without dockwright's header), C(lock_distributions) (the names a lock pins),
    C(lock_export_command) and C(lock_verify_command) (exporting and checking uv.lock, poetry.lock, Pipfile.lock).
options:
  _input: {description: The uv executable., type: str, required: true}
  manifest: {description: The requirements file or pyproject.toml., type: str, required: true}
  output: {description: The file uv writes (it keeps the versions already pinned there)., type: str, required: true}
  python: {description: The Python version (C(3.11))., type: str, required: true}
  platform: {description: The CPU architecture., type: str, required: true}
  upgrade: {description: "Empty keeps the pins; C(1) upgrades all; package names upgrade those.", type: str}
"""

EXAMPLES = r"""
- name: Lock
  ansible.builtin.command:
    argv: "{{ 'uv' | dockwright.toolkit.lock_command('requirements.txt', '/tmp/out.txt', '3.11', 'x86_64') }}"
    chdir: ./model
  changed_when: false
"""

RETURN = r"""
_value: {description: The command's arguments., type: list, elements: str}
"""

from ansible_collections.dockwright.toolkit.plugins.module_utils.lock import (
    body,
    compile_command,
    distributions,
    export_command,
    header,
    settings_errors,
    verify_command,
)


class FilterModule:
    def filters(self):
        return {"lock_command": compile_command, "lock_errors": settings_errors, "lock_header": header,
                "lock_body": body, "lock_distributions": distributions, "lock_export_command": export_command,
                "lock_verify_command": verify_command}
