# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""What a valid Docker image reference is (name, registry host, tag): the one place that rule lives. Pure Python, no
Ansible imports; the image_ref_errors filter, the roles' checks and the ECR rules all call it."""

from __future__ import annotations

import os
import re

COMPONENT_RE = re.compile(r"^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$")
DOMAIN_RE = re.compile(r"^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*"
                       r"(?::[0-9]+)?$")
TAG_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")
MAX_NAME_LENGTH = 255


def is_valid_tag(tag) -> bool:
    """Whether Docker (and ECR) accept C(tag): up to 128 letters, digits, '_', '.' and '-', not starting with '.'
    or '-'."""
    return bool(TAG_RE.match(str(tag)))


def name_from_folder(path) -> str:
    """The image name a folder gives when none is set: its last component, lowercased, each run of characters
    other than letters, digits, '.', '_' and '-' made one '-', separators trimmed at both ends ('My Model' ->
    'my-model')."""
    name = re.sub(r"[^a-z0-9._-]+", "-", os.path.basename(os.path.normpath(str(path))).lower())
    return re.sub(r"^[._-]+|[._-]+$", "", name)


def split_reference(reference: str) -> tuple[str, str]:
    """Split C(name[:tag][@digest]) into (name, tag); the digest is dropped, a missing tag is ""."""
    reference = reference.split("@", 1)[0]
    name, sep, tag = reference.rpartition(":")
    if not sep or "/" in tag:
        return reference, ""
    return name, tag


def image_ref_errors(name, tag="", name_var="image_name", tag_var="image_version", split=False) -> list[str]:
    """Problems with image C(name) and C(tag), one sentence each naming the variable; empty when Docker accepts
    them. With C(split), C(name) is a whole C(name[:tag][@digest]) reference."""
    errors = []
    name = "" if name is None else str(name)
    tag = "" if tag is None else str(tag)
    if split:
        name, tag = split_reference(name)
    if not name:
        errors.append(f"{name_var} is empty: give the image a name like 'iris' or 'team/iris'.")
    else:
        parts = name.split("/")
        if len(parts) > 1 and ("." in parts[0] or ":" in parts[0] or parts[0] == "localhost"):
            if not DOMAIN_RE.match(parts[0]):
                errors.append(f"{name_var} '{name}': registry '{parts[0]}' is not a valid host[:port].")
            parts = parts[1:]
        bad = [part for part in parts if not COMPONENT_RE.match(part)]
        if bad:
            hint = re.sub(r"[^a-z0-9._/-]+", "-", name.lower()).strip("-") or "my-model"
            errors.append(f"{name_var} '{name}' is not a valid Docker image name: use lowercase letters, digits "
                          f"and . _ - between them (for example '{hint}').")
        if len(name) > MAX_NAME_LENGTH:
            errors.append(f"{name_var} is {len(name)} characters long; Docker allows {MAX_NAME_LENGTH}.")
    if tag and not is_valid_tag(tag):
        errors.append(f"{tag_var} '{tag}' is not a valid Docker tag: up to 128 letters, digits, '_', '.' and '-', "
                      "not starting with '.' or '-'.")
    return errors


def registry_digest(reference, repo_digests):
    """The registry digest (C(sha256:...)) of the image C(reference) among its C(RepoDigests): the one of its own
    repository; empty when it has none (built or imported locally, or pushed only under other names: a digest of
    another repository does not pull this one)."""
    name = reference.split("@", 1)[0]
    last = name.rsplit("/", 1)[-1]
    if ":" in last:
        name = name[: -len(last)] + last.split(":", 1)[0]
    digests = [entry.split("@", 1) for entry in repo_digests if "@" in entry]
    short = name.split("/", 1)[1] if name.startswith(("docker.io/", "index.docker.io/")) else name
    own = [digest for repo, digest in digests if repo in (name, short, f"docker.io/{short}", f"library/{short}")]
    return (own or [""])[0]
