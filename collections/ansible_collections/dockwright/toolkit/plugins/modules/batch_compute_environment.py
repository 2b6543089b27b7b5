#!/usr/bin/python
# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""Manage a managed AWS Batch compute environment: create it, update it in place, disable and delete it."""

from __future__ import annotations

DOCUMENTATION = r"""
module: batch_compute_environment
short_description: Create, update in place or delete a managed AWS Batch compute environment
description:
  - Ensures a MANAGED compute environment of type EC2, SPOT, FARGATE or FARGATE_SPOT exists with the given
    settings, updating the ones Batch can change in place (state, service role, vCPU bounds, subnets,
    security groups, instance types, instance role, allocation strategy) and waiting until it is VALID again.
  - On EC2 and SPOT environments, subnets, security groups, instance types, the instance role and the allocation
    strategy change only through what Batch calls an infrastructure update, which it makes only on an environment
    with its service-linked role (O(service_role) empty) and an allocation strategy of BEST_FIT_PROGRESSIVE,
    SPOT_CAPACITY_OPTIMIZED or SPOT_PRICE_CAPACITY_OPTIMIZED. EC2 and SPOT environments are therefore created with
    such a strategy unless O(allocation_strategy) says otherwise. A change Batch would refuse fails before any
    call that changes anything, saying why and to delete the environment first; with O(replace=true) the
    environment is deleted and created anew instead.
  - An environment Batch describes as INVALID with nothing to change (typically one created while IAM did not yet
    know its roles) is updated with its own settings, so that Batch checks it again; if it stays INVALID the
    module fails with Batch's reason and how to create it anew.
  - Deletion disables the environment first, waits, deletes it and waits until it is gone. Delete the job
    queues that use it first (Batch refuses otherwise).
  - Written because C(community.aws.batch_compute_environment) 10.0.0 rejects names with hyphens, has no
    FARGATE types, requires instance settings Fargate forbids, fails in check mode on an update and neither
    disables before deleting nor waits.
  - O(desired_vcpus) is set at creation only; afterwards Batch scales it, and comparing it would undo that.
options:
  name:
    description: Name of the compute environment (2 to 128 letters, digits, hyphens and underscores).
    type: str
    required: true
  state:
    description: Whether the compute environment should exist.
    type: str
    choices: [present, absent]
    default: present
  enabled:
    description: Whether the environment accepts jobs (ENABLED) or not (DISABLED).
    type: bool
    default: true
  type:
    description: Kind of capacity.
    type: str
    choices: [EC2, SPOT, FARGATE, FARGATE_SPOT]
    default: EC2
  min_vcpus:
    description: vCPUs kept running even without jobs (EC2 and SPOT only; keep 0 for Fargate).
    type: int
    default: 0
  max_vcpus:
    description: Most vCPUs the environment scales to. Required with O(state=present).
    type: int
  desired_vcpus:
    description: vCPUs at creation (EC2 and SPOT only; 0 or left out for Fargate); Batch scales it afterwards.
    type: int
  instance_types:
    description: EC2 instance types or families (C(optimal) lets Batch choose). EC2 and SPOT only.
    type: list
    elements: str
    default: []
  subnets:
    description: VPC subnet IDs the instances or Fargate tasks run in.
    type: list
    elements: str
    default: []
  security_group_ids:
    description: Security group IDs of the instances or Fargate tasks.
    type: list
    elements: str
    default: []
  instance_role:
    description: ARN of the instance profile of the EC2 instances (not the role's ARN). EC2 and SPOT only.
    type: str
  service_role:
    description: ARN of the IAM role Batch acts with; empty lets Batch use its service-linked role.
    type: str
  spot_iam_fleet_role:
    description:
      - ARN of the Spot Fleet role of a SPOT environment (set at creation only).
      - Needed with O(allocation_strategy=BEST_FIT) only.
    type: str
  allocation_strategy:
    description:
      - How Batch picks instances when the best fitting type runs short (EC2 and SPOT only).
      - Left out, EC2 environments are created with BEST_FIT_PROGRESSIVE and SPOT ones with
        SPOT_PRICE_CAPACITY_OPTIMIZED, and an existing environment keeps its own.
      - BEST_FIT (what Batch uses when none is given) never takes an infrastructure update, and a SPOT
        environment with it needs O(spot_iam_fleet_role). SPOT_* strategies are for SPOT environments only.
    type: str
    choices: [BEST_FIT, BEST_FIT_PROGRESSIVE, SPOT_CAPACITY_OPTIMIZED, SPOT_PRICE_CAPACITY_OPTIMIZED]
  replace:
    description:
      - When the environment differs in ways Batch cannot change in place, disable and delete it, then create it
        with the options, instead of failing.
      - Batch refuses to delete an environment a job queue uses; delete those queues first (the batch_environment
        role does, with batch_environment_replace).
    type: bool
    default: false
attributes:
  platform:
    platforms: all
  check_mode:
    support: full
  diff_mode:
    support: full
  idempotent:
    support: full
    description: A second run with the same options changes nothing.
    details: Against moto 5.2.5 an update of vCPUs, subnets, security groups or instance types is accepted
      but not stored, so after such an update every later run reports the same change again.
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - dockwright.toolkit.batch
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
author:
  - dockwright contributors (@dockwright)
"""

