#!/usr/bin/python
# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""Set some environment variables of an existing Lambda function, keeping the others."""

from __future__ import annotations

DOCUMENTATION = r"""
module: batch_lambda_environment
short_description: Set environment variables of an existing Lambda function, keeping its other settings
description:
  - Points an existing Lambda function (for instance one that submits Batch jobs) at a job queue and job
    definition by setting the environment variables given, keeping every other variable and setting of the
    function. Changes nothing when the variables already hold these values.
  - Reads the function once no update of it is running (waiting for one that is), and sends the C(RevisionId) it
    read, so that Lambda refuses the update when the function changed in between; the module then reads it again
    (three attempts in all).
  - Fails, changing nothing, when Lambda cannot decrypt the function's variables (C(Environment.Error), for
    instance a KMS key it may no longer use), as it then answers none and writing back only these would delete
    the others.
  - Written because M(amazon.aws.lambda) (10.1.2) replaces the whole environment, needs the function's role,
    runtime and handler on every call, resets an unset timeout and memory size to its defaults (3 s, 128 MB),
    and reuploads the code of image-based functions on every run.
options:
  name:
    description: Name or ARN of the Lambda function. It must exist.
    type: str
    required: true
  variables:
    description: Environment variables to set; values are sent as text.
    type: dict
    required: true
  purge:
    description: Remove the function's other environment variables.
    type: bool
    default: false
attributes:
  platform:
    platforms: all
  check_mode:
    support: full
  diff_mode:
    support: full
    details: Values are shown for the variables set here only; the function's other variables are named.
  idempotent:
    support: full
    description: A second run with the same options changes nothing.
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
author:
  - dockwright contributors (@dockwright)
"""

EXAMPLES = r"""
- name: Ensure the submitting function uses the dockwright queue
  dockwright.toolkit.batch_lambda_environment:
    name: submit-iris
    variables:
      JOB_QUEUE: dockwright
      JOB_DEFINITION: iris
"""

RETURN = r"""
variables:
  description: The variables this module set, with their values (the others are named only, as they may be secret).
  returned: always
  type: dict
  sample: {JOB_QUEUE: dockwright, JOB_DEFINITION: iris}
other_variables:
  description: Names of the function's other environment variables, kept (or removed with O(purge=true)).
  returned: always
  type: list
  elements: str
  sample: [LOG_LEVEL]
function_arn:
  description: ARN of the function.
  returned: always
  type: str
  sample: arn:aws:lambda:eu-west-1:123456789012:function:submit-iris
"""

try:
    from botocore.exceptions import BotoCoreError, ClientError, WaiterError
except ImportError:
    pass  # AnsibleAWSModule reports a missing botocore

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.dockwright.toolkit.plugins.module_utils.aws_client import aws_client
from ansible_collections.dockwright.toolkit.plugins.module_utils.lambda_environment import (
    current_variables,
    update_request,
    waiter_to_read,
    wanted_variables,
)

# Updates refused because the function changed between our read and our update (RevisionId): read again, this often.
ATTEMPTS = 3


def read_configuration(module, client, name):
    """The function's configuration, read once no update of it is running any more (the variables read during one
    may be about to be replaced)."""
    try:
        config = client.get_function_configuration(FunctionName=name, aws_retry=True)
        waiter = waiter_to_read(config)
        if waiter:
            client.get_waiter(waiter).wait(FunctionName=name)
            config = client.get_function_configuration(FunctionName=name, aws_retry=True)
    except is_boto3_error_code("ResourceNotFoundException"):
        module.fail_json(msg=f"Lambda function {name} does not exist: create it first (dockwright only points an"
                             " existing function at the queue), or fix the name or the region.")
    except WaiterError as err:  # pylint: disable=duplicate-except
        module.fail_json_aws(err, msg=f"Lambda function {name} did not finish updating: look at its state.")
    except (BotoCoreError, ClientError) as err:  # pylint: disable=duplicate-except
        module.fail_json_aws(err, msg=f"Could not read the configuration of Lambda function {name}.")
    return config


def main():
    module = AnsibleAWSModule(
        argument_spec={
            "name": {"type": "str", "required": True},
            "variables": {"type": "dict", "required": True},
            "purge": {"type": "bool", "default": False},
        },
        supports_check_mode=True,
    )
    name, purge = module.params["name"], module.params["purge"]
    client = aws_client(module, "lambda")
    wanted = wanted_variables(module.params["variables"])
    for attempt in range(1, ATTEMPTS + 1):
        config = read_configuration(module, client, name)
        try:
            before = current_variables(name, config)
            request = update_request(name, config, wanted, purge)
        except ValueError as err:
            module.fail_json(msg=str(err))
        if request is None or module.check_mode:
            break
        try:
            client.update_function_configuration(aws_retry=True, **request)
            client.get_waiter("function_updated").wait(FunctionName=name)
            break
        except is_boto3_error_code("PreconditionFailedException"):
            if attempt == ATTEMPTS:
                module.fail_json(msg=f"Lambda function {name} kept changing while its environment was being set"
                                     f" ({ATTEMPTS} attempts): rerun once nothing else updates it.")
        except WaiterError as err:  # pylint: disable=duplicate-except
            module.fail_json_aws(err, msg=f"Lambda function {name} did not finish updating: look at its state.")
        except (BotoCoreError, ClientError) as err:  # pylint: disable=duplicate-except
            module.fail_json_aws(err, msg=f"Could not set the environment variables of Lambda function {name}.")
    # Only the variables set here are shown with their values: the function's others may hold secrets.
    others = sorted(key for key in before if key not in wanted)
    module.exit_json(
        changed=request is not None, variables=wanted, other_variables=others,
        function_arn=config.get("FunctionArn", ""),
        diff={"before": {"variables": {key: before[key] for key in wanted if key in before}, "others": others},
              "after": {"variables": wanted, "others": [] if purge else others}},
    )


if __name__ == "__main__":
    main()
