# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""Turn a BatchConfig.yml job definition (snake_case) into AWS Batch's register_job_definition request, and compare
job definitions the way that matters for idempotence.

Pure functions: no Ansible, no boto3. Everything invalid raises ValueError with one sentence per problem, each naming
the key and what to change, so that the module can fail before any API call.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from ansible_collections.dockwright.toolkit.plugins.module_utils.batch import (
    NAME_PATTERN,
    ROLE_ARN_PATTERN,
    as_text,
    format_number,
    resource_limit_errors,
    split_command,
)
from ansible_collections.dockwright.toolkit.plugins.module_utils.settings import suggest_key, unknown_keys

# The keys of a job definition section, each with a short description used in error messages.
JOB_DEFINITION_KEYS = {
    "name": "job definition name",
    "command": "command (list or string), may use Ref::name placeholders",
    "parameters": "defaults for Ref::name placeholders",
    "vcpus": "vCPUs",
    "memory": "memory in MiB",
    "gpus": "GPUs (EC2 only)",
    "environment": "environment variables",
    "job_role_arn": "IAM role the job's code runs as",
    "execution_role_arn": "IAM role ECS uses to pull the image and write logs",
    "platform": "EC2 or FARGATE",
    "fargate": "Fargate settings (assign_public_ip, platform_version, cpu_architecture)",
    "retry_attempts": "attempts, 1 to 10",
    "retry_on_exit": "retry rules (on_exit_code, on_reason, on_status_reason, action)",
    "timeout_seconds": "attempt timeout in seconds (60 or more)",
    "log_driver": "log driver",
    "log_options": "log driver options",
    "tags": "tags of the job definition",
    "propagate_tags": "copy the tags to the jobs' ECS tasks",
    "user": "user the container runs as",
    "readonly_root_filesystem": "read-only root file system",
    "privileged": "privileged container (EC2 only)",
    "secrets": "environment variables read from Secrets Manager or SSM Parameter Store (NAME: ARN)",
    "shared_memory_mb": "size of /dev/shm in MiB (EC2 only)",
    "ephemeral_storage_gb": "ephemeral storage in GiB, 21 to 200 (Fargate only)",
    "volumes": "EFS file systems mounted in the container",
}
FARGATE_KEYS = ("assign_public_ip", "platform_version", "cpu_architecture")
VOLUME_KEYS = ("name", "efs", "container_path", "read_only")
EFS_KEYS = ("file_system_id", "root_directory", "transit_encryption", "transit_encryption_port", "access_point_id",
            "iam")
RETRY_RULE_KEYS = ("on_exit_code", "on_reason", "on_status_reason", "action")

DEFAULTS = {
    "vcpus": 1,
    "memory": 2048,
    "gpus": 0,
    "platform": "EC2",
    "retry_attempts": 1,
    "log_driver": "awslogs",
    "assign_public_ip": "DISABLED",
    "platform_version": "LATEST",
    "cpu_architecture": "X86_64",
}

PLATFORMS = ("EC2", "FARGATE")
LOG_DRIVERS = {
    "EC2": ("awsfirelens", "awslogs", "fluentd", "gelf", "journald", "json-file", "splunk", "syslog"),
    "FARGATE": ("awsfirelens", "awslogs", "splunk"),
}
RETRY_ACTIONS = ("RETRY", "EXIT")
MAX_RETRY_RULES = 5
MIN_EC2_MEMORY = 4
MIN_TIMEOUT = 60
CPU_ARCHITECTURES = ("X86_64", "ARM64")
ENABLED_DISABLED = ("ENABLED", "DISABLED")
# Fargate's ephemeral storage (EphemeralStorage.sizeInGiB in the API reference), in GiB.
EPHEMERAL_STORAGE_GB = (21, 200)
# Fargate mounts EFS volumes from platform version 1.4.0 on.
EFS_FARGATE_VERSION = (1, 4, 0)

# Fargate's vCPU sizes and the memory (MiB) each allows.
FARGATE_MEMORY = {
    "0.25": (512, 1024, 2048),
    "0.5": tuple(range(1024, 4096 + 1, 1024)),
    "1": tuple(range(2048, 8192 + 1, 1024)),
    "2": tuple(range(4096, 16384 + 1, 1024)),
    "4": tuple(range(8192, 30720 + 1, 1024)),
    "8": tuple(range(16384, 61440 + 1, 4096)),
    "16": tuple(range(32768, 122880 + 1, 8192)),
}

EXIT_CODE_PATTERN = re.compile(r"^[0-9]+\*?$|^\*$")
# What Batch takes in a retry rule's onReason and onStatusReason (API reference, EvaluateOnExit): letters, digits,
# periods, colons and white space (spaces, tabs), optionally ending with * to match the start of the reason only.
# Anything else is refused by register_job_definition (moto takes it).
REASON_PATTERN = re.compile(r"^[A-Za-z0-9.: \t]*\*?$")
PLATFORM_VERSION_PATTERN = re.compile(r"^(LATEST|[0-9]+\.[0-9]+\.[0-9]+)$")
REF_PATTERN = re.compile(r"Ref::([A-Za-z0-9_]+)")
ENV_NAME_PATTERN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# What Batch takes as a secret's valueFrom (Secret in the API reference): the full ARN of a Secrets Manager secret
# (optionally followed by :json-key:version-stage:version-id) or of an SSM Parameter Store parameter.
SECRET_ARN_PATTERN = re.compile(
    r"^arn:aws[a-z-]*:(secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:[A-Za-z0-9/_+=.@-]+(:[^:]*){0,3}"
    r"|ssm:[a-z0-9-]+:[0-9]{12}:parameter/[A-Za-z0-9/_.-]+)$")
