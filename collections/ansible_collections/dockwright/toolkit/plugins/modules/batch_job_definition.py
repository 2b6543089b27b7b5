#!/usr/bin/python
# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""Register an AWS Batch job definition from a BatchConfig.yml section, only when it differs from the latest revision.

Why not community.aws.batch_job_definition (10.0.0): besides knowing only the legacy vcpus/memory fields on EC2, it is
not idempotent. Checked against moto 5.2.5: three identical runs reported changed=1 each time and registered revisions
1, 2 and 3, because it compares its snake_case options, None when unset (parameters, volumes, mount_points, ulimits),
with the camelCase describe answer, which has {} and [] there; it also looks at INACTIVE revisions and one page only.
"""

from __future__ import annotations

DOCUMENTATION = r"""
module: batch_job_definition
short_description: Register an AWS Batch job definition only when its settings changed
description:
  - Turns a job definition section of a C(BatchConfig.yml) (snake_case keys) into a Batch
    C(register_job_definition) request, with vCPUs, memory and GPUs as C(resourceRequirements), EC2 or Fargate
    (x86_64 or ARM64), retry rules, timeout, log configuration, tags, secrets (as ARNs), shared memory, ephemeral
    storage and EFS volumes.
  - Compares it with the latest C(ACTIVE) revision of the same name and registers one new revision only when a
    setting differs; an unchanged definition reports no change and calls no write API.
  - Checks the whole definition before any API call and fails with one sentence per problem, naming the key and
    what to change (unknown keys get the closest valid name).
  - With O(state=absent), deregisters every C(ACTIVE) revision of the name, or only O(revision).
  - Written for dockwright because M(community.aws.batch_job_definition) (10.0.0) knows only the legacy
    C(vcpus)/C(memory) fields on EC2 and registers a new revision on every run.
author:
  - dockwright contributors (@dockwright)
options:
  definition:
    description:
      - The job definition section of a C(BatchConfig.yml); C(examples/BatchConfig.yml) documents every key.
      - Keys are C(name) (required), C(command), C(parameters), C(vcpus) (default C(1)), C(memory) (MiB, default
        C(2048)), C(gpus) (default C(0)), C(environment), C(job_role_arn), C(execution_role_arn), C(platform)
        (C(EC2) or C(FARGATE), default C(EC2)), C(fargate) (C(assign_public_ip), C(platform_version),
        C(cpu_architecture)), C(retry_attempts) (default C(1)), C(retry_on_exit), C(timeout_seconds), C(log_driver)
        (default C(awslogs)), C(log_options), C(tags), C(propagate_tags), C(user), C(readonly_root_filesystem),
        C(privileged), C(secrets) (variable name to Secrets Manager or SSM Parameter Store ARN),
        C(shared_memory_mb) (EC2 only), C(ephemeral_storage_gb) (Fargate only, 21 to 200) and C(volumes) (EFS
        file systems, each with its C(container_path)).
      - With O(state=absent) only C(name) is read.
    type: dict
    required: true
  image:
    description:
      - The image URI the jobs run, for example C(123456789012.dkr.ecr.eu-west-1.amazonaws.com/iris:1.0).
      - Required with O(state=present).
    type: str
  state:
    description:
      - V(present) registers a new revision when the settings differ from the latest C(ACTIVE) one.
      - V(absent) deregisters the C(ACTIVE) revisions of the name (all of them, or only O(revision)).
    type: str
    choices: [present, absent]
    default: present
  revision:
    description:
      - With O(state=absent), deregister only this revision; by default all C(ACTIVE) ones.
    type: int
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
attributes:
  check_mode:
    support: full
    details:
      - Reports the same C(changed) and returns the revision that would be registered (latest + 1).
  diff_mode:
    support: full
    details:
      - The diff shows the compared fields of the latest C(ACTIVE) revision and of the desired one.
  idempotent:
    support: full
    description:
      - When run twice in a row outside check mode, with the same arguments, the second run reports no change.
  platform:
    platforms: posix
