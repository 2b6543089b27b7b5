# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""Check an AWS region name."""

from __future__ import annotations

DOCUMENTATION = r"""
name: aws_region_errors
short_description: List what is wrong with an AWS region name
description:
  - Returns an empty list for a region name (C(eu-west-1), C(us-gov-west-1), C(cn-north-1)), otherwise one
    sentence naming the value and what to give.
  - The shape is two letters for the area, an optional partition part, a direction and a number.
options:
  _input: {description: The region name., type: str, required: true}
  name_var: {description: How to call the region in the sentence., type: str, default: region}
"""

EXAMPLES = r"""
- name: Check the region
  ansible.builtin.assert:
    that: _errors | length == 0
    fail_msg: "{{ _errors | join(' ') }}"
  vars:
    _errors: "{{ batch_job_definition_region | dockwright.toolkit.aws_region_errors('batch_job_definition_region') }}"
"""

RETURN = r"""
_value:
  description: Problems found; empty for a region name.
  type: list
  elements: str
"""

from ansible_collections.dockwright.toolkit.plugins.module_utils.aws import region_errors


def aws_region_errors(region, name_var="region"):
    """A sentence when region is not an AWS region name (empty list when it is)."""
    return region_errors(region, name_var)


class FilterModule:
    def filters(self):
        return {"aws_region_errors": aws_region_errors}
