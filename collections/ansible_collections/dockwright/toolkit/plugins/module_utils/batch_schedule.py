# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""Helpers of the batch_schedule module and of the batch_schedule role's checks: an EventBridge Scheduler schedule
that submits a Batch job (the Scheduler's universal target for Batch's SubmitJob).

The first part is pure (no Ansible API, no boto3): the checks of a schedule's settings (its name, its cron, rate or
at expression, its time zone, the queue, the job definition and the role), the request sent to the Scheduler, what
differs between a described schedule and the wanted one, and the IAM documents of the role the Scheduler assumes.
The second part holds the few describe calls the module makes; they take a boto3 client."""

from __future__ import annotations

import calendar
import json
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from ansible_collections.dockwright.toolkit.plugins.module_utils.batch import (
    JOB_QUEUE_ARN_PATTERN,
    NAME_RULE,
    ROLE_ARN_PATTERN,
    is_job_definition,
    is_name,
    namer,
)

# The Scheduler's names (schedules and schedule groups): 1 to 64 letters, digits, dots, hyphens and underscores.
SCHEDULE_NAME_PATTERN = re.compile(r"^[0-9A-Za-z._-]{1,64}$")
SCHEDULE_NAME_RULE = "use 1 to 64 letters, digits, dots, hyphens and underscores"
MAX_DESCRIPTION = 512
IAM_ROLE_NAME_PATTERN = re.compile(r"^[\w+=,.@-]{1,64}$", re.ASCII)
# The universal target that calls Batch's SubmitJob; its Input holds SubmitJob's parameters (JobName, JobQueue,
# JobDefinition) as the SDK names them.
SUBMIT_JOB_ACTION = "aws-sdk:batch:submitJob"
TRUST_SERVICE = "scheduler.amazonaws.com"

RATE_PATTERN = re.compile(r"^rate\((?P<value>\d+) (?P<unit>[a-z]+)\)$")
RATE_UNITS = ("minute", "hour", "day")
AT_PATTERN = re.compile(r"^at\((?P<time>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$")
CRON_PATTERN = re.compile(r"^cron\((?P<fields>[^()]*)\)$")
MONTHS = [name.upper() for name in calendar.month_abbr[1:]]
DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]
# Each field of a cron expression: its name, its lowest and highest values, the names it takes for numbers (first
# name = lowest value), and the special characters it allows besides , - * /.
CRON_FIELDS = (
    ("minutes", 0, 59, None, ""),
    ("hours", 0, 23, None, ""),
    ("day-of-month", 1, 31, None, "?LW"),
    ("month", 1, 12, MONTHS, ""),
    ("day-of-week", 1, 7, DAYS, "?L#"),
    ("year", 1970, 2199, None, ""),
)
EXPRESSION_FORMS = ("cron(minutes hours day-of-month month day-of-week year), e.g. cron(0 3 * * ? *);"
                    " rate(N minutes|hours|days), e.g. rate(12 hours); or at(YYYY-MM-DDThh:mm:ss) for one run")


def _cron_value(text: str, low: int, high: int, labels: list[str] | None) -> int | None:
    """A cron field's single value (a number or, where the field has them, a name), or None when it is not one."""
    if labels and text.upper() in labels:
        return low + labels.index(text.upper())
    if text.isdigit() and low <= int(text) <= high:
        return int(text)
    return None


def _cron_item_ok(item: str, index: int) -> bool:
    """Whether one comma-separated item of cron field index is well formed."""
    _name, low, high, labels, special = CRON_FIELDS[index]
    if item == "*":
        return True
    if item == "?":
        return "?" in special
    if index == 2 and (item in ("L", "LW") or re.fullmatch(r"\d{1,2}W", item)):
        return item in ("L", "LW") or _cron_value(item[:-1], low, high, None) is not None
    if index == 4 and "L" in special and re.fullmatch(r"[1-7A-Za-z]{1,3}L|L", item):
        return item == "L" or _cron_value(item[:-1], low, high, labels) is not None
    if index == 4 and "#" in item:
        day, _hash, nth = item.partition("#")
        return _cron_value(day, low, high, labels) is not None and nth in ("1", "2", "3", "4", "5")
    start, slash, step = item.partition("/")
    if slash and not (step.isdigit() and int(step) >= 1):
        return False
    if start == "*" and slash:
        return True
    first, dash, last = start.partition("-")
    if _cron_value(first, low, high, labels) is None:
        return False
    return not dash or _cron_value(last, low, high, labels) is not None


