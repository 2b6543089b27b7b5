# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""What every piece of dockwright's AWS Batch code shares, each defined once: the shapes of Batch names, ARNs,
region names and IDs; how a YAML value is written as text and a vCPU figure as a number; how a command is split
into words; small validators of names and references; and the polling loop that waits for Batch to reach a state.

Pure Python (no Ansible API, no boto3): the modules, the filters the roles validate their inputs with, and the
tests all import it. A validator raises ValueError, or returns sentences, naming the bad value and what to give."""

from __future__ import annotations

import re
import shlex
import time
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

# AWS Batch's rule for names (jobs, queues, compute environments, job definitions, parameters): a letter or digit,
# then letters, digits, hyphens and underscores; 2 to 128 characters in all.
NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{1,127}$")
NAME_RULE = "use 2 to 128 letters, digits, hyphens and underscores, starting with a letter or digit"

ROLE_ARN_PATTERN = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]+$")
INSTANCE_PROFILE_ARN_PATTERN = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:instance-profile/[\w+=,.@/-]+$")
JOB_DEFINITION_ARN_PATTERN = re.compile(
    r"^arn:aws[a-z-]*:batch:[a-z0-9-]+:\d{12}:job-definition/[A-Za-z0-9_-]+:[1-9]\d*$"
)
JOB_QUEUE_ARN_PATTERN = re.compile(r"^arn:aws[a-z-]*:batch:[a-z0-9-]+:\d{12}:job-queue/[A-Za-z0-9_-]+$")
COMPUTE_ENVIRONMENT_ARN_PATTERN = re.compile(
    r"^arn:aws[a-z-]*:batch:[a-z0-9-]+:\d{12}:compute-environment/[A-Za-z0-9_-]+$"
)
LAMBDA_FUNCTION_PATTERN = re.compile(
    r"^([A-Za-z0-9_-]{1,64}|arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,64})$"
)
SUBNET_ID_PATTERN = re.compile(r"^subnet-[0-9a-f]{8,17}$")
SECURITY_GROUP_ID_PATTERN = re.compile(r"^sg-[0-9a-f]{8,17}$")
ENVIRONMENT_VARIABLE_PATTERN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# The largest resources one Batch job can ask for on EC2: the largest instances Batch can launch (u-24tb1.112xlarge:
# 448 vCPUs, 24 TiB), the most GPUs an instance carries (16); more can never be placed and the job waits forever.
MAX_EC2_VCPUS = 448
MAX_EC2_MEMORY_MIB = 24 * 1024 * 1024
MAX_GPUS = 16


def resource_limit_errors(vcpus: Any, memory: Any, gpus: Any = 0, names: Mapping[str, str] | None = None) -> list[str]:
    """Sentences for resource figures above what any EC2 instance has (a figure that is not a number is left to the
    caller's own checks)."""
    call, errors = namer(names), []
    for key, value, limit, unit in (("vcpus", vcpus, MAX_EC2_VCPUS, " vCPUs"), ("memory", memory, MAX_EC2_MEMORY_MIB,
                                    " MiB"), ("gpus", gpus, MAX_GPUS, " GPUs")):
        try:
            too_big = float(str(value).strip() or 0) > limit
        except ValueError:
            continue
        if too_big:
            errors.append(f"{call(key)} {value} is more than any instance Batch can launch has ({limit}{unit}): a job"
                          " asking for it would wait forever. Give less.")
    return errors


# Statuses during which Batch refuses changes to a compute environment or a job queue.
TRANSITIONAL_STATUSES = ("CREATING", "UPDATING", "DELETING")


def namer(names: Mapping[str, str] | None) -> Callable[[str], str]:
    """How to call each setting in a message: names maps a setting to the variable the user set (a role
    variable); a setting missing from it is called by its own name (a module option)."""
    names = names or {}
    return lambda key: names.get(key, key)


def as_text(value: Any) -> str:
    """A YAML scalar as the string AWS stores (parameters, environment values, tags): booleans as true/false, as
    YAML writes them, and None as empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def format_number(value: Any) -> str:
    """A vCPU or memory figure as Batch writes it: 1 -> '1', 1.0 -> '1', 0.25 -> '0.25'."""
    number = Decimal(str(value).strip())
    if number == number.to_integral_value():
        return str(int(number))
    return format(number.normalize(), "f")


def split_command(command: Any, what: str = "command") -> list[str]:
    """A command as an exec list: a list is kept (items as text), a string is split like a shell would (quotes keep
    words together; no shell runs it). None or an empty value means no command (the image's or the job
    definition's). Raises ValueError naming the value (called what) when it cannot be made a list of words."""
    if command is None or command == "" or command == []:
        return []
    if isinstance(command, str):
        try:
            return shlex.split(command)
        except ValueError as err:
            raise ValueError(f"{what} {command!r} cannot be split into words ({err}): check its quotes, or give it"
                             " as a list instead.") from err
    if isinstance(command, (list, tuple)):
        bad = [item for item in command if isinstance(item, (Mapping, list, tuple)) or item is None]
        if bad:
            raise ValueError(f"{what} must be a list of strings; {bad[0]!r} is not one.")
        return [as_text(part) for part in command]
    raise ValueError(f"{what} must be a list of strings or a string, not {type(command).__name__}.")


def is_name(value: Any) -> bool:
    return isinstance(value, str) and bool(NAME_PATTERN.match(value))


def check_name(value: Any, what: str = "name") -> str:
    """Return a name Batch accepts, or raise ValueError saying what is wrong with it."""
    if not is_name(value):
        raise ValueError(f"{what} '{value}' is not a valid AWS Batch name: {NAME_RULE}.")
    return value


def is_job_definition(value: Any) -> bool:
    """Whether value is a job definition name, name:revision (revision a positive number) or ARN."""
    if not isinstance(value, str):
        return False
    if JOB_DEFINITION_ARN_PATTERN.match(value):
        return True
    name, colon, revision = value.partition(":")
    return bool(NAME_PATTERN.match(name)) and (not colon or (revision.isdigit() and int(revision) > 0))


def check_job_definition(value: Any, what: str = "job_definition") -> str:
    """Return a job definition given as name, name:revision or ARN, or raise ValueError."""
    if not is_job_definition(value):
        raise ValueError(
            f"{what} '{value}' is neither a job definition name, name:revision (revision a positive number)"
            " nor a job definition ARN (arn:aws:batch:REGION:ACCOUNT:job-definition/NAME:REVISION)."
        )
    return value


def job_definition_name(value: Any) -> str:
    """The bare name of a job definition given as name, name:revision or ARN ('' for '')."""
    return re.sub(r":.*$", "", re.sub(r"^.*/", "", str(value or "")))


def describe_job_definition(client, definition: str) -> dict | None:
    """The revision a submission of definition would use: the one named (name:revision or ARN), or a bare name's
    latest ACTIVE one; None when there is none. botocore's errors are the caller's to report."""
    if ":" in definition:  # name:revision, or an ARN
        found = client.describe_job_definitions(jobDefinitions=[definition], aws_retry=True)["jobDefinitions"]
    else:
        found = [item for item in client.describe_job_definitions(jobDefinitionName=definition, status="ACTIVE",
                                                                  aws_retry=True)["jobDefinitions"]
                 if item.get("status", "ACTIVE") == "ACTIVE"]
    return max(found, key=lambda item: item.get("revision", 0)) if found else None


def poll_until(probe, done, deadline, first=1.0, factor=2.0, longest=10.0, clock=time.monotonic, sleep=time.sleep):
    """Calls probe() until done(value) holds or the clock passes deadline (a clock() value), pausing first seconds
    after the first look and factor times longer after each next one, up to longest; no pause runs past deadline.
    Returns (the last value, whether done(value) held)."""
    pause = first
    value = probe()
    while not done(value):
        left = deadline - clock()
        if left <= 0:
            return value, False
        sleep(min(pause, left))
        pause = min(pause * factor, longest)
        value = probe()
    return value, True


def lambda_target_errors(settings: Mapping, names: Mapping[str, str] | None = None) -> list[str]:
    """Sentences naming each problem of a Lambda function to point at a queue and a job definition (empty when
    there is none): settings holds function ("" = none), job_definition ("" = none), queue_variable and
    job_definition_variable (the names of the function's environment variables); names says how to call each."""
    call, errors = namer(names), []
    function, definition = settings.get("function") or "", settings.get("job_definition") or ""
    if function and not LAMBDA_FUNCTION_PATTERN.match(str(function)):
        errors.append(f"{call('function')} '{function}' is neither a Lambda function name (1 to 64 letters, digits,"
                      " hyphens, underscores) nor a function ARN.")
    if definition and not is_job_definition(definition):
        errors.append(f"{call('job_definition')} '{definition}' is neither a job definition name, name:revision nor a"
                      " job definition ARN.")
    variables = [str(settings.get("queue_variable")), str(settings.get("job_definition_variable"))]
    if not all(ENVIRONMENT_VARIABLE_PATTERN.match(name) for name in variables) or variables[0] == variables[1]:
        errors.append(f"{call('queue_variable')} ('{variables[0]}') and {call('job_definition_variable')}"
                      f" ('{variables[1]}') must be two different environment variable names (letters, digits,"
                      " underscores).")
    return errors
