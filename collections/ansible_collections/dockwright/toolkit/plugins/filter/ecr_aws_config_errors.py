# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""Check what the older tool's AwsConfig.ini gives the ecr role. The rule lives in module_utils/ecr.py; this is its
filter."""

from __future__ import annotations

DOCUMENTATION = r"""
name: ecr_aws_config_errors
short_description: List what is wrong with an older tool's AwsConfig.ini, without printing its keys
description:
  - Takes the file's values (as the C(dockwright.toolkit.legacy_config) lookup reads them) and returns an empty
    list when they can be used, otherwise one sentence per problem naming the file and the key.
  - Keys come in pairs (C(aws_access_key_id) and C(aws_secret_access_key)), exclude a profile, and C(aws_id) is an
    account id of 12 digits. Messages name keys, never their values.
options:
  _input:
    description: The file's values; C(aws_access_key_id), C(aws_secret_access_key) and C(aws_id) are read.
    type: dict
    required: true
  path:
    description: The file as the user gave it, for the messages.
    type: str
    required: true
  profile:
    description: The profile given as well (C(ecr_profile)); empty for none.
    type: str
    default: ""
  account_id:
    description: >-
      The account id given elsewhere (C(ecr_account_id)), which wins over the file's C(aws_id); the file's
      C(aws_id) is checked only when this is empty.
    type: str
    default: ""
"""

EXAMPLES = r"""
- name: Check the AwsConfig.ini
  ansible.builtin.assert:
    that: _errors | length == 0
    fail_msg: "{{ _errors | join('\n') }}"
    quiet: true
  vars:
    _errors: "{{ cfg | dockwright.toolkit.ecr_aws_config_errors(path='AwsConfig.ini', profile=ecr_profile) }}"
"""

RETURN = r"""
_value:
  description: Problems found; empty when the file can be used.
  type: list
  elements: str
  sample: ["AwsConfig.ini has only one of aws_access_key_id and aws_secret_access_key: give both or neither."]
"""

from ansible.errors import AnsibleFilterError
from ansible_collections.dockwright.toolkit.plugins.module_utils.ecr import aws_config_errors


def ecr_aws_config_errors(config, path, profile="", account_id=""):
    """Return a list of problems with an AwsConfig.ini's values; empty when they can be used."""
    if not isinstance(config, dict):
        raise AnsibleFilterError("ecr_aws_config_errors takes the file's values as a dict")
    return aws_config_errors(path, has_access_key=bool(config.get("aws_access_key_id")),
                             has_secret_key=bool(config.get("aws_secret_access_key")), profile=profile,
                             account_id="" if str(account_id or "").strip() else config.get("aws_id", ""))


class FilterModule:
    def filters(self):
        return {"ecr_aws_config_errors": ecr_aws_config_errors}
