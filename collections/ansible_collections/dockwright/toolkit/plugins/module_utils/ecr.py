# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""What valid ECR settings are: repository names, tags, registry hosts, account ids, endpoint URLs, KMS keys and the
role's numbers. The one place these rules live; pure Python, no Ansible imports. Each function returns a list of
sentences, one per problem, naming the role variable and what to change (empty when all is well); filters
(ecr_repository_errors, ecr_errors, aws_config_errors) hand them to the ecr role, and modules or lookups may
call them directly."""

from __future__ import annotations

import re

from ansible_collections.dockwright.toolkit.plugins.module_utils.aws import endpoint_url_errors
from ansible_collections.dockwright.toolkit.plugins.module_utils.image_reference import (
    image_ref_errors,
    is_valid_tag,
    split_reference,
)

REPOSITORY_RE = re.compile(r"(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*")
REPOSITORY_MIN_LENGTH = 2
REPOSITORY_MAX_LENGTH = 256
# host[:port], or a bracketed IPv6 address with an optional port; no scheme, no path.
REGISTRY_RE = re.compile(r"[A-Za-z0-9.-]+(:[0-9]+)?|\[[0-9a-fA-F:]+\](:[0-9]+)?")
ACCOUNT_ID_RE = re.compile(r"[0-9]{12}")
KMS_ARN_RE = re.compile(r"arn:aws[a-z-]*:kms:")
ENCRYPTIONS = ("AES256", "KMS")
# The keys of the older tool's AwsConfig.ini: the region, the access key pair and the account (aws_id). Every AWS role
# reads the file through the lookup aws_config, which refuses any other key.
AWS_CONFIG_KEYS = ("region", "aws_access_key_id", "aws_secret_access_key", "aws_id")


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def suggest_repository_name(name) -> str:
    """A valid name close to C(name) (lowercased, bad characters and separators squeezed); may be empty."""
    parts = []
    for part in str(name).lower().split("/"):
        part = re.sub(r"[^a-z0-9._-]+", "-", part)
        part = re.sub(r"[._-]{2,}", lambda m: m.group(0)[0], part).strip("._-")
        if part:
            parts.append(part)
    return "/".join(parts)[:REPOSITORY_MAX_LENGTH]


def repository_errors(name, name_var="ecr_repository") -> list[str]:
    """ECR's repository name rule: lowercase letters and digits, single '.', '_' or '-' between them, '/' between
    path parts, 2 to 256 characters."""
    name = "" if name is None else str(name)
    if not name:
        return [f"{name_var} is empty: name the ECR repository, e.g. 'team/iris'."]
    errors = []
    if not REPOSITORY_RE.fullmatch(name):
        hint = suggest_repository_name(name)
        example = f" (for example '{hint}')" if len(hint) >= REPOSITORY_MIN_LENGTH else ""
        errors.append(f"{name_var} '{name}' is not a valid ECR repository name: use lowercase letters and digits, "
                      f"single '.', '_' or '-' between them, and '/' between path parts{example}.")
    if len(name) < REPOSITORY_MIN_LENGTH:
        errors.append(f"{name_var} '{name}' is too short: ECR needs at least {REPOSITORY_MIN_LENGTH} characters.")
    if len(name) > REPOSITORY_MAX_LENGTH:
        errors.append(f"{name_var} is {len(name)} characters long; ECR allows at most {REPOSITORY_MAX_LENGTH}.")
    return errors


def image_errors(image, name_var="ecr_image") -> list[str]:
    """The local image to push: C(name[:tag]) (no tag means latest), not a digest, in Docker's rules."""
    image = _text(image)
    if not image:
        return [f"{name_var} is empty: give the local image to push as name:tag, e.g. iris:1.0."]
    name, tag = split_reference(image)
    errors = image_ref_errors(name, tag or "latest", name_var=name_var, tag_var=f"{name_var} tag")
    if "@" in image:
        errors.append(f"{name_var} '{image}' names a digest: give name:tag.")
    return errors


def tag_errors(tag, name_var="ecr_tag") -> list[str]:
    """The tag in ECR: Docker's tag rule."""
    tag = "" if tag is None else str(tag)
    if is_valid_tag(tag):
        return []
    return [f"{name_var} '{tag}' is not a valid tag: up to 128 letters, digits, '_', '.' and '-', not starting "
            "with '.' or '-'."]


