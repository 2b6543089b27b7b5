#!/usr/bin/python
# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""Stop an AWS Batch job: cancel it before it starts, terminate it once it runs; nothing when it has ended."""

from __future__ import annotations

DOCUMENTATION = r"""
module: batch_job_cancel
short_description: Stop an AWS Batch job, whatever its status
description:
  - A job that has not started (C(SUBMITTED), C(PENDING), C(RUNNABLE)) is cancelled (C(CancelJob)); one that is
    C(STARTING) or C(RUNNING) is terminated (C(TerminateJob)), its container stopped. A job that starts between the
    look and the cancellation (Batch then cancels nothing) is terminated.
  - A job that has ended already (C(SUCCEEDED), C(FAILED)) is left as it is, with no change reported; so a second run
    changes nothing.
  - With O(wait=true), waits until Batch reports the job ended (C(FAILED), with the reason given), up to O(timeout)
    seconds.
  - Fails when the job does not exist.
options:
  job_id:
    description: The job's id (an array job's child as C(ID:INDEX); stopping the parent stops its children) or its ARN.
    type: str
    required: true
  reason:
    description: Why the job is stopped; Batch records it as the job's status reason (up to 1024 characters).
    type: str
    default: Cancelled with make cancel
  wait:
    description: Wait until the job has ended.
    type: bool
    default: true
  timeout:
    description: Seconds to wait for the job's end with O(wait=true) before failing.
    type: int
    default: 300
attributes:
  platform:
    platforms: all
  check_mode:
    support: full
    details: Looks the job up and reports whether it would be stopped, and how.
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
- name: Stop a job that is no longer needed
  dockwright.toolkit.batch_job_cancel:
    job_id: 4b5f7c1e-1d2f-4b8a-9f5e-0c1d2e3f4a5b
    reason: superseded by a newer run
"""

RETURN = r"""
job_id:
  description: ID of the job.
  returned: always
  type: str
  sample: 4b5f7c1e-1d2f-4b8a-9f5e-0c1d2e3f4a5b
job_name:
  description: Name of the job.
  returned: always
  type: str
  sample: train-iris
action:
  description: What was done (or would be, in check mode) - C(cancel), C(terminate), or empty for a job already ended.
  returned: always
  type: str
  sample: terminate
previous_status:
  description: The job's status before the call.
  returned: always
  type: str
  sample: RUNNING
status:
  description: The job's status after the call (after its end with O(wait=true)).
  returned: always
  type: str
  sample: FAILED
status_reason:
  description: Batch's reason for the status.
  returned: always
  type: str
  sample: Cancelled with make cancel
"""

import time

try:
    from botocore.exceptions import BotoCoreError, ClientError
except ImportError:
    pass  # AnsibleAWSModule reports a missing botocore

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.dockwright.toolkit.plugins.module_utils.aws_client import aws_client
from ansible_collections.dockwright.toolkit.plugins.module_utils.batch import poll_until
from ansible_collections.dockwright.toolkit.plugins.module_utils.batch_job_logs import (
    ENDED_STATUSES,
    cancel_action,
    check_job_id,
)


def describe(module, client, job_id):
    try:
        jobs = client.describe_jobs(jobs=[job_id], aws_retry=True)["jobs"]
    except (BotoCoreError, ClientError) as err:
        module.fail_json_aws(err, msg=f"Could not describe Batch job {job_id}.")
    if not jobs:
        module.fail_json(msg=f"Batch job {job_id} does not exist in this region: check the id, the region and the"
                             " endpoint.", job_id=job_id)
    return jobs[0]


def stop(module, client, job_id, action, reason):
    call = client.cancel_job if action == "cancel" else client.terminate_job
    try:
        call(jobId=job_id, reason=reason, aws_retry=True)
    except (BotoCoreError, ClientError) as err:
        module.fail_json_aws(err, msg=f"Could not {action} Batch job {job_id}.")


def main():
    module = AnsibleAWSModule(
        argument_spec={
            "job_id": {"type": "str", "required": True},
            "reason": {"type": "str", "default": "Cancelled with make cancel"},
            "wait": {"type": "bool", "default": True},
            "timeout": {"type": "int", "default": 300},
        },
        supports_check_mode=True,
    )
    params = module.params
    try:
        job_id = check_job_id(params["job_id"])
    except ValueError as err:
        module.fail_json(msg=str(err))
    if not params["reason"].strip() or len(params["reason"]) > 1024:
        module.fail_json(msg="reason must be 1 to 1024 characters: Batch records it as the job's status reason.")
    if params["timeout"] < 1:
        module.fail_json(msg="timeout is seconds, 1 or more.")

    batch = aws_client(module, "batch")
    job = describe(module, batch, job_id)
    try:
        action = cancel_action(job.get("status"))
    except ValueError as err:
        module.fail_json(msg=f"Batch job {job_id}: {err}")
    result = {"changed": action is not None, "job_id": job_id, "job_name": job.get("jobName", ""),
              "action": action or "", "previous_status": job.get("status"), "status": job.get("status"),
              "status_reason": job.get("statusReason", "")}
    if action is None or module.check_mode:
        module.exit_json(**result)

    stop(module, batch, job_id, action, params["reason"])
    if action == "cancel":  # Batch cancels nothing once the job has started: terminate it then
        job = describe(module, batch, job_id)
        if cancel_action(job.get("status")) == "terminate":
            action = "terminate"
            stop(module, batch, job_id, action, params["reason"])
    result["action"] = action
    if params["wait"]:
        job, ended = poll_until(lambda: describe(module, batch, job_id),
                                lambda seen: seen.get("status") in ENDED_STATUSES,
                                time.monotonic() + params["timeout"], first=0.5, factor=1.5, longest=5.0)
        result.update(status=job.get("status"), status_reason=job.get("statusReason", ""))
        if not ended:
            module.fail_json(msg=f"Batch job {job_id} was asked to {action} but is still {job.get('status')} after"
                                 f" {params['timeout']} s; Batch may take longer to stop its container: run again"
                                 " later to check.", **result)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
