# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""Pure helpers of the batch_job module and role: the checks of a job to submit, the submit_job request built from
the module's options, what a described job says about its end, and CloudWatch log events turned into lines. No
Ansible API or boto3 imports (the Batch name rule, the reference checks and how values are written come from
module_utils.batch), so they are tested as plain functions; a bad value raises ValueError naming it."""

from __future__ import annotations

from collections.abc import Mapping

from ansible_collections.dockwright.toolkit.plugins.module_utils.batch import (
    ENVIRONMENT_VARIABLE_PATTERN,
    JOB_QUEUE_ARN_PATTERN,
    NAME_RULE,
    as_text,
    check_job_definition,
    check_name,
    format_number,
    is_job_definition,
    is_name,
    job_definition_name,
    namer,
    resource_limit_errors,
    split_command,
)

# A job has ended once in one of these.
FINAL_STATUSES = ("SUCCEEDED", "FAILED")
# describe_jobs may answer nothing for a job submit_job has just accepted (Batch is eventually consistent): for this
# many seconds after the submission such a job is taken as SUBMITTED, not as lost (a rerun would submit it again).
JOB_VISIBLE_WITHIN = 60
# Where Batch's awslogs driver writes when the job definition names no group.
DEFAULT_LOG_GROUP = "/aws/batch/job"


def check_queue(value) -> str:
    """Return a job queue given by name or ARN, or raise ValueError."""
    if isinstance(value, str) and JOB_QUEUE_ARN_PATTERN.match(value):
        return value
    return check_name(value, "queue")


def _number_at_least(value, least) -> bool:
    try:
        return float(value) >= least
    except (TypeError, ValueError):
        return False


def submit_errors(settings: Mapping, names: Mapping[str, str] | None = None) -> list[str]:
    """Sentences naming each problem of a job to submit (empty when there is none), checked before any call.

    settings holds queue, job_definition, name ("" = the job definition's name), parameters, command,
    environment, vcpus and memory (0 = the job definition's), timeout, poll_interval and log_wait (seconds) and
    log_tail (lines); names says how
    to call each in the sentences (a role's variables; by default the keys themselves)."""
    call, errors = namer(names), []
    queue, definition = settings.get("queue") or "", settings.get("job_definition") or ""
    if not queue:
        errors.append(f"{call('queue')} is empty; give the job queue's name or ARN (role batch_environment makes one).")
    elif not (is_name(queue) or JOB_QUEUE_ARN_PATTERN.match(str(queue))):
        errors.append(f"{call('queue')} '{queue}' is neither a job queue name nor a job queue ARN"
                      " (arn:aws:batch:REGION:ACCOUNT:job-queue/NAME).")
    if not definition:
        errors.append(f"{call('job_definition')} is empty; give a job definition name, name:revision or ARN.")
    elif not is_job_definition(definition):
        try:
            check_job_definition(definition, call("job_definition"))
        except ValueError as err:
            errors.append(str(err))
    name = settings.get("name") or job_definition_name(definition)
    if definition and not is_name(name):
        errors.append(f"The job name '{name}' ({call('name')}, or the job definition's name) is not valid:"
                      f" {NAME_RULE}.")
    try:
        split_command(settings.get("command"), call("command"))
    except ValueError as err:
        errors.append(str(err))
    environment = settings.get("environment") or {}
    bad = [str(key) for key in environment if not ENVIRONMENT_VARIABLE_PATTERN.match(str(key))]
    if bad:
        errors.append(f"{call('environment')} has invalid variable names ({', '.join(bad)}): use letters, digits"
                      " and underscores.")
    reserved = [str(key) for key in environment if str(key).startswith("AWS_BATCH")]
    if reserved:
        errors.append(f"{call('environment')} sets {', '.join(reserved)}: names starting with AWS_BATCH are reserved"
                      " by AWS Batch; rename them.")
    bad = [str(key) for key in settings.get("parameters") or {} if not is_name(str(key))]
    if bad:
        errors.append(f"Parameter names must be 2 to 128 letters, digits, hyphens and underscores: {', '.join(bad)}.")
    if not (_number_at_least(settings.get("vcpus") or 0, 0) and _number_at_least(settings.get("memory") or 0, 0)):
        errors.append(f"{call('vcpus')} and {call('memory')} must be 0 (the job definition's) or more.")
    else:
        errors += resource_limit_errors(settings.get("vcpus") or 0, settings.get("memory") or 0, 0, names)
    if not (_number_at_least(settings.get("timeout", 1), 1) and _number_at_least(settings.get("poll_interval", 1), 1)):
        errors.append(f"{call('timeout')} and {call('poll_interval')} are seconds, 1 or more.")
    if not _number_at_least(settings.get("log_wait", 0), 0):
        errors.append(f"{call('log_wait')} is seconds, 0 or more.")
    if not _number_at_least(settings.get("log_tail", 1), 1):
        errors.append(f"{call('log_tail')} is a number of lines, 1 or more.")
    return errors


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
        bad = [key for key in environment if not ENVIRONMENT_VARIABLE_PATTERN.match(str(key))]
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


def not_yet_described(job_id: str, name: str, waited: float, within: float = JOB_VISIBLE_WITHIN) -> dict | None:
    """What to make of a job describe_jobs does not know (yet), waited seconds after its submission: the job as
    SUBMITTED while Batch may still be catching up, None (lost: wrong region or endpoint) after that."""
    if waited > within:
        return None
    return {"jobId": job_id, "jobName": name, "status": "SUBMITTED", "statusReason": ""}


def lost_message(job_id: str, name: str, within: float = JOB_VISIBLE_WITHIN) -> str:
    return (f"Batch job {name} ({job_id}) was submitted but describe_jobs has not shown it for {within} s: check the"
            " region and the endpoint. It may run all the same: look for it (aws batch describe-jobs --jobs"
            f" {job_id}) before submitting it again.")


def log_target(job: Mapping, definition: Mapping | None = None, default_group: str = DEFAULT_LOG_GROUP) -> dict:
    """Where the job's lines are: its container's logConfiguration, else its job definition's (describe_jobs leaves
    it out where the definition set none, and moto leaves it out always). Returns driver, group (None unless the
    driver is awslogs, which writes to CloudWatch Logs) and region (None: the job's own)."""
    configuration = ((job.get("container") or {}).get("logConfiguration")
                     or ((definition or {}).get("containerProperties") or {}).get("logConfiguration") or {})
    driver = configuration.get("logDriver") or "awslogs"
    options = configuration.get("options") or {}
    if driver != "awslogs":
        return {"driver": driver, "group": None, "region": None}
    return {"driver": driver, "group": options.get("awslogs-group") or default_group,
            "region": options.get("awslogs-region") or None}


def log_warning(outcome: Mapping, group: str, error: str) -> str:
    """The warning for log lines that could not be read: the job's own end is told as it is, the logs do not fail
    the run."""
    name = f"{outcome.get('job_name') or 'job'} ({outcome.get('job_id') or 'no id'})"
    status = outcome.get("status") or "UNKNOWN"
    code = "" if outcome.get("exit_code") is None else f", exit code {outcome['exit_code']}"
    return (f"Could not read the log lines of Batch job {name} from CloudWatch Logs ({group}"
            f" {outcome.get('log_stream_name') or 'no stream'}): {error}. The job is {status}{code}; the logs do not"
            " change that.")


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


def failure_message(outcome: dict, lines: list[str], tail: int = 20, timeout: int | None = None,
                    log_group: str = DEFAULT_LOG_GROUP, total: int | None = None, shown: bool = False) -> str:
    """The sentence the module fails with: what happened, what to do, then the last log lines (lines may be the last
    of total lines), or where they are when they were shown while the job ran (shown)."""
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
    if lines and shown:
        text += f"\nIts log lines are above ({log_group} {outcome.get('log_stream_name')})."
    elif lines:
        last = lines[-tail:] if tail > 0 else lines
        total = max(total or 0, len(lines))
        header = f"Last {len(last)} of {total} log lines" if total > len(last) else "Log lines"
        text += f"\n{header} ({log_group} {outcome.get('log_stream_name')}):\n" + "\n".join(last)
    elif outcome.get("log_stream_name") or timeout is None:
        text += "\nThe job wrote no log lines."
    return text
