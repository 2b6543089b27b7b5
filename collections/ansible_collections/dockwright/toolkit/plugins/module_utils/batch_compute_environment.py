# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""Pure helpers of the batch_compute_environment module and of the batch_environment role's checks: the checks of
a compute environment's settings, the create request built from the module's options, and what differs between a
described compute environment and the options. No Ansible API, no boto3 (the name and ARN rules come from
module_utils.batch); a problem is reported as a sentence naming the setting as the caller calls it."""

from __future__ import annotations

from collections.abc import Mapping

from ansible_collections.dockwright.toolkit.plugins.module_utils.batch import (
    INSTANCE_PROFILE_ARN_PATTERN,
    NAME_RULE,
    ROLE_ARN_PATTERN,
    SECURITY_GROUP_ID_PATTERN,
    SUBNET_ID_PATTERN,
    is_name,
    namer,
)
from ansible_collections.dockwright.toolkit.plugins.module_utils.settings import unknown_keys

RESOURCE_TYPES = ("EC2", "SPOT", "FARGATE", "FARGATE_SPOT")
# How Batch picks instances when the best fitting type runs short (EC2 and SPOT only). Batch uses BEST_FIT when
# none is given, and an environment with BEST_FIT never takes an infrastructure update (see _INFRASTRUCTURE), so
# environments are created with the progressive strategy of their type unless told otherwise.
ALLOCATION_STRATEGIES = ("BEST_FIT", "BEST_FIT_PROGRESSIVE", "SPOT_CAPACITY_OPTIMIZED", "SPOT_PRICE_CAPACITY_OPTIMIZED")
DEFAULT_ALLOCATION_STRATEGIES = {"EC2": "BEST_FIT_PROGRESSIVE", "SPOT": "SPOT_PRICE_CAPACITY_OPTIMIZED"}
# The strategies an infrastructure update needs (with the service-linked role): Batch's user guide, "Perform
# infrastructure updates".
INFRASTRUCTURE_UPDATE_STRATEGIES = ("BEST_FIT_PROGRESSIVE", "SPOT_CAPACITY_OPTIMIZED", "SPOT_PRICE_CAPACITY_OPTIMIZED")
# Batch's service-linked role: arn:aws:iam::ACCOUNT:role/aws-service-role/batch.amazonaws.com/AWSServiceRoleForBatch.
SERVICE_LINKED_ROLE = "AWSServiceRoleForBatch"
# The sections of a BatchConfig.yml the batch_environment role reads, and the keys each may hold (the settings
# without the role's prefix; the queue's without queue_).
CONFIG_FILE_KEYS = {
    "compute_environment": ("name", "type", "min_vcpus", "max_vcpus", "desired_vcpus", "instance_types", "subnets",
                            "security_group_ids", "instance_role", "service_role", "spot_iam_fleet_role",
                            "allocation_strategy"),
    "job_queue": ("name", "priority", "compute_environments"),
}

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
    ("allocationStrategy", "allocationStrategy"),
)
# What UpdateComputeEnvironment cannot change in place.
_FIXED = ("type", "spotIamFleetRole")
# What only an infrastructure update changes on an EC2 or SPOT environment (Fargate ones take new subnets and
# security groups as they are); the vCPU bounds and the state are scaling updates, which any environment takes.
_INFRASTRUCTURE = ("instanceTypes", "subnets", "securityGroupIds", "instanceRole", "allocationStrategy")
_UNORDERED = ("instanceTypes", "subnets", "securityGroupIds")


def is_fargate(resource_type: str) -> bool:
    return str(resource_type).startswith("FARGATE")


def is_service_linked(role) -> bool:
    """Whether a service role (as given or described) is Batch's service-linked role; none given means it too."""
    return not role or str(role).rsplit("/", 1)[-1] == SERVICE_LINKED_ROLE


def allocation_strategy(settings: Mapping) -> str | None:
    """The allocation strategy an environment is created with: the one given, else its type's progressive one
    (None for Fargate, which has none)."""
    kind = settings.get("type")
    if is_fargate(kind):
        return None
    return settings.get("allocation_strategy") or DEFAULT_ALLOCATION_STRATEGIES.get(kind)


def _whole(value, default=None):
    """An int from an int or a numeric string (role variables arrive as text); default when empty; None if bad."""
    if value is None or value == "":
        return default
    try:
        return int(str(value).strip())
    except ValueError:
        return None