VOLUME_NAME_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,255}$")
FILE_SYSTEM_PATTERN = re.compile(r"^fs-[0-9a-f]{8,40}$")
ACCESS_POINT_PATTERN = re.compile(r"^fsap-[0-9a-f]{8,40}$")

# What comparable() keeps of containerProperties; the rest (ulimits, host volumes, linuxParameters other than
# sharedMemorySize, legacy vcpus/memory, ...) cannot be set through a BatchConfig.yml.
_BOOLEAN_CONTAINER_FIELDS = ("readonlyRootFilesystem", "privileged")
_OPTIONAL_CONTAINER_FIELDS = ("jobRoleArn", "executionRoleArn", "user")


class _Problems:
    """Collects one sentence per problem, so that a user sees them all at once."""

    def __init__(self) -> None:
        self.sentences: list[str] = []

    def add(self, sentence: str) -> None:
        self.sentences.append(sentence)

    def raise_if_any(self) -> None:
        if self.sentences:
            raise ValueError("\n".join(self.sentences))


def _check_keys(section: Mapping, valid: list[str] | tuple[str, ...], where: str, problems: _Problems) -> None:
    for key, guess in unknown_keys(section, valid):
        hint = f"did you mean '{guess}'?" if guess else f"valid keys are {', '.join(valid)}."
        problems.add(f"Unknown key '{key}' in {where}: {hint}")


def _mappings(value: Any, where: str, noun: str, keys: tuple[str, ...] | list[str], example: str,
              problems: _Problems) -> Iterator[tuple[str, Mapping]]:
    """Each entry of a list setting (volumes, retry_on_exit) with where it is (like 'volumes[0]'), its keys checked;
    one sentence for a setting that is not a list, or an entry that is not a mapping. None or [] yields nothing."""
    if value is None or value == []:
        return
    if not isinstance(value, (list, tuple)):
        problems.add(f"{where} must be a list of {noun} like {example}.")
        return
    for index, entry in enumerate(value):
        at = f"{where}[{index}]"
        if not isinstance(entry, Mapping):
            problems.add(f"{at} must be a mapping like {example}.")
            continue
        _check_keys(entry, keys, at, problems)
        yield at, entry


def _is_set(value: Any) -> bool:
    return value is not None and value != ""


def _string_map(value: Any, key: str, problems: _Problems) -> dict[str, str]:
    """A mapping of names to scalars, as sorted strings."""
    if value is None or value == {}:
        return {}
    if not isinstance(value, Mapping):
        problems.add(f"{key} must be a mapping of names to values (NAME: value), not {type(value).__name__}.")
        return {}
    result = {}
    for name, item in value.items():
        if isinstance(item, (Mapping, list, tuple)):
            problems.add(f"{key}.{name} must be a single value (string, number or boolean), not {type(item).__name__}.")
            continue
        result[str(name)] = as_text(item)
    return dict(sorted(result.items()))


def _number(value: Any, key: str, problems: _Problems) -> Decimal | None:
    """A positive-or-zero number from an int, float or numeric string; None (with a problem) otherwise."""
    if isinstance(value, bool) or value is None:
        problems.add(f"{key} must be a number, not {value!r}.")
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        problems.add(f"{key} must be a number, not {value!r}.")
        return None
    if not number.is_finite() or number < 0:
        problems.add(f"{key} must be a positive number, not {value!r}.")
        return None
    return number


def _whole(value: Any, key: str, problems: _Problems, unit: str = "") -> int | None:
    number = _number(value, key, problems)
    if number is None:
        return None
    if number != number.to_integral_value():
        problems.add(f"{key} must be a whole number{unit}, not {value!r}.")
        return None
    return int(number)


def _boolean(value: Any, key: str, problems: _Problems) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "yes", "on", "1"):
        return True
    if text in ("false", "no", "off", "0", "", "none"):
        return False
    problems.add(f"{key} must be true or false, not {value!r}.")
    return False


def _fargate_memory_text(vcpus: str) -> str:
    """The memory Fargate allows with C(vcpus), in words ('512, 1024 or 2048 MiB', '2048 to 8192 MiB in steps of
    1024')."""
    choices = FARGATE_MEMORY[vcpus]
    if len(choices) <= 3:
        return f"{', '.join(str(choice) for choice in choices[:-1])} or {choices[-1]} MiB"
    return f"{choices[0]} to {choices[-1]} MiB in steps of {choices[1] - choices[0]}"


def _command(value: Any, problems: _Problems) -> list[str]:
    """The command as an exec list (batch.split_command), its problem as a sentence."""
    try:
        return split_command(value)
    except ValueError as err:
        problems.add(str(err))
        return []


