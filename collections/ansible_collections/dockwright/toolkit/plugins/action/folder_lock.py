# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""The folder_lock action: hold a program folder for this run (see modules/folder_lock.py)."""

from __future__ import annotations

import os

from ansible.plugins.action import ActionBase
from ansible.utils.display import Display
from ansible_collections.dockwright.toolkit.plugins.module_utils.folder_lock import acquire, holder, lock_path, release

ARGUMENT_SPEC = {
    "path": {"type": "path", "required": True},
    "state": {"type": "str", "choices": ["present", "absent"], "default": "present"},
    "wait_timeout": {"type": "int", "default": 600},
}
display = Display()


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _requires_connection = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        args = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC)[1]
        folder, run = os.path.realpath(args["path"]), os.getppid()  # the ansible-playbook process of this run
        result.update(changed=False, path=folder)
        if not os.path.isdir(folder):
            return result  # a missing folder is the preflight's to report
        if self._task.check_mode:  # writes nothing; a plan made while another run writes the folder may be stale
            owner = holder(lock_path(folder)) if args["state"] == "present" else None
            if owner:
                display.display(f"{folder} is in use by another dockwright run (process {owner['pid']}): this plan"
                                " shows the folder as it is now; a real run would wait for that run to finish.")
            return result
        if args["state"] == "absent":
            result["released"] = release(folder, run)
            return result

        def waiting(owner):
            display.display(f"{folder} is in use by another dockwright run (process {owner['pid']}): waiting up to"
                            f" {args['wait_timeout']} s for it to finish.")

        if not acquire(folder, run, args["wait_timeout"], on_wait=waiting):
            return {**result, "failed": True,
                    "msg": f"{folder} is still in use by another dockwright run after {args['wait_timeout']} s:"
                           " let it finish, or stop it, then run again."}
        return result
