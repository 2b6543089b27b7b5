# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""Tell what a failed registry call (login, manifest check, push) means and whether another attempt may help."""

from __future__ import annotations

DOCUMENTATION = r"""
name: registry_error
short_description: Classify a failed registry call and say what to do about it
description:
  - Takes the C(msg) of a failed C(community.docker.docker_login), C(community.docker.docker_image_push) or
    C(ansible.builtin.uri) call against a registry and returns its kind, whether retrying may help, and one
    message for a human naming the image, the registry and the fix.
  - Only failures known to be transient are worth retrying - unreachable registries (network, DNS, timeouts) and
    throttling or server errors (429, 5xx). Refused logins, missing permissions, immutable tags, read-only
    registries, missing repositories, TLS mismatches and failures it does not recognise are not; they fail at
    once, with the engine's or the registry's own words.
  - Every string in O(secrets) is replaced by C(*****) in the message, also URL-encoded or escaped.
options:
  _input: {description: The failure message; empty means no failure., type: str, required: true}
  reference:
    description: The image reference being pushed, C(registry/repository:tag).
    type: str
    default: ""
  registry:
    description: The registry, C(host[:port]); empty means the host of O(reference).
    type: str
    default: ""
  action:
    description: What was being done, for the message.
    type: str
    choices: [push, check, login]
    default: push
  attempts: {description: "How many attempts were made, for the message.", type: int, default: 1}
  secrets: {description: Strings to mask wherever they appear., type: list, elements: str, default: []}
"""

EXAMPLES = r"""
- name: Push the image, retrying what may pass
  community.docker.docker_image_push:
    name: "{{ uri }}"
  register: push
  failed_when: false
  until: push.msg is not defined or not (push.msg | dockwright.toolkit.registry_error).retry
  retries: 5
  delay: 5

- name: Report a failed push
  ansible.builtin.fail:
    msg: "{{ (push.msg | registry_error(reference=uri, attempts=push.attempts | default(1))).message }}"
  when: push.msg is defined
"""

RETURN = r"""
_value:
  description: The classification.
  type: dict
  contains:
    kind:
      description: >-
        C(none) (no failure), C(unreachable), C(tls), C(auth), C(denied), C(immutable), C(readonly), C(missing),
        C(no_image), C(transient) or C(other).
      type: str
    retry:
      description: Whether another attempt may succeed; true for C(unreachable) and C(transient) only.
      type: bool
    message: {description: What happened and what to do; empty for C(none)., type: str}
"""

import re

from ansible_collections.dockwright.toolkit.plugins.module_utils.secrets import mask as _mask

# (kind, pattern), first match wins: TLS before "unreachable", expired tokens before "denied".
KINDS = (
    ("no_image", r"Cannot find image|No such image"),
    ("tls", r"HTTP response to HTTPS client|x509|certificate (signed by unknown|verify failed|has expired)|"
            r"CERTIFICATE_VERIFY_FAILED|tls: |SSL: "),
    ("immutable", r"tag invalid|immutable|ImageTagAlreadyExists"),
    ("auth", r"unauthorized|authentication required|no basic auth credentials|authorization token has expired|"
             r"incorrect username or password|\b401\b"),
    ("denied", r"denied|not authorized to perform|AccessDenied|\b403\b"),
    ("readonly", r"\b405\b|Method not allowed|read-only mode|readonly"),
    ("missing", r"name unknown|NAME_UNKNOWN|repository with name .* does not exist|RepositoryNotFound"),
    ("unreachable", r"connection refused|Connection refused|no such host|Name or service not known|"
                    r"Temporary failure in name resolution|Network is unreachable|No route to host|i/o timeout|"
                    r"timed out|Connection reset|connection reset"),
    ("transient", r"toomanyrequests|Too Many Requests|Throttl|Service Unavailable|Bad Gateway|Gateway Time|"
                  r"Internal Server Error|\b(429|500|502|503|504)\b|unexpected EOF|\bEOF\b"),
)
# Retried: what is known to pass. An unrecognised failure is not, so that a reworded message in community.docker
# shows at once instead of after minutes of retries.
RETRY = {"unreachable", "transient"}
_PREFIXES = (
    re.compile(r"^Error pushing image \S+:\s*"),
    re.compile(r"^Status code was -?\d+ and not \[[^\]]*\]:\s*(Request failed:\s*)?"),
    re.compile(r"^Logging into \S+ for user \S+ failed - "),
)