def _role_arn(config: Mapping, key: str, problems: _Problems) -> str | None:
    value = config.get(key)
    if not _is_set(value):
        return None
    if not isinstance(value, str) or not ROLE_ARN_PATTERN.match(value):
        problems.add(f"{key} {value!r} is not an IAM role ARN: give one like "
                     "arn:aws:iam::123456789012:role/my-role (12-digit account, then role/ and the role's name).")
        return None
    return value


def _resources(config: Mapping, platform: str, problems: _Problems) -> list[dict[str, str]]:
    """containerProperties.resourceRequirements, sorted by type; never the legacy vcpus/memory fields."""
    vcpus_number = _number(config.get("vcpus", DEFAULTS["vcpus"]), "vcpus", problems)
    memory = _whole(config.get("memory", DEFAULTS["memory"]), "memory", problems, " of MiB")
    gpus = _whole(config.get("gpus", DEFAULTS["gpus"]), "gpus", problems)
    vcpus = format_number(vcpus_number) if vcpus_number is not None else None

    if platform == "FARGATE":
        if vcpus is not None and vcpus not in FARGATE_MEMORY:
            problems.add(f"vcpus {vcpus} is not a Fargate size: use one of {', '.join(FARGATE_MEMORY)}.")
        elif vcpus is not None and memory is not None and memory not in FARGATE_MEMORY[vcpus]:
            problems.add(f"memory {memory} MiB does not fit {vcpus} vCPU on Fargate: with {vcpus} vCPU Fargate allows "
                         f"{_fargate_memory_text(vcpus)}.")
        if gpus:
            problems.add("gpus: Fargate has no GPUs; set platform: EC2 (with a GPU compute environment) or gpus: 0.")
    else:
        if vcpus_number is not None and (vcpus_number < 1 or vcpus_number != vcpus_number.to_integral_value()):
            problems.add(f"vcpus {vcpus} is not possible on EC2: give a whole number of 1 or more "
                         "(fractions of a vCPU need platform: FARGATE).")
        if memory is not None and memory < MIN_EC2_MEMORY:
            problems.add(f"memory {memory} MiB is below Batch's minimum of {MIN_EC2_MEMORY} MiB on EC2: give more.")
        for sentence in resource_limit_errors(vcpus_number or 0, memory or 0, gpus or 0):
            problems.add(sentence)

    resources = []
    if gpus:
        resources.append({"type": "GPU", "value": str(gpus)})
    if memory is not None:
        resources.append({"type": "MEMORY", "value": str(memory)})
    if vcpus is not None:
        resources.append({"type": "VCPU", "value": vcpus})
    return resources


def _environment(value: Any, problems: _Problems) -> list[dict[str, str]]:
    variables = _string_map(value, "environment", problems)
    reserved = [name for name in variables if name.upper().startswith("AWS_BATCH")]
    for name in reserved:
        problems.add(f"environment.{name}: names starting with AWS_BATCH are reserved by Batch; rename it.")
    return [{"name": name, "value": text} for name, text in variables.items() if name not in reserved]


def _fargate(config: Mapping, platform: str, problems: _Problems) -> dict[str, Any]:
    value = config.get("fargate")
    if value is None or value == {}:
        value = {}
    elif not isinstance(value, Mapping):
        problems.add("fargate must be a mapping (assign_public_ip, platform_version, cpu_architecture), "
                     f"not {type(value).__name__}.")
        value = {}
    elif platform != "FARGATE":
        problems.add("fargate settings apply to platform: FARGATE only: remove them or set platform: FARGATE.")
    _check_keys(value, FARGATE_KEYS, "fargate", problems)
    if platform != "FARGATE":
        return {}

    public_ip = value.get("assign_public_ip", DEFAULTS["assign_public_ip"])
    if isinstance(public_ip, bool):
        public_ip = "ENABLED" if public_ip else "DISABLED"
    public_ip = str(public_ip).upper()
    if public_ip not in ("ENABLED", "DISABLED"):
        problems.add(f"fargate.assign_public_ip must be ENABLED or DISABLED, not {value.get('assign_public_ip')!r}.")
    version = str(value.get("platform_version", DEFAULTS["platform_version"]))
    if version.upper() == "LATEST":
        version = "LATEST"
    if not PLATFORM_VERSION_PATTERN.match(version):
        problems.add(f"fargate.platform_version must be LATEST or a version like 1.4.0, not {version!r}.")
    architecture = str(value.get("cpu_architecture") or DEFAULTS["cpu_architecture"]).upper()
    if architecture not in CPU_ARCHITECTURES:
        guess = {"AMD64": "X86_64", "X86-64": "X86_64", "X64": "X86_64", "AARCH64": "ARM64", "ARM": "ARM64"}.get(
            architecture)
        hint = f" (did you mean {guess}?)" if guess else ""
        problems.add(f"fargate.cpu_architecture must be X86_64 or ARM64 (Graviton){hint}, "
                     f"not {value.get('cpu_architecture')!r}.")
    return {
        "networkConfiguration": {"assignPublicIp": public_ip},
        "fargatePlatformConfiguration": {"platformVersion": version},
        "runtimePlatform": {"cpuArchitecture": architecture, "operatingSystemFamily": "LINUX"},
    }


