#!/usr/bin/python
# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""Where a job submitted to a queue with a job definition would run: its image and the compute environments."""

from __future__ import annotations

DOCUMENTATION = r"""
module: batch_job_target_info
short_description: Describe where an AWS Batch job would run - its job definition's image and the queue's environments
description:
  - Read-only. Describes the job definition (a name's latest ACTIVE revision, C(name:revision) or an ARN) and the
    job queue with its compute environments, and returns what decides which CPU the job's container needs and gets
    - the image, the job definition's platform and Fargate C(cpu_architecture), each environment's type and
    instance types.
  - Used by the batch_job role's preflight to refuse, before submitting, an image whose architecture none of the
    queue's environments can run (the filter C(dockwright.toolkit.architecture_check) decides).
  - A queue or a job definition that does not exist is reported in C(queue_found) / C(job_definition), not as a
    failure.
options:
  queue:
    description: The job queue, by name or ARN.
    type: str
    required: true
  job_definition:
    description: The job definition - a name (its latest ACTIVE revision), C(name:revision) or an ARN.
    type: str
    required: true
attributes:
  platform:
    platforms: all
  check_mode:
    support: full
  diff_mode:
    support: none
  idempotent:
    support: full
    description: It changes nothing.
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
author:
  - dockwright contributors (@dockwright)
"""

EXAMPLES = r"""
- name: Look up where a job would run
  dockwright.toolkit.batch_job_target_info:
    queue: ml-queue
    job_definition: iris-train
  register: __target
"""

RETURN = r"""
queue_found:
  description: Whether the queue exists.
  returned: always
  type: bool
  sample: true
job_definition:
  description: The job definition's name, revision, image, platform (EC2 or FARGATE) and Fargate cpu_architecture; empty
    when there is none.
  returned: always
  type: dict
  sample: {name: iris-train, revision: 3, image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/iris:1.0, platform: EC2,
           cpu_architecture: ""}
compute_environments:
  description: The queue's compute environments in its order, each with its name, type (EC2, SPOT, FARGATE,
    FARGATE_SPOT; empty for an unmanaged one) and instance types.
  returned: always
  type: list
  elements: dict
  sample: [{name: ml-batch, type: EC2, instance_types: [optimal]}]
"""

try:
    from botocore.exceptions import BotoCoreError, ClientError
except ImportError:
    pass  # AnsibleAWSModule reports a missing botocore

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.dockwright.toolkit.plugins.module_utils.architecture import (
    environment_target,
    job_definition_target,
)
from ansible_collections.dockwright.toolkit.plugins.module_utils.aws_client import aws_client
from ansible_collections.dockwright.toolkit.plugins.module_utils.batch import describe_job_definition


def main():
    module = AnsibleAWSModule(
        argument_spec={
            "queue": {"type": "str", "required": True},
            "job_definition": {"type": "str", "required": True},
        },
        supports_check_mode=True,
    )
    queue, definition = module.params["queue"], module.params["job_definition"]
    client = aws_client(module, "batch")
    try:
        queues = client.describe_job_queues(jobQueues=[queue], aws_retry=True)["jobQueues"]
        found = describe_job_definition(client, definition)
        order = sorted((queues[0].get("computeEnvironmentOrder") or []) if queues else [],
                       key=lambda item: item.get("order", 0))
        arns = [item["computeEnvironment"] for item in order]
        environments = client.describe_compute_environments(computeEnvironments=arns, aws_retry=True)[
            "computeEnvironments"] if arns else []
    except (BotoCoreError, ClientError) as err:
        module.fail_json_aws(err, msg=f"Could not describe job queue {queue}, its compute environments or job"
                                      f" definition {definition}.")
    by_arn = {item.get("computeEnvironmentArn"): item for item in environments}
    by_name = {item.get("computeEnvironmentName"): item for item in environments}
    ordered = [by_arn.get(arn) or by_name.get(arn.rsplit("/", 1)[-1]) for arn in arns]
    module.exit_json(changed=False, queue_found=bool(queues),
                     job_definition=job_definition_target(found) if found else {},
                     compute_environments=[environment_target(item) for item in ordered if item])


if __name__ == "__main__":
    main()
