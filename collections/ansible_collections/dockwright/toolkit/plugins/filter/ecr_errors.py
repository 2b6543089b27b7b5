# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""Check the ecr role's settings against ECR's rules, before anything is asked or changed. The rules live in
module_utils/ecr.py; this is their filter."""

from __future__ import annotations

DOCUMENTATION = r"""
name: ecr_errors
short_description: List what is wrong with the ecr role's settings, in ECR's and Docker's rules
description:
  - Takes the settings by role variable name and returns an empty list when all are valid, otherwise one
    sentence per problem naming the variable, the value and what to change.
  - Checks the local image (C(name[:tag]), no digest), the repository name, the tag in ECR, the encryption and its
    KMS key ARN, the lifecycle count, the retry and timeout numbers, the registry C(host[:port]), the account id
    (12 digits) and the endpoint URL. Empty registry, account id and endpoint mean "the default" and pass.
  - Checks nothing on disk or over the network.
options:
  _input:
    description:
      - The settings, keyed by role variable (C(ecr_image), C(ecr_repository), C(ecr_tag), C(ecr_encryption),
        C(ecr_kms_key), C(ecr_lifecycle_keep_last), C(ecr_retries), C(ecr_retry_delay), C(ecr_timeout),
        C(ecr_registry), C(ecr_account_id), C(ecr_endpoint_url)). Missing keys take the role's defaults.
      - C(ecr_tag) is the tag the image gets in ECR, after its default (the local image's tag).
    type: dict
    required: true
"""

EXAMPLES = r"""
- name: Check the settings
  ansible.builtin.assert:
    that: _errors | length == 0
    fail_msg: "{{ _errors | join('\n') }}"
    quiet: true
  vars:
    _errors: >-
      {{ {'ecr_image': ecr_image, 'ecr_repository': ecr_repository, 'ecr_tag': ecr_tag or '1.0',
          'ecr_account_id': ecr_account_id} | dockwright.toolkit.ecr_errors }}
"""

RETURN = r"""
_value:
  description: Problems found; empty when all settings are valid.
  type: list
  elements: str
  sample: ["ecr_account_id '1234' is not an AWS account id (12 digits)."]
"""

from ansible.errors import AnsibleFilterError
from ansible_collections.dockwright.toolkit.plugins.module_utils.ecr import settings_errors


def ecr_errors(settings):
    """Return a list of problems with the ecr role's settings; empty when all are valid."""
    if not isinstance(settings, dict):
        raise AnsibleFilterError(f"ecr_errors takes a dict of ecr_* settings, not {type(settings).__name__}")
    return settings_errors(settings)


class FilterModule:
    def filters(self):
        return {"ecr_errors": ecr_errors}
