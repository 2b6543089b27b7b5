"""The batch_environment role through ansible-playbook against a moto server: compute environment and job queue
created, left alone on a rerun, updated in place, torn down (refusing while jobs are unfinished unless forced), and
a Lambda function pointed at them. Outcomes are checked in (moto's) AWS through boto3."""

from __future__ import annotations

import io
import json
import os
import time
import urllib.request
import uuid
import zipfile
from pathlib import Path

import pytest
from conftest import BATCH_TRUST, ROOT, batch_network, recap

pytestmark = pytest.mark.batch_environment

ACTIVE = ("SUBMITTED", "PENDING", "RUNNABLE", "STARTING", "RUNNING")


def unique(prefix: str) -> str:
    """A name no other test sharing the moto server uses."""
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def role_playbook(tmp_path: Path, role: str = "batch_environment") -> str:
    """A one-play playbook applying the role on localhost; returns its absolute path."""
    path = tmp_path / f"{role}.yml"
    path.write_text(json.dumps([{"name": f"Apply {role}", "hosts": "localhost", "gather_facts": False,
                                 "roles": [{"role": role}]}], indent=2))
    return str(path.resolve())


@pytest.fixture(scope="module")
def network(boto):
    """What a compute environment needs and the tests do not manage: IAM roles, an instance profile, a subnet and a
    security group."""
    return batch_network(boto, unique("dw-env"), 42)


@pytest.fixture
def settings(network):
    """Role variables for a fresh compute environment and queue."""
    name = unique("dw-ce")
    return {
        "batch_environment_name": name,
        "batch_environment_queue_name": name.replace("dw-ce", "dw-jq"),
        "batch_environment_max_vcpus": 4,
        "batch_environment_queue_priority": 5,
        "batch_environment_instance_types": ["m5.large", "c5"],
        "batch_environment_subnets": [network["subnet"]],
        "batch_environment_security_group_ids": [network["security_group"]],
        "batch_environment_instance_role": network["instance_profile"],
        "batch_environment_service_role": network["service_role"],
    }


def said(output: str, text: str) -> bool:
    """Whether the run printed the text, however the YAML output wrapped its lines."""
    return " ".join(text.split()) in " ".join(output.replace("\n    ", " ").split())


def describe(boto, settings):
    batch = boto("batch")
    environments = batch.describe_compute_environments(
        computeEnvironments=[settings["batch_environment_name"]])["computeEnvironments"]
    queues = batch.describe_job_queues(jobQueues=[settings["batch_environment_queue_name"]])["jobQueues"]
    return (environments[0] if environments else None), (queues[0] if queues else None)


def test_create_rerun_update_and_teardown(aws_playbook, boto, settings, network, tmp_path):
    playbook = role_playbook(tmp_path)

    checked = aws_playbook(playbook, "--check", extra=settings, check=True)
    assert recap(checked.output)["changed"] >= 1
    assert said(checked.output, f"would create EC2 compute environment {settings['batch_environment_name']}")
    assert said(checked.output, f"would create job queue {settings['batch_environment_queue_name']}")
    assert describe(boto, settings) == (None, None), "check mode created something"

    created = aws_playbook(playbook, extra=settings, check=True)
    assert recap(created.output)["changed"] == 2, created.output
    environment, queue = describe(boto, settings)
    assert environment["type"] == "MANAGED" and environment["state"] == "ENABLED"
    assert environment["status"] == "VALID"
    assert environment["serviceRole"] == network["service_role"]
    resources = environment["computeResources"]
    assert resources["type"] == "EC2"
    # Batch's default (none given) is BEST_FIT, on which it makes no infrastructure update.
    assert resources["allocationStrategy"] == "BEST_FIT_PROGRESSIVE"
    assert (resources["minvCpus"], resources["maxvCpus"], resources["desiredvCpus"]) == (0, 4, 0)
    assert sorted(resources["instanceTypes"]) == ["c5", "m5.large"]
    assert resources["subnets"] == [network["subnet"]]
    assert resources["securityGroupIds"] == [network["security_group"]]
    assert resources["instanceRole"] == network["instance_profile"]
    assert queue["state"] == "ENABLED" and queue["status"] == "VALID" and queue["priority"] == 5
    assert queue["computeEnvironmentOrder"] == [
        {"order": 1, "computeEnvironment": environment["computeEnvironmentArn"]}]

    rerun = aws_playbook(playbook, extra=settings, check=True)
    assert recap(rerun.output)["changed"] == 0, rerun.output
    assert said(rerun.output, "up to date")

    # moto 5.2.5 accepts update_compute_environment's computeResources but does not store them, so the new maximum
    # cannot be read back: the run must report the in-place update, and the environment must be the same one.
    updated = aws_playbook(playbook, extra={**settings, "batch_environment_max_vcpus": 8}, check=True)
    assert recap(updated.output)["changed"] == 1, updated.output
    assert said(updated.output, "updated maxvCpus 4 -> 8")
    after, queue_after = describe(boto, settings)
    assert after["computeEnvironmentArn"] == environment["computeEnvironmentArn"]
    assert after["ecsClusterArn"] == environment["ecsClusterArn"], "the environment was recreated, not updated"
    assert queue_after["jobQueueArn"] == queue["jobQueueArn"]

    teardown = {**settings, "batch_environment_state": "absent"}
    deleted = aws_playbook(playbook, extra=teardown, check=True)
    assert recap(deleted.output)["changed"] == 3, deleted.output  # disable queue, delete queue, disable+delete env
    assert describe(boto, settings) == (None, None)

    again = aws_playbook(playbook, extra=teardown, check=True)
    assert recap(again.output)["changed"] == 0, again.output
    assert said(again.output, "already gone")