def environment_errors(settings: Mapping, names: Mapping[str, str] | None = None) -> list[str]:
    """Sentences naming each problem of a compute environment's settings (empty when they are fine).

    settings holds the module's options (name, state, type, min_vcpus, max_vcpus, desired_vcpus, instance_types,
    subnets, security_group_ids, instance_role, service_role, spot_iam_fleet_role); names says how to call each
    in the sentences (a role's variables; by default the option names). With state absent only the name counts."""
    call, errors = namer(names), []
    name = settings.get("name")
    if not is_name(name):
        errors.append(f"{call('name')} '{name}' is not a valid AWS Batch name (for a compute environment):"
                      f" {NAME_RULE}.")
    if settings.get("state", "present") == "absent":
        return errors
    kind = settings.get("type")
    if kind not in RESOURCE_TYPES:
        errors.append(f"{call('type')} '{kind}' must be one of {', '.join(RESOURCE_TYPES)}.")
    low, high = _whole(settings.get("min_vcpus"), 0), _whole(settings.get("max_vcpus"))
    desired = _whole(settings.get("desired_vcpus"))
    counts = (f"the vCPU counts must satisfy 0 <= min <= desired <= max, and here {call('min_vcpus')} is"
              f" {settings.get('min_vcpus')}, {call('desired_vcpus')} {settings.get('desired_vcpus')},"
              f" {call('max_vcpus')} {settings.get('max_vcpus')}")
    if high is None or high < 1:
        errors.append(f"{call('max_vcpus')} ({settings.get('max_vcpus')}) must be at least 1.")
    elif low is None or low < 0 or low > high:
        errors.append(f"{call('min_vcpus')} ({settings.get('min_vcpus')}) must lie between 0 and {call('max_vcpus')}"
                      f" ({high}): {counts}.")
    elif settings.get("desired_vcpus") not in (None, "") and (desired is None or not low <= desired <= high):
        errors.append(f"{call('desired_vcpus')} ({settings.get('desired_vcpus')}) must lie between"
                      f" {call('min_vcpus')} ({low}) and {call('max_vcpus')} ({high}): {counts}.")
    for key, pattern, what, example in (
            ("subnets", SUBNET_ID_PATTERN, "subnet", "subnet-0123456789abcdef0"),
            ("security_group_ids", SECURITY_GROUP_ID_PATTERN, "security group", "sg-0123456789abcdef0")):
        values = settings.get(key) or []
        rule = f"{call(key)} must list one or more {what} IDs ({example})"
        if not values:
            errors.append(f"{call(key)} is empty: {rule}, for the environment's instances or tasks.")
        for value in values:
            if not pattern.match(str(value)):
                errors.append(f"{what} '{value}' is not a {what} ID: {rule}.")
    service_role = settings.get("service_role")
    if service_role and not ROLE_ARN_PATTERN.match(str(service_role)):
        errors.append(f"{call('service_role')} '{service_role}' is not an IAM role ARN"
                      " (arn:aws:iam::ACCOUNT:role/NAME); leave it empty to use Batch's service-linked role.")
    instance_role = settings.get("instance_role")
    strategy = settings.get("allocation_strategy")
    if strategy and strategy not in ALLOCATION_STRATEGIES:
        errors.append(f"{call('allocation_strategy')} '{strategy}' must be one of {', '.join(ALLOCATION_STRATEGIES)}"
                      " (or empty for BEST_FIT_PROGRESSIVE on EC2, SPOT_PRICE_CAPACITY_OPTIMIZED on SPOT).")
    elif strategy and kind == "EC2" and strategy.startswith("SPOT_"):
        errors.append(f"{call('allocation_strategy')} {strategy} applies to SPOT compute environments only: give"
                      " BEST_FIT_PROGRESSIVE (or leave it empty) for EC2.")
    if is_fargate(kind):
        for key in ("instance_types", "instance_role", "spot_iam_fleet_role", "min_vcpus", "desired_vcpus",
                    "allocation_strategy"):
            if settings.get(key) and str(settings.get(key)) != "0":
                errors.append(f"{call(key)} does not apply to {kind} compute environments ({kind} environments take"
                              " no instance settings): leave it " + ("0." if key.endswith("vcpus") else "empty."))
    elif kind in RESOURCE_TYPES:
        if not settings.get("instance_types"):
            errors.append(f"{call('instance_types')} is empty: {kind} environments need at least one (e.g. optimal).")
        if not instance_role:
            errors.append(f"{call('instance_role')} is empty: {kind} environments need an instance profile ARN.")
        elif not INSTANCE_PROFILE_ARN_PATTERN.match(str(instance_role)):
            hint = (": this is a role ARN, give the ARN of the instance profile holding the role"
                    if ROLE_ARN_PATTERN.match(str(instance_role)) else "")
            errors.append(f"{call('instance_role')} '{instance_role}' is not an instance profile ARN"
                          f" (arn:aws:iam::ACCOUNT:instance-profile/NAME), which {kind} environments need{hint}.")
    spot_role = settings.get("spot_iam_fleet_role")
    if spot_role and kind != "SPOT" and not is_fargate(kind):
        errors.append(f"{call('spot_iam_fleet_role')} applies to SPOT compute environments only: leave it empty.")
    elif spot_role and kind == "SPOT" and not ROLE_ARN_PATTERN.match(str(spot_role)):
        errors.append(f"{call('spot_iam_fleet_role')} '{spot_role}' is not an IAM role ARN"
                      " (arn:aws:iam::ACCOUNT:role/NAME).")
    elif not spot_role and kind == "SPOT" and strategy == "BEST_FIT":
        errors.append(f"{call('spot_iam_fleet_role')} is empty: a SPOT environment with {call('allocation_strategy')}"
                      " BEST_FIT needs the ARN of a Spot Fleet role (Batch refuses to create it without one); give"
                      " it, or leave the strategy empty for SPOT_PRICE_CAPACITY_OPTIMIZED, which needs none.")
    return errors