def expression_errors(expression: Any, what: str = "expression") -> list[str]:
    """Sentences naming what is wrong with a Scheduler expression (empty when it is fine): cron() with six fields,
    rate() with a positive number and its unit, or at() with a date and time. Each names the field at fault."""
    text = str(expression or "").strip()
    if not text:
        return [f"{what} is empty: give {EXPRESSION_FORMS}."]
    if text.startswith("rate("):
        match = RATE_PATTERN.match(text)
        if not match:
            return [f"{what} '{text}' is not a rate expression: write rate(N unit), N a whole number, unit minutes,"
                    " hours or days, e.g. rate(12 hours)."]
        value, unit = int(match["value"]), match["unit"]
        singular = unit[:-1] if unit.endswith("s") else unit
        if singular not in RATE_UNITS:
            return [f"{what} '{text}': the unit '{unit}' is none of minute(s), hour(s), day(s)."]
        if value < 1:
            return [f"{what} '{text}': the rate must be 1 or more."]
        wanted = singular if value == 1 else singular + "s"
        if unit != wanted:
            return [f"{what} '{text}': write rate({value} {wanted}) (singular for 1, plural otherwise, as AWS wants)."]
        return []
    if text.startswith("at("):
        match = AT_PATTERN.match(text)
        try:
            if match:
                datetime.strptime(match["time"], "%Y-%m-%dT%H:%M:%S")
                return []
        except ValueError:
            pass
        return [f"{what} '{text}' is not a one-time expression: write at(YYYY-MM-DDThh:mm:ss), a real date and time,"
                " e.g. at(2026-12-24T18:00:00)."]
    match = CRON_PATTERN.match(text)
    if not match:
        return [f"{what} '{text}' is none of the Scheduler's expressions: give {EXPRESSION_FORMS}."]
    fields = match["fields"].split()
    if len(fields) != len(CRON_FIELDS):
        return [f"{what} '{text}' has {len(fields)} fields; a Scheduler cron expression has 6 (minutes hours"
                " day-of-month month day-of-week year), e.g. cron(0 3 * * ? *) for 03:00 every day."]
    errors = []
    for index, field in enumerate(fields):
        name, low, high, labels, special = CRON_FIELDS[index]
        if not all(item and _cron_item_ok(item, index) for item in field.split(",")):
            allowed = f"{low}-{high}" + (f" or {labels[0]}-{labels[-1]}" if labels else "")
            extra = f", {' '.join(special)}" if special else ""
            errors.append(f"{what} '{text}': the {name} field '{field}' is not valid (values {allowed}; with , - * /"
                          f"{extra}).")
    if not errors and (fields[2] == "?") == (fields[4] == "?"):
        errors.append(f"{what} '{text}': exactly one of day-of-month ('{fields[2]}') and day-of-week ('{fields[4]}')"
                      " must be '?', e.g. cron(0 3 * * ? *) or cron(0 3 ? * MON-FRI *).")
    return errors


def timezone_errors(timezone: Any, what: str = "timezone", known: frozenset[str] | None = None) -> list[str]:
    """Sentences for a time zone that is not an IANA name (empty for '' = UTC). known is the set of names (by
    default the system's tz database; when it has none, only the shape is checked)."""
    text = str(timezone or "")
    if not text:
        return []
    if known is None:
        import zoneinfo

        known = frozenset(zoneinfo.available_timezones())
    if text == "UTC" or (text in known if known else re.fullmatch(r"[A-Za-z_]+(/[A-Za-z0-9_+-]+)*", text)):
        return []
    return [f"{what} '{text}' is not a time zone name of the tz database: give one such as Europe/Paris,"
            " America/New_York or UTC (empty means UTC)."]


def schedule_name_errors(value: Any, what: str) -> list[str]:
    if isinstance(value, str) and SCHEDULE_NAME_PATTERN.match(value):
        return []
    return [f"{what} '{value}' is not a valid schedule name: {SCHEDULE_NAME_RULE}."]


