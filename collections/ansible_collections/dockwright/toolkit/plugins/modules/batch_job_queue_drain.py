#!/usr/bin/python
# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""Ensure an AWS Batch job queue has no unfinished jobs, terminating them."""

from __future__ import annotations

DOCUMENTATION = r"""
module: batch_job_queue_drain
short_description: Terminate the unfinished jobs of an AWS Batch job queue and wait until they have stopped
description:
  - Terminates every job of the queue that is SUBMITTED, PENDING, RUNNABLE, STARTING or RUNNING (running
    containers are stopped; the jobs end as FAILED with the given reason), then waits until none is left.
  - The jobs are listed status by status until two passes in a row find the same jobs, so that a job changing
    status meanwhile is not missed; disable the queue first, so that no job is added meanwhile.
  - Meant for tearing a queue down on purpose; a queue that does not exist counts as drained.
options:
  name:
    description: The job queue, by name or ARN.
    type: str
    required: true
  reason:
    description: Reason recorded on each terminated job.
    type: str
    default: Terminated by dockwright before the job queue is deleted
attributes:
  platform:
    platforms: all
  check_mode:
    support: full
    details: Lists the jobs that would be terminated without terminating them.
  diff_mode:
    support: none
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
- name: Ensure the queue has no unfinished jobs
  dockwright.toolkit.batch_job_queue_drain:
    name: dockwright
    reason: Environment torn down
"""

RETURN = r"""
terminated:
  description: The jobs terminated (or that would be, in check mode), each with its ID, name and status before.
  returned: always
  type: list
  elements: dict
  sample: [{job_id: 4b5f7c1e-1d2f-4b8a-9f5e-0c1d2e3f4a5b, job_name: train, status: RUNNING}]
"""

import time

try:
    from botocore.exceptions import BotoCoreError, ClientError
except ImportError:
    pass  # AnsibleAWSModule reports a missing botocore

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.dockwright.toolkit.plugins.module_utils import batch_job_queue as batch_queue
from ansible_collections.dockwright.toolkit.plugins.module_utils.aws_client import aws_client
from ansible_collections.dockwright.toolkit.plugins.module_utils.batch import poll_until


def unfinished(module, client):
    try:
        name = module.params["name"]
        return batch_queue.settled_jobs(client, name) if batch_queue.describe_queue(client, name) else []
    except (BotoCoreError, ClientError) as err:
        module.fail_json_aws(err, msg=f"Could not list the jobs of job queue {module.params['name']}.")


def main():
    module = AnsibleAWSModule(
        argument_spec={
            "name": {"type": "str", "required": True},
            "reason": {"type": "str", "default": "Terminated by dockwright before the job queue is deleted"},
            "wait": {"type": "bool", "default": True},
            "wait_timeout": {"type": "int", "default": 600},
        },
        supports_check_mode=True,
    )
    client = aws_client(module, "batch")
    jobs = unfinished(module, client)
    if not jobs or module.check_mode:
        module.exit_json(changed=bool(jobs), terminated=jobs)
    for job in jobs:
        try:
            client.terminate_job(jobId=job["job_id"], reason=module.params["reason"], aws_retry=True)
        except (BotoCoreError, ClientError) as err:
            module.fail_json_aws(err, msg=f"Could not terminate job {job['job_name']} ({job['job_id']}).")
    if module.params["wait"]:
        deadline = time.monotonic() + module.params["wait_timeout"]
        left, ended = poll_until(lambda: unfinished(module, client), lambda left: not left, deadline)
        if not ended:
            names = ", ".join(f"{job['job_name']} ({job['job_id']}, {job['status']})" for job in left)
            module.fail_json(msg=f"Jobs still unfinished {module.params['wait_timeout']} s after being terminated:"
                                 f" {names}. Look at them in the Batch console, or raise wait_timeout.",
                             terminated=jobs)
    module.exit_json(changed=True, terminated=jobs)


if __name__ == "__main__":
    main()