EXAMPLES = r"""
- name: Ensure the EC2 compute environment exists
  dockwright.toolkit.batch_compute_environment:
    name: dockwright
    type: EC2
    max_vcpus: 16
    instance_types: [optimal]
    subnets: [subnet-0123456789abcdef0]
    security_group_ids: [sg-0123456789abcdef0]
    instance_role: arn:aws:iam::123456789012:instance-profile/ecsInstanceRole

- name: Ensure the SPOT compute environment exists (SPOT_PRICE_CAPACITY_OPTIMIZED, no Spot Fleet role needed)
  dockwright.toolkit.batch_compute_environment:
    name: dockwright-spot
    type: SPOT
    max_vcpus: 16
    instance_types: [optimal]
    subnets: [subnet-0123456789abcdef0]
    security_group_ids: [sg-0123456789abcdef0]
    instance_role: arn:aws:iam::123456789012:instance-profile/ecsInstanceRole

- name: Ensure the Fargate compute environment exists
  dockwright.toolkit.batch_compute_environment:
    name: dockwright-fargate
    type: FARGATE
    max_vcpus: 8
    subnets: [subnet-0123456789abcdef0]
    security_group_ids: [sg-0123456789abcdef0]

- name: Ensure the compute environment is deleted
  dockwright.toolkit.batch_compute_environment:
    name: dockwright
    state: absent
"""

RETURN = r"""
compute_environment:
  description: The environment as Batch describes it, keys in snake_case; empty when absent or in check mode
    before creation.
  returned: always
  type: dict
  sample:
    compute_environment_name: dockwright
    compute_environment_arn: arn:aws:batch:eu-west-1:123456789012:compute-environment/dockwright
    state: ENABLED
    status: VALID
    compute_resources: {type: EC2, minv_cpus: 0, maxv_cpus: 16, instance_types: [optimal]}
arn:
  description: ARN of the compute environment (empty when it does not exist yet, as in check mode).
  returned: always
  type: str
  sample: arn:aws:batch:eu-west-1:123456789012:compute-environment/dockwright
replaced:
  description: Whether the environment was (or in check mode, would be) deleted and created anew (O(replace)).
  returned: always
  type: bool
  sample: false
actions:
  description: What was done, in plain words; in check mode what would be done ("would create ...").
  returned: always
  type: list
  elements: str
  sample: ["updated maxvCpus 16 -> 32"]
"""

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.dockwright.toolkit.plugins.module_utils.aws_client import aws_client
from ansible_collections.dockwright.toolkit.plugins.module_utils.batch_compute_environment import (
    ALLOCATION_STRATEGIES,
    changes,
    create_request,
    current_settings,
    describe_environment,
    option_errors,
    predicted,
    repair_request,
)
from ansible_collections.dockwright.toolkit.plugins.module_utils.batch_lifecycle import Lifecycle, planned, ready


def create(module, resource, actions, before):
    """Create the environment the options describe (its deletion, when replacing, is done): actions says so."""
    params = module.params
    actions.append(f"created {params['type']} compute environment {params['name']}")
    diff = {"before": before, "after": predicted(None, params)}
    if module.check_mode:
        return True, actions, diff, None, ""
    arn = resource.call("create_compute_environment", "create", **create_request(params))["computeEnvironmentArn"]
    environment = resource.wait_for(ready, "VALID")
    resource.ensure_valid(environment)
    return True, actions, diff, environment, arn