def _secrets(value: Any, environment: list[dict[str, str]], execution_role: Any,
             problems: _Problems) -> list[dict[str, str]]:
    """containerProperties.secrets, sorted by name: the ARNs Batch reads the values from when a job starts. A value
    that is not an ARN is never repeated in a message, in case it is the secret itself."""
    if value is None or value == {}:
        return []
    if not isinstance(value, Mapping):
        problems.add(f"secrets must be a mapping of environment variable names to Secrets Manager or SSM Parameter "
                     f"Store ARNs (NAME: arn:...), not {type(value).__name__}.")
        return []
    plain = {item["name"] for item in environment}
    secrets = []
    for name, arn in sorted(value.items(), key=lambda item: str(item[0])):
        name = str(name)
        if not ENV_NAME_PATTERN.match(name):
            example = re.sub(r"[^A-Za-z0-9_]+", "_", name).lstrip("0123456789") or "DB_PASSWORD"
            problems.add(f"secrets.{name}: {name!r} is not an environment variable name: use letters, digits and '_',"
                         f" not starting with a digit (for example '{example}').")
        elif name.upper().startswith("AWS_BATCH"):
            problems.add(f"secrets.{name}: names starting with AWS_BATCH are reserved by Batch; rename it.")
        if name in plain:
            problems.add(f"secrets.{name} is also in environment: keep it in one of the two.")
        if not isinstance(arn, str) or not SECRET_ARN_PATTERN.match(arn.strip()):
            problems.add(f"secrets.{name} is not the ARN of a Secrets Manager secret or an SSM Parameter Store "
                         "parameter (the value is not shown, in case it is the secret itself): give one like "
                         "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-password or "
                         "arn:aws:ssm:eu-west-1:123456789012:parameter/db/password, never the secret's value.")
            continue
        secrets.append({"name": name, "valueFrom": arn.strip()})
    if secrets and not _is_set(execution_role):
        problems.add("secrets need execution_role_arn: Batch reads them with the execution role, which must be "
                     "allowed secretsmanager:GetSecretValue or ssm:GetParameters on them (and kms:Decrypt for a "
                     "customer managed key).")
    return secrets


def _size(config: Mapping, key: str, platform: str, problems: _Problems) -> int | None:
    """shared_memory_mb (EC2 only) or ephemeral_storage_gb (Fargate only), as a whole number; None when unset."""
    value = config.get(key)
    if not _is_set(value):
        return None
    only = "EC2" if key == "shared_memory_mb" else "FARGATE"
    if platform != only:
        problems.add(f"{key} is not available on {platform} (Batch takes it on {only} only): remove it or set "
                     f"platform: {only}.")
        return None
    size = _whole(value, key, problems)
    if size is None:
        return None
    if key == "shared_memory_mb" and size < 1:
        problems.add(f"shared_memory_mb must be 1 or more (MiB of /dev/shm), not {size}; remove it to keep Docker's "
                     "default of 64 MiB.")
        return None
    low, high = EPHEMERAL_STORAGE_GB
    if key == "ephemeral_storage_gb" and not low <= size <= high:
        problems.add(f"ephemeral_storage_gb must be {low} to {high} (GiB, Batch's limits on Fargate; without it "
                     f"Fargate gives 20), not {size}.")
        return None
    return size


def _efs(value: Any, where: str, problems: _Problems) -> dict[str, Any]:
    """A volume's efsVolumeConfiguration, with only the settings given."""
    _check_keys(value, EFS_KEYS, where, problems)
    efs: dict[str, Any] = {}
    file_system = value.get("file_system_id")
    if not _is_set(file_system):
        problems.add(f"{where}.file_system_id is missing: give the EFS file system's ID, like fs-0123456789abcdef0.")
    elif not FILE_SYSTEM_PATTERN.match(str(file_system)):
        problems.add(f"{where}.file_system_id {file_system!r} is not an EFS file system ID: give one like "
                     "fs-0123456789abcdef0.")
    else:
        efs["fileSystemId"] = str(file_system)
    root = value.get("root_directory")
    if _is_set(root):
        root = str(root)
        if not root.startswith("/") or len(root) > 4096:
            problems.add(f"{where}.root_directory must be an absolute path in the file system (starting with '/', at"
                         f" most 4096 characters), not {root!r}.")
        efs["rootDirectory"] = root
    settings = {}
    for key in ("transit_encryption", "iam"):
        text = value.get(key)
        if isinstance(text, bool):
            text = "ENABLED" if text else "DISABLED"
        text = str(text).upper() if _is_set(text) else "DISABLED"
        if text not in ENABLED_DISABLED:
            problems.add(f"{where}.{key} must be ENABLED or DISABLED, not {value.get(key)!r}.")
        settings[key] = text
    if _is_set(value.get("transit_encryption")):
        efs["transitEncryption"] = settings["transit_encryption"]
    port = value.get("transit_encryption_port")
    if _is_set(port):
        number = _whole(port, f"{where}.transit_encryption_port", problems)
        if number is not None and not 0 <= number <= 65535:
            problems.add(f"{where}.transit_encryption_port must be 0 to 65535, not {number}.")
        elif number is not None:
            efs["transitEncryptionPort"] = number
        if settings["transit_encryption"] != "ENABLED":
            problems.add(f"{where}.transit_encryption_port needs transit_encryption: ENABLED; set it or remove the "
                         "port.")
    access_point = value.get("access_point_id")
    authorization: dict[str, str] = {}
    if _is_set(access_point):
        if not ACCESS_POINT_PATTERN.match(str(access_point)):
            problems.add(f"{where}.access_point_id {access_point!r} is not an EFS access point ID: give one like "
                         "fsap-0123456789abcdef0.")
        authorization["accessPointId"] = str(access_point)
        if _is_set(root) and root != "/":
            problems.add(f"{where}.root_directory must be left out (or '/') with access_point_id: the access point "
                         "sets the directory.")
    if _is_set(value.get("iam")):
        authorization["iam"] = settings["iam"]
    if (authorization.get("accessPointId") or settings["iam"] == "ENABLED") and \
            settings["transit_encryption"] != "ENABLED":
        problems.add(f"{where}: access_point_id and iam: ENABLED need transit_encryption: ENABLED (Batch refuses them"
                     " without it); set it.")
    if authorization:
        efs["authorizationConfig"] = authorization
    return efs


