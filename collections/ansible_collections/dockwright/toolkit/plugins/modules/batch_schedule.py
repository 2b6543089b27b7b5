#!/usr/bin/python
# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""Manage an EventBridge Scheduler schedule that submits an AWS Batch job: create it, update it, delete it."""

from __future__ import annotations

DOCUMENTATION = r"""
module: batch_schedule
short_description: Create, update or delete an EventBridge Scheduler schedule that submits an AWS Batch job
description:
  - Ensures a schedule of EventBridge Scheduler submits a job definition to a job queue on a cron, rate or
    one-time (at) expression, through the Scheduler's universal target for Batch's SubmitJob
    (C(arn:aws:scheduler:::aws-sdk:batch:submitJob)).
  - The queue and the job definition are looked up first and must exist (the job definition with an ACTIVE
    revision); the schedule names the queue by ARN, and the job definition by ARN without revision when it was
    given by name (Batch then submits its latest ACTIVE revision at each run) or with the revision given.
  - Compares the expression, time zone, state, description, flexible time window and target (role, queue, job
    definition, job name) with the schedule the Scheduler describes; a rerun with the same options changes nothing.
    An update sends every setting (the Scheduler's UpdateSchedule replaces the whole schedule).
  - A role just created may not be assumable by the Scheduler for some seconds (IAM propagation); a create or
    update refused for that reason is sent again for up to O(role_wait) seconds.
  - Written because neither amazon.aws nor community.aws 10 has a module for EventBridge Scheduler.
options:
  name:
    description: Name of the schedule (1 to 64 letters, digits, dots, hyphens and underscores).
    type: str
    required: true
  group:
    description: Schedule group (it must exist; every account has V(default)).
    type: str
    default: default
  state:
    description: Whether the schedule should exist.
    type: str
    choices: [present, absent]
    default: present
  expression:
    description:
      - When the job is submitted, as the Scheduler writes it - V(cron(minutes hours day-of-month month
        day-of-week year)) (one of the two day fields V(?)), V(rate(N minutes|hours|days)) or
        V(at(YYYY-MM-DDThh:mm:ss)) for one run.
      - Required with O(state=present).
    type: str
  timezone:
    description: Time zone of the expression (a tz database name such as V(Europe/Paris)); empty means UTC.
    type: str
    default: ""
  job_queue:
    description: Job queue the job is submitted to, by name or ARN. Required with O(state=present).
    type: str
  job_definition:
    description:
      - Job definition submitted - a name (its latest ACTIVE revision at each run), name:revision or ARN.
      - Required with O(state=present).
    type: str
  job_name:
    description: Name of the jobs submitted; empty means the job definition's name.
    type: str
    default: ""
  role_arn:
    description:
      - IAM role the Scheduler assumes to submit the job (trusting C(scheduler.amazonaws.com), allowed
        C(batch:SubmitJob) on the queue and the job definition; RV(submit_resources) lists them).
      - Needed to create the schedule; an existing schedule keeps its own when this is left out.
    type: str
  description:
    description: Description of the schedule.
    type: str
    default: ""
  enabled:
    description: Whether the schedule submits jobs (ENABLED) or is paused (DISABLED).
    type: bool
    default: true
  role_wait:
    description: Seconds to keep sending a create or update the Scheduler refuses because it cannot assume the role
      yet.
    type: int
    default: 60
attributes:
  platform:
    platforms: all
  check_mode:
    support: full
    details: Looks up the queue, the job definition and the schedule, and predicts the change without a write call.
  diff_mode:
    support: full
  idempotent:
    support: full
    description: A second run with the same options changes nothing.
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
author:
  - dockwright contributors (@dockwright)
"""

EXAMPLES = r"""
- name: Ensure iris-train is submitted to ml-queue every night at 03:00, Paris time
  dockwright.toolkit.batch_schedule:
    name: nightly
    expression: cron(0 3 * * ? *)
    timezone: Europe/Paris
    job_queue: ml-queue
    job_definition: iris-train
    role_arn: arn:aws:iam::123456789012:role/nightly-scheduler

- name: Look up the queue and the job definition (the ARNs the role needs) without changing anything
  dockwright.toolkit.batch_schedule:
    name: nightly
    expression: rate(1 day)
    job_queue: ml-queue
    job_definition: iris-train
  check_mode: true
  register: __target

- name: Ensure the schedule is deleted
  dockwright.toolkit.batch_schedule:
    name: nightly
    state: absent
"""