def config_file_errors(data, what: str = "the BatchConfig.yml") -> list[str]:
    """Sentences naming what is wrong with a BatchConfig.yml (read as data): a top-level key that is no section
    (job_definition, compute_environment, job_queue), compute_environment and job_queue sections that are not
    mappings or hold keys no setting has (each with the closest one). The job_definition section is the job
    definition module's to check."""
    sections = {key: (data or {}).get(key) for key in CONFIG_FILE_KEYS} if isinstance(data, Mapping) else None
    if sections is None or not all(not value or isinstance(value, Mapping) for value in sections.values()):
        return [f"{what} must be a YAML mapping whose compute_environment and job_queue sections are mappings."]
    # Sections of a BatchConfig.yml; any other top-level key is a typo (job_defintion:), never silently skipped.
    unknown = [key + (f" (did you mean {guess}?)" if guess else "")
               for key, guess in unknown_keys(data, ("job_definition", *CONFIG_FILE_KEYS))]
    for section, valid in CONFIG_FILE_KEYS.items():
        for key, guess in unknown_keys(sections[section] or {}, valid):
            unknown.append(f"{section}.{key}" + (f" (did you mean {guess}?)" if guess else ""))
    if not unknown:
        return []
    known = "; ".join(f"{section}: {', '.join(valid)}" for section, valid in CONFIG_FILE_KEYS.items())
    return [f"{what} has unknown keys: {', '.join(unknown)}. Known keys: {known}."]


def option_errors(params: dict) -> list[str]:
    """The problems of the module's options (environment_errors naming the options)."""
    return environment_errors(params)


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
        # Compared only when given: an environment made before with another strategy keeps it (Batch cannot
        # change BEST_FIT in place, and every rerun would otherwise stop there).
        "allocationStrategy": None if fargate else params.get("allocation_strategy") or None,
    }


def current_settings(environment: dict) -> dict:
    """The compared settings of a described compute environment (describe_compute_environments item)."""
    resources = environment.get("computeResources") or {}
    settings = {}
    for key, resource_key in _COMPARED:
        value = environment.get(key) if resource_key is None else resources.get(resource_key)
        settings[key] = sorted(value) if key in _UNORDERED and value is not None else value
    if resources and not is_fargate(resources.get("type", "")) and settings["allocationStrategy"] is None:
        settings["allocationStrategy"] = "BEST_FIT"  # what Batch uses when none was given at creation
    return settings


def create_request(params: dict) -> dict:
    """The keyword arguments of batch.create_compute_environment for the options (a MANAGED environment)."""
    wanted = wanted_settings(params)
    resources = {"type": params["type"], "maxvCpus": params["max_vcpus"],
                 "subnets": list(params.get("subnets") or []),
                 "securityGroupIds": list(params.get("security_group_ids") or [])}
    if not is_fargate(params["type"]):
        resources.update(minvCpus=wanted["minvCpus"], instanceTypes=list(params.get("instance_types") or []),
                         instanceRole=params["instance_role"], allocationStrategy=allocation_strategy(params))
        if params.get("desired_vcpus") is not None:
            resources["desiredvCpus"] = params["desired_vcpus"]
        if params.get("spot_iam_fleet_role"):
            resources["spotIamFleetRole"] = params["spot_iam_fleet_role"]
    request = {"computeEnvironmentName": params["name"], "type": "MANAGED", "state": wanted["state"],
               "computeResources": resources}
    if wanted["serviceRole"]:
        request["serviceRole"] = wanted["serviceRole"]
    return request


