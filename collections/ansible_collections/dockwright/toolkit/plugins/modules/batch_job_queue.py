#!/usr/bin/python
# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""Manage an AWS Batch job queue: create it, update it in place, disable and delete it, waiting for each step."""

from __future__ import annotations

DOCUMENTATION = r"""
module: batch_job_queue
short_description: Create, update in place or delete an AWS Batch job queue, waiting until Batch is done
description:
  - Ensures a job queue exists with the given priority, compute environments (in order of preference) and state
    (ENABLED or DISABLED), and waits until Batch reports it VALID; fails with Batch's reason when it is INVALID.
  - Deletion disables the queue first, waits until it has settled, deletes it and waits until it is gone. Jobs
    still in the queue are not looked at; see M(dockwright.toolkit.batch_job_queue_info) and
    M(dockwright.toolkit.batch_job_queue_drain).
  - Compute environments may be given by name or by ARN; they are compared with the ARNs Batch describes, so a
    rerun with names changes nothing.
  - Written because C(community.aws.batch_job_queue) 10.0.0 compares names with ARNs (every run with names
    updates the queue), fails in check mode on a queue still to create and does not wait.
options:
  name:
    description: Name of the job queue (2 to 128 letters, digits, hyphens and underscores).
    type: str
    required: true
  state:
    description: Whether the job queue should exist.
    type: str
    choices: [present, absent]
    default: present
  enabled:
    description: Whether the queue accepts jobs (ENABLED) or not (DISABLED).
    type: bool
    default: true
  priority:
    description:
      - Priority, 0 to 1000; among queues sharing a compute environment the higher number goes first.
      - Needed to create the queue; an existing queue keeps its own when this is left out.
    type: int
  compute_environments:
    description:
      - Compute environments the queue uses, in order of preference (1 to 3, names or ARNs, all existing).
      - Needed to create the queue; an existing queue keeps its own when this is left out.
    type: list
    elements: str
attributes:
  platform:
    platforms: all
  check_mode:
    support: full
    details: Predicts the queue from the options without calling a write API.
  diff_mode:
    support: full
  idempotent:
    support: full
    description: A second run with the same options changes nothing.
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - dockwright.toolkit.batch
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
author:
  - dockwright contributors (@dockwright)
"""

EXAMPLES = r"""
- name: Ensure the job queue exists and uses the compute environments in order
  dockwright.toolkit.batch_job_queue:
    name: dockwright
    priority: 1
    compute_environments: [dockwright, dockwright-spot]

- name: Ensure the job queue is disabled, keeping its priority and compute environments
  dockwright.toolkit.batch_job_queue:
    name: dockwright
    enabled: false

- name: Ensure the job queue is deleted
  dockwright.toolkit.batch_job_queue:
    name: dockwright
    state: absent
"""

RETURN = r"""
job_queue:
  description: The queue as Batch describes it, keys in snake_case; empty when absent or in check mode before
    creation.
  returned: always
  type: dict
  sample:
    job_queue_name: dockwright
    job_queue_arn: arn:aws:batch:eu-west-1:123456789012:job-queue/dockwright
    state: ENABLED
    status: VALID
    priority: 1
    compute_environment_order:
      - {order: 1, compute_environment: "arn:aws:batch:eu-west-1:123456789012:compute-environment/dockwright"}
arn:
  description: ARN of the job queue (empty when it does not exist yet, as in check mode).
  returned: always
  type: str
  sample: arn:aws:batch:eu-west-1:123456789012:job-queue/dockwright
actions:
  description: What was done, in plain words; in check mode what would be done ("would create ...").
  returned: always
  type: list
  elements: str
  sample: ["updated job queue dockwright: priority 1 -> 5"]
"""

try:
    from botocore.exceptions import BotoCoreError, ClientError
except ImportError:
    pass  # AnsibleAWSModule reports a missing botocore

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.dockwright.toolkit.plugins.module_utils.aws_client import aws_client
from ansible_collections.dockwright.toolkit.plugins.module_utils.batch_job_queue import (
    current_settings,
    describe_queue,
    environment_arns,
    order_request,
    queue_changes,
    queue_errors,
    wanted_settings,
)
from ansible_collections.dockwright.toolkit.plugins.module_utils.batch_lifecycle import Lifecycle, planned, ready


