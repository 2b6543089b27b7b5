# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""Pure helpers of the dockwright_batch_job module: the submit_job request built from the module's options, what a
described job says about its end, and CloudWatch log events turned into lines. No Ansible API or boto3 imports (the
Batch name rule and how values are written come from the sibling helper dockwright_batch), so they are tested as
plain functions; a bad value raises ValueError naming it."""

from __future__ import annotations

import re
import shlex

from ansible_collections.dockwright.toolkit.plugins.module_utils.batch_job_definition import (
    NAME_PATTERN,
    as_text,
    format_number,
)

JOB_DEFINITION_ARN_PATTERN = re.compile(
    r"^arn:aws[a-z-]*:batch:[a-z0-9-]+:\d{12}:job-definition/[A-Za-z0-9_-]+:[1-9]\d*$"
)
JOB_QUEUE_ARN_PATTERN = re.compile(r"^arn:aws[a-z-]*:batch:[a-z0-9-]+:\d{12}:job-queue/[A-Za-z0-9_-]+$")

# A job has ended once in one of these.
FINAL_STATUSES = ("SUCCEEDED", "FAILED")


def check_name(value, what: str = "name") -> str:
    """Return a job or queue name Batch accepts, or raise ValueError saying what is wrong with it."""
    if not isinstance(value, str) or not NAME_PATTERN.match(value):
        raise ValueError(
            f"{what} '{value}' is not a valid AWS Batch name: use 2 to 128 letters, digits, hyphens and underscores,"
            " starting with a letter or digit."
        )
    return value


def check_queue(value) -> str:
    """Return a job queue given by name or ARN, or raise ValueError."""
    if isinstance(value, str) and JOB_QUEUE_ARN_PATTERN.match(value):
        return value
    return check_name(value, "queue")


def check_job_definition(value) -> str:
    """Return a job definition given as name, name:revision or ARN, or raise ValueError."""
    if isinstance(value, str):
        if JOB_DEFINITION_ARN_PATTERN.match(value):
            return value
        name, colon, revision = value.partition(":")
        if NAME_PATTERN.match(name) and (not colon or (revision.isdigit() and int(revision) > 0)):
            return value
    raise ValueError(
        f"job_definition '{value}' is neither a job definition name, name:revision (revision a positive number)"
        " nor a job definition ARN (arn:aws:batch:REGION:ACCOUNT:job-definition/NAME:REVISION)."
    )


def split_command(command) -> list[str]:
    """The command override as a list: a list is kept (items as text), a string is split like a shell does.

    None or an empty value means no override (the job definition's command).
    """
    if command is None or command == "" or command == []:
        return []
    if isinstance(command, str):
        try:
            return shlex.split(command)
        except ValueError as err:
            raise ValueError(f"command '{command}' cannot be split into words ({err}): check its quotes.") from err
    if isinstance(command, (list, tuple)):
        return [as_text(part) for part in command]
    raise ValueError(f"command must be a list of words or a string, not {type(command).__name__}.")


def number_text(value) -> str:
    """A vCPU or memory figure as Batch writes it: 1 not 1.0, 0.25 kept."""
    if float(value) <= 0:
        raise ValueError(f"resource value {value} must be greater than 0.")
    return format_number(value)


def build_submit_request(name, queue, job_definition, parameters=None, command=None, environment=None,
                         vcpus=None, memory=None) -> dict:
    """The keyword arguments of batch.submit_job for the module's options; empty options are left out."""
    request = {
        "jobName": check_name(name, "name"),
        "jobQueue": check_queue(queue),
        "jobDefinition": check_job_definition(job_definition),
    }
    if parameters:
        for key in parameters:
            check_name(key, "parameter name")
        request["parameters"] = {key: as_text(value) for key, value in sorted(parameters.items())}
    overrides = {}
    words = split_command(command)
    if words:
        overrides["command"] = words
    if environment:
        bad = [key for key in environment if not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", str(key))]
        if bad:
            raise ValueError(f"environment variable names {bad} are invalid: use letters, digits and underscores.")
        reserved = [key for key in environment if str(key).startswith("AWS_BATCH")]
        if reserved:
            raise ValueError(f"environment variables {reserved} are reserved by AWS Batch (AWS_BATCH*): rename them.")
        overrides["environment"] = [
            {"name": str(key), "value": as_text(value)} for key, value in sorted(environment.items())
        ]
    resources = []
    if vcpus:
        resources.append({"type": "VCPU", "value": number_text(vcpus)})
    if memory:
        resources.append({"type": "MEMORY", "value": number_text(memory)})
    if resources:
        overrides["resourceRequirements"] = resources
    if overrides:
        request["containerOverrides"] = overrides
    return request


def job_outcome(job: dict, summary: dict | None = None) -> dict:
    """What a described job (batch.describe_jobs item) says about its state and end.

    The exit code and log stream are read from the job's container, else from its latest attempt, else from
    the list_jobs summary given (moto's describe_jobs leaves the exit code out; list_jobs carries it).
    """
    container = job.get("container") or {}
    attempts = job.get("attempts") or []
    last_attempt = (attempts[-1].get("container") or {}) if attempts else {}
    summary_container = (summary or {}).get("container") or {}
    exit_code = container.get("exitCode", last_attempt.get("exitCode", summary_container.get("exitCode")))
    reason = job.get("statusReason") or last_attempt.get("reason") or container.get("reason") or ""
    started, stopped = job.get("startedAt"), job.get("stoppedAt")
    return {
        "job_id": job.get("jobId", ""),
        "job_name": job.get("jobName", ""),
        "job_arn": job.get("jobArn", ""),
        "status": job.get("status", ""),
        "status_reason": reason,
        "exit_code": exit_code,
        "log_stream_name": container.get("logStreamName") or last_attempt.get("logStreamName") or "",
        "run_seconds": round((stopped - started) / 1000.0, 1) if started and stopped and stopped >= started else None,
    }


def log_lines(events) -> list[str]:
    """CloudWatch log events (get_log_events' items) as text lines in time order, trailing newlines removed.

    A message holding several lines gives several lines.
    """
    ordered = sorted(events or [], key=lambda event: (event.get("timestamp") or 0, event.get("ingestionTime") or 0))
    lines = []
    for event in ordered:
        message = str(event.get("message", "")).rstrip("\r\n")
        lines.extend(message.splitlines() or [""])
    return lines


def failure_message(outcome: dict, lines: list[str], tail: int = 20, timeout: int | None = None) -> str:
    """The sentence the module fails with: what happened, what to do, then the last log lines."""
    name = f"{outcome.get('job_name') or 'job'} ({outcome.get('job_id') or 'no id'})"
    status = outcome.get("status") or "UNKNOWN"
    if timeout is not None:
        text = (
            f"Batch job {name} is still {status} after {timeout} s: it keeps running in AWS Batch. Raise the"
            " timeout, follow it in the console, or stop it with 'aws batch terminate-job --job-id "
            f"{outcome.get('job_id')} --reason ...'."
        )
    else:
        details = []
        if outcome.get("status_reason"):
            details.append(outcome["status_reason"])
        if outcome.get("exit_code") is not None:
            details.append(f"exit code {outcome['exit_code']}")
        text = f"Batch job {name} {status}" + (f": {', '.join(details)}." if details else ".")
    if lines:
        shown = lines[-tail:] if tail > 0 else lines
        skipped = len(lines) - len(shown)
        header = f"Last {len(shown)} of {len(lines)} log lines" if skipped else "Log lines"
        text += f"\n{header} (/aws/batch/job {outcome.get('log_stream_name')}):\n" + "\n".join(shown)
    elif outcome.get("log_stream_name") or timeout is None:
        text += "\nThe job wrote no log lines."
    return text