def present(module, resource, environment):
    params, actions = module.params, []
    arn = environment.get("computeEnvironmentArn", "") if environment else ""
    if environment is None:
        return create(module, resource, actions, {})

    update, words, fixed = changes(environment, params)
    if fixed and not params["replace"]:
        module.fail_json(msg=f"Compute environment {params['name']} differs in ways Batch cannot change in place: "
                             f"{'; '.join(fixed)}. Nothing was changed. Delete it first (state absent; the job queues"
                             " using it before it) and apply again, or set replace to have it deleted and created"
                             " anew (the batch_environment role: batch_environment_replace=true, make batch-env"
                             " REPLACE=1).")
    if fixed:
        # Batch refuses to delete an environment a job queue uses: the caller deletes those first (the role does).
        actions.append(f"replaced compute environment {params['name']} ({'; '.join(fixed)}): deleted it")
        if not module.check_mode:
            resource.teardown(environment, arn, "computeEnvironment",
                              "delete (to replace it; delete the job queues using it first)")
        return create(module, resource, actions, current_settings(environment))
    diff = {"before": current_settings(environment), "after": predicted(environment, params)}
    if not update and environment.get("status") == "INVALID":
        # Nothing to change, yet INVALID: most often created before IAM knew its roles. An update with its own
        # settings has Batch check it again; ensure_valid then fails with Batch's reason if it is still INVALID.
        actions.append(f"updated INVALID compute environment {params['name']} with its own settings, so that Batch"
                       f" checks it again (it said: {environment.get('statusReason') or 'no reason given'})")
        if module.check_mode:
            return True, actions, diff, environment, arn
        environment = resource.update(environment, "update", **repair_request(environment))
        return True, actions, diff, environment, arn
    if not update:
        return False, actions, diff, environment, arn
    actions.append("updated " + ", ".join(words))
    if module.check_mode:
        return True, actions, diff, environment, arn
    environment = resource.update(
        environment, "update (if Batch refuses this change in place, delete the environment and apply again)", **update)
    return True, actions, diff, environment, arn


def absent(module, resource, environment):
    if environment is None:
        return False, [], {"before": {}, "after": {}}, None, ""
    name, arn = module.params["name"], environment.get("computeEnvironmentArn", "")
    diff = {"before": current_settings(environment), "after": {}}
    actions = []
    if environment.get("state") == "ENABLED":
        actions.append(f"disabled compute environment {name}")
    actions.append(f"deleted compute environment {name}")
    if not module.check_mode:
        resource.teardown(environment, arn, "computeEnvironment", "delete (delete the job queues using it first)")
    return True, actions, diff, None, arn


def main():
    module = AnsibleAWSModule(
        argument_spec={
            "name": {"type": "str", "required": True},
            "state": {"type": "str", "choices": ["present", "absent"], "default": "present"},
            "enabled": {"type": "bool", "default": True},
            "type": {"type": "str", "choices": ["EC2", "SPOT", "FARGATE", "FARGATE_SPOT"], "default": "EC2"},
            "min_vcpus": {"type": "int", "default": 0},
            "max_vcpus": {"type": "int"},
            "desired_vcpus": {"type": "int"},
            "instance_types": {"type": "list", "elements": "str", "default": []},
            "subnets": {"type": "list", "elements": "str", "default": []},
            "security_group_ids": {"type": "list", "elements": "str", "default": []},
            "instance_role": {"type": "str"},
            "service_role": {"type": "str"},
            "spot_iam_fleet_role": {"type": "str"},
            "allocation_strategy": {"type": "str", "choices": list(ALLOCATION_STRATEGIES)},
            "replace": {"type": "bool", "default": False},
            "wait": {"type": "bool", "default": True},
            "wait_timeout": {"type": "int", "default": 600},
        },
        required_if=[("state", "present", ["max_vcpus"])],
        supports_check_mode=True,
    )
    errors = option_errors(module.params)
    if errors:
        module.fail_json(msg=" ".join(errors))

    client = aws_client(module, "batch")
    resource = Lifecycle(module, client, "compute environment", describe_environment, "compute_environment",
                         "Fix the settings it names (roles, subnets, security groups) and run again; if it stays"
                         " INVALID with the right settings, delete it (state absent; the job queues using it"
                         " before it) and apply again to create it anew.")
    environment = resource.current()
    handler = present if module.params["state"] == "present" else absent
    changed, actions, diff, environment, arn = handler(module, resource, environment)
    module.exit_json(
        changed=changed,
        replaced=bool(actions) and actions[0].startswith("replaced "),
        actions=planned(actions) if module.check_mode else actions,
        diff=diff,
        arn=arn,
        compute_environment=camel_dict_to_snake_dict(environment, ignore_list=["tags"]) if environment else {},
    )


if __name__ == "__main__":
    main()