def registry_errors(registry, name_var="ecr_registry") -> list[str]:
    """A registry to push to, as C(host[:port]); empty means the account's own (allowed)."""
    registry = _text(registry)
    if not registry or REGISTRY_RE.fullmatch(registry):
        return []
    return [f"{name_var} '{registry}' is not host[:port]: leave out the scheme and the path."]


def account_id_errors(account_id, name_var="ecr_account_id") -> list[str]:
    """An AWS account id: 12 digits; empty means the credentials' account (allowed)."""
    account_id = _text(account_id)
    if not account_id or ACCOUNT_ID_RE.fullmatch(account_id):
        return []
    return [f"{name_var} '{account_id}' is not an AWS account id (12 digits)."]


def encryption_errors(encryption, kms_key, encryption_var="ecr_encryption", key_var="ecr_kms_key") -> list[str]:
    """The repository's encryption: AES256 (ECR's default), or KMS with the key's ARN; a key needs KMS."""
    encryption, kms_key = _text(encryption), _text(kms_key)
    if encryption not in ENCRYPTIONS:
        return [f"{encryption_var} is '{encryption}': give one of {', '.join(ENCRYPTIONS)}."]
    if encryption == "KMS" and not KMS_ARN_RE.match(kms_key):
        return [f"{encryption_var} is KMS, so {key_var} must be the key's ARN (arn:aws:kms:REGION:ACCOUNT:key/ID), "
                f"not '{kms_key}': ECR reports the ARN, and anything else looks like a change on every run."]
    if encryption != "KMS" and kms_key:
        return [f"{key_var} is set but {encryption_var} is {encryption}: set {encryption_var}: KMS, or drop the key."]
    return []


def _whole_number(value):
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def lifecycle_errors(keep_last, name_var="ecr_lifecycle_keep_last") -> list[str]:
    """How many images the lifecycle policy keeps: 0 (no policy) or more."""
    number = _whole_number(keep_last)
    if number is not None and number >= 0:
        return []
    return [f"{name_var} is {keep_last}: give 0 (no policy) or the number of images to keep."]


def retry_errors(retries, retry_delay, timeout) -> list[str]:
    """ecr_retries and ecr_retry_delay: 0 or more; ecr_timeout: more than 0 (seconds)."""
    retries, retry_delay, timeout = (_whole_number(value) for value in (retries, retry_delay, timeout))
    if None in (retries, retry_delay, timeout) or retries < 0 or retry_delay < 0 or timeout <= 0:
        return ["ecr_retries and ecr_retry_delay must be 0 or more, ecr_timeout more than 0."]
    return []


def settings_errors(settings: dict) -> list[str]:
    """Every problem with the ecr role's settings, given by role variable name (ecr_image, ecr_repository, ecr_tag
    - the tag in ECR after its default -, ecr_encryption, ecr_kms_key, ecr_lifecycle_keep_last, ecr_retries,
    ecr_retry_delay, ecr_timeout, ecr_registry, ecr_account_id, ecr_endpoint_url). Missing keys take the role's
    defaults."""
    get = settings.get
    return [
        *image_errors(get("ecr_image", "")),
        *repository_errors(get("ecr_repository", "")),
        *tag_errors(get("ecr_tag", "")),
        *encryption_errors(get("ecr_encryption", "AES256"), get("ecr_kms_key", "")),
        *lifecycle_errors(get("ecr_lifecycle_keep_last", 0)),
        *retry_errors(get("ecr_retries", 5), get("ecr_retry_delay", 5), get("ecr_timeout", 30)),
        *registry_errors(get("ecr_registry", "")),
        *account_id_errors(get("ecr_account_id", "")),
        *endpoint_url_errors(get("ecr_endpoint_url", ""), "ecr_endpoint_url"),
    ]


def aws_config_errors(config_file, has_access_key, has_secret_key, profile="", account_id="") -> list[str]:
    """The older tool's AwsConfig.ini C(config_file): both keys or neither, not keys and a profile, a 12-digit
    aws_id. Takes whether the keys are there, never the keys themselves."""
    errors = []
    if bool(has_access_key) != bool(has_secret_key):
        errors.append(f"{config_file} has only one of aws_access_key_id and aws_secret_access_key: give both or "
                      "neither.")
    if has_access_key and _text(profile):
        errors.append(f"Both ecr_profile '{_text(profile)}' and the keys of {config_file} are given: use one of them.")
    if account_id_errors(account_id):
        errors.append(f"aws_id in {config_file} is not an AWS account id (12 digits).")
    return errors