def _volumes(value: Any, platform: str, platform_version: str,
             problems: _Problems) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """containerProperties.volumes and mountPoints: each EFS volume with the one place it is mounted at."""
    example = "{name: data, efs: {file_system_id: fs-0123456789abcdef0}, container_path: /data}"
    volumes, mount_points, names, paths = [], [], set(), set()
    for where, volume in _mappings(value, "volumes", "volumes", VOLUME_KEYS, example, problems):
        name = volume.get("name")
        if not _is_set(name) or not VOLUME_NAME_PATTERN.match(str(name)):
            problems.add(f"{where}.name must be 1 to 255 letters, digits, '-' and '_' (like 'data'), not {name!r}.")
        elif str(name) in names:
            problems.add(f"{where}.name {name!r} is used by another volume: give each volume its own name.")
        names.add(str(name))
        efs = volume.get("efs")
        path = volume.get("container_path")
        if not isinstance(efs, Mapping) or not efs:
            problems.add(f"{where}.efs is missing: give the EFS file system to mount, like "
                         "{file_system_id: fs-0123456789abcdef0}.")
            efs = {}
        if not _is_set(path):
            problems.add(f"{where}.container_path is missing: give the directory the volume is mounted at in the "
                         "container, like /data.")
        elif not str(path).startswith("/"):
            problems.add(f"{where}.container_path must be an absolute path like /data, not {path!r}.")
        elif str(path).rstrip("/") in paths:
            problems.add(f"{where}.container_path {path!r} is used by another volume: mount each at its own path.")
        paths.add(str(path).rstrip("/"))
        efs_settings = _efs(efs, f"{where}.efs", problems) if efs else {}
        volumes.append({"name": str(name), "efsVolumeConfiguration": efs_settings})
        mount_points.append({"sourceVolume": str(name), "containerPath": str(path),
                             "readOnly": _boolean(volume.get("read_only", False), f"{where}.read_only", problems)})
    if volumes and platform == "FARGATE" and PLATFORM_VERSION_PATTERN.match(platform_version) and \
            platform_version != "LATEST" and \
            tuple(int(part) for part in platform_version.split(".")) < EFS_FARGATE_VERSION:
        problems.add(f"volumes: Fargate mounts EFS from platform version 1.4.0 on, not {platform_version}: set "
                     "fargate.platform_version to LATEST or 1.4.0.")
    return volumes, mount_points


def _retry_strategy(config: Mapping, problems: _Problems) -> dict[str, Any]:
    attempts = _whole(config.get("retry_attempts", DEFAULTS["retry_attempts"]), "retry_attempts", problems)
    if attempts is not None and not 1 <= attempts <= 10:
        problems.add(f"retry_attempts must be 1 to 10 (Batch's limits; 1 means no retry), not {attempts}.")
    strategy: dict[str, Any] = {"attempts": attempts if attempts is not None else DEFAULTS["retry_attempts"]}

    rules = config.get("retry_on_exit")
    if isinstance(rules, (list, tuple)) and len(rules) > MAX_RETRY_RULES:
        problems.add(f"retry_on_exit has {len(rules)} rules; Batch takes at most {MAX_RETRY_RULES}: merge some.")
    evaluate = []
    example = "{on_exit_code: '137', action: RETRY}"
    for where, rule in _mappings(rules, "retry_on_exit", "rules", RETRY_RULE_KEYS, example, problems):
        action = str(rule.get("action", "")).upper()
        if action not in RETRY_ACTIONS:
            problems.add(f"{where}.action must be RETRY or EXIT, not {rule.get('action')!r}.")
        entry = {}
        for key, field in (("on_exit_code", "onExitCode"), ("on_reason", "onReason"),
                           ("on_status_reason", "onStatusReason")):
            if _is_set(rule.get(key)):
                text = as_text(rule[key])
                if key == "on_exit_code" and not EXIT_CODE_PATTERN.match(text):
                    problems.add(f"{where}.on_exit_code must be digits, optionally ending with * (like '137' or '1*'), "
                                 f"not {text!r}.")
                if key != "on_exit_code" and not REASON_PATTERN.fullmatch(text):
                    problems.add(f"{where}.{key} may hold only letters, digits, '.', ':' and spaces, optionally ending"
                                 f" with * (like 'Host EC2*' or 'CannotPullContainerError:*'), not {text!r}.")
                if len(text) > 512:
                    problems.add(f"{where}.{key} is longer than Batch's 512 characters: shorten it.")
                entry[field] = text
        entry["action"] = action
        evaluate.append(entry)
    if evaluate:
        strategy["evaluateOnExit"] = evaluate
    return strategy


