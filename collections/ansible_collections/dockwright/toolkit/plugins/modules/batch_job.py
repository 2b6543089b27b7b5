#!/usr/bin/python
# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""Submit an AWS Batch job and follow it to its end, returning its CloudWatch log lines."""

from __future__ import annotations

DOCUMENTATION = r"""
module: batch_job
short_description: Submit an AWS Batch job, wait for its end and return its log lines
description:
  - Submits one job to a job queue with a job definition, optionally overriding its parameters, command,
    environment, vCPUs and memory.
  - With O(wait=true) (the default) it follows the job until it SUCCEEDED or FAILED, reading the lines the job
    writes to CloudWatch Logs as they come (the job's C(logStreamName), in the group and region its log
    configuration names, else O(log_group)), and for up to O(log_wait) seconds after its end, as CloudWatch Logs
    can show the last lines, or the stream itself, a little late.
  - A job that C(describe_jobs) does not show yet right after its submission (Batch is eventually consistent) is
    taken as SUBMITTED for 60 seconds; only then does the module fail, saying that the job may run all the same.
  - Fails when the job FAILED or is still unfinished after O(timeout) seconds, with a message naming the status,
    the reason, the exit code and the last log lines. Log lines that cannot be read (access denied, throttling
    beyond the retries, no stream) are a warning naming the job's real status and exit code, never a failure.
  - The result keeps the last O(log_tail) lines; O(log_file) receives every line as it is read, and so does a file
    of its own in O(live_dir), for the dockwright stdout callback to print while the job runs.
  - A job retried by Batch writes each attempt to a stream of its own; the streams are read in order, each
    attempt's lines after a header line (in O(log_file) and O(live_dir)).
  - Every call submits a new job, so the module always reports a change.
  - AWS calls are retried with jittered backoff on throttling and transient errors, except the submission, which
    is sent again only when AWS throttled it. C(SubmitJob) has no client token, and a second one after a server
    error or a lost connection could start a second job; such a failure says so, and how to look for the job.
options:
  name:
    description: Name of the job (2 to 128 letters, digits, hyphens and underscores; need not be unique).
    type: str
    required: true
  queue:
    description: The job queue, by name or ARN.
    type: str
    required: true
  job_definition:
    description:
      - The job definition, as C(name) (its latest ACTIVE revision), C(name:revision) or an ARN.
    type: str
    required: true
  parameters:
    description:
      - Values for the job definition's C(Ref::name) placeholders; they override the definition's defaults.
      - Values are sent as text (booleans as C(true)/C(false)).
    type: dict
    default: {}
  command:
    description:
      - Command override, as a list of words (exec form). A string is split into words as a shell would
        (C(shlex)), without running a shell. Empty keeps the job definition's command.
    type: raw
    default: []
  environment:
    description:
      - Environment variables added to (or overriding) the job definition's. Not for secrets, which the
        job definition should take from Secrets Manager or SSM.
    type: dict
    default: {}
  vcpus:
    description: vCPUs override (fractions such as 0.25 are for Fargate); 0 keeps the job definition's.
    type: float
    default: 0
  memory:
    description: Memory override in MiB; 0 keeps the job definition's.
    type: int
    default: 0
  wait:
    description: Follow the job to its end. With V(false) the module returns once the job is submitted.
    type: bool
    default: true
  timeout:
    description:
      - Seconds to wait for the job's end before failing. The job is not stopped, it keeps running in Batch.
    type: int
    default: 3600
  poll_interval:
    description:
      - Longest pause in seconds between two looks at the job. The first looks come sooner (after 0.5 s, then
        each pause half as long again as the one before).
    type: int
    default: 5
  logs:
    description: Read the job's log lines from CloudWatch Logs while it runs and after its end.
    type: bool
    default: true
  log_group:
    description:
      - CloudWatch Logs group read when the job's log configuration names none (its C(awslogs-group) option wins,
        and its C(awslogs-region) names the region).
    type: str
    default: /aws/batch/job
  log_wait:
    description:
      - Longest time in seconds to keep reading the log stream after the job's end, until a read brings nothing
        new (the last lines, or the stream itself, can appear in CloudWatch Logs after the job ends).
    type: int
    default: 10
  log_tail:
    description: Number of last log lines kept in RV(log_lines) (and shown in a failure, up to 20 of them).
    type: int
    default: 1000
  log_file:
    description:
      - File that receives every log line as it is read, while the job runs (empty for none). It is overwritten by
        each job; its directory must exist.
      - For an array job, it receives each new count of children by status as it changes, then the children's
        lines, each prefixed with C([INDEX]).
    type: path
    default: ""
  grid:
    description:
      - A sweep, one run per row - a list of rows (maps of names to plain values, the same names in each) or a map
        of names to lists of values, expanded as a product (the last list varies fastest).
      - Two rows or more make one array job (2 to 10,000 children, child I runs row I). The rows travel in the
        C(DOCKWRIGHT_GRID) environment variable, and the command (O(command), else the job definition's) is run
        through C(python3 -c) code that exports the child's row as environment variables named by the grid's
        names, replaces C(Ref::NAME) in the command's words with the row's values and execs the command; the image
        needs C(python3) on its C(PATH) and no C(ENTRYPOINT).
      - One row makes a plain job, with the row as environment variables and in the command's C(Ref::) words.
      - Refused before submitting when the container overrides would pass 8192 characters (the ECS limit) or the
        request 30 KiB (Batch's SubmitJob quota).
    type: raw
  depends_on:
    description:
      - Jobs this one starts after (it starts once they all SUCCEEDED, and fails if one fails) - job IDs, or maps
        with C(job_id) and C(type) (C(N_TO_N) - each child after the same child of an array job of the same size),
        or IDs separated by commas. At most 20; each must exist (checked with C(describe_jobs) before submitting).
    type: raw
  depends_on_type:
    description: Dependency type for the items of O(depends_on) given as bare IDs (V(N_TO_N) or empty).
    type: str
    default: ""
  sequential:
    description: Run an array job's children one after another (a C(SEQUENTIAL) dependency); needs a grid of 2 rows.
    type: bool
    default: false
  live_dir:
    description:
      - Directory in which the module makes a file of its own and appends, while it follows the job, the job's id,
        its statuses before its end, a header per attempt and every log line, as JSON lines. The dockwright stdout
        callback names such a directory in C(DOCKWRIGHT_LIVE_DIR) and prints what is appended there as it comes.
      - Empty for none. With a directory, a failure's message does not repeat the log lines (they were shown).
    type: path
    default: ""
attributes:
  platform:
    platforms: all
  check_mode:
    support: partial
    details: Checks that the queue and the job definition exist and reports a change, without submitting.
  diff_mode:
    support: none
  idempotent:
    support: none
    description: Whether a second run with the same options changes nothing.
    details: Each run submits a new job.
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
author:
  - dockwright contributors (@dockwright)
"""

