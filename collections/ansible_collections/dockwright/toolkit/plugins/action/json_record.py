# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""The json_record action: merge entries into the run's JSON record on the controller (see modules/json_record.py)."""

from __future__ import annotations

import json
import os
import tempfile

from ansible.plugins.action import ActionBase
from ansible_collections.dockwright.toolkit.plugins.module_utils.json_record import merged_text

ARGUMENT_SPEC = {
    "path": {"type": "path", "required": True},
    "entries": {"type": "dict", "required": True},
}


def read_text(path):
    """The file's text, or "" when there is none."""
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except FileNotFoundError:
        return ""


def write_atomically(path, text):
    """Write C(text) to C(path) through a temporary file in the same folder and a rename (mode 0644)."""
    folder = os.path.dirname(path)
    if not os.path.isdir(folder):
        os.mkdir(folder, 0o755)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{os.path.basename(path)}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _requires_connection = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        args = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC)[1]
        path = os.path.realpath(args["path"])
        before = read_text(path)
        try:
            after = merged_text(before, args["entries"], args["path"])
        except ValueError as err:
            return {**result, "failed": True, "msg": str(err), "path": path}
        result.update(path=path, record=json.loads(after), changed=after != before)
        if result["changed"] and self._task.diff:
            result["diff"] = {"before": before, "after": after, "before_header": path, "after_header": path}
        if result["changed"] and not self._task.check_mode:
            try:
                write_atomically(path, after)
            except OSError as err:
                return {**result, "failed": True, "changed": False,
                        "msg": f"{args['path']} cannot be written ({err.strerror}): choose another path."}
        return result