RETURN = r"""
arn:
  description: ARN of the schedule (empty when it does not exist, as in check mode before creation).
  returned: always
  type: str
  sample: arn:aws:scheduler:eu-west-1:123456789012:schedule/default/nightly
schedule:
  description: The schedule as the Scheduler describes it, keys in snake_case; empty when it does not exist.
  returned: always
  type: dict
  sample:
    name: nightly
    group_name: default
    schedule_expression: cron(0 3 * * ? *)
    schedule_expression_timezone: Europe/Paris
    state: ENABLED
job_queue_arn:
  description: ARN of the job queue the schedule submits to (with O(state=present)).
  returned: when state is present
  type: str
  sample: arn:aws:batch:eu-west-1:123456789012:job-queue/ml-queue
job_definition_arn:
  description: The job definition the schedule submits - its ARN, without revision when given by name.
  returned: when state is present
  type: str
  sample: arn:aws:batch:eu-west-1:123456789012:job-definition/iris-train
submit_resources:
  description: The ARNs the role must be allowed C(batch:SubmitJob) on (the queue, the job definition, any revision).
  returned: when state is present
  type: list
  elements: str
account:
  description: The AWS account of the queue.
  returned: when state is present
  type: str
  sample: "123456789012"
trust_policy:
  description: The trust policy of a role for this schedule - the Scheduler may assume it, for this account's
    schedules only.
  returned: when state is present
  type: dict
submit_policy:
  description: The policy of a role for this schedule - C(batch:SubmitJob) on RV(submit_resources) only.
  returned: when state is present
  type: dict
actions:
  description: What was done (or would be done in check mode), in plain words.
  returned: always
  type: list
  elements: str
  sample: ["updated schedule nightly: expression 'cron(0 3 * * ? *)' -> 'cron(0 4 * * ? *)'"]
"""

import time

try:
    from botocore.exceptions import BotoCoreError, ClientError
except ImportError:
    pass  # AnsibleAWSModule reports a missing botocore

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.dockwright.toolkit.plugins.module_utils.aws_client import aws_client
from ansible_collections.dockwright.toolkit.plugins.module_utils.batch import job_definition_name
from ansible_collections.dockwright.toolkit.plugins.module_utils.batch_schedule import (
    arn_parts,
    current_settings,
    describe_schedule,
    job_definition_arn,
    queue_arn,
    role_not_assumable,
    schedule_changes,
    schedule_errors,
    schedule_request,
    submit_policy,
    submit_resources,
    trust_policy,
    wanted_schedule,
)


def target(module, batch):
    """The queue's ARN and the job definition's (as the schedule names it); fails when either does not exist."""
    params = module.params
    try:
        queue = queue_arn(batch, params["job_queue"])
        definition = job_definition_arn(batch, params["job_definition"])
    except (BotoCoreError, ClientError) as err:
        module.fail_json_aws(err, msg=f"Could not look up job queue {params['job_queue']} and job definition"
                                      f" {params['job_definition']} for schedule {params['name']}.")
    missing = ([f"job queue {params['job_queue']}"] if queue is None else []) + (
        [f"job definition {params['job_definition']} (an ACTIVE revision)"] if definition is None else [])
    if missing:
        module.fail_json(msg=f"Schedule {params['name']} would submit to {' and '.join(missing)}, which Batch does"
                             " not have: create the queue (make batch-env) and register the job definition"
                             " (make register) first, or fix the names.")
    return queue, definition


def send(module, client, method, request):
    """Calls create_schedule or update_schedule, again while the Scheduler cannot assume a new role yet."""
    deadline = time.monotonic() + module.params["role_wait"]
    while True:
        try:
            return getattr(client, method)(aws_retry=True, **request)
        except ClientError as err:
            error = err.response.get("Error", {})
            if role_not_assumable(error.get("Code"), error.get("Message")) and time.monotonic() < deadline:
                time.sleep(5)
                continue
            module.fail_json_aws(err, msg=f"Could not {method.split('_')[0]} schedule {module.params['name']}"
                                          f" (role {request['Target']['RoleArn']}).")
        except BotoCoreError as err:
            module.fail_json_aws(err, msg=f"Could not {method.split('_')[0]} schedule {module.params['name']}.")