notes:
  - A command given as a string is split into arguments like a shell would (quotes keep words together); it is not
    run by a shell. C(Ref::name) placeholders without a default in C(parameters) draw a warning, since every job
    must then supply them.
  - Batch cannot change a revision; a changed setting always means a new revision, and jobs submitted by name use
    the latest C(ACTIVE) one.
  - C(secrets) holds ARNs only; Batch reads the values with the execution role when a job starts, so the values
    never pass through the module, the job definition or the image. C(secrets) therefore needs
    C(execution_role_arn), a role allowed C(secretsmanager:GetSecretValue) or C(ssm:GetParameters) on them. A
    secret given as something other than an ARN is refused without repeating it.
  - Checked against moto 5.2.5, M(community.aws.batch_job_definition) registered revisions 1, 2 and 3 on three
    identical runs, each reporting a change; this module registers revision 1 and then reports no change.
"""

EXAMPLES = r"""
- name: Ensure the iris training job definition is registered
  dockwright.toolkit.batch_job_definition:
    region: eu-west-1
    image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/iris:1.0
    definition:
      name: iris-train
      command: [python, train.py, --epochs, Ref::epochs]
      parameters:
        epochs: "10"
      vcpus: 2
      memory: 4096
      environment:
        LOG_LEVEL: info
      job_role_arn: arn:aws:iam::123456789012:role/iris-job
      retry_attempts: 3
      retry_on_exit:
        - on_exit_code: "137"
          action: RETRY
        - on_reason: "*"
          action: EXIT
      timeout_seconds: 3600
      tags:
        project: iris
  register: __iris_job_definition

- name: Ensure the iris job definition runs on Fargate
  dockwright.toolkit.batch_job_definition:
    region: eu-west-1
    image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/iris:1.0
    definition:
      name: iris-train-fargate
      command: python train.py
      platform: FARGATE
      vcpus: 0.5
      memory: 2048
      execution_role_arn: arn:aws:iam::123456789012:role/ecsTaskExecutionRole
      fargate:
        assign_public_ip: ENABLED

- name: Ensure the iris job definition reads its database password and mounts its data set
  dockwright.toolkit.batch_job_definition:
    region: eu-west-1
    image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/iris:1.0
    definition:
      name: iris-train-data
      command: python train.py --data /data
      execution_role_arn: arn:aws:iam::123456789012:role/ecsTaskExecutionRole
      secrets:
        DB_PASSWORD: arn:aws:secretsmanager:eu-west-1:123456789012:secret:iris/db-password-AbCdEf
      shared_memory_mb: 2048
      volumes:
        - name: data
          efs:
            file_system_id: fs-0123456789abcdef0
            root_directory: /datasets/iris
            transit_encryption: ENABLED
          container_path: /data
          read_only: true

- name: Ensure every revision of the iris job definition is deregistered
  dockwright.toolkit.batch_job_definition:
    region: eu-west-1
    state: absent
    definition:
      name: iris-train
"""

RETURN = r"""
name:
  description: The job definition's name.
  returned: always
  type: str
  sample: iris-train
arn:
  description:
    - ARN of the latest C(ACTIVE) revision (the one registered, or the unchanged one).
    - In check mode, the predicted ARN, or null when no revision exists yet to predict it from.
    - With O(state=absent), the latest revision still C(ACTIVE) afterwards, or null.
  returned: always
  type: str
  sample: arn:aws:batch:eu-west-1:123456789012:job-definition/iris-train:3
revision:
  description:
    - The latest C(ACTIVE) revision (in check mode, the one that would be registered).
    - With O(state=absent), the latest revision still C(ACTIVE) afterwards, or null.
  returned: always
  type: int
  sample: 3
job_definition:
  description:
    - The latest C(ACTIVE) revision as Batch describes it, keys in snake_case (tags, parameters and log options
      keep their own keys).
    - In check mode with a change, the request that would be registered, with the predicted revision.
    - With O(state=absent), the latest revision still C(ACTIVE) afterwards, or empty.
  returned: always
  type: dict
  sample:
    job_definition_name: iris-train
    job_definition_arn: arn:aws:batch:eu-west-1:123456789012:job-definition/iris-train:3
    revision: 3
    status: ACTIVE
    type: container
    platform_capabilities: [EC2]
    container_properties:
      image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/iris:1.0
      command: [python, train.py]
      resource_requirements:
        - {type: MEMORY, value: "4096"}
        - {type: VCPU, value: "2"}
    retry_strategy: {attempts: 3}
    tags: {project: iris}
    propagate_tags: false
