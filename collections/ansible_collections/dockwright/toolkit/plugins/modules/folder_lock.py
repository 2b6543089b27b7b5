#!/usr/bin/python
# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""Documentation of the folder_lock action (it runs on the controller: plugins/action/folder_lock.py)."""

from __future__ import annotations

DOCUMENTATION = r"""
module: folder_lock
short_description: Hold a program folder for the length of a run
description:
  - With O(state=present), takes the lock of the folder O(path) for this ansible-playbook run, waiting (and saying
    so) while another run holds it, up to O(wait_timeout) seconds; with O(state=absent), gives it up.
  - Two runs on one folder at the same time would otherwise mix their Dockerfile and image (the image of one
    labelled with the version of the other).
  - The lock is a file in the temporary folder named after the folder's real path, so the folder itself is not
    touched. A lock left by a run that was killed is taken over.
  - Reports no change and does nothing for a folder that does not exist. In check mode it writes nothing and waits
    for nobody; it says so when another run holds the folder (the plan then shows the folder as it is now).
version_added: 1.0.0
options:
  path:
    description: The program folder.
    type: path
    required: true
  state:
    description: V(present) takes the lock, V(absent) gives it up.
    type: str
    choices: [present, absent]
    default: present
  wait_timeout:
    description: Seconds to wait for another run to give the lock up.
    type: int
    default: 600
attributes:
  platform:
    platforms: all
  check_mode:
    support: full
  diff_mode:
    support: none
  idempotent:
    support: full
    description: Taking a lock this run holds already changes nothing.
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
author:
  - dockwright contributors (@dockwright)
"""

EXAMPLES = r"""
- name: Run the roles with the program folder locked
  block:
    - name: Lock the program folder
      dockwright.toolkit.folder_lock:
        path: examples/iris
  always:
    - name: Unlock the program folder
      dockwright.toolkit.folder_lock:
        path: examples/iris
        state: absent
"""

RETURN = r"""
path:
  description: The folder's real path.
  returned: always
  type: str
released:
  description: Whether a lock of this run was given up (O(state=absent)).
  returned: when state is absent
  type: bool
"""