def _log_configuration(config: Mapping, platform: str, problems: _Problems) -> dict[str, Any]:
    driver = config.get("log_driver", DEFAULTS["log_driver"])
    driver = DEFAULTS["log_driver"] if not _is_set(driver) else str(driver)
    allowed = LOG_DRIVERS[platform]
    if driver not in allowed:
        guess = suggest_key(driver, allowed)
        hint = f" (did you mean '{guess}'?)" if guess else ""
        problems.add(f"log_driver {driver!r} is not available on {platform}{hint}: use one of {', '.join(allowed)}.")
    return {"logDriver": driver, "options": _string_map(config.get("log_options"), "log_options", problems)}


def _tags(value: Any, problems: _Problems) -> dict[str, str]:
    tags = _string_map(value, "tags", problems)
    if len(tags) > 50:
        problems.add(f"tags has {len(tags)} entries; AWS allows 50: drop some.")
    for key, text in tags.items():
        if key.lower().startswith("aws:"):
            problems.add(f"tags.{key}: tag keys starting with 'aws:' are reserved by AWS; rename it.")
        if not 1 <= len(key) <= 128:
            problems.add(f"tags.{key}: tag keys are 1 to 128 characters long.")
        if len(text) > 256:
            problems.add(f"tags.{key}: tag values are at most 256 characters long.")
    return tags


def normalize_job_definition(config: Mapping, image: str) -> dict[str, Any]:
    """The register_job_definition request (camelCase) for a BatchConfig.yml job definition section (snake_case),
    with defaults filled in. Deterministic: the same section gives the same request, key order included.

    Raises ValueError listing every problem, one sentence each, naming the key and what to change."""
    problems = _Problems()
    if not isinstance(config, Mapping):
        problems.add(f"The job definition must be a mapping of settings (name, command, vcpus, memory, ...), "
                     f"not {type(config).__name__}.")
        problems.raise_if_any()
    _check_keys(config, tuple(JOB_DEFINITION_KEYS), "the job definition", problems)

    name = config.get("name")
    if not _is_set(name):
        problems.add("name is missing: give the job definition a name like 'iris-train'.")
    elif not isinstance(name, str) or not NAME_PATTERN.match(name):
        problems.add(f"name {name!r} is not a valid Batch name: use 2 to 128 letters, digits, '-' and '_', "
                     "starting with a letter or digit (for example "
                     f"'{re.sub(r'[^A-Za-z0-9_-]+', '-', str(name)).strip('-_')[:128] or 'my-job'}').")
    if not isinstance(image, str) or not image.strip():
        problems.add("image is empty: give the image URI the jobs run, like "
                     "123456789012.dkr.ecr.eu-west-1.amazonaws.com/iris:1.0.")

    platform = str(config.get("platform") or DEFAULTS["platform"]).upper()
    if platform not in PLATFORMS:
        problems.add(f"platform must be EC2 or FARGATE, not {config.get('platform')!r}.")
        platform = DEFAULTS["platform"]

    container: dict[str, Any] = {"image": image.strip() if isinstance(image, str) else image}
    command = _command(config.get("command"), problems)
    if command:
        container["command"] = command
    environment = _environment(config.get("environment"), problems)
    if environment:
        container["environment"] = environment
    container["resourceRequirements"] = _resources(config, platform, problems)

    job_role = _role_arn(config, "job_role_arn", problems)
    if job_role:
        container["jobRoleArn"] = job_role
    execution_role = _role_arn(config, "execution_role_arn", problems)
    if execution_role:
        container["executionRoleArn"] = execution_role
    elif platform == "FARGATE" and not _is_set(config.get("execution_role_arn")):
        problems.add("execution_role_arn is missing: Fargate jobs need a role to pull the image and write logs "
                     "(usually one with the AmazonECSTaskExecutionRolePolicy policy).")

    user = config.get("user")
    if _is_set(user):
        if not isinstance(user, (str, int)) or isinstance(user, bool):
            problems.add(f"user must be a user name or uid, not {user!r}.")
        else:
            container["user"] = str(user)
    container["readonlyRootFilesystem"] = _boolean(config.get("readonly_root_filesystem", False),
                                                   "readonly_root_filesystem", problems)
    privileged = _boolean(config.get("privileged", False), "privileged", problems)
    if platform == "FARGATE":
        if privileged:
            problems.add("privileged is not available on Fargate: remove it or set platform: EC2.")
    else:
        container["privileged"] = privileged
    container["logConfiguration"] = _log_configuration(config, platform, problems)
    container.update(_fargate(config, platform, problems))

    secrets = _secrets(config.get("secrets"), environment, execution_role or config.get("execution_role_arn"),
                       problems)
    if secrets:
        container["secrets"] = secrets
    shared_memory = _size(config, "shared_memory_mb", platform, problems)
    if shared_memory:
        container["linuxParameters"] = {"sharedMemorySize": shared_memory}
    ephemeral_storage = _size(config, "ephemeral_storage_gb", platform, problems)
    if ephemeral_storage:
        container["ephemeralStorage"] = {"sizeInGiB": ephemeral_storage}
    version = (container.get("fargatePlatformConfiguration") or {}).get("platformVersion", "LATEST")
    volumes, mount_points = _volumes(config.get("volumes"), platform, version, problems)
    if volumes:
        container["volumes"] = volumes
        container["mountPoints"] = mount_points

    request: dict[str, Any] = {"jobDefinitionName": name, "type": "container"}
    parameters = _string_map(config.get("parameters"), "parameters", problems)
    if parameters:
        request["parameters"] = parameters
    request["platformCapabilities"] = [platform]
    request["containerProperties"] = container
    request["retryStrategy"] = _retry_strategy(config, problems)

    timeout = config.get("timeout_seconds")
    if _is_set(timeout):
        seconds = _whole(timeout, "timeout_seconds", problems)
        if seconds is not None and seconds < MIN_TIMEOUT:
            problems.add(f"timeout_seconds must be at least {MIN_TIMEOUT} (Batch's minimum), not {seconds}.")
        elif seconds is not None:
            request["timeout"] = {"attemptDurationSeconds": seconds}

    tags = _tags(config.get("tags"), problems)
    if tags:
        request["tags"] = tags
    request["propagateTags"] = _boolean(config.get("propagate_tags", False), "propagate_tags", problems)

    problems.raise_if_any()
    return request