EXAMPLES = r"""
- name: Run the training job and wait for its end
  dockwright.toolkit.batch_job:
    name: train-iris
    queue: dockwright
    job_definition: iris
    parameters:
      epochs: 10
    environment:
      LOG_LEVEL: info
  register: __batch_job

- name: Show what the job printed
  ansible.builtin.debug:
    msg: "{{ __batch_job.log_lines | join('\n') }}"

- name: Submit a job and return at once
  dockwright.toolkit.batch_job:
    name: nightly
    queue: arn:aws:batch:eu-west-1:123456789012:job-queue/dockwright
    job_definition: iris:3
    command: python train.py --full
    wait: false

- name: A sweep - one array job with a child per row, after a preprocessing job
  dockwright.toolkit.batch_job:
    name: iris-sweep
    queue: dockwright
    job_definition: iris
    command: python train.py --lr Ref::LR
    grid:
      LR: [0.1, 0.01]
      EPOCHS: [10, 20]
    depends_on: [4b5f7c1e-1d2f-4b8a-9f5e-0c1d2e3f4a5b]
"""

RETURN = r"""
job_id:
  description: ID of the submitted job (empty in check mode).
  returned: always
  type: str
  sample: 4b5f7c1e-1d2f-4b8a-9f5e-0c1d2e3f4a5b
job_name:
  description: Name of the job.
  returned: always
  type: str
  sample: train-iris
job_arn:
  description: ARN of the job (empty in check mode).
  returned: always
  type: str
  sample: arn:aws:batch:eu-west-1:123456789012:job/4b5f7c1e-1d2f-4b8a-9f5e-0c1d2e3f4a5b
status:
  description: Last status seen; SUCCEEDED or FAILED once ended, SUBMITTED (or later) with O(wait=false).
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
  description: CloudWatch Logs group the lines were read from (the job's log configuration's, else O(log_group)).
  returned: always
  type: str
  sample: /aws/batch/job
log_stream_name:
  description: CloudWatch Logs stream of the job, in RV(log_group).
  returned: always
  type: str
  sample: iris/default/4b5f7c1e1d2f4b8a9f5e0c1d2e3f4a5b
log_lines:
  description: The last O(log_tail) lines the job wrote, oldest first (empty with O(logs=false)).
  returned: always
  type: list
  elements: str
  sample: [hello from batch]
log_line_count:
  description: How many lines the job wrote in all (more than RV(log_lines) holds when they were more than O(log_tail)).
  returned: always
  type: int
  sample: 1
live:
  description: Whether the job's lines were handed to a file in O(live_dir) as they came (shown while it ran).
  returned: always
  type: bool
  sample: true
elapsed:
  description: Seconds from submission to the last look at the job.
  returned: always
  type: float
  sample: 2.6
run_seconds:
  description: Seconds the job's container ran, when Batch reports its start and stop.
  returned: always
  type: float
  sample: 1.2
array_size:
  description: Number of children of the array job (0 for a plain job).
  returned: always
  type: int
  sample: 4
children:
  description: The array job's last count of children by status (empty for a plain job).
  returned: always
  type: dict
  sample: {SUCCEEDED: 3, FAILED: 1}
failed_children:
  description: One line per failed child - its index and ID, reason, exit code and log stream.
  returned: always
  type: list
  elements: str
  sample: ["child 2 (4b5f7c1e-1d2f-4b8a-9f5e-0c1d2e3f4a5b:2) FAILED: exit code 3; log stream /aws/batch/job iris/x"]
progress:
  description: Each count of the array job's children by status, as it changed while the job was followed.
  returned: always
  type: list
  elements: str
  sample: ["children (4): 4 RUNNABLE", "children (4): 4 SUCCEEDED"]
progress_live:
  description: Whether each count in RV(progress) was handed to O(live_dir) as it changed (shown while the job ran).
  returned: always
  type: bool
  sample: true
request:
  description: The submit_job request sent (or that would be sent, in check mode).
  returned: always
  type: dict
  sample: {jobName: train-iris, jobQueue: dockwright, jobDefinition: iris, parameters: {epochs: "10"}}
"""

