import pytest
from ansible_collections.dockwright.toolkit.plugins.filter.batch_environment_errors import (
    FilterModule,
    batch_environment_errors,
)

PROFILE = "arn:aws:iam::123456789012:instance-profile/ecsInstanceRole"
ROLE = "arn:aws:iam::123456789012:role/AWSBatchServiceRole"
# The batch_environment role's defaults, as the role passes them (numbers may arrive as text).
GOOD = {
    "name": "dockwright", "state": "present", "type": "EC2", "min_vcpus": "0", "max_vcpus": "16",
    "desired_vcpus": "0", "instance_types": ["optimal"], "subnets": ["subnet-0123456789abcdef0"],
    "security_group_ids": ["sg-0123456789abcdef0"], "instance_role": PROFILE, "service_role": "",
    "spot_iam_fleet_role": "", "queue_name": "dockwright", "queue_priority": "1",
    "queue_compute_environments": ["dockwright"], "lambda_function": "", "lambda_job_definition": "",
    "lambda_queue_variable": "JOB_QUEUE", "lambda_job_definition_variable": "JOB_DEFINITION",
}
FARGATE = {**GOOD, "type": "FARGATE", "instance_types": [], "instance_role": ""}


@pytest.mark.parametrize("settings", [
    GOOD,
    FARGATE,
    {**GOOD, "service_role": ROLE, "lambda_function": "submit", "lambda_job_definition": "iris:2"},
    {**GOOD, "state": "absent", "max_vcpus": 0, "subnets": [], "queue_priority": 5000},
])
def test_fine_settings(settings):
    assert batch_environment_errors(settings) == []


@pytest.mark.parametrize("change, fragment", [
    ({"name": "x"}, "batch_environment_name 'x' is not a valid AWS Batch name"),
    ({"name": "x", "state": "absent"}, "batch_environment_name 'x' is not a valid AWS Batch name"),
    ({"queue_name": "bad name"}, "batch_environment_queue_name 'bad name' is not a valid"),
    ({"min_vcpus": 20}, "0 <= min <= desired <= max"),
    ({"desired_vcpus": 17}, "batch_environment_desired_vcpus 17"),
    ({"instance_role": ROLE}, "this is a role ARN, give the ARN of the instance profile"),
    ({"service_role": "AWSBatchServiceRole"}, "'AWSBatchServiceRole' is not an IAM role ARN"),
    ({"type": "FARGATE"}, "FARGATE environments take no instance settings"),
    ({"subnets": ["subnet-nothex"]}, "batch_environment_subnets must list one or more subnet IDs"),
    ({"security_group_ids": []}, "batch_environment_security_group_ids must list one or more security group IDs"),
    ({"queue_compute_environments": ["a1", "b2", "c3", "d4"]}, "1 to 3 different"),
    ({"queue_priority": 1001}, "batch_environment_queue_priority (1001) must lie between 0 and 1000"),
    ({"lambda_job_definition": "iris:0"}, "batch_environment_lambda_job_definition 'iris:0' is neither a job"),
    ({"lambda_function": "not a name"}, "batch_environment_lambda_function 'not a name' is neither"),
    ({"lambda_queue_variable": "JOB_DEFINITION"}, "must be two different environment variable names"),
])
def test_problems_name_the_role_variable(change, fragment):
    errors = batch_environment_errors({**GOOD, **change})
    assert any(fragment in error for error in errors), errors


def test_prefix_names_other_variables():
    assert batch_environment_errors({**GOOD, "name": "x"}, prefix="env_")[0].startswith("env_name 'x'")


def test_absent_checks_only_names():
    assert batch_environment_errors({"name": "ok1", "state": "absent", "queue_name": "ok2"}) == []


def test_filter_map():
    assert FilterModule().filters() == {"batch_environment_errors": batch_environment_errors}
