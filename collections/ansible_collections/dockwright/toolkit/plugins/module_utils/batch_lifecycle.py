# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""What the modules managing a Batch resource with a status (a compute environment, a job queue) share: describing
it, calling the API with errors that name it, waiting for a status, and Batch's teardown order (settle, disable,
wait, delete, wait). Takes the AnsibleAWSModule and a boto3 client made with AWSRetry; the rules stay in
module_utils.batch."""

from __future__ import annotations

import time

try:
    from botocore.exceptions import BotoCoreError, ClientError
except ImportError:
    pass  # AnsibleAWSModule reports a missing botocore

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.dockwright.toolkit.plugins.module_utils.batch import TRANSITIONAL_STATUSES, poll_until

# What a change is called when it was made, and when a plan (check mode) only says it would be.
PLANNED_VERBS = {"created": "would create", "updated": "would update", "deleted": "would delete",
                 "disabled": "would disable", "replaced": "would replace"}


def planned(actions):
    """The actions a module reports (past tense, "created job queue q"), as a plan says them ("would create job
    queue q"): the first word of each, and a replacement's "deleted it"."""
    said = []
    for action in actions:
        verb, _space, rest = action.partition(" ")
        text = f"{PLANNED_VERBS[verb]} {rest}" if verb in PLANNED_VERBS else action
        said.append(text[:-len(": deleted it")] + ": delete it" if text.endswith(": deleted it") else text)
    return said


def ready(item):
    """Batch has finished creating or updating it, well (VALID) or not (INVALID)."""
    return item is not None and item.get("status") in ("VALID", "INVALID")


def settled(item):
    """Gone, or in no status during which Batch refuses a change."""
    return item is None or item.get("status") not in TRANSITIONAL_STATUSES


def gone(item):
    return item is None


class Lifecycle:
    """One Batch resource, as a module sees it.

    noun: how messages call it ("compute environment"); describe: a function (client, name) returning the described
    resource or None, raising botocore's errors; result_key: where a failure puts the described resource;
    invalid_hint: a sentence added when it is INVALID."""

    def __init__(self, module, client, noun, describe, result_key, invalid_hint=""):
        self.module, self.client, self.noun = module, client, noun
        self._describe, self.result_key, self.invalid_hint = describe, result_key, invalid_hint
        self.name = module.params["name"]

    @property
    def title(self):
        return f"{self.noun[0].upper()}{self.noun[1:]} {self.name}"

    def describe(self):
        try:
            return self._describe(self.client, self.name)
        except (BotoCoreError, ClientError) as err:
            self.module.fail_json_aws(err, msg=f"Could not describe {self.noun} {self.name}.")

    def call(self, method, what, **kwargs):
        """client.<method>(**kwargs), failing with "Could not <what> <noun> <name>."."""
        try:
            return getattr(self.client, method)(aws_retry=True, **kwargs)
        except (BotoCoreError, ClientError) as err:
            self.module.fail_json_aws(err, msg=f"Could not {what} {self.noun} {self.name}.")

    def wait_for(self, done, what):
        """Describe it until done(it or None) holds; fail after wait_timeout (no wait with wait=false)."""
        params = self.module.params
        if not params["wait"]:
            return self.describe()
        found, reached = poll_until(self.describe, done, time.monotonic() + params["wait_timeout"])
        if not reached:
            status = found.get("status") if found else "gone"
            self.module.fail_json(msg=f"{self.title} is still {status} after {params['wait_timeout']} s while"
                                      f" waiting until it is {what}: look at its status reason in the Batch console,"
                                      " or raise wait_timeout.")
        return found

    def ensure_valid(self, item):
        if item and item.get("status") == "INVALID":
            hint = f" {self.invalid_hint}" if self.invalid_hint else ""
            reason = item.get("statusReason") or "no reason given"
            self.module.fail_json(msg=f"{self.title} is INVALID: {reason}.{hint}",
                                  **{self.result_key: camel_dict_to_snake_dict(item, ignore_list=["tags"])})

    def current(self):
        """It as it is now; one being deleted while state is present is waited out first."""
        item = self.describe()
        if self.module.params["state"] == "present" and item is not None and item.get("status") == "DELETING":
            item = self.wait_for(gone, "deleted before it is created again")
        return item

    def update(self, item, what, **request):
        """Wait until it has settled, apply the update, wait until it is VALID (failing when INVALID)."""
        if not settled(item):
            self.wait_for(settled, "settled before the update")
        self.call(f"update_{self.result_key}", what, **request)
        item = self.wait_for(ready, "VALID")
        self.ensure_valid(item)
        return item

    def teardown(self, item, reference, key, delete_what="delete"):
        """Batch's order: settled, DISABLED, deleted; reference is its ARN, key the request's name for it."""
        if not settled(item):
            item = self.wait_for(settled, "settled before the deletion")
        if item and item.get("state") == "ENABLED":
            self.call(f"update_{self.result_key}", "disable", **{key: reference, "state": "DISABLED"})
            item = self.wait_for(settled, "DISABLED")
        if item is not None:
            self.call(f"delete_{self.result_key}", delete_what, **{key: reference})
            self.wait_for(gone, "deleted")
