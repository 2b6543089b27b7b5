#!/usr/bin/python
# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""Follow an AWS Batch job submitted earlier until it ends, returning its CloudWatch log lines."""

from __future__ import annotations

DOCUMENTATION = r"""
module: batch_job_logs
short_description: Follow an AWS Batch job until it ends and return its log lines
description:
  - Reads the lines a Batch job writes to CloudWatch Logs, by the job's id, as M(dockwright.toolkit.batch_job)
    does for the job it submits - every attempt's stream in order, while the job runs, and for up to O(log_wait)
    seconds after its end.
  - A job still running is followed until it SUCCEEDED or FAILED; a job that has ended has all its lines read.
  - Fails when the job does not exist, when it FAILED (with its reason and exit code) or is still unfinished after
    O(timeout) seconds (the job keeps running). Log lines that cannot be read are a warning, never a failure.
  - Reads only; never changes anything.
options:
  job_id:
    description: The job's id (as C(make submit) prints it; an array job's child as C(ID:INDEX)) or its ARN.
    type: str
    required: true
  timeout:
    description: Seconds to follow a running job before failing. The job is not stopped.
    type: int
    default: 3600
  poll_interval:
    description: Longest pause in seconds between two looks at the job.
    type: int
    default: 5
  log_group:
    description: CloudWatch Logs group read when the job's log configuration names none.
    type: str
    default: /aws/batch/job
  log_wait:
    description: Longest time in seconds to keep reading the log after the job's end, until a read brings nothing new.
    type: int
    default: 10
  log_tail:
    description: Number of last log lines kept in RV(log_lines).
    type: int
    default: 1000
  live_dir:
    description:
      - Directory in which the module makes a file of its own and appends what it reads as it comes (the job's id,
        its statuses, a header per attempt and every line), for the dockwright stdout callback to print. Empty for
        none. See M(dockwright.toolkit.batch_job).
    type: path
    default: ""
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
- name: Follow a job submitted earlier
  dockwright.toolkit.batch_job_logs:
    job_id: 4b5f7c1e-1d2f-4b8a-9f5e-0c1d2e3f4a5b
  register: __job

- name: Show what the job printed
  ansible.builtin.debug:
    msg: "{{ __job.log_lines | join('\n') }}"
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
status:
  description: Last status seen (SUCCEEDED or FAILED once ended).
  returned: always
  type: str
  sample: SUCCEEDED
status_reason:
  description: Batch's reason for the status, when it gives one.
  returned: always
  type: str
  sample: Essential container in task exited
exit_code:
  description: Exit code of the job's container, when it ran and ended.
  returned: always
  type: int
  sample: 0
log_group:
  description: CloudWatch Logs group the lines were read from.
  returned: always
  type: str
  sample: /aws/batch/job
log_stream_name:
  description: CloudWatch Logs stream of the job's latest attempt.
  returned: always
  type: str
  sample: iris/default/4b5f7c1e1d2f4b8a9f5e0c1d2e3f4a5b
log_lines:
  description: The last O(log_tail) lines the job wrote, oldest first.
  returned: always
  type: list
  elements: str
  sample: [hello from batch]
log_line_count:
  description: How many lines the job wrote in all.
  returned: always
  type: int
  sample: 1
live:
  description: Whether the lines were handed to a file in O(live_dir) as they came.
  returned: always
  type: bool
  sample: true
run_seconds:
  description: Seconds the job's container ran, when Batch reports its start and stop.
  returned: always
  type: float
  sample: 1.2
"""

import os
import time

try:
    from botocore.exceptions import BotoCoreError, ClientError
except ImportError:
    pass  # AnsibleAWSModule reports a missing botocore

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.dockwright.toolkit.plugins.module_utils.aws_client import aws_client
from ansible_collections.dockwright.toolkit.plugins.module_utils.batch import poll_until
from ansible_collections.dockwright.toolkit.plugins.module_utils.batch_job import (
    FINAL_STATUSES,
    failure_message,
    job_outcome,
)
from ansible_collections.dockwright.toolkit.plugins.module_utils.batch_job_follow import LogFollower, job_summary
from ansible_collections.dockwright.toolkit.plugins.module_utils.batch_job_logs import (
    check_job_id,
    following_note,
    status_note,
)
from ansible_collections.dockwright.toolkit.plugins.module_utils.live import LiveWriter