import os
import time
from collections import deque

try:
    from botocore.exceptions import BotoCoreError, ClientError, ParamValidationError
except ImportError:
    pass  # AnsibleAWSModule reports a missing botocore

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.dockwright.toolkit.plugins.module_utils.aws import may_have_acted
from ansible_collections.dockwright.toolkit.plugins.module_utils.aws_client import aws_client
from ansible_collections.dockwright.toolkit.plugins.module_utils.batch import (
    describe_job_definition,
    poll_until,
    split_command,
)
from ansible_collections.dockwright.toolkit.plugins.module_utils.batch_job import (
    FINAL_STATUSES,
    build_submit_request,
    failure_message,
    job_outcome,
    lost_message,
    not_yet_described,
)
from ansible_collections.dockwright.toolkit.plugins.module_utils.batch_job_follow import (
    LogFollower,
    error_text,
    job_summary,
)
from ansible_collections.dockwright.toolkit.plugins.module_utils.batch_job_logs import following_note, status_note
from ansible_collections.dockwright.toolkit.plugins.module_utils.batch_sweep import (
    CHILD_LOGS_LIMIT,
    array_ended,
    array_failure_message,
    array_status,
    child_counts,
    child_index,
    dependency_errors,
    depends_on_errors,
    depends_on_request,
    failed_child_line,
    grid_conflicts,
    grid_errors,
    grid_size,
    progress_line,
    request_size_errors,
    sweep_request,
)
from ansible_collections.dockwright.toolkit.plugins.module_utils.live import LiveWriter


