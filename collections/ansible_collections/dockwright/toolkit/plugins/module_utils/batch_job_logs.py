# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""Pure helpers for following a Batch job that runs (its attempts' log streams, the lines told while following) and
for the jobs make logs and make cancel act on (the job id given, what stopping a job takes). No Ansible API or boto3
imports: tested as plain functions."""

from __future__ import annotations

import re
from collections.abc import Mapping

from ansible_collections.dockwright.toolkit.plugins.module_utils.batch import namer

# A Batch job id (a UUID), an array job's child (id:index) or a multi-node job's node (id#node); or the job's ARN.
JOB_ID_PATTERN = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
                            r"(:[0-9]{1,5})?(#[0-9]{1,4})?$")
JOB_ARN_PATTERN = re.compile(r"^arn:aws[a-z-]*:batch:[a-z0-9-]+:\d{12}:job/(?P<id>.+)$")
# The statuses of a job that has not started yet (CancelJob stops it) and of one that runs (TerminateJob stops it).
QUEUED_STATUSES = ("SUBMITTED", "PENDING", "RUNNABLE")
RUNNING_STATUSES = ("STARTING", "RUNNING")
ENDED_STATUSES = ("SUCCEEDED", "FAILED")


def job_id_errors(value, name: str = "job_id") -> list[str]:
    """Sentences naming what is wrong with a job id given by the user (empty when it is fine)."""
    text = "" if value is None else str(value).strip()
    if not text:
        return [f"{name} is empty; give the id of a Batch job, e.g. {name}=4b5f7c1e-1d2f-4b8a-9f5e-0c1d2e3f4a5b"
                " (make submit prints it; aws batch list-jobs --job-queue QUEUE lists them)."]
    arn = JOB_ARN_PATTERN.match(text)
    if not JOB_ID_PATTERN.match(arn.group("id") if arn else text):
        return [f"{name} '{text}' is not a Batch job id: give the id make submit printed, a UUID such as"
                " 4b5f7c1e-1d2f-4b8a-9f5e-0c1d2e3f4a5b (an array job's child: UUID:INDEX), or the job's ARN."]
    return []


def check_job_id(value, name: str = "job_id") -> str:
    """The bare job id of a job id or ARN, or ValueError naming what is wrong."""
    errors = job_id_errors(value, name)
    if errors:
        raise ValueError(errors[0])
    text = str(value).strip()
    arn = JOB_ARN_PATTERN.match(text)
    return arn.group("id") if arn else text


def _whole_number_at_least(value, least) -> bool:
    if isinstance(value, bool):
        return False
    try:
        return int(str(value)) >= least
    except ValueError:
        return False


def control_errors(settings: Mapping, names: Mapping[str, str] | None = None) -> list[str]:
    """Sentences naming each problem of a make logs or make cancel run (empty when there is none): settings holds
    action (logs or cancel), job_id, timeout, poll_interval, log_wait, log_tail and reason; names says how to call
    each."""
    call = namer(names)
    action = settings.get("action")
    errors = [] if action in ("logs", "cancel") else [f"{call('action')} '{action}' is neither logs nor cancel."]
    errors += job_id_errors(settings.get("job_id"), call("job_id"))
    for key, least, what in (("timeout", 1, "seconds"), ("poll_interval", 1, "seconds"), ("log_wait", 0, "seconds"),
                             ("log_tail", 1, "a number of lines")):
        value = settings.get(key, least)
        if not _whole_number_at_least(value, least):
            errors.append(f"{call(key)} is {what}, {least} or more (not '{value}').")
    reason = str(settings.get("reason") or "")
    if action == "cancel" and not reason.strip():
        errors.append(f"{call('reason')} is empty: Batch wants a reason to cancel or terminate a job.")
    elif len(reason) > 1024:
        errors.append(f"{call('reason')} is {len(reason)} characters long; Batch takes up to 1024.")
    return errors


def attempt_streams(job: Mapping) -> list[str]:
    """The log streams of the job's attempts, oldest first: each ended attempt's, then the running one's (a job that
    is retried writes each attempt to a stream of its own)."""
    streams = [((attempt or {}).get("container") or {}).get("logStreamName") for attempt in job.get("attempts") or []]
    streams.append((job.get("container") or {}).get("logStreamName"))
    seen = []
    for stream in streams:
        if stream and stream not in seen:
            seen.append(stream)
    return seen


def job_label(job: Mapping) -> str:
    return f"{job.get('jobName') or 'job'} ({job.get('jobId') or 'no id'})"


def attempt_header(job: Mapping, number: int, group: str, stream: str) -> str:
    """The line shown before the lines of an attempt."""
    return f"--- {job_label(job)}, attempt {number}: {group} {stream}"


def following_note(job: Mapping, queue: str = "") -> str:
    """What is said once the job to follow is known."""
    where = f" on queue {queue}" if queue else ""
    return (f"Following Batch job {job_label(job)}{where}; Ctrl-C stops following, the job keeps running.")


def status_note(job: Mapping) -> str:
    """What is said when the job followed reaches a status before its end."""
    return f"Job {job_label(job)} is {job.get('status') or 'UNKNOWN'}."


def interrupted_message(job_id: str, name: str = "") -> str:
    """What to tell when the user stops following a job: it keeps running, and how to follow or cancel it."""
    label = f"{name} ({job_id})" if name else job_id
    return (f"Stopped following Batch job {label}: the job keeps running in AWS Batch.\n"
            f"  Follow it again:  make logs JOB_ID={job_id}\n"
            f"  Cancel it:        make cancel JOB_ID={job_id}")


def cancel_action(status: str) -> str | None:
    """Which call stops a job in this status: cancel (not started yet), terminate (starting or running), or None
    (ended already, nothing to do)."""
    if status in QUEUED_STATUSES:
        return "cancel"
    if status in RUNNING_STATUSES:
        return "terminate"
    if status in ENDED_STATUSES:
        return None
    raise ValueError(f"unknown Batch job status '{status}'.")