def test_fargate_environment(aws_playbook, boto, settings, tmp_path):
    playbook = role_playbook(tmp_path)
    fargate = {**settings, "batch_environment_type": "FARGATE", "batch_environment_instance_role": "",
               "batch_environment_instance_types": []}
    aws_playbook(playbook, extra=fargate, check=True)
    environment, queue = describe(boto, settings)
    assert environment["computeResources"]["type"] == "FARGATE"
    assert "instanceRole" not in environment["computeResources"]
    assert "instanceTypes" not in environment["computeResources"]
    assert queue["state"] == "ENABLED"

    rerun = aws_playbook(playbook, extra=fargate, check=True)
    assert recap(rerun.output)["changed"] == 0, rerun.output

    changed_type = aws_playbook(playbook, extra=settings, check=False)
    assert said(changed_type.output, "type is FARGATE, not EC2, and cannot be changed in place")
    assert said(changed_type.output, "Nothing was changed. Delete it first (state absent;")

    aws_playbook(playbook, extra={**fargate, "batch_environment_state": "absent"}, check=True)
    assert describe(boto, settings) == (None, None)


def test_config_file_gives_defaults_and_role_variables_win(aws_playbook, boto, settings, network, tmp_path):
    config = tmp_path / "BatchConfig.yml"
    config.write_text(json.dumps({
        "compute_environment": {
            "name": settings["batch_environment_name"], "max_vcpus": 6, "instance_types": ["optimal"],
            "subnets": [network["subnet"]], "security_group_ids": [network["security_group"]],
            "instance_role": network["instance_profile"], "service_role": network["service_role"]},
        "job_queue": {"name": settings["batch_environment_queue_name"], "priority": 7},
    }))
    playbook = role_playbook(tmp_path)
    extra = {"batch_environment_config_file": str(config), "batch_environment_max_vcpus": 2}

    aws_playbook(playbook, extra=extra, check=True)
    environment, queue = describe(boto, settings)
    assert environment["computeResources"]["maxvCpus"] == 2  # the role variable, not the file's 6
    assert environment["computeResources"]["instanceTypes"] == ["optimal"]
    assert queue["priority"] == 7
    assert queue["computeEnvironmentOrder"][0]["computeEnvironment"] == environment["computeEnvironmentArn"]

    aws_playbook(playbook, extra={**extra, "batch_environment_state": "absent"}, check=True)
    assert describe(boto, settings) == (None, None)