actions:
  description: What was done (or would be, in check mode), in plain sentences; empty when nothing was to do.
  returned: always
  type: list
  elements: str
  sample:
    - "Registered revision 3 of job definition 'iris-train' (changed since revision 2:
      containerProperties.resourceRequirements)."
deregistered:
  description: ARNs of the revisions deregistered (or that would be, in check mode).
  returned: when O(state=absent)
  type: list
  elements: str
  sample: ["arn:aws:batch:eu-west-1:123456789012:job-definition/iris-train:1"]
diff:
  description: The compared fields of the latest C(ACTIVE) revision before and after, camelCase as in the API.
  returned: always
  type: dict
  sample:
    before: {}
    after:
      jobDefinitionName: iris-train
      containerProperties:
        resourceRequirements:
          - {type: MEMORY, value: "4096"}
          - {type: VCPU, value: "2"}
"""

import re

try:
    from botocore.exceptions import BotoCoreError, ClientError
except ImportError:
    pass  # AnsibleAWSModule reports a missing botocore

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.dockwright.toolkit.plugins.module_utils.aws_client import aws_client, retry_decorator
from ansible_collections.dockwright.toolkit.plugins.module_utils.batch_job_definition import (
    NAME_PATTERN,
    changed_fields,
    comparable,
    diff_job_definition,
    normalize_job_definition,
    unset_parameters,
)


@retry_decorator()
def _describe_pages(client, **params):
    return client.get_paginator("describe_job_definitions").paginate(**params).build_full_result()


def active_revisions(module, client, name):
    """Every ACTIVE revision of the name, sorted by revision number."""
    try:
        answer = _describe_pages(client, jobDefinitionName=name, status="ACTIVE")
    except (BotoCoreError, ClientError) as err:
        module.fail_json_aws(err, msg=f"Could not list the revisions of job definition '{name}' (needs "
                                      "batch:DescribeJobDefinitions)")
    revisions = [item for item in answer.get("jobDefinitions", [])
                 if item.get("jobDefinitionName") == name and item.get("status", "ACTIVE") == "ACTIVE"]
    return sorted(revisions, key=lambda item: item["revision"])


def describe_revision(module, client, arn):
    """One revision as Batch describes it, or None."""
    try:
        answer = client.describe_job_definitions(jobDefinitions=[arn], aws_retry=True)
    except (BotoCoreError, ClientError) as err:
        module.fail_json_aws(err, msg=f"Could not read back job definition {arn}")
    found = answer.get("jobDefinitions") or []
    return found[0] if found else None


def register(module, client, request):
    """Register the request as a new revision; returns Batch's answer (name, ARN, revision)."""
    try:
        return client.register_job_definition(aws_retry=True, **request)
    except (BotoCoreError, ClientError) as err:
        module.fail_json_aws(err, msg=f"Could not register job definition '{request['jobDefinitionName']}' (check "
                                      "the roles' ARNs and that you may call batch:RegisterJobDefinition and "
                                      "batch:TagResource)")


def deregister(module, client, arn):
    try:
        client.deregister_job_definition(jobDefinition=arn, aws_retry=True)
    except (BotoCoreError, ClientError) as err:
        module.fail_json_aws(err, msg=f"Could not deregister job definition {arn}")


def snake_definition(definition):
    """camel_dict_to_snake_dict, keeping the user's own keys (tags, parameters, log options) as they are."""
    if not definition:
        return {}
    result = camel_dict_to_snake_dict(definition, ignore_list=["tags", "parameters", "containerProperties"])
    container = definition.get("containerProperties")
    if container:
        result["container_properties"] = camel_dict_to_snake_dict(container, ignore_list=["logConfiguration"])
        logging = container.get("logConfiguration")
        if logging:
            result["container_properties"]["log_configuration"] = camel_dict_to_snake_dict(
                logging, ignore_list=["options", "secretOptions"])
    return result