def describe(module, client, job_id):
    """The job as describe_jobs tells it; the module fails when Batch does not know it."""
    try:
        jobs = client.describe_jobs(jobs=[job_id], aws_retry=True)["jobs"]
    except (BotoCoreError, ClientError) as err:
        module.fail_json_aws(err, msg=f"Could not describe Batch job {job_id}.")
    if not jobs:
        module.fail_json(msg=f"Batch job {job_id} does not exist in this region (Batch forgets ended jobs after about"
                             " 7 days): check the id, the region and the endpoint.", job_id=job_id)
    return jobs[0]


def main():
    module = AnsibleAWSModule(
        argument_spec={
            "job_id": {"type": "str", "required": True},
            "timeout": {"type": "int", "default": 3600},
            "poll_interval": {"type": "int", "default": 5},
            "log_group": {"type": "str", "default": "/aws/batch/job"},
            "log_wait": {"type": "int", "default": 10},
            "log_tail": {"type": "int", "default": 1000},
            "live_dir": {"type": "path", "default": ""},
        },
        supports_check_mode=True,
    )
    params = module.params
    try:
        job_id = check_job_id(params["job_id"])
    except ValueError as err:
        module.fail_json(msg=str(err))
    if params["timeout"] < 1 or params["poll_interval"] < 1 or params["log_wait"] < 0 or params["log_tail"] < 1:
        module.fail_json(msg="timeout and poll_interval are seconds, 1 or more; log_wait is seconds, 0 or more; and"
                             " log_tail a number of lines, 1 or more.")
    if params["live_dir"] and not os.path.isdir(params["live_dir"]):
        module.fail_json(msg=f"live_dir {params['live_dir']} is not a directory.")

    batch = aws_client(module, "batch")
    started = time.monotonic()
    job = describe(module, batch, job_id)
    live = LiveWriter(params["live_dir"], prefix="batch_job_logs-") if params["live_dir"] else None
    if live is not None:
        live.write({"job": {"id": job_id, "name": job.get("jobName", "")}})
        if job.get("status") not in FINAL_STATUSES:
            live.note(following_note(job))
    follower = LogFollower(module, batch, params["log_group"], params["log_tail"], "", live=live)
    statuses = []

    def look(known=None):
        seen = known or describe(module, batch, job_id)
        if live is not None and seen.get("status") not in statuses + list(FINAL_STATUSES):
            statuses.append(seen.get("status"))
            live.note(status_note(seen))
        follower.read(seen)
        return seen

    job, ended = look(job), job.get("status") in FINAL_STATUSES
    if not ended:
        job, ended = poll_until(look, lambda seen: seen.get("status") in FINAL_STATUSES, started + params["timeout"],
                                first=0.5, factor=1.5, longest=float(params["poll_interval"]))
    exit_code_known = (job.get("container") or {}).get("exitCode") is not None
    outcome = job_outcome(job, job_summary(module, batch, job) if ended and not exit_code_known else None)
    if ended:
        follower.settle(job, params["log_wait"])
    result = {"changed": False, "job_id": job_id, "job_name": outcome["job_name"], "status": outcome["status"],
              "status_reason": outcome["status_reason"], "exit_code": outcome["exit_code"],
              "log_group": follower.group, "log_stream_name": outcome["log_stream_name"],
              "log_lines": list(follower.lines), "log_line_count": follower.count, "live": live is not None,
              "run_seconds": outcome["run_seconds"]}
    for warning in follower.warnings(outcome, params["log_wait"]):
        module.warn(warning)
    details = {"log_group": follower.group, "total": follower.count, "shown": live is not None}
    if not ended:
        module.fail_json(msg=failure_message(outcome, result["log_lines"], timeout=params["timeout"], **details),
                         **result)
    if outcome["status"] == "FAILED":
        module.fail_json(msg=failure_message(outcome, result["log_lines"], **details), **result)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
