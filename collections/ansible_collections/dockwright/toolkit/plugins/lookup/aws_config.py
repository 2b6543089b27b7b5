# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""Read the older tool's AwsConfig.ini: the region, keys and account every AWS role takes from it, one way."""

from __future__ import annotations

DOCUMENTATION = r"""
name: aws_config
short_description: Read the older tool's AwsConfig.ini (region, access key pair, account id) for any AWS role
description:
  - Reads the file as C(dockwright.toolkit.legacy_config) reads an .ini file (any section, or bare C(key = value)
    lines) and returns its four keys, each empty when the file does not set it; an empty term returns them all
    empty. Every AWS role (ecr, batch_job_definition, batch_environment, batch_job) reads the file through it.
  - A key the file may not hold fails with the key it most likely meant; a missing or malformed file fails naming
    the file and the line. No message shows a value or a line of the file, which holds a secret key.
  - Whether the values go together (both keys or neither, a 12-digit C(aws_id)) is the filter
    C(dockwright.toolkit.aws_config_errors)'s to say, for the role that reads them.
options:
  _terms:
    description: Path of the AwsConfig.ini; empty for none.
    required: true
"""

EXAMPLES = r"""
- name: Read the AwsConfig.ini
  ansible.builtin.set_fact:
    aws_settings: "{{ lookup('dockwright.toolkit.aws_config', 'AwsConfig.ini') }}"
  no_log: true  # it holds the secret key
"""

RETURN = r"""
_raw:
  description: The file's settings, each "" when not set. Never print them.
  type: dict
  contains:
    region: {description: The AWS region., type: str}
    aws_access_key_id: {description: The access key id., type: str}
    aws_secret_access_key: {description: The secret access key., type: str}
    aws_id: {description: The AWS account id of the registry., type: str}
"""

import re

from ansible.errors import AnsibleError
from ansible.plugins.lookup import LookupBase
from ansible_collections.dockwright.toolkit.plugins.lookup.legacy_config import read_legacy_config
from ansible_collections.dockwright.toolkit.plugins.module_utils.ecr import AWS_CONFIG_KEYS
from ansible_collections.dockwright.toolkit.plugins.module_utils.settings import unknown_keys

# A key that is a name may be shown; anything else may be a value whose line lacks its '=' (the secret key with a
# '=' of its own, say), and is not.
KEY_NAME = re.compile(r"[a-z0-9_.-]{1,64}")


def _unknown(key, guess):
    if KEY_NAME.fullmatch(key):
        return f"'{key}'" + (f" (did you mean '{guess}'?)" if guess else "")
    return ("a line whose key is not a name (not shown, as it may hold a secret" +
            (f"; is it {guess} without its '='?)" if guess else ")"))


def read_aws_config(path):
    """The AwsConfig.ini's four settings ("" for each one it does not set); raise ValueError naming the problem."""
    settings = read_legacy_config(path)
    unknown = unknown_keys(settings, AWS_CONFIG_KEYS)
    if unknown:
        raise ValueError(f"config file '{path}' has unknown key(s): {', '.join(_unknown(*pair) for pair in unknown)}."
                         f" Known keys: {', '.join(sorted(AWS_CONFIG_KEYS))}.")
    return {key: settings.get(key, "") for key in AWS_CONFIG_KEYS}


class LookupModule(LookupBase):
    def run(self, terms, variables=None, **kwargs):
        self.set_options(var_options=variables, direct=kwargs)
        try:
            return [read_aws_config(str(term) if term else "") for term in terms]
        except ValueError as err:
            raise AnsibleError(str(err)) from None
