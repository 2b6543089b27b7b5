# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""Helpers of dockwright's compute environment and job queue modules.

The first part is pure (no Ansible API, no boto3; the name and role ARN rules come from dockwright_batch): the
create request built from the module's options, what differs between a described compute environment and the
options, and checks of the options; a bad value raises ValueError or is reported as a sentence naming it. The second
part holds the few describe/list calls shared by the job queue modules; they take a boto3 client."""

from __future__ import annotations

import re

from ansible_collections.dockwright.toolkit.plugins.module_utils.batch_job_definition import NAME_PATTERN
from ansible_collections.dockwright.toolkit.plugins.module_utils.batch_job_definition import (
    ROLE_ARN_PATTERN as ROLE_ARN,
)

INSTANCE_PROFILE_ARN = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:instance-profile/[\w+=,.@/-]+$")
SUBNET_ID = re.compile(r"^subnet-[0-9a-f]{8,17}$")
SECURITY_GROUP_ID = re.compile(r"^sg-[0-9a-f]{8,17}$")

RESOURCE_TYPES = ("EC2", "SPOT", "FARGATE", "FARGATE_SPOT")
# Statuses during which Batch refuses changes to a compute environment or a queue.
TRANSITIONAL_STATUSES = ("CREATING", "UPDATING", "DELETING")
ACTIVE_JOB_STATUSES = ("SUBMITTED", "PENDING", "RUNNABLE", "STARTING", "RUNNING")

# Settings compared with a described compute environment: (key in the comparison, key under computeResources
# or None for a top-level key). Order is the order of the messages.
_COMPARED = (
    ("state", None),
    ("serviceRole", None),
    ("type", "type"),
    ("minvCpus", "minvCpus"),
    ("maxvCpus", "maxvCpus"),
    ("instanceTypes", "instanceTypes"),
    ("subnets", "subnets"),
    ("securityGroupIds", "securityGroupIds"),
    ("instanceRole", "instanceRole"),
    ("spotIamFleetRole", "spotIamFleetRole"),
)
# What UpdateComputeEnvironment cannot change in place.
_FIXED = ("type", "spotIamFleetRole")
_UNORDERED = ("instanceTypes", "subnets", "securityGroupIds")


def is_fargate(resource_type: str) -> bool:
    return str(resource_type).startswith("FARGATE")


def option_errors(params: dict) -> list[str]:
    """Sentences naming each problem of the compute environment options (empty when they are fine)."""
    errors = []
    name = params.get("name")
    if not isinstance(name, str) or not NAME_PATTERN.match(name):
        errors.append(f"name '{name}' is not a valid compute environment name: use 2 to 128 letters, digits, hyphens"
                      " and underscores, starting with a letter or digit.")
    if params.get("state", "present") == "absent":
        return errors
    kind = params.get("type")
    if kind not in RESOURCE_TYPES:
        errors.append(f"type '{kind}' must be one of {', '.join(RESOURCE_TYPES)}.")
    low, high, desired = params.get("min_vcpus") or 0, params.get("max_vcpus"), params.get("desired_vcpus")
    if high is None or high < 1:
        errors.append(f"max_vcpus ({high}) must be at least 1.")
    elif low < 0 or low > high:
        errors.append(f"min_vcpus ({low}) must lie between 0 and max_vcpus ({high}).")
    elif desired is not None and not low <= desired <= high:
        errors.append(f"desired_vcpus ({desired}) must lie between min_vcpus ({low}) and max_vcpus ({high}).")
    for subnet in params.get("subnets") or []:
        if not SUBNET_ID.match(str(subnet)):
            errors.append(f"subnet '{subnet}' is not a subnet ID (subnet-0123456789abcdef0).")
    for group in params.get("security_group_ids") or []:
        if not SECURITY_GROUP_ID.match(str(group)):
            errors.append(f"security group '{group}' is not a security group ID (sg-0123456789abcdef0).")
    if not params.get("subnets"):
        errors.append("subnets is empty: give at least one subnet ID for the environment's instances or tasks.")
    if not params.get("security_group_ids"):
        errors.append("security_group_ids is empty: give at least one security group ID.")
    service_role = params.get("service_role")
    if service_role and not ROLE_ARN.match(service_role):
        errors.append(f"service_role '{service_role}' is not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME).")
    instance_role = params.get("instance_role")
    if is_fargate(kind):
        for key in ("instance_types", "instance_role", "spot_iam_fleet_role"):
            if params.get(key):
                errors.append(f"{key} does not apply to {kind} compute environments: leave it empty.")
        if params.get("min_vcpus"):
            errors.append(f"min_vcpus does not apply to {kind} compute environments: leave it 0.")
    elif kind in RESOURCE_TYPES:
        if not params.get("instance_types"):
            errors.append(f"instance_types is empty: {kind} environments need at least one (e.g. optimal).")
        if not instance_role:
            errors.append(f"instance_role is empty: {kind} environments need an instance profile ARN.")
        elif not INSTANCE_PROFILE_ARN.match(instance_role):
            hint = " (this is a role ARN: give the ARN of the instance profile holding it)" if ROLE_ARN.match(
                instance_role) else ""
            errors.append(f"instance_role '{instance_role}' is not an instance profile ARN"
                          f" (arn:aws:iam::ACCOUNT:instance-profile/NAME){hint}.")
    if params.get("spot_iam_fleet_role") and kind != "SPOT":
        errors.append("spot_iam_fleet_role applies to SPOT compute environments only.")
    return errors


def wanted_settings(params: dict) -> dict:
    """The compared settings the options ask for, in the keys of a described environment (None = not asked)."""
    fargate = is_fargate(params["type"])
    return {
        "state": "ENABLED" if params.get("enabled", True) else "DISABLED",
        "serviceRole": params.get("service_role") or None,
        "type": params["type"],
        "minvCpus": None if fargate else params.get("min_vcpus") or 0,
        "maxvCpus": params["max_vcpus"],
        "instanceTypes": None if fargate else sorted(params.get("instance_types") or []),
        "subnets": sorted(params.get("subnets") or []),
        "securityGroupIds": sorted(params.get("security_group_ids") or []),
        "instanceRole": None if fargate else params.get("instance_role"),
        "spotIamFleetRole": params.get("spot_iam_fleet_role") or None,
    }


def current_settings(environment: dict) -> dict:
    """The compared settings of a described compute environment (describe_compute_environments item)."""
    resources = environment.get("computeResources") or {}
    settings = {}
    for key, resource_key in _COMPARED:
        value = environment.get(key) if resource_key is None else resources.get(resource_key)
        settings[key] = sorted(value) if key in _UNORDERED and value is not None else value
    return settings


def create_request(params: dict) -> dict:
    """The keyword arguments of batch.create_compute_environment for the options (a MANAGED environment)."""
    wanted = wanted_settings(params)
    resources = {"type": params["type"], "maxvCpus": params["max_vcpus"],
                 "subnets": list(params.get("subnets") or []),
                 "securityGroupIds": list(params.get("security_group_ids") or [])}
    if not is_fargate(params["type"]):
        resources.update(minvCpus=wanted["minvCpus"], instanceTypes=list(params.get("instance_types") or []),
                         instanceRole=params["instance_role"])
        if params.get("desired_vcpus") is not None:
            resources["desiredvCpus"] = params["desired_vcpus"]
        if params.get("spot_iam_fleet_role"):
            resources["spotIamFleetRole"] = params["spot_iam_fleet_role"]
    request = {"computeEnvironmentName": params["name"], "type": "MANAGED", "state": wanted["state"],
               "computeResources": resources}
    if wanted["serviceRole"]:
        request["serviceRole"] = wanted["serviceRole"]
    return request


def changes(environment: dict, params: dict) -> tuple[dict, list[str], list[str]]:
    """What it takes to bring a described environment to the options.

    Returns the keyword arguments of batch.update_compute_environment ({} when nothing differs), the changes in
    plain words, and the differences that cannot be made in place (each a sentence).
    """
    before, after = current_settings(environment), wanted_settings(params)
    update, resources, words, fixed = {}, {}, [], []
    if environment.get("type", "MANAGED") != "MANAGED":
        fixed.append(f"compute environment {params['name']} is {environment.get('type')}, not MANAGED")
    for key, resource_key in _COMPARED:
        want, have = after[key], before[key]
        if want is None or want == have:
            continue
        if key in _FIXED:
            fixed.append(f"{key} is {have}, not {want}, and cannot be changed in place")
            continue
        words.append(f"{key} {have} -> {want}")
        if resource_key is None:
            update[key] = want
        else:
            resources[resource_key] = want
    if resources:
        update["computeResources"] = resources
    if update:
        update = {"computeEnvironment": environment.get("computeEnvironmentArn") or params["name"], **update}
    return update, words, fixed


def predicted(environment: dict | None, params: dict) -> dict:
    """How a described environment (or a new one) looks once the options are applied: the after side of a diff."""
    settings = current_settings(environment or {})
    settings.update({key: value for key, value in wanted_settings(params).items() if value is not None})
    if environment is None and params.get("desired_vcpus") is not None:
        settings["desiredvCpus"] = params["desired_vcpus"]
    return settings


# Client helpers (shared by the job queue modules).

def describe_queue(client, queue: str, retry: bool = True) -> dict | None:
    """The described job queue (by name or ARN), or None when there is none (or it is DELETED)."""
    queues = client.describe_job_queues(jobQueues=[queue], aws_retry=retry)["jobQueues"]
    queues = [item for item in queues if item.get("status") != "DELETED"]
    return queues[0] if queues else None


def active_jobs(client, queue: str, statuses=ACTIVE_JOB_STATUSES, retry: bool = True) -> list[dict]:
    """The queue's jobs in the given statuses, each {job_id, job_name, status}, oldest first."""
    jobs = []
    paginator = client.get_paginator("list_jobs")
    for status in statuses:
        for page in paginator.paginate(jobQueue=queue, jobStatus=status):
            for summary in page.get("jobSummaryList", []):
                # The status filter is asked of the API; it is checked again as emulators may ignore it.
                if summary.get("status", status) == status:
                    jobs.append({"job_id": summary["jobId"], "job_name": summary.get("jobName", ""),
                                 "status": status, "created_at": summary.get("createdAt", 0)})
    return sorted(jobs, key=lambda job: (job["created_at"], job["job_id"]))