def describe_job(module, client, job_id, name, submitted_at):
    """The job as describe_jobs tells it; SUBMITTED while Batch may not show a job just submitted yet."""
    try:
        jobs = client.describe_jobs(jobs=[job_id], aws_retry=True)["jobs"]
    except (BotoCoreError, ClientError) as err:
        module.fail_json_aws(err, msg=f"Could not describe Batch job {job_id}.")
    if jobs:
        return jobs[0]
    job = not_yet_described(job_id, name, time.monotonic() - submitted_at)
    if job is None:
        module.fail_json(msg=lost_message(job_id, name), job_id=job_id, job_name=name)
    return job


def job_definition_described(module, client, definition):
    """The job definition as describe_job_definitions tells it (a bare name: its latest ACTIVE revision)."""
    try:
        found = describe_job_definition(client, definition)
    except (BotoCoreError, ClientError) as err:
        module.fail_json_aws(err, msg=f"Could not read job definition {definition}.")
    if found is None:
        module.fail_json(msg=f"Job definition {definition} does not exist or has no ACTIVE revision: register it"
                             " (role batch_job_definition).")
    return found


def with_grid(module, client, request, params):
    """The request carrying the grid (an array job, or a plain job for one row), checked against Batch's limits."""
    words = split_command(params["command"])
    definition = job_definition_described(module, client, request["jobDefinition"])
    if not words:
        words = split_command((definition.get("containerProperties") or {}).get("command") or [])
        if not words:
            module.fail_json(msg=f"Job definition {request['jobDefinition']} has no command and none is given: a grid"
                                 " needs the command to run for each row (give command).")
    parameters = {**(definition.get("parameters") or {}), **(params["parameters"] or {})}
    errors = grid_conflicts(params["grid"], params["environment"], parameters, words)
    request = sweep_request(request, params["grid"], words)
    errors += request_size_errors(request)
    if errors:
        module.fail_json(msg="\n".join(errors), request=request)
    return request


def check_dependencies(module, client, dependencies, size):
    """Refuses dependencies that describe_jobs does not show, that FAILED already or do not match (N_TO_N)."""
    ids = [item["jobId"] for item in dependencies if item.get("jobId")]
    if not ids:
        return
    try:
        described = client.describe_jobs(jobs=ids, aws_retry=True)["jobs"]
    except (BotoCoreError, ClientError) as err:
        module.fail_json_aws(err, msg=f"Could not look up the jobs this one depends on ({', '.join(ids)}).")
    errors = dependency_errors(dependencies, described, size)
    if errors:
        module.fail_json(msg="\n".join(errors))


def describe_children(module, client, ids):
    """The children described, 100 at a time (describe_jobs' limit)."""
    children = []
    for start in range(0, len(ids), 100):
        try:
            children += client.describe_jobs(jobs=ids[start:start + 100], aws_retry=True)["jobs"]
        except (BotoCoreError, ClientError) as err:
            module.warn(f"Could not describe children of the array job: {error_text(err)}")
    return sorted(children, key=lambda child: child_index(child.get("jobId", "")) or 0)


