# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""Check an ECR repository name against the rules ECR applies, before anything is created."""

from __future__ import annotations

DOCUMENTATION = r"""
name: ecr_repository_errors
short_description: List what is wrong with an AWS ECR repository name, in ECR's own rules
description:
  - Returns an empty list for a name ECR accepts, otherwise one sentence per problem, naming the value and
    suggesting a valid name.
  - ECR's rule is C((?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*), 2 to 256 characters
    long; that is lowercase letters and digits, with single C(.), C(_) or C(-) between them, and C(/)
    between path parts (C(team/iris)).
options:
  _input: {description: The repository name., type: str, required: true}
  name_var: {description: How to call the name in messages., type: str, default: ecr_repository}
"""

EXAMPLES = r"""
- name: Check the repository name
  ansible.builtin.assert:
    that: _errors | length == 0
    fail_msg: "{{ _errors | join(' ') }}"
  vars:
    _errors: "{{ ecr_repository | dockwright.toolkit.ecr_repository_errors }}"
"""

RETURN = r"""
_value:
  description: Problems found; empty when ECR accepts the name.
  type: list
  elements: str
"""

import re

REPOSITORY_RE = re.compile(r"(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*")
MIN_LENGTH = 2
MAX_LENGTH = 256


def suggest_repository_name(name):
    """A valid name close to C(name) (lowercased, bad characters and separators squeezed); may be empty."""
    parts = []
    for part in str(name).lower().split("/"):
        part = re.sub(r"[^a-z0-9._-]+", "-", part)
        part = re.sub(r"[._-]{2,}", lambda m: m.group(0)[0], part).strip("._-")
        if part:
            parts.append(part)
    return "/".join(parts)[:MAX_LENGTH]


def ecr_repository_errors(name, name_var="ecr_repository"):
    """Return a list of problems with the ECR repository name C(name); empty when ECR accepts it."""
    name = "" if name is None else str(name)
    if not name:
        return [f"{name_var} is empty: name the ECR repository, e.g. 'team/iris'."]
    errors = []
    if not REPOSITORY_RE.fullmatch(name):
        hint = suggest_repository_name(name)
        example = f" (for example '{hint}')" if len(hint) >= MIN_LENGTH else ""
        errors.append(f"{name_var} '{name}' is not a valid ECR repository name: use lowercase letters and digits, "
                      f"single '.', '_' or '-' between them, and '/' between path parts{example}.")
    if len(name) < MIN_LENGTH:
        errors.append(f"{name_var} '{name}' is too short: ECR needs at least {MIN_LENGTH} characters.")
    if len(name) > MAX_LENGTH:
        errors.append(f"{name_var} is {len(name)} characters long; ECR allows at most {MAX_LENGTH}.")
    return errors


class FilterModule:
    def filters(self):
        return {"ecr_repository_errors": ecr_repository_errors}
