# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""Check the settings of a compute environment, its job queue and the Lambda function pointed at them."""

from __future__ import annotations

DOCUMENTATION = r"""
name: batch_environment_errors
short_description: List what is wrong with the settings of an AWS Batch compute environment and its job queue
description:
  - Returns an empty list when the settings are fine, otherwise one sentence per problem naming the variable
    to change and what to give; nothing is asked of AWS.
  - The rules are those the modules M(dockwright.toolkit.batch_compute_environment),
    M(dockwright.toolkit.batch_job_queue) and M(dockwright.toolkit.batch_lambda_environment) apply to their
    options (Batch names, role, instance profile and compute environment ARNs, subnet and security group IDs,
    vCPU bounds, Fargate's lack of instance settings, allocation strategies and the Spot Fleet role BEST_FIT needs,
    queue priority and order, Lambda names).
  - With O(_input.state=absent) only the names are checked.
options:
  _input:
    description:
      - The settings, keyed like the batch_environment role's variables without their C(batch_environment_)
        prefix.
      - Keys left out are not checked, except the compute environment's C(name), C(type) and vCPU and network
        settings, which an environment to create needs.
      - C(name), C(state), C(type), C(min_vcpus), C(max_vcpus), C(desired_vcpus), C(instance_types), C(subnets),
        C(security_group_ids), C(instance_role), C(service_role), C(spot_iam_fleet_role), C(allocation_strategy);
        C(queue_name),
        C(queue_priority), C(queue_compute_environments); C(lambda_function), C(lambda_job_definition),
        C(lambda_queue_variable), C(lambda_job_definition_variable).
    type: dict
    required: true
  prefix:
    description: What the sentences put before each key to name the variable the user set.
    type: str
    default: batch_environment_
"""

EXAMPLES = r"""
- name: Check the settings before any AWS call
  ansible.builtin.assert:
    that: _errors | length == 0
    fail_msg: "{{ _errors | join('\n') }}"
  vars:
    _errors: >-
      {{ {'name': batch_environment_name, 'state': batch_environment_state, 'type': batch_environment_type,
          'max_vcpus': batch_environment_max_vcpus, 'subnets': batch_environment_subnets,
          'security_group_ids': batch_environment_security_group_ids, 'queue_name': batch_environment_queue_name}
         | dockwright.toolkit.batch_environment_errors }}
"""

RETURN = r"""
_value:
  description: Problems found, one sentence each; empty when the settings are fine.
  type: list
  elements: str
"""

from ansible_collections.dockwright.toolkit.plugins.module_utils.aws import endpoint_url_errors
from ansible_collections.dockwright.toolkit.plugins.module_utils.batch import lambda_target_errors
from ansible_collections.dockwright.toolkit.plugins.module_utils.batch_compute_environment import environment_errors
from ansible_collections.dockwright.toolkit.plugins.module_utils.batch_job_queue import queue_errors

_QUEUE_KEYS = {"name": "queue_name", "priority": "queue_priority", "compute_environments": "queue_compute_environments"}
_LAMBDA_KEYS = {"function": "lambda_function", "job_definition": "lambda_job_definition",
                "queue_variable": "lambda_queue_variable", "job_definition_variable": "lambda_job_definition_variable"}


def batch_environment_errors(settings, prefix="batch_environment_"):
    """The problems of the settings (empty when there is none), each naming prefix + the key."""
    settings = dict(settings or {})
    state = settings.get("state", "present")
    environment = {key: value for key, value in settings.items() if not key.startswith(("queue_", "lambda_"))}
    errors = environment_errors(environment, {key: prefix + key for key in environment})
    if "queue_name" in settings:
        queue = {key: settings.get(role_key) for key, role_key in _QUEUE_KEYS.items()}
        errors += queue_errors({**queue, "state": state},
                               {key: prefix + role_key for key, role_key in _QUEUE_KEYS.items()})
    if state != "absent" and any(role_key in settings for role_key in _LAMBDA_KEYS.values()):
        target = {key: settings.get(role_key) for key, role_key in _LAMBDA_KEYS.items()}
        errors += lambda_target_errors(target, {key: prefix + role_key for key, role_key in _LAMBDA_KEYS.items()})
    if "endpoint_url" in settings:
        errors += endpoint_url_errors(settings["endpoint_url"], prefix + "endpoint_url")
    return errors


class FilterModule:
    def filters(self):
        return {"batch_environment_errors": batch_environment_errors}