def test_batch_env_playbook_reads_a_config_file_given_relative_to_the_working_directory(aws_playbook, boto, settings,
                                                                                         network, tmp_path):
    """make batch-env BATCH_CONFIG=BatchConfig.yml: the path is the user's, relative to where they run make."""
    config = tmp_path / "BatchConfig.yml"
    config.write_text(json.dumps({
        "compute_environment": {
            "name": settings["batch_environment_name"], "max_vcpus": 3, "subnets": [network["subnet"]],
            "security_group_ids": [network["security_group"]], "instance_role": network["instance_profile"],
            "service_role": network["service_role"]},
        "job_queue": {"name": settings["batch_environment_queue_name"]},
    }))
    extra = {"batch_config_file": os.path.relpath(config, ROOT)}
    aws_playbook("playbooks/batch_env.yml", extra=extra, check=True)
    environment, queue = describe(boto, settings)
    assert environment["computeResources"]["maxvCpus"] == 3 and queue["state"] == "ENABLED"
    aws_playbook("playbooks/batch_env.yml", extra={**extra, "batch_environment_state": "absent"}, check=True)
    assert describe(boto, settings) == (None, None)


@pytest.mark.parametrize(
    "override, fragment",
    [
        ({"batch_environment_name": "x"}, "batch_environment_name 'x' is not a valid AWS Batch name"),
        ({"batch_environment_queue_name": "bad name"}, "batch_environment_queue_name 'bad name' is not a valid"),
        ({"batch_environment_min_vcpus": 5}, "0 <= min <= desired <= max"),
        ({"batch_environment_desired_vcpus": 9}, "batch_environment_desired_vcpus 9"),
        ({"batch_environment_instance_role": "ROLE"}, "this is a role ARN, give the ARN of the instance profile"),
        ({"batch_environment_service_role": "AWSBatchServiceRole"}, "'AWSBatchServiceRole' is not an IAM role ARN"),
        ({"batch_environment_type": "FARGATE"}, "FARGATE environments take no instance settings"),
        ({"batch_environment_subnets": ["subnet-nothex"]}, "must list one or more subnet IDs"),
        ({"batch_environment_security_group_ids": []}, "must list one or more security group IDs"),
        ({"batch_environment_queue_compute_environments": ["a1", "b2", "c3", "d4"]}, "1 to 3 different"),
        ({"batch_environment_queue_priority": 1001}, "between 0 and 1000"),
        ({"batch_environment_lambda_job_definition": "iris:0"}, "neither a job definition name"),
        ({"batch_environment_config_file": "CONFIG"}, "has unknown keys: compute_environment.max_cpus"),
        ({"batch_environment_config_file": "/nonexistent/BatchConfig.yml"}, "does not exist"),
        ({"batch_environment_type": "SPOT", "batch_environment_allocation_strategy": "BEST_FIT"},
         "batch_environment_spot_iam_fleet_role is empty: a SPOT environment with"
         " batch_environment_allocation_strategy BEST_FIT needs the ARN of a Spot Fleet role"),
        ({"batch_environment_allocation_strategy": "SPOT_CAPACITY_OPTIMIZED"},
         "batch_environment_allocation_strategy SPOT_CAPACITY_OPTIMIZED applies to SPOT compute environments only"),
    ],
)
def test_validation_fails_before_any_call(playbook, settings, network, tmp_path, override, fragment):
    """Bad settings fail with a sentence naming them before any AWS call: the endpoint is a closed port."""
    if override.get("batch_environment_instance_role") == "ROLE":
        override = {"batch_environment_instance_role": network["instance_role_arn"]}
    if override.get("batch_environment_config_file") == "CONFIG":
        config = tmp_path / "BatchConfig.yml"
        config.write_text("compute_environment:\n  max_cpus: 4\n")
        override = {"batch_environment_config_file": str(config)}
    extra = {**settings, **override, "batch_environment_endpoint_url": "http://127.0.0.1:9",
             "batch_environment_region": "eu-west-1"}
    failed = playbook(role_playbook(tmp_path), "-v", extra=extra, check=False)  # -v: the task banners
    assert said(failed.output, fragment), failed.output[-3000:]
    assert "Validate the inputs" in failed.output
    assert "Could not" not in failed.output and "Ensure the compute environment exists" not in failed.output