def unset_parameters(request: Mapping) -> list[str]:
    """The Ref::name placeholders of the command that have no default in parameters (sorted); each must then be given
    when a job is submitted."""
    command = (request.get("containerProperties") or {}).get("command") or []
    names = {match for part in command for match in REF_PATTERN.findall(str(part))}
    return sorted(names - set(request.get("parameters") or {}))


def _canonical_resource(kind: str, value: Any) -> str:
    try:
        return format_number(value) if kind == "VCPU" else str(int(Decimal(str(value))))
    except (InvalidOperation, ValueError):
        return str(value)


def _canonical_resources(requirements: Any) -> list[dict[str, str]]:
    """resourceRequirements sorted by type, values in Batch's spelling, a GPU count of 0 left out."""
    resources = []
    for item in requirements or []:
        kind = str(item.get("type")).upper()
        value = _canonical_resource(kind, item.get("value"))
        if not (kind == "GPU" and value == "0"):
            resources.append({"type": kind, "value": value})
    return sorted(resources, key=lambda item: (item["type"], item["value"]))


def _canonical_volumes(container: Mapping) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """volumes and mountPoints sorted, EFS settings with Batch's defaults filled in (root directory /, transit
    encryption and IAM authorization DISABLED)."""
    volumes = []
    for volume in container.get("volumes") or []:
        efs = volume.get("efsVolumeConfiguration")
        entry: dict[str, Any] = {"name": str(volume.get("name"))}
        if efs:
            authorization = efs.get("authorizationConfig") or {}
            port = efs.get("transitEncryptionPort")
            entry["efsVolumeConfiguration"] = {
                "fileSystemId": str(efs.get("fileSystemId")),
                "rootDirectory": str(efs.get("rootDirectory") or "/"),
                "transitEncryption": str(efs.get("transitEncryption") or "DISABLED").upper(),
                "transitEncryptionPort": int(port) if _is_set(port) else None,
                "authorizationConfig": {
                    "accessPointId": str(authorization["accessPointId"]) if _is_set(
                        authorization.get("accessPointId")) else None,
                    "iam": str(authorization.get("iam") or "DISABLED").upper()},
            }
        if volume.get("host"):
            entry["host"] = {"sourcePath": volume["host"].get("sourcePath")}
        volumes.append(entry)
    mount_points = [{"sourceVolume": str(item.get("sourceVolume")), "containerPath": str(item.get("containerPath")),
                     "readOnly": bool(item.get("readOnly"))} for item in container.get("mountPoints") or []]
    return (sorted(volumes, key=lambda item: item["name"]),
            sorted(mount_points, key=lambda item: (item["sourceVolume"], item["containerPath"])))


def _strings(value: Any) -> dict[str, str]:
    return {str(key): as_text(item) for key, item in sorted((value or {}).items(), key=lambda kv: str(kv[0]))}