def present(module, client, schedule, queue, definition):
    params, name = module.params, module.params["name"]
    current = current_settings(schedule)
    role = params["role_arn"] or current.get("target", {}).get("role_arn") or ""
    job_name = params["job_name"] or job_definition_name(params["job_definition"])
    wanted = wanted_schedule(params, queue, definition, job_name, role)
    if schedule is None:
        actions = [f"created schedule {name} ({wanted['expression']}"
                   f"{'' if wanted['timezone'] == 'UTC' else ' ' + wanted['timezone']}): submits"
                   f" {definition.rsplit('/', 1)[-1]} to {queue.rsplit('/', 1)[-1]}"]
        diff = {"before": {}, "after": wanted}
        if module.check_mode:
            return True, actions, diff
        if not role:
            module.fail_json(msg=f"Schedule {name} does not exist: give role_arn (a role the Scheduler may assume,"
                                 " allowed batch:SubmitJob) to create it.")
        send(module, client, "create_schedule", schedule_request(name, params["group"], wanted))
        return True, actions, diff
    words = schedule_changes(current, wanted)
    diff = {"before": current, "after": wanted if words else current}
    if not words:
        return False, [], diff
    if not module.check_mode:
        send(module, client, "update_schedule", schedule_request(name, params["group"], wanted))
    return True, [f"updated schedule {name}: {', '.join(words)}"], diff


def absent(module, client, schedule):
    if schedule is None:
        return False, [], {"before": {}, "after": {}}
    name = module.params["name"]
    if not module.check_mode:
        try:
            client.delete_schedule(Name=name, GroupName=module.params["group"], aws_retry=True)
        except client.exceptions.ResourceNotFoundException:
            pass  # gone meanwhile
        except (BotoCoreError, ClientError) as err:
            module.fail_json_aws(err, msg=f"Could not delete schedule {name}.")
    return True, [f"deleted schedule {name}"], {"before": current_settings(schedule), "after": {}}


def main():
    module = AnsibleAWSModule(
        argument_spec={
            "name": {"type": "str", "required": True},
            "group": {"type": "str", "default": "default"},
            "state": {"type": "str", "choices": ["present", "absent"], "default": "present"},
            "expression": {"type": "str"},
            "timezone": {"type": "str", "default": ""},
            "job_queue": {"type": "str"},
            "job_definition": {"type": "str"},
            "job_name": {"type": "str", "default": ""},
            "role_arn": {"type": "str"},
            "description": {"type": "str", "default": ""},
            "enabled": {"type": "bool", "default": True},
            "role_wait": {"type": "int", "default": 60},
        },
        required_if=[("state", "present", ("expression", "job_queue", "job_definition"))],
        supports_check_mode=True,
    )
    errors = schedule_errors(module.params)
    if errors:
        module.fail_json(msg=" ".join(errors))

    params = module.params
    client = aws_client(module, "scheduler")
    result = {}
    if params["state"] == "present":
        queue, definition = target(module, aws_client(module, "batch"))
        account, resources = arn_parts(queue)["account"], submit_resources(queue, definition)
        result = {"job_queue_arn": queue, "job_definition_arn": definition, "submit_resources": resources,
                  "account": account, "trust_policy": trust_policy(account), "submit_policy": submit_policy(resources)}
    try:
        schedule = describe_schedule(client, params["name"], params["group"])
    except (BotoCoreError, ClientError) as err:
        module.fail_json_aws(err, msg=f"Could not look up schedule {params['name']} (group {params['group']}).")
    if params["state"] == "present":
        changed, actions, diff = present(module, client, schedule, queue, definition)
    else:
        changed, actions, diff = absent(module, client, schedule)
    if changed and not module.check_mode:
        schedule = describe_schedule(client, params["name"], params["group"])
    schedule = {key: value for key, value in (schedule or {}).items() if key != "ResponseMetadata"}
    module.exit_json(
        changed=changed,
        actions=actions,
        diff=diff,
        arn=schedule.get("Arn", ""),
        schedule=camel_dict_to_snake_dict(schedule) if schedule else {},
        **result,
    )


if __name__ == "__main__":
    main()
