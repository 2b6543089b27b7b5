# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""Check an ECR repository name against the rules ECR applies, before anything is created. The rule lives in
module_utils/ecr.py; this is its filter."""

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

from ansible_collections.dockwright.toolkit.plugins.module_utils.ecr import repository_errors


def ecr_repository_errors(name, name_var="ecr_repository"):
    """Return a list of problems with the ECR repository name C(name); empty when ECR accepts it."""
    return repository_errors(name, name_var=name_var)


class FilterModule:
    def filters(self):
        return {"ecr_repository_errors": ecr_repository_errors}