def submit_sleeper(boto, queue: str) -> str:
    """A job that stays RUNNING for two minutes, once moto has started its container; returns its ID."""
    batch = boto("batch")
    definition = batch.register_job_definition(
        jobDefinitionName=unique("dw-sleeper"), type="container",
        containerProperties={"image": "python:3.11-slim",
                             "command": ["python", "-c", "import time; print('sleeping', flush=True); time.sleep(120)"],
                             "resourceRequirements": [{"type": "VCPU", "value": "1"},
                                                      {"type": "MEMORY", "value": "512"}]},
    )["jobDefinitionArn"]
    job_id = batch.submit_job(jobName="sleeper", jobQueue=queue, jobDefinition=definition)["jobId"]
    deadline = time.time() + 60
    while batch.describe_jobs(jobs=[job_id])["jobs"][0]["status"] != "RUNNING":
        assert time.time() < deadline, "the sleeper job did not start"
        time.sleep(0.5)
    return job_id


def test_teardown_refuses_while_jobs_are_unfinished_unless_forced(engine, aws_playbook, boto, settings, tmp_path):
    playbook = role_playbook(tmp_path)
    aws_playbook(playbook, extra=settings, check=True)
    job_id = submit_sleeper(boto, settings["batch_environment_queue_name"])
    teardown = {**settings, "batch_environment_state": "absent"}

    refused = aws_playbook(playbook, extra=teardown, check=False)
    assert said(refused.output, f"still has 1 unfinished job(s): sleeper {job_id} RUNNING")
    assert said(refused.output, "batch_environment_force=true")
    assert said(refused.output, "Nothing was deleted; the queue is left DISABLED")
    environment, queue = describe(boto, settings)
    # The queue is disabled before its jobs are listed, so that none is submitted meanwhile; nothing is deleted.
    assert environment["state"] == "ENABLED" and queue["state"] == "DISABLED", "the queue was not disabled first"
    assert boto("batch").describe_jobs(jobs=[job_id])["jobs"][0]["status"] in ACTIVE

    forced = aws_playbook(playbook, extra={**teardown, "batch_environment_force": True}, check=True)
    # Terminate, delete the queue, disable and delete the environment: the refused run disabled the queue already.
    assert recap(forced.output)["changed"] == 3, forced.output
    job = boto("batch").describe_jobs(jobs=[job_id])["jobs"][0]
    assert job["status"] == "FAILED"
    assert "Terminated by dockwright" in job["statusReason"]
    assert describe(boto, settings) == (None, None)


def hold_transition(moto: str, transition: dict | None) -> None:
    """Sets (or with None, unsets) how moto moves its Batch jobs from one status to the next."""
    action, body = ("set", {"model_name": "batch::job", "transition": transition}) if transition else (
        "unset", {"model_name": "batch::job"})
    request = urllib.request.Request(f"{moto}/moto-api/state-manager/{action}-transition", method="POST",
                                     data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10):
        pass


def hold_job(boto, moto: str, queue: str, status: str) -> str:
    """A job kept in status (SUBMITTED, PENDING, RUNNABLE or STARTING) by moto's state manager: jobs move on every
    2 s until this one reaches it, then every hour. Returns its ID; unset the transition afterwards."""
    batch = boto("batch")
    definition = batch.register_job_definition(
        jobDefinitionName=unique("dw-held"), type="container",
        containerProperties={"image": "python:3.11-slim", "command": ["python", "-c", "pass"],
                             "resourceRequirements": [{"type": "VCPU", "value": "1"},
                                                      {"type": "MEMORY", "value": "512"}]},
    )["jobDefinitionArn"]
    hold_transition(moto, {"progression": "time", "seconds": 2})
    job_id = batch.submit_job(jobName="held", jobQueue=queue, jobDefinition=definition)["jobId"]
    deadline = time.time() + 60
    while (found := batch.describe_jobs(jobs=[job_id])["jobs"][0]["status"]) != status:
        assert time.time() < deadline and ACTIVE.index(found) < ACTIVE.index(status), f"the job went on to {found}"
        time.sleep(0.1)
    hold_transition(moto, {"progression": "time", "seconds": 3600})
    assert batch.describe_jobs(jobs=[job_id])["jobs"][0]["status"] == status, "the job was not held"
    return job_id