def failed_summaries(module, client, job_id):
    """list_jobs' summaries of the array job's FAILED children (they carry the exit code)."""
    summaries = {}
    try:
        for page in client.get_paginator("list_jobs").paginate(arrayJobId=job_id, jobStatus="FAILED"):
            for summary in page.get("jobSummaryList", []):
                if summary.get("status", "FAILED") == "FAILED":
                    summaries[summary["jobId"]] = summary
    except (BotoCoreError, ClientError) as err:
        module.warn(f"Could not list the failed children of array job {job_id}: {error_text(err)}")
    return summaries


def write_lines(log_file, lines):
    if log_file and lines:
        with open(log_file, "a", encoding="utf-8") as handle:
            handle.write("".join(line + "\n" for line in lines))


def follow_array(module, batch, params, job_id, size, started, result, log_file, live=None):
    """Follows an array job to the end of its last child, counting children by status as they change; then reads
    the children's lines (each prefixed with [INDEX]) and names every failed child."""
    if log_file:
        with open(log_file, "w", encoding="utf-8"):
            pass
    progress = []

    def look():
        job = describe_job(module, batch, job_id, params["name"], started)
        line = progress_line(child_counts(job), size)
        if not progress or progress[-1] != line:
            progress.append(line)
            write_lines(log_file, [line])
            if live is not None:  # the count as it changes, on the screen while the children run
                live.note(line)
        return job

    job, ended = poll_until(look, lambda job: array_ended(job, size), started + params["timeout"],
                            first=0.5, factor=1.5, longest=float(params["poll_interval"]))
    counts = child_counts(job)
    result.update(status=array_status(job, size), status_reason=job.get("statusReason") or "", children=counts,
                  progress=progress, progress_live=live is not None, elapsed=round(time.monotonic() - started, 1))
    if not ended:
        outcome = job_outcome(job)
        module.fail_json(msg=failure_message(outcome, [], timeout=params["timeout"]) + "\n" + progress[-1], **result)
    failed = failed_summaries(module, batch, job_id) if counts["FAILED"] or result["status"] == "FAILED" else {}
    ids = ([f"{job_id}:{index}" for index in range(size)] if size <= CHILD_LOGS_LIMIT else sorted(failed))
    children = describe_children(module, batch, ids)
    lines, group = deque(maxlen=params["log_tail"]), params["log_group"]
    followers, first = {}, None
    for child in children if params["logs"] else []:
        follower = LogFollower(module, batch, params["log_group"], params["log_tail"], "")
        if first is not None:  # one log configuration for all the children: located once
            follower.target, follower.client = first.target, first.client
        follower.read(child)
        first = first or follower
        followers[child["jobId"]] = follower
    deadline = time.monotonic() + params["log_wait"]

    def late():  # children with a stream that CloudWatch Logs does not show yet
        return [child for child in children if child["jobId"] in followers and job_outcome(child)["log_stream_name"]
                and not followers[child["jobId"]].found and followers[child["jobId"]].error is None
                and followers[child["jobId"]].client is not None]

    while late() and time.monotonic() < deadline:
        time.sleep(1)
        for child in late():
            followers[child["jobId"]].read(child)
    failed_lines, failed_log, count = [], [], 0
    for child in children:
        index, follower = child_index(child.get("jobId", "")), followers.get(child.get("jobId"))
        mine = []
        if follower is not None:
            group = follower.group
            mine = [f"[{index}] {line}" for line in follower.lines]
            lines.extend(mine)
            count += follower.count
            write_lines(log_file, mine)
            for warning in follower.warnings(job_outcome(child), params["log_wait"]) if follower.error else []:
                module.warn(warning)
        if child.get("status") == "FAILED" or child.get("jobId") in failed:
            failed_lines.append(failed_child_line(job_outcome(child, failed.get(child.get("jobId"))), group))
            failed_log.extend(mine)
    for child_id in sorted(set(failed) - {child.get("jobId") for child in children}):
        failed_lines.append(failed_child_line(job_outcome(failed[child_id], failed[child_id]), group))
    result.update(log_group=group, log_lines=list(lines), log_line_count=count, failed_children=failed_lines,
                  elapsed=round(time.monotonic() - started, 1))
    if result["status"] == "FAILED":
        module.fail_json(msg=array_failure_message(params["name"], job_id, counts, size, failed_lines, failed_log),
                         **result)
    module.exit_json(**result)