def schedule_errors(settings: Mapping, names: Mapping[str, str] | None = None) -> list[str]:
    """Sentences naming each problem of a schedule's settings (empty when they are fine).

    settings holds name, group, state, expression, timezone, job_queue, job_definition, job_name, role_arn,
    role_name (the role to make when role_arn is empty) and description; names says how to call each in the
    sentences (a role's variables; by default the keys). With state absent only the name and group count; an empty
    role_arn is not checked (the role makes one)."""
    call, errors = namer(names), []
    errors += schedule_name_errors(settings.get("name"), call("name"))
    errors += schedule_name_errors(settings.get("group") or "default", call("group"))
    state = settings.get("state", "present")
    if state not in ("present", "absent"):
        errors.append(f"{call('state')} '{state}' must be present or absent.")
    if state == "absent":
        return errors
    errors += expression_errors(settings.get("expression"), call("expression"))
    errors += timezone_errors(settings.get("timezone"), call("timezone"))
    queue = str(settings.get("job_queue") or "")
    if not queue:
        errors.append(f"{call('job_queue')} is empty: name the job queue the schedule submits to (make: QUEUE=).")
    elif not (JOB_QUEUE_ARN_PATTERN.match(queue) if queue.startswith("arn:") else is_name(queue)):
        errors.append(f"{call('job_queue')} '{queue}' is neither a job queue name ({NAME_RULE}) nor a job queue ARN"
                      " (arn:aws:batch:REGION:ACCOUNT:job-queue/NAME).")
    definition = str(settings.get("job_definition") or "")
    if not definition:
        errors.append(f"{call('job_definition')} is empty: name the job definition the schedule submits"
                      " (make: JOB_DEFINITION=).")
    elif not is_job_definition(definition):
        errors.append(f"{call('job_definition')} '{definition}' is neither a job definition name, name:revision"
                      " (revision a positive number) nor a job definition ARN"
                      " (arn:aws:batch:REGION:ACCOUNT:job-definition/NAME:REVISION).")
    job_name = settings.get("job_name") or ""
    if job_name and not is_name(job_name):
        errors.append(f"{call('job_name')} '{job_name}' is not a valid AWS Batch job name: {NAME_RULE}.")
    role = settings.get("role_arn") or ""
    if role and not ROLE_ARN_PATTERN.match(str(role)):
        errors.append(f"{call('role_arn')} '{role}' is not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME); leave it"
                      " empty to have one made.")
    role_name = settings.get("role_name") or ""
    if role_name and not IAM_ROLE_NAME_PATTERN.match(str(role_name)):
        errors.append(f"{call('role_name')} '{role_name}' is not a valid IAM role name: use 1 to 64 letters, digits"
                      " and + = , . @ _ -.")
    if len(str(settings.get("description") or "")) > MAX_DESCRIPTION:
        errors.append(f"{call('description')} is longer than {MAX_DESCRIPTION} characters.")
    return errors


def arn_parts(arn: str) -> dict[str, str]:
    """The partition, region and account of an ARN (arn:PARTITION:SERVICE:REGION:ACCOUNT:...)."""
    parts = str(arn).split(":")
    return {"partition": parts[1], "region": parts[3], "account": parts[4]}


def target_arn(queue_arn: str) -> str:
    """The universal target of Batch's SubmitJob in the queue's partition."""
    return f"arn:{arn_parts(queue_arn)['partition']}:scheduler:::{SUBMIT_JOB_ACTION}"


def job_definition_base(arn: str) -> str:
    """A job definition ARN without its revision (SubmitJob then takes the latest ACTIVE revision)."""
    return re.sub(r":\d+$", "", str(arn))


def submit_resources(queue_arn: str, job_definition_arn: str) -> list[str]:
    """What the Scheduler's role must be allowed batch:SubmitJob on: the queue and the job definition (any revision,
    as a name without revision submits the latest)."""
    base = job_definition_base(job_definition_arn)
    return [queue_arn, base, f"{base}:*"]


def submit_policy(resources: list[str]) -> dict:
    """The role's inline policy: batch:SubmitJob on these resources and nothing else."""
    return {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "batch:SubmitJob", "Resource": list(resources)}]}


def trust_policy(account: str) -> dict:
    """The role's trust policy: the Scheduler may assume it, for schedules of this account only."""
    return {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Service": TRUST_SERVICE}, "Action": "sts:AssumeRole",
         "Condition": {"StringEquals": {"aws:SourceAccount": str(account)}}}]}


def target_input(queue_arn: str, job_definition: str, job_name: str) -> dict:
    """SubmitJob's parameters, as the universal target's Input carries them."""
    return {"JobName": job_name, "JobQueue": queue_arn, "JobDefinition": job_definition}


def wanted_schedule(settings: Mapping, queue_arn: str, job_definition: str, job_name: str, role_arn: str) -> dict:
    """The compared settings the options ask for (the shape of current_settings)."""
    return {
        "expression": str(settings["expression"]).strip(),
        "timezone": settings.get("timezone") or "UTC",
        "state": "ENABLED" if settings.get("enabled", True) else "DISABLED",
        "description": settings.get("description") or "",
        "flexible_time_window": {"Mode": "OFF"},
        "target": {"arn": target_arn(queue_arn), "role_arn": role_arn,
                   "input": target_input(queue_arn, job_definition, job_name)},
    }


def _input(text: Any) -> Any:
    try:
        return json.loads(text) if isinstance(text, str) else text
    except ValueError:
        return text