@pytest.mark.parametrize("status", ACTIVE[:-1])  # RUNNING: test_teardown_refuses_while_jobs_are_unfinished_...
def test_teardown_refuses_while_a_job_is_in_any_unfinished_status(engine, aws_playbook, boto, moto, settings,
                                                                    tmp_path, status):
    playbook = role_playbook(tmp_path)
    aws_playbook(playbook, extra=settings, check=True)
    try:
        job_id = hold_job(boto, moto, settings["batch_environment_queue_name"], status)
        refused = aws_playbook(playbook, extra={**settings, "batch_environment_state": "absent"}, check=False)
        assert said(refused.output, f"still has 1 unfinished job(s): held {job_id} {status}"), refused.output[-3000:]
        environment, queue = describe(boto, settings)
        assert environment["state"] == "ENABLED" and queue["state"] == "DISABLED"
    finally:
        hold_transition(moto, None)
    boto("batch").terminate_job(jobId=job_id, reason="test over")


@pytest.fixture(scope="module")
def linked_role(boto):
    """Batch's service-linked role as IAM names it (moto makes none for Batch by itself; it may exist already)."""
    iam = boto("iam")
    try:
        return iam.create_role(RoleName="AWSServiceRoleForBatch", Path="/aws-service-role/batch.amazonaws.com/",
                               AssumeRolePolicyDocument=BATCH_TRUST)["Role"]["Arn"]
    except iam.exceptions.EntityAlreadyExistsException:
        return iam.get_role(RoleName="AWSServiceRoleForBatch")["Role"]["Arn"]


@pytest.fixture(scope="module")
def other_subnet(boto, network):
    """A second subnet in the network's VPC."""
    ec2 = boto("ec2")
    vpc = ec2.describe_subnets(SubnetIds=[network["subnet"]])["Subnets"][0]["VpcId"]
    return ec2.create_subnet(VpcId=vpc, CidrBlock="10.42.2.0/24")["Subnet"]["SubnetId"]


def test_an_infrastructure_update_is_refused_before_any_call_unless_batch_can_make_it(
        aws_playbook, boto, settings, linked_role, other_subnet, tmp_path):
    """New subnets on an EC2 environment: Batch makes that infrastructure update only with its service-linked role
    and a progressive allocation strategy (moto makes any update, so the refusal must come first)."""
    playbook = role_playbook(tmp_path)
    aws_playbook(playbook, extra=settings, check=True)
    moved = {**settings, "batch_environment_subnets": [other_subnet]}
    refused = aws_playbook(playbook, extra=moved, check=False)
    assert said(refused.output, "differs in ways Batch cannot change in place: subnets change only through an"
                " infrastructure update, which Batch makes only on an environment with its service-linked role"
                " (AWSServiceRoleForBatch, service_role empty) and an allocation strategy of BEST_FIT_PROGRESSIVE,"
                " SPOT_CAPACITY_OPTIMIZED, SPOT_PRICE_CAPACITY_OPTIMIZED; this one has service role"
                f" {settings['batch_environment_service_role']} and BEST_FIT_PROGRESSIVE. Nothing was changed."), \
        refused.output[-3000:]
    assert "Could not" not in refused.output
    aws_playbook(playbook, extra={**settings, "batch_environment_state": "absent"}, check=True)

    linked = {**settings, "batch_environment_service_role": linked_role}
    aws_playbook(playbook, extra=linked, check=True)
    environment, _queue = describe(boto, settings)
    assert environment["serviceRole"] == linked_role
    assert environment["computeResources"]["allocationStrategy"] == "BEST_FIT_PROGRESSIVE"
    updated = aws_playbook(playbook, extra={**linked, "batch_environment_subnets": [other_subnet]}, check=True)
    assert recap(updated.output)["changed"] == 1, updated.output
    assert f"updated subnets ['{settings['batch_environment_subnets'][0]}'] -> ['{other_subnet}']" in updated.flat
    aws_playbook(playbook, extra={**linked, "batch_environment_state": "absent"}, check=True)