def resolved(module, client):
    """The compute environments asked for, names replaced by the ARNs Batch knows them by (None = not asked).

    In check mode a name Batch does not know yet (an environment the same play would create) is kept as given."""
    environments = module.params["compute_environments"]
    if environments is None:
        return None
    try:
        arns = environment_arns(client, environments)
    except (BotoCoreError, ClientError) as err:
        module.fail_json_aws(err, msg="Could not look up the compute environments of job queue"
                                      f" {module.params['name']}.")
    missing = [item for item in environments if not item.startswith("arn:") and item not in arns]
    if missing and not module.check_mode:
        module.fail_json(msg=f"Compute environment(s) {', '.join(missing)} of job queue {module.params['name']}"
                             " do not exist: create them first (module batch_compute_environment), or fix the names.")
    return [arns.get(item, item) for item in environments]


def present(module, resource, queue):
    params, name = module.params, module.params["name"]
    wanted = wanted_settings(queue, params["enabled"], params["priority"], resolved(module, resource.client))
    if queue is None:
        if wanted["priority"] is None or not wanted["compute_environments"]:
            module.fail_json(msg=f"Job queue {name} does not exist: give priority and compute_environments to"
                                 " create it.")
        actions = [f"created job queue {name} (priority {wanted['priority']},"
                   f" {' then '.join(item.rsplit('/', 1)[-1] for item in wanted['compute_environments'])})"]
        diff = {"before": {}, "after": wanted}
        if module.check_mode:
            return True, actions, diff, None
        order = order_request(wanted["compute_environments"])
        resource.call("create_job_queue", "create", jobQueueName=name, state=wanted["state"],
                      priority=wanted["priority"], computeEnvironmentOrder=order)
        queue = resource.wait_for(ready, "VALID")
        resource.ensure_valid(queue)
        return True, actions, diff, queue

    update, words = queue_changes(queue, wanted)
    diff = {"before": current_settings(queue), "after": wanted if update else current_settings(queue)}
    if not update:
        resource.ensure_valid(queue)
        return False, [], diff, queue
    actions = [f"updated job queue {name}: {', '.join(words)}"]
    if module.check_mode:
        return True, actions, diff, queue
    return True, actions, diff, resource.update(queue, "update", **update)


def absent(module, resource, queue):
    if queue is None:
        return False, [], {"before": {}, "after": {}}, None
    name, arn = module.params["name"], queue.get("jobQueueArn") or module.params["name"]
    diff = {"before": current_settings(queue), "after": {}}
    actions = ([f"disabled job queue {name}"] if queue.get("state") == "ENABLED" else []) + [
        f"deleted job queue {name}"]
    if not module.check_mode:
        resource.teardown(queue, arn, "jobQueue")
    return True, actions, diff, None


def main():
    module = AnsibleAWSModule(
        argument_spec={
            "name": {"type": "str", "required": True},
            "state": {"type": "str", "choices": ["present", "absent"], "default": "present"},
            "enabled": {"type": "bool", "default": True},
            "priority": {"type": "int"},
            "compute_environments": {"type": "list", "elements": "str"},
            "wait": {"type": "bool", "default": True},
            "wait_timeout": {"type": "int", "default": 600},
        },
        supports_check_mode=True,
    )
    errors = queue_errors(module.params)
    if errors:
        module.fail_json(msg=" ".join(errors))

    client = aws_client(module, "batch")
    resource = Lifecycle(module, client, "job queue", describe_queue, "job_queue")
    queue = resource.current()
    handler = present if module.params["state"] == "present" else absent
    changed, actions, diff, queue = handler(module, resource, queue)
    module.exit_json(
        changed=changed,
        actions=planned(actions) if module.check_mode else actions,
        diff=diff,
        arn=queue.get("jobQueueArn", "") if queue else "",
        job_queue=camel_dict_to_snake_dict(queue, ignore_list=["tags"]) if queue else {},
    )


if __name__ == "__main__":
    main()