def predicted_arn(latest, revision):
    if not latest or not latest.get("jobDefinitionArn"):
        return None
    return re.sub(r":[0-9]+$", f":{revision}", latest["jobDefinitionArn"])


def ensure_present(module, client, desired):
    name = desired["jobDefinitionName"]
    missing = unset_parameters(desired)
    if missing:
        module.warn(f"Job definition '{name}': the command uses {', '.join('Ref::' + item for item in missing)} "
                    "without a default in parameters, so every job must supply them when submitted.")

    revisions = active_revisions(module, client, name)
    latest = revisions[-1] if revisions else None
    result = {"name": name, "diff": diff_job_definition(latest, desired), "actions": []}
    if latest and comparable(latest) == comparable(desired):
        return dict(result, changed=False, arn=latest["jobDefinitionArn"], revision=latest["revision"],
                    job_definition=snake_definition(latest))

    revision = latest["revision"] + 1 if latest else 1
    reason = (f"changed since revision {latest['revision']}: {', '.join(changed_fields(latest, desired))}"
              if latest else "none was ACTIVE")
    if module.check_mode:
        arn = predicted_arn(latest, revision)
        definition = dict(desired, jobDefinitionArn=arn, revision=revision, status="ACTIVE")
        result["actions"].append(f"Would register revision {revision} of job definition '{name}' ({reason}).")
    else:
        answer = register(module, client, desired)
        arn, revision = answer["jobDefinitionArn"], answer["revision"]
        definition = describe_revision(module, client, arn) or dict(desired, jobDefinitionArn=arn, revision=revision,
                                                                    status="ACTIVE")
        result["actions"].append(f"Registered revision {revision} of job definition '{name}' ({reason}).")
    return dict(result, changed=True, arn=arn, revision=revision, job_definition=snake_definition(definition))


def ensure_absent(module, client):
    definition = module.params["definition"] or {}
    name = definition.get("name")
    if not isinstance(name, str) or not NAME_PATTERN.match(name):
        module.fail_json(msg=f"name {name!r} is not a valid Batch job definition name: give the name of the job "
                             "definition to deregister in definition.name.")
    revisions = active_revisions(module, client, name)
    wanted = module.params["revision"]
    targets = [item for item in revisions if wanted is None or item["revision"] == wanted]
    remaining = [item for item in revisions if item not in targets]
    result = {
        "name": name, "arn": None, "revision": None, "job_definition": {}, "actions": [],
        "deregistered": [item["jobDefinitionArn"] for item in targets],
        "diff": diff_job_definition(revisions[-1] if revisions else None, remaining[-1] if remaining else None),
    }
    for item in targets:
        if not module.check_mode:
            deregister(module, client, item["jobDefinitionArn"])
        verb = "Would deregister" if module.check_mode else "Deregistered"
        result["actions"].append(f"{verb} revision {item['revision']} of job definition '{name}'.")
    if remaining:
        latest = remaining[-1]
        result.update(arn=latest["jobDefinitionArn"], revision=latest["revision"],
                      job_definition=snake_definition(latest))
    return dict(result, changed=bool(targets))


def main():
    argument_spec = {
        "definition": {"type": "dict", "required": True},
        "image": {"type": "str"},
        "state": {"type": "str", "default": "present", "choices": ["present", "absent"]},
        "revision": {"type": "int"},
    }
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True,
                              required_if=[("state", "present", ["image"])])
    if module.params["state"] == "present" and module.params["revision"] is not None:
        module.fail_json(msg="revision applies to state=absent only: Batch numbers new revisions itself.")
    desired = None
    if module.params["state"] == "present":
        # Checked before the client is made, so that a bad definition fails without any call to AWS.
        try:
            desired = normalize_job_definition(module.params["definition"], module.params["image"])
        except ValueError as err:
            module.fail_json(msg=str(err))

    client = aws_client(module, "batch")
    if desired is not None:
        module.exit_json(**ensure_present(module, client, desired))
    module.exit_json(**ensure_absent(module, client))


if __name__ == "__main__":
    main()
