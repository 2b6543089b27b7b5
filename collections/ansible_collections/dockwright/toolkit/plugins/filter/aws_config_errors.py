# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""Check the older tool's AwsConfig.ini as any AWS role takes it: the file is there, holds only its keys, and its
values go together. The rules live in module_utils/ecr.py and lookup/aws_config.py; this is their filter."""

from __future__ import annotations

DOCUMENTATION = r"""
name: aws_config_errors
short_description: List what is wrong with an older tool's AwsConfig.ini, without printing its values
description:
  - Takes the path of the file as the user gave it (relative to the directory ansible-playbook runs in) and returns
    an empty list when the file can be used, otherwise one sentence per problem naming the variable, the file and
    the key. An empty path means no file and no problem.
  - The file must exist and hold only the keys the older tool knew (read as the C(dockwright.toolkit.aws_config)
    lookup reads it); keys come in pairs (C(aws_access_key_id) and C(aws_secret_access_key)), exclude a profile,
    and C(aws_id) is an account id of 12 digits. Messages name keys, never their values.
  - Every AWS role (ecr, batch_job_definition, batch_environment, batch_job) checks its file through it.
options:
  _input:
    description: The AwsConfig.ini's path as given; empty for none.
    type: str
    required: true
  variable:
    description: The role variable that gave the path, for the messages.
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
    _errors: >-
      {{ ecr_aws_config_file | dockwright.toolkit.aws_config_errors('ecr_aws_config_file', profile=ecr_profile) }}
"""

RETURN = r"""
_value:
  description: Problems found; empty when the file can be used.
  type: list
  elements: str
  sample: ["AwsConfig.ini has only one of aws_access_key_id and aws_secret_access_key: give both or neither."]
"""

import os

from ansible.errors import AnsibleFilterError
from ansible_collections.dockwright.toolkit.plugins.lookup.aws_config import read_aws_config
from ansible_collections.dockwright.toolkit.plugins.module_utils.ecr import aws_config_errors as value_errors


def aws_config_errors(path, variable, profile="", account_id=""):
    """Return a list of problems with the AwsConfig.ini at C(path); empty when it can be used (or none is given)."""
    if path is None or not isinstance(path, str):
        raise AnsibleFilterError("aws_config_errors takes the file's path as a string")
    if not path:
        return []
    where = os.path.realpath(path)
    if not os.path.isfile(where):
        return [f"{variable} '{path}' was not found (looked for {where}): give the path of the AwsConfig.ini, "
                "relative to the directory ansible-playbook runs in (AWS_CONFIG=... with make), or \"\" for none."]
    try:
        config = read_aws_config(where)
    except ValueError as err:
        return [str(err)]
    return value_errors(path, has_access_key=bool(config["aws_access_key_id"]),
                        has_secret_key=bool(config["aws_secret_access_key"]), profile=profile,
                        account_id="" if str(account_id or "").strip() else config["aws_id"])


class FilterModule:
    def filters(self):
        return {"aws_config_errors": aws_config_errors}