def comparable(definition: Mapping | None) -> dict[str, Any]:
    """The fields of a job definition that a BatchConfig.yml decides, in a canonical form.

    Takes a normalized request or a describe_job_definitions entry; an unchanged config compares equal to the revision
    registered from it. Drops what AWS adds or the user cannot set (arn, revision, status, containerOrchestrationType,
    ulimits, linuxParameters other than sharedMemorySize, legacy vcpus/memory, ...), fills AWS's defaults in, sorts
    what has no order (environment, secrets, resourceRequirements, volumes, mountPoints, tags) and keeps the order of
    what has (command, evaluateOnExit)."""
    if not definition:
        return {}
    container = definition.get("containerProperties") or {}
    platforms = sorted(str(platform).upper() for platform in definition.get("platformCapabilities") or ["EC2"])
    retry = definition.get("retryStrategy") or {}
    timeout = (definition.get("timeout") or {}).get("attemptDurationSeconds")

    properties: dict[str, Any] = {
        "image": container.get("image"),
        "command": [str(part) for part in container.get("command") or []],
        "environment": sorted(({"name": str(item.get("name")), "value": as_text(item.get("value"))}
                               for item in container.get("environment") or []),
                              key=lambda item: (item["name"], item["value"])),
        "resourceRequirements": _canonical_resources(container.get("resourceRequirements")),
        "secrets": sorted(({"name": str(item.get("name")), "valueFrom": str(item.get("valueFrom"))}
                           for item in container.get("secrets") or []),
                          key=lambda item: (item["name"], item["valueFrom"])),
    }
    properties["volumes"], properties["mountPoints"] = _canonical_volumes(container)
    shared_memory = (container.get("linuxParameters") or {}).get("sharedMemorySize")
    properties["linuxParameters"] = {"sharedMemorySize": int(shared_memory) if shared_memory else None}
    ephemeral_storage = (container.get("ephemeralStorage") or {}).get("sizeInGiB")
    properties["ephemeralStorage"] = {"sizeInGiB": int(ephemeral_storage) if ephemeral_storage else None}
    for field in _OPTIONAL_CONTAINER_FIELDS:
        properties[field] = str(container[field]) if _is_set(container.get(field)) else None
    for field in _BOOLEAN_CONTAINER_FIELDS:
        properties[field] = bool(container.get(field))
    logging = container.get("logConfiguration")
    properties["logConfiguration"] = None
    if logging:
        properties["logConfiguration"] = {"logDriver": logging.get("logDriver"),
                                          "options": _strings(logging.get("options"))}
    if "FARGATE" in platforms:
        network = container.get("networkConfiguration") or {}
        fargate = container.get("fargatePlatformConfiguration") or {}
        properties["networkConfiguration"] = {
            "assignPublicIp": str(network.get("assignPublicIp") or DEFAULTS["assign_public_ip"]).upper()}
        properties["fargatePlatformConfiguration"] = {
            "platformVersion": str(fargate.get("platformVersion") or DEFAULTS["platform_version"])}
        runtime = container.get("runtimePlatform") or {}
        properties["runtimePlatform"] = {
            "cpuArchitecture": str(runtime.get("cpuArchitecture") or DEFAULTS["cpu_architecture"]).upper(),
            "operatingSystemFamily": str(runtime.get("operatingSystemFamily") or "LINUX").upper()}

    rules = []
    for rule in retry.get("evaluateOnExit") or []:
        entry = {field: str(rule[field]) for field in ("onExitCode", "onReason", "onStatusReason")
                 if _is_set(rule.get(field))}
        entry["action"] = str(rule.get("action", "")).upper()
        rules.append(entry)

    return {
        "jobDefinitionName": definition.get("jobDefinitionName"),
        "type": definition.get("type") or "container",
        "parameters": _strings(definition.get("parameters")),
        "platformCapabilities": platforms,
        "containerProperties": properties,
        "retryStrategy": {"attempts": int(retry.get("attempts") or DEFAULTS["retry_attempts"]),
                          "evaluateOnExit": rules},
        "timeout": {"attemptDurationSeconds": int(timeout)} if timeout else None,
        "tags": _strings(definition.get("tags")),
        "propagateTags": bool(definition.get("propagateTags")),
    }


def diff_job_definition(current: Mapping | None, desired: Mapping | None) -> dict[str, dict[str, Any]]:
    """Ansible's diff: the comparable forms of the current revision (empty when there is none) and of the desired
    one (empty when it is to be removed)."""
    return {"before": comparable(current), "after": comparable(desired)}


def changed_fields(current: Mapping | None, desired: Mapping | None) -> list[str]:
    """Dotted paths of the comparable fields that differ (containerProperties.resourceRequirements, tags, ...),
    sorted; empty when the two compare equal."""
    return sorted(_paths(comparable(current), comparable(desired), ""))


def _paths(before: Any, after: Any, prefix: str) -> set[str]:
    if isinstance(before, Mapping) and isinstance(after, Mapping) and not (prefix.endswith(("tags", "parameters",
                                                                                           "options"))):
        found: set[str] = set()
        for key in set(before) | set(after):
            found |= _paths(before.get(key), after.get(key), f"{prefix}.{key}" if prefix else str(key))
        return found
    return set() if before == after else {prefix or "(all)"}