def test_replace_recreates_what_batch_cannot_update_in_place(aws_playbook, boto, settings, other_subnet, tmp_path):
    """batch_environment_replace (make batch-env REPLACE=1): the queue and the environment are torn down and made
    anew with the new subnets."""
    playbook = role_playbook(tmp_path)
    aws_playbook(playbook, extra=settings, check=True)
    before, _queue = describe(boto, settings)
    replaced = {**settings, "batch_environment_subnets": [other_subnet], "batch_environment_replace": True}
    checked = aws_playbook(playbook, "--check", extra=replaced, check=True)
    assert said(checked.output, "would replace compute environment")
    assert describe(boto, settings)[0]["ecsClusterArn"] == before["ecsClusterArn"], "check mode replaced it"

    done = aws_playbook(playbook, extra=replaced, check=True)
    assert said(done.output, "Job queue " + settings["batch_environment_queue_name"] + ": deleted")
    environment, queue = describe(boto, settings)
    assert environment["ecsClusterArn"] != before["ecsClusterArn"], "the environment was not created anew"
    assert environment["computeResources"]["subnets"] == [other_subnet]
    assert queue["state"] == "ENABLED" and queue["computeEnvironmentOrder"] == [
        {"order": 1, "computeEnvironment": environment["computeEnvironmentArn"]}]
    rerun = aws_playbook(playbook, extra=replaced, check=True)
    assert recap(rerun.output)["changed"] == 0, rerun.output
    aws_playbook(playbook, extra={**settings, "batch_environment_state": "absent"}, check=True)


def test_a_spot_environment_needs_no_spot_fleet_role(aws_playbook, boto, settings, tmp_path):
    """Created with SPOT_PRICE_CAPACITY_OPTIMIZED: with no strategy Batch would use BEST_FIT, which needs the role."""
    playbook = role_playbook(tmp_path)
    spot = {**settings, "batch_environment_type": "SPOT"}
    aws_playbook(playbook, extra=spot, check=True)
    environment, _queue = describe(boto, settings)
    resources = environment["computeResources"]
    assert resources["type"] == "SPOT" and "spotIamFleetRole" not in resources
    assert resources["allocationStrategy"] == "SPOT_PRICE_CAPACITY_OPTIMIZED"
    rerun = aws_playbook(playbook, extra=spot, check=True)
    assert recap(rerun.output)["changed"] == 0, rerun.output
    aws_playbook(playbook, extra={**spot, "batch_environment_state": "absent"}, check=True)


@pytest.fixture
def function(boto, network):
    """A Lambda function that submits jobs, with variables of its own; moto creates it without running it."""
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("submit.py", "import os\n\ndef handler(event, context):\n    return os.environ['JOB_QUEUE']\n")
    name = unique("dw-submit")
    boto("lambda").create_function(
        FunctionName=name, Runtime="python3.11", Role=network["service_role"], Handler="submit.handler",
        Code={"ZipFile": archive.getvalue()}, Timeout=30, MemorySize=256,
        Environment={"Variables": {"API_TOKEN": "s3cr3t-token", "JOB_QUEUE": "old-queue"}},
    )
    yield name
    boto("lambda").delete_function(FunctionName=name)


def test_lambda_function_is_pointed_at_the_queue(aws_playbook, playbook, boto, settings, function, tmp_path):
    role = role_playbook(tmp_path)
    extra = {**settings, "batch_environment_lambda_function": function,
             "batch_environment_lambda_job_definition": "iris-train"}

    first = aws_playbook(role, extra=extra, check=True)
    assert recap(first.output)["changed"] == 3, first.output  # environment, queue, function
    config = boto("lambda").get_function_configuration(FunctionName=function)
    assert config["Environment"]["Variables"] == {
        "API_TOKEN": "s3cr3t-token", "JOB_QUEUE": settings["batch_environment_queue_name"],
        "JOB_DEFINITION": "iris-train"}
    assert (config["Timeout"], config["MemorySize"], config["Handler"]) == (30, 256, "submit.handler")
    assert "s3cr3t-token" not in first.output, "the function's other variables were shown"

    rerun = aws_playbook(role, extra=extra, check=True)
    assert recap(rerun.output)["changed"] == 0, rerun.output
    assert said(rerun.output, "already submits")

    renamed = aws_playbook(role, extra={**extra, "batch_environment_lambda_queue_variable": "QUEUE"}, check=True)
    assert recap(renamed.output)["changed"] == 1
    variables = boto("lambda").get_function_configuration(FunctionName=function)["Environment"]["Variables"]
    assert variables["QUEUE"] == settings["batch_environment_queue_name"] and variables["API_TOKEN"] == "s3cr3t-token"

    missing = aws_playbook(role, extra={**extra, "batch_environment_lambda_function": "dw-no-such-function"},
                           check=False)
    assert said(missing.output, "Lambda function dw-no-such-function does not exist: create it first")

    aws_playbook(role, extra={**settings, "batch_environment_state": "absent"}, check=True)
