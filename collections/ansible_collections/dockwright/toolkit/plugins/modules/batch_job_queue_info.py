#!/usr/bin/python
# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""Describe an AWS Batch job queue and list its unfinished jobs."""

from __future__ import annotations

DOCUMENTATION = r"""
module: batch_job_queue_info
short_description: Describe an AWS Batch job queue and list its unfinished jobs
description:
  - Returns the queue as Batch describes it (empty when there is none) and its jobs in the given statuses,
    by default every status before the end (SUBMITTED, PENDING, RUNNABLE, STARTING, RUNNING).
  - Batch lists one status per call; the jobs are listed again until two passes in a row find the same jobs, so
    that a job changing status meanwhile is not missed. Disable the queue first for a list no new job escapes.
  - Used to refuse deleting a queue that still has work, and to wait for a queue's status (with C(until)),
    which no module of amazon.aws or community.aws 10 offers.
options:
  name:
    description: The job queue, by name or ARN.
    type: str
    required: true
  job_statuses:
    description: Statuses of the jobs listed; empty lists none.
    type: list
    elements: str
    choices: [SUBMITTED, PENDING, RUNNABLE, STARTING, RUNNING, SUCCEEDED, FAILED]
    default: [SUBMITTED, PENDING, RUNNABLE, STARTING, RUNNING]
attributes:
  platform:
    platforms: all
  check_mode:
    support: full
  diff_mode:
    support: none
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
- name: Look up the queue and its unfinished jobs
  dockwright.toolkit.batch_job_queue_info:
    name: dockwright
  register: __queue

- name: Wait until the queue has settled
  dockwright.toolkit.batch_job_queue_info:
    name: dockwright
    job_statuses: []
  register: __queue
  until: __queue.job_queue.status | default('VALID') not in ['CREATING', 'UPDATING']
  retries: 60
  delay: 5
"""

RETURN = r"""
exists:
  description: Whether the queue exists (a DELETED one does not).
  returned: always
  type: bool
  sample: true
job_queue:
  description: The queue as Batch describes it, keys in snake_case; empty when it does not exist.
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
jobs:
  description: The queue's jobs in O(job_statuses), oldest first.
  returned: always
  type: list
  elements: dict
  sample: [{job_id: 4b5f7c1e-1d2f-4b8a-9f5e-0c1d2e3f4a5b, job_name: train, status: RUNNING, created_at: 1732500000000}]
"""

try:
    from botocore.exceptions import BotoCoreError, ClientError
except ImportError:
    pass  # AnsibleAWSModule reports a missing botocore

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.dockwright.toolkit.plugins.module_utils import batch_job_queue as batch_queue
from ansible_collections.dockwright.toolkit.plugins.module_utils.aws_client import aws_client


def main():
    statuses = ["SUBMITTED", "PENDING", "RUNNABLE", "STARTING", "RUNNING", "SUCCEEDED", "FAILED"]
    module = AnsibleAWSModule(
        argument_spec={
            "name": {"type": "str", "required": True},
            "job_statuses": {"type": "list", "elements": "str", "choices": statuses,
                             "default": list(batch_queue.ACTIVE_JOB_STATUSES)},
        },
        supports_check_mode=True,
    )
    name = module.params["name"]
    client = aws_client(module, "batch")
    try:
        queue = batch_queue.describe_queue(client, name)
        jobs = batch_queue.settled_jobs(client, name, module.params["job_statuses"]) if queue else []
    except (BotoCoreError, ClientError) as err:
        module.fail_json_aws(err, msg=f"Could not describe job queue {name} or list its jobs.")
    module.exit_json(changed=False, exists=queue is not None, jobs=jobs,
                     job_queue=camel_dict_to_snake_dict(queue, ignore_list=["tags"]) if queue else {})


if __name__ == "__main__":
    main()