def infrastructure_updatable(environment: dict) -> bool:
    """Whether Batch makes infrastructure updates on a described environment: only with its service-linked role
    and a progressive allocation strategy (never with BEST_FIT, the strategy of one created without any)."""
    settings = current_settings(environment)
    return (is_service_linked(settings["serviceRole"])
            and settings["allocationStrategy"] in INFRASTRUCTURE_UPDATE_STRATEGIES)


def changes(environment: dict, params: dict) -> tuple[dict, list[str], list[str]]:
    """What it takes to bring a described environment to the options.

    Returns the keyword arguments of batch.update_compute_environment ({} when nothing differs), the changes in
    plain words, and the differences that cannot be made in place (each a sentence): besides the type and the
    Spot Fleet role, a move between Batch's service-linked role and another role, an update to BEST_FIT, and
    whatever needs an infrastructure update on an environment Batch makes none on (see infrastructure_updatable).
    """
    before, after = current_settings(environment), wanted_settings(params)
    update, resources, words, fixed, infrastructure = {}, {}, [], [], []
    if environment.get("type", "MANAGED") != "MANAGED":
        fixed.append(f"compute environment {params['name']} is {environment.get('type')}, not MANAGED")
    for key, resource_key in _COMPARED:
        want, have = after[key], before[key]
        if want is None or want == have:
            continue
        if key in _FIXED:
            fixed.append(f"{key} is {have}, not {want}, and cannot be changed in place")
            continue
        if key == "serviceRole" and is_service_linked(have) != is_service_linked(want):
            fixed.append(f"serviceRole is {have or SERVICE_LINKED_ROLE}, not {want}, and Batch never moves a compute"
                         f" environment between its service-linked role ({SERVICE_LINKED_ROLE}) and another role")
            continue
        if key == "allocationStrategy" and want == "BEST_FIT":
            fixed.append(f"allocationStrategy is {have}, not BEST_FIT, and Batch never updates an environment to"
                         " BEST_FIT")
            continue
        words.append(f"{key} {have} -> {want}")
        if key in _INFRASTRUCTURE and not is_fargate(before["type"] or ""):
            infrastructure.append(key)
        if resource_key is None:
            update[key] = want
        else:
            resources[resource_key] = want
    if infrastructure and not infrastructure_updatable(environment):
        role = ("the service-linked role" if is_service_linked(before["serviceRole"])
                else f"service role {before['serviceRole']}")
        fixed.append(f"{', '.join(infrastructure)} change only through an infrastructure update, which Batch makes only"
                     f" on an environment with its service-linked role ({SERVICE_LINKED_ROLE}, service_role empty)"
                     f" and an allocation strategy of {', '.join(INFRASTRUCTURE_UPDATE_STRATEGIES)}; this one has"
                     f" {role} and {before['allocationStrategy']}")
    if resources:
        update["computeResources"] = resources
    if update:
        update = {"computeEnvironment": environment.get("computeEnvironmentArn") or params["name"], **update}
    return update, words, fixed


def repair_request(environment: dict) -> dict:
    """The keyword arguments of batch.update_compute_environment that have Batch check an INVALID environment again
    without changing it: its state and maximum vCPUs as they are (a scaling update, which every environment takes)
    and its own service role when that is not the service-linked one (Batch's user guide repairs an environment
    made with a role IAM did not yet know by updating it with that role)."""
    request = {"computeEnvironment": environment.get("computeEnvironmentArn") or environment["computeEnvironmentName"],
               "state": environment.get("state") or "ENABLED"}
    maximum = (environment.get("computeResources") or {}).get("maxvCpus")
    if maximum is not None:
        request["computeResources"] = {"maxvCpus": maximum}
    if not is_service_linked(environment.get("serviceRole")):
        request["serviceRole"] = environment["serviceRole"]
    return request


def predicted(environment: dict | None, params: dict) -> dict:
    """How a described environment (or a new one) looks once the options are applied: the after side of a diff."""
    settings = current_settings(environment or {})
    settings.update({key: value for key, value in wanted_settings(params).items() if value is not None})
    if environment is None and not is_fargate(params["type"]):
        settings["allocationStrategy"] = allocation_strategy(params)
        if params.get("desired_vcpus") is not None:
            settings["desiredvCpus"] = params["desired_vcpus"]
    return settings


# Client helper (the module's).

def describe_environment(client, name: str) -> dict | None:
    """The described compute environment (by name or ARN), or None when there is none (or it is DELETED)."""
    found = client.describe_compute_environments(computeEnvironments=[name], aws_retry=True)["computeEnvironments"]
    found = [item for item in found if item.get("status") != "DELETED"]
    return found[0] if found else None
