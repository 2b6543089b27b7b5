# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""The one guard of every role's preflight: has this role checked these very inputs already in this run?"""

from __future__ import annotations

DOCUMENTATION = r"""
name: preflight
short_description: Whether the current role has checked its current inputs, and the record that it has
description:
  - A role's inputs are the variables its C(defaults/main.yml) names; their values, as the task sees them, make a
    digest (with the role's name).
  - C(done) says whether that digest is in C(_<role>_validated), the role's list of inputs checked in the run. Every
    dockwright role runs its C(tasks/validate.yml) only when it is not, so a playbook that checked every role up front
    (C(playbooks/chain.yml)) does not check twice, while a role used again with other values is checked again.
  - C(passed) returns C(_<role>_validated) with the digest added; C(tasks/validate.yml) ends by setting it.
  - Facts a role publishes (its results, like C(ecr_image_uri)) are not among its defaults, so they do not change
    the digest.
options:
  _terms:
    description: C(done) or C(passed).
    type: list
    elements: str
    required: true
"""

EXAMPLES = r"""
- name: Validate the inputs
  ansible.builtin.include_tasks: validate.yml
  when: not lookup('dockwright.toolkit.preflight', 'done')

# The last task of tasks/validate.yml (of the role ecr).
- name: Remember that these inputs passed
  ansible.builtin.set_fact:
    _ecr_validated: "{{ query('dockwright.toolkit.preflight', 'passed') }}"
"""

RETURN = r"""
_raw:
  description: For C(done), one boolean; for C(passed), the digests of the inputs checked so far in the run.
  type: list
"""

import hashlib
import json
import os

import yaml
from ansible.errors import AnsibleError
from ansible.plugins.lookup import LookupBase


def input_names(role_path):
    """The variable names C(role_path)/defaults/main.yml defines, sorted."""
    path = os.path.join(role_path, "defaults", "main.yml")
    try:
        with open(path, encoding="utf-8") as handle:
            defaults = yaml.safe_load(handle) or {}
    except OSError as err:
        raise AnsibleError(f"preflight cannot read {path}: {err.strerror}") from err
    if not isinstance(defaults, dict):
        raise AnsibleError(f"preflight: {path} is not a mapping of variables")
    return sorted(defaults)


def digest(role, pairs):
    """The SHA-1 of the role's name and its (name, value) pairs as canonical JSON (other values written as text)."""
    text = json.dumps([role, pairs], sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


class LookupModule(LookupBase):
    def run(self, terms, variables=None, **kwargs):
        if len(terms) != 1 or terms[0] not in ("done", "passed"):
            raise AnsibleError("preflight takes one term: 'done' or 'passed'")
        variables = variables or {}
        role_path, role = variables.get("role_path"), variables.get("role_name")
        if not role_path or not role:
            raise AnsibleError("preflight is meant for the tasks of a role: no role is running here")
        names = input_names(role_path)
        values = self._templar.template([variables.get(name) for name in names])
        current = digest(role, [list(pair) for pair in zip(names, values, strict=True)])
        checked = list(self._templar.template(variables.get(f"_{role}_validated")) or [])
        if terms[0] == "done":
            return [current in checked]
        return [*checked, current] if current not in checked else checked