def _detail(msg):
    """The engine's or the server's own words, without the module's framing."""
    text = " ".join(str(msg).split())
    for prefix in _PREFIXES:
        text = prefix.sub("", text)
    return text.rstrip(".")


def registry_error_kind(msg):
    """The kind of a registry failure message (see RETURN), C(none) for an empty one. The module's framing is
    left out first: uri's "Status code was -1 and not [200, 401]" names codes that did not happen."""
    if not msg:
        return "none"
    detail = _detail(msg)
    for kind, pattern in KINDS:
        if re.search(pattern, detail):
            return kind
    if re.match(r"Status code was -1\b", str(msg).strip()):
        return "unreachable"  # no HTTP answer at all
    return "other"


def registry_error(msg, reference="", registry="", action="push", attempts=1, secrets=None):
    """Return {kind, retry, message} for a failed registry call; see RETURN."""
    kind = registry_error_kind(msg)
    if kind == "none":
        return {"kind": kind, "retry": False, "message": ""}
    detail = _detail(msg)
    registry = registry or (reference.split("/", 1)[0] if "/" in reference else "the registry")
    what = reference or registry
    after = f" after {attempts} attempts" if int(attempts or 1) > 1 else ""
    doing = {"push": f"Pushing {what}", "check": f"Asking {registry} about {what}",
             "login": f"Logging into {registry}"}.get(action, f"Pushing {what}")
    messages = {
        "no_image": f"{doing} failed: the local image is gone ({detail}). Build it again (make dockerize) and rerun.",
        "tls": (f"{doing} failed: the engine and {registry} disagree on TLS ({detail}). A registry served over plain "
                "HTTP must be in the engine's insecure-registries (loopback addresses are by default); a registry "
                "with a private CA needs that CA trusted by the engine."),
        "immutable": (f"{doing} failed: the tag already exists and the repository's tags are immutable ({detail}). "
                      "Push under a new tag (ecr_tag, or version=...), or make the repository MUTABLE."),
        "auth": (f"{doing} failed: {registry} refused the login ({detail}). An ECR login is good for the registry of "
                 "the credentials' account and region only: check ecr_registry, ecr_account_id and ecr_region, and "
                 "that the credentials are current."),
        "denied": (f"{doing} failed: permission denied ({detail}). The credentials need ecr:GetAuthorizationToken, "
                   "ecr:BatchCheckLayerAvailability, ecr:InitiateLayerUpload, ecr:UploadLayerPart, "
                   "ecr:CompleteLayerUpload and ecr:PutImage on the repository."),
        "readonly": (f"{doing} failed: {registry} does not take uploads ({detail}). It is read-only or a pull-only "
                     "cache or mirror: push to the account's registry (ecr_registry empty) or one that takes pushes."),
        "missing": (f"{doing} failed: {registry} has no such repository ({detail}). The repository is created in the "
                    "account's own registry: check that ecr_registry and ecr_account_id point there."),
        "unreachable": (f"{doing} failed{after}: {registry} does not answer ({detail}). Check ecr_registry, the "
                        "network or proxy, and that the registry is up."),
        "transient": (f"{doing} failed{after}: {registry} kept failing ({detail}). It looks temporary: run again "
                      "later, or raise ecr_retries and ecr_retry_delay."),
        "other": (f"{doing} failed{after}: {detail}. This failure is not one known to pass, so it was not "
                  "retried."),
    }
    return {"kind": kind, "retry": kind in RETRY, "message": _mask(messages[kind], secrets)}


class FilterModule:
    def filters(self):
        return {"registry_error": registry_error}