def current_settings(schedule: Mapping | None) -> dict:
    """The compared settings of a described schedule (get_schedule's answer); {} for none. The Scheduler's own
    additions (a default retry policy, dates) are not compared."""
    if not schedule:
        return {}
    target = schedule.get("Target") or {}
    return {
        "expression": schedule.get("ScheduleExpression"),
        "timezone": schedule.get("ScheduleExpressionTimezone") or "UTC",
        "state": schedule.get("State") or "ENABLED",
        "description": schedule.get("Description") or "",
        "flexible_time_window": {key: value for key, value in (schedule.get("FlexibleTimeWindow") or {}).items()
                                 if key in ("Mode", "MaximumWindowInMinutes") and value is not None},
        "target": {"arn": target.get("Arn"), "role_arn": target.get("RoleArn"), "input": _input(target.get("Input"))},
    }


def schedule_changes(current: Mapping, wanted: Mapping) -> list[str]:
    """What differs between the described schedule's settings and the wanted ones, in plain words (empty: none)."""
    words = []
    for key, label in (("expression", "expression"), ("timezone", "time zone"), ("state", "state"),
                       ("description", "description"), ("flexible_time_window", "flexible time window")):
        if current.get(key) != wanted.get(key):
            words.append(f"{label} {current.get(key)!r} -> {wanted.get(key)!r}")
    have, want = current.get("target") or {}, wanted.get("target") or {}
    if have.get("arn") != want.get("arn"):
        words.append(f"target {have.get('arn')} -> {want.get('arn')}")
    if have.get("role_arn") != want.get("role_arn"):
        words.append(f"role {have.get('role_arn')} -> {want.get('role_arn')}")
    before, after = have.get("input") or {}, want.get("input") or {}
    if not isinstance(before, Mapping):
        words.append("job submitted: unreadable -> " + json.dumps(after, sort_keys=True))
    else:
        for key in sorted(set(before) | set(after)):
            if before.get(key) != after.get(key):
                words.append(f"{key} {before.get(key)} -> {after.get(key)}")
    return words


def schedule_request(name: str, group: str, wanted: Mapping) -> dict:
    """The keyword arguments of create_schedule / update_schedule (both take every setting: an update replaces
    the whole schedule)."""
    target = wanted["target"]
    request = {
        "Name": name,
        "GroupName": group,
        "ScheduleExpression": wanted["expression"],
        "ScheduleExpressionTimezone": wanted["timezone"],
        "State": wanted["state"],
        "FlexibleTimeWindow": dict(wanted["flexible_time_window"]),
        "Target": {"Arn": target["arn"], "RoleArn": target["role_arn"],
                   "Input": json.dumps(target["input"], sort_keys=True)},
    }
    if wanted.get("description"):
        request["Description"] = wanted["description"]
    return request


def role_not_assumable(code: Any, message: Any) -> bool:
    """Whether the Scheduler refused a role it cannot assume yet: right after its creation IAM may not have
    propagated it (sent again for a while), or its trust policy names another service (the same refusal, for good)."""
    return str(code) == "ValidationException" and "assume" in str(message).lower()


# Client helpers.

def describe_schedule(client, name: str, group: str, retry: bool = True) -> dict | None:
    """The described schedule (get_schedule), or None when there is none."""
    try:
        return client.get_schedule(Name=name, GroupName=group, aws_retry=retry)
    except client.exceptions.ResourceNotFoundException:
        return None


def queue_arn(client, queue: str, retry: bool = True) -> str | None:
    """The ARN of a job queue given by name or ARN, or None when Batch has no such queue."""
    queues = client.describe_job_queues(jobQueues=[queue], aws_retry=retry)["jobQueues"]
    found = [item["jobQueueArn"] for item in queues if item.get("status") != "DELETED"]
    return found[0] if found else None


def job_definition_arn(client, definition: str) -> str | None:
    """The ARN the schedule submits for a job definition given by name (without revision: Batch takes the latest
    ACTIVE one at each run), name:revision or ARN (that revision), or None when no ACTIVE one matches. A
    name:revision is looked for among the name's revisions (emulators find only names and ARNs)."""
    if definition.startswith("arn:"):
        found = client.describe_job_definitions(jobDefinitions=[definition], aws_retry=True)["jobDefinitions"]
        found = [item for item in found if item.get("status") == "ACTIVE"]
        return found[0]["jobDefinitionArn"] if found else None
    name, _colon, revision = definition.partition(":")
    pages = client.get_paginator("describe_job_definitions").paginate(jobDefinitionName=name, status="ACTIVE")
    found = [item for item in pages.build_full_result().get("jobDefinitions", [])
             if item.get("status") == "ACTIVE" and item.get("jobDefinitionName") == name
             and (not revision or str(item.get("revision")) == revision)]
    if not found:
        return None
    return found[0]["jobDefinitionArn"] if revision else job_definition_base(found[0]["jobDefinitionArn"])
