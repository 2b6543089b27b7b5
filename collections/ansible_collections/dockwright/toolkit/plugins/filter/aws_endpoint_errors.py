# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""Check an AWS API endpoint URL before any call. The rule lives in module_utils/aws.py."""

from __future__ import annotations

DOCUMENTATION = r"""
name: aws_endpoint_errors
short_description: Say what is wrong with an AWS API endpoint URL, before any call
description:
  - Returns a sentence when the URL is not an http(s) URL with a host, naming O(name); an empty input stands for
    C(AWS_ENDPOINT_URL) from the environment (as boto3 reads it), named as such; both empty (AWS's own endpoint) give
    an empty list.
options:
  _input: {description: "The endpoint URL, empty for AWS_ENDPOINT_URL or AWS's own.", type: str, required: true}
  name: {description: The variable that holds it., type: str, default: endpoint_url}
"""

EXAMPLES = r"""
- name: Check the endpoint
  ansible.builtin.assert:
    that: _errors | length == 0
    fail_msg: "{{ _errors | join(' ') }}"
  vars:
    _errors: "{{ batch_job_endpoint_url | dockwright.toolkit.aws_endpoint_errors('batch_job_endpoint_url') }}"
"""

RETURN = r"""
_value: {description: "The sentences (empty when the URL is fine).", type: list, elements: str}
"""

from ansible_collections.dockwright.toolkit.plugins.module_utils.aws import endpoint_url_errors


class FilterModule:
    def filters(self):
        return {"aws_endpoint_errors": endpoint_url_errors}