def check_targets(module, client, request):
    """In check mode: fail as a submit would when the queue or the job definition does not exist."""
    try:
        queues = client.describe_job_queues(jobQueues=[request["jobQueue"]], aws_retry=True)["jobQueues"]
        found = describe_job_definition(client, request["jobDefinition"])
    except (BotoCoreError, ClientError) as err:
        module.fail_json_aws(err, msg="Could not look up the job queue and the job definition.")
    if not queues:
        module.fail_json(msg=f"Job queue {request['jobQueue']} does not exist: create it (role batch_environment).")
    if not found:
        module.fail_json(msg=f"Job definition {request['jobDefinition']} does not exist or has no ACTIVE revision:"
                             " register it (role batch_job_definition).")


def main():
    module = AnsibleAWSModule(
        argument_spec={
            "name": {"type": "str", "required": True},
            "queue": {"type": "str", "required": True},
            "job_definition": {"type": "str", "required": True},
            "parameters": {"type": "dict", "default": {}},
            "command": {"type": "raw", "default": []},
            "environment": {"type": "dict", "default": {}},
            "vcpus": {"type": "float", "default": 0},
            "memory": {"type": "int", "default": 0},
            "wait": {"type": "bool", "default": True},
            "timeout": {"type": "int", "default": 3600},
            "poll_interval": {"type": "int", "default": 5},
            "logs": {"type": "bool", "default": True},
            "log_group": {"type": "str", "default": "/aws/batch/job"},
            "log_wait": {"type": "int", "default": 10},
            "log_tail": {"type": "int", "default": 1000},
            "log_file": {"type": "path", "default": ""},
            "grid": {"type": "raw"},
            "depends_on": {"type": "raw"},
            "depends_on_type": {"type": "str", "default": ""},
            "sequential": {"type": "bool", "default": False},
            "live_dir": {"type": "path", "default": ""},
        },
        supports_check_mode=True,
    )
    params = module.params
    try:
        request = build_submit_request(params["name"], params["queue"], params["job_definition"],
                                       parameters=params["parameters"], command=params["command"],
                                       environment=params["environment"], vcpus=params["vcpus"],
                                       memory=params["memory"])
    except ValueError as err:
        module.fail_json(msg=str(err))
    grid = params["grid"]
    if grid is not None and grid_errors(grid):
        module.fail_json(msg="\n".join(grid_errors(grid)))
    size = grid_size(grid) if grid is not None else 1
    errors = depends_on_errors(params["depends_on"], params["depends_on_type"], params["sequential"], size)
    if errors:
        module.fail_json(msg="\n".join(errors))
    dependencies = depends_on_request(params["depends_on"], params["depends_on_type"], params["sequential"])
    if params["timeout"] < 1 or params["poll_interval"] < 1:
        module.fail_json(msg="timeout and poll_interval are seconds and must be at least 1.")
    if params["log_wait"] < 0 or params["log_tail"] < 1:
        module.fail_json(msg="log_wait is seconds, 0 or more, and log_tail a number of lines, 1 or more.")
    log_file = params["log_file"] or ""
    if log_file and not os.path.isdir(os.path.dirname(os.path.abspath(log_file))):
        module.fail_json(msg=f"log_file {log_file}: its directory does not exist; create it or name another file.")
    if params["live_dir"] and not os.path.isdir(params["live_dir"]):
        module.fail_json(msg=f"live_dir {params['live_dir']} is not a directory.")

    batch = aws_client(module, "batch")
    result = {"changed": True, "job_id": "", "job_name": params["name"], "job_arn": "", "status": "",
              "status_reason": "", "exit_code": None, "log_group": params["log_group"], "log_stream_name": "",
              "log_lines": [], "log_line_count": 0, "elapsed": 0.0, "run_seconds": None, "request": request,
              "array_size": 0, "children": {}, "failed_children": [], "progress": [],
              "progress_live": False, "live": False}

    # Before any submission: the grid in the request (the job definition's command read when none is given), the
    # dependencies looked up.
    if grid is not None:
        request = with_grid(module, batch, request, params)
    if dependencies:
        request["dependsOn"] = dependencies
        check_dependencies(module, batch, dependencies, size)
    array_size = (request.get("arrayProperties") or {}).get("size", 0)
    result.update(request=request, array_size=array_size)

    if module.check_mode:
        check_targets(module, batch, request)
        module.exit_json(**result)

    started = time.monotonic()
    try:
        submitted = aws_client(module, "batch", idempotent=False).submit_job(aws_retry=True, **request)
    except (BotoCoreError, ClientError) as err:
        status = (err.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
                  if isinstance(err, ClientError) else None)
        if may_have_acted(status) and not isinstance(err, ParamValidationError):
            module.fail_json_aws(err, msg=f"Submitting job {params['name']} to queue {params['queue']} failed in a way"
                                          " that does not tell whether Batch took it, so it was not sent again (a"
                                          " second submission would start a second job): look for it with aws batch"
                                          f" list-jobs --job-queue {params['queue']} --filters"
                                          f" name=JOB_NAME,values={params['name']} before submitting again.")
        module.fail_json_aws(err, msg=f"Could not submit job {params['name']} to queue {params['queue']}: check"
                                      " that the queue is ENABLED and that the job definition exists.")
    job_id = submitted["jobId"]
    result.update(job_id=job_id, job_arn=submitted.get("jobArn", ""), status="SUBMITTED")
    if not params["wait"]:
        module.exit_json(**result)
    live = LiveWriter(params["live_dir"], prefix="batch_job-") if params["live_dir"] else None
    if live is not None:  # first of all: what to tell if the user stops following
        live.write({"job": {"id": job_id, "name": params["name"]}})
        live.note(following_note({"jobId": job_id, "jobName": params["name"]}, params["queue"]))
    if array_size:
        follow_array(module, batch, params, job_id, array_size, started, result, log_file, live)
    follower = LogFollower(module, batch, params["log_group"], params["log_tail"], log_file, live=live)
    statuses = ["SUBMITTED"]

    def look():
        job = describe_job(module, batch, job_id, params["name"], started)
        if live is not None and job.get("status") not in statuses + list(FINAL_STATUSES):
            statuses.append(job.get("status"))
            live.note(status_note(job))
        if params["logs"]:
            follower.read(job)  # the lines as they come, while the job runs
        return job

    # Quick looks first (moto or a warm environment ends a short job within a second or two), then every
    # poll_interval: each pause is half as long again as the one before.
    job, ended = poll_until(look, lambda job: job.get("status") in FINAL_STATUSES, started + params["timeout"],
                            first=0.5, factor=1.5, longest=float(params["poll_interval"]))
    summary = job_summary(module, batch, job) if ended and job.get("container", {}).get("exitCode") is None else None
    outcome = job_outcome(job, summary)
    if params["logs"] and ended:
        follower.settle(job, params["log_wait"])
    result.update({key: outcome[key]
                   for key in ("status", "status_reason", "exit_code", "log_stream_name", "run_seconds")})
    result.update(log_group=follower.group, log_lines=list(follower.lines), log_line_count=follower.count,
                  live=live is not None, elapsed=round(time.monotonic() - started, 1))
    for warning in follower.warnings(outcome, params["log_wait"]) if params["logs"] else []:
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
