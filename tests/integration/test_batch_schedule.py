"""make schedule against the moto server (its EventBridge Scheduler, Batch and IAM over HTTP): a schedule that
submits a job definition to a queue is created with its role, unchanged on rerun, updated when the expression or the
target changes, and removed with its role; bad inputs are refused before any request reaches AWS."""

from __future__ import annotations

import json
import subprocess
import uuid

import pytest
from conftest import DUMMY_SECRET, ROOT, batch_network, recap
from servers import aws_proxy

pytestmark = pytest.mark.batch_schedule

SUBMIT_JOB = "arn:aws:scheduler:::aws-sdk:batch:submitJob"


def make(env, *args, fails=False):
    proc = subprocess.run(["make", "--no-print-directory", "schedule", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)
    proc.output = proc.stdout + proc.stderr
    proc.flat = " ".join(proc.output.split())
    assert DUMMY_SECRET not in proc.output
    assert (proc.returncode != 0) is fails, proc.output[-4000:]
    return proc


@pytest.fixture(scope="module")
def target(boto):
    """A job queue and a job definition with two revisions, made with boto3: {queue, queue_arn, definition,
    definition_arn (without revision)}."""
    name = f"dw-sch-{uuid.uuid4().hex[:6]}"
    network = batch_network(boto, name, 61)
    batch = boto("batch")
    environment = batch.create_compute_environment(
        computeEnvironmentName=f"{name}-env", type="MANAGED", state="ENABLED", serviceRole=network["service_role"],
        computeResources={"type": "EC2", "minvCpus": 0, "maxvCpus": 4, "instanceTypes": ["optimal"],
                          "subnets": [network["subnet"]], "securityGroupIds": [network["security_group"]],
                          "instanceRole": network["instance_profile"]})["computeEnvironmentArn"]
    queue_arn = batch.create_job_queue(jobQueueName=f"{name}-queue", state="ENABLED", priority=1,
                                       computeEnvironmentOrder=[{"order": 1, "computeEnvironment": environment}]
                                       )["jobQueueArn"]
    for _revision in (1, 2):
        definition_arn = batch.register_job_definition(
            jobDefinitionName=f"{name}-train", type="container",
            containerProperties={"image": "python:3.11-slim", "vcpus": 1, "memory": 128,
                                 "command": ["python", "-c", "print('nightly')"]})["jobDefinitionArn"]
    return {"queue": f"{name}-queue", "queue_arn": queue_arn, "definition": f"{name}-train",
            "definition_arn": definition_arn.rsplit(":", 1)[0]}


def schedule(boto, name):
    try:
        return boto("scheduler").get_schedule(Name=name, GroupName="default")
    except boto("scheduler").exceptions.ResourceNotFoundException:
        return None


def role(boto, name):
    try:
        return boto("iam").get_role(RoleName=name)["Role"]
    except boto("iam").exceptions.NoSuchEntityException:
        return None


def test_schedule_created_unchanged_updated_removed(aws_env, boto, target):
    name = f"nightly-{uuid.uuid4().hex[:6]}"
    knobs = [f"JOB_DEFINITION={target['definition']}", f"QUEUE={target['queue']}", "CRON=cron(0 3 * * ? *)",
             f"NAME={name}"]

    created = make(aws_env, *knobs)
    assert recap(created.output)["changed"] == 3  # the role, its policy, the schedule; nothing else
    found = schedule(boto, name)
    assert found["ScheduleExpression"] == "cron(0 3 * * ? *)" and found["State"] == "ENABLED"
    assert found["ScheduleExpressionTimezone"] == "UTC" and found["FlexibleTimeWindow"] == {"Mode": "OFF"}
    assert found["Target"]["Arn"] == SUBMIT_JOB
    # The queue by ARN; the job definition by ARN without revision: Batch takes the latest at each run.
    assert json.loads(found["Target"]["Input"]) == {"JobName": target["definition"], "JobQueue": target["queue_arn"],
                                                    "JobDefinition": target["definition_arn"]}
    made = role(boto, f"{name}-scheduler")
    assert found["Target"]["RoleArn"] == made["Arn"]
    trust = made["AssumeRolePolicyDocument"]
    trust = json.loads(trust) if isinstance(trust, str) else trust
    assert trust["Statement"][0]["Principal"] == {"Service": "scheduler.amazonaws.com"}
    assert trust["Statement"][0]["Condition"] == {"StringEquals": {"aws:SourceAccount":
                                                                   target["queue_arn"].split(":")[4]}}
    policy = boto("iam").get_role_policy(RoleName=f"{name}-scheduler", PolicyName="dockwright-batch-submit")
    document = policy["PolicyDocument"]
    document = json.loads(document) if isinstance(document, str) else document
    assert document["Statement"] == [{"Effect": "Allow", "Action": "batch:SubmitJob", "Resource": [
        target["queue_arn"], target["definition_arn"], target["definition_arn"] + ":*"]}]
    assert f"Schedule {name} (cron(0 3 * * ? *)) submits {target['definition']} to {target['queue']}" in created.flat

    rerun = make(aws_env, *knobs)
    assert recap(rerun.output)["changed"] == 0 and "up to date" in rerun.flat
    assert schedule(boto, name)["LastModificationDate"] == found["LastModificationDate"]

    later = make(aws_env, *knobs[:2], "CRON=cron(30 4 ? * MON-FRI *)", f"NAME={name}", "TIMEZONE=Europe/Paris")
    assert recap(later.output)["changed"] == 1
    assert (f"updated schedule {name}: expression 'cron(0 3 * * ? *)' -> 'cron(30 4 ? * MON-FRI *)', time zone"
            " 'UTC' -> 'Europe/Paris'") in later.flat
    updated = schedule(boto, name)
    assert updated["ScheduleExpression"] == "cron(30 4 ? * MON-FRI *)"
    assert updated["ScheduleExpressionTimezone"] == "Europe/Paris"
    assert updated["Target"]["RoleArn"] == made["Arn"]

    # Another target: a pinned revision of the job definition.
    pinned = make(aws_env, f"JOB_DEFINITION={target['definition']}:1", *knobs[1:])
    assert recap(pinned.output)["changed"] == 1  # the schedule alone: the role's policy covers every revision
    assert json.loads(schedule(boto, name)["Target"]["Input"])["JobDefinition"] == target["definition_arn"] + ":1"

    removed = make(aws_env, *knobs, "SCHEDULE_ABSENT=1")
    assert recap(removed.output)["changed"] == 2
    assert schedule(boto, name) is None and role(boto, f"{name}-scheduler") is None
    again = make(aws_env, *knobs, "SCHEDULE_ABSENT=1")
    assert recap(again.output)["changed"] == 0 and f"Schedule {name}: was not there" in again.flat


def test_a_given_role_is_used_as_it_is_and_left_alone(aws_playbook, boto, target):
    name = f"given-{uuid.uuid4().hex[:6]}"
    given = boto("iam").create_role(RoleName=f"{name}-own", AssumeRolePolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "scheduler.amazonaws.com"},
                                                "Action": "sts:AssumeRole"}]}))["Role"]["Arn"]
    extra = {"job_definition": target["definition"], "queue": target["queue_arn"], "batch_schedule_name": name,
             "batch_schedule_expression": "rate(12 hours)", "batch_schedule_role_arn": given}
    run = aws_playbook("playbooks/schedule.yml", extra=extra, check=True)
    assert recap(run.output)["changed"] == 1
    assert schedule(boto, name)["Target"]["RoleArn"] == given and role(boto, f"{name}-scheduler") is None
    assert recap(aws_playbook("playbooks/schedule.yml", extra=extra, check=True).output)["changed"] == 0
    aws_playbook("playbooks/schedule.yml", extra={**extra, "batch_schedule_state": "absent"}, check=True)
    assert schedule(boto, name) is None and role(boto, f"{name}-own")["Arn"] == given


@pytest.mark.parametrize("knob, fragment", [
    ("CRON=cron(0 3 * * *)", "batch_schedule_expression 'cron(0 3 * * *)' has 5 fields; a Scheduler cron expression"
                             " has 6"),
    ("CRON=cron(0 3 * * * *)", "exactly one of day-of-month ('*') and day-of-week ('*') must be '?'"),
    ("CRON=rate(5 minute)", "write rate(5 minutes) (singular for 1, plural otherwise"),
    ("CRON=at(2026-02-30T10:00:00)", "is not a one-time expression"),
    ("TIMEZONE=Europe/Pariss", "batch_schedule_timezone 'Europe/Pariss' is not a time zone name"),
    ("NAME=night ly", "batch_schedule_name 'night ly' is not a valid schedule name"),
    ("QUEUE=arn:aws:batch:eu-west-1:12:job-queue/q", "batch_schedule_job_queue 'arn:aws:batch:eu-west-1:12:job-queue/q'"
                                                     " is neither a job queue name"),
])
def test_bad_inputs_are_refused_before_any_call(aws_env, moto, target, knob, fragment):
    requests = []
    knobs = {"JOB_DEFINITION": target["definition"], "QUEUE": target["queue"], "CRON": "cron(0 3 * * ? *)",
             "NAME": "refused"}
    key, value = knob.split("=", 1)
    knobs[key] = value
    with aws_proxy(moto, answer=lambda request: requests.append(request)) as url:
        run = make({**aws_env, "AWS_ENDPOINT_URL": url}, *(f"{k}={v}" for k, v in knobs.items()), fails=True)
    assert fragment in run.flat
    assert requests == []


def test_a_missing_job_definition_is_refused_before_the_role_is_made(aws_env, boto, target):
    name = f"missing-{uuid.uuid4().hex[:6]}"
    run = make(aws_env, "JOB_DEFINITION=not-registered", f"QUEUE={target['queue']}", "CRON=rate(1 day)",
               f"NAME={name}", fails=True)
    assert (f"Schedule {name} would submit to job definition not-registered (an ACTIVE revision), which Batch does not"
            " have") in run.flat
    assert schedule(boto, name) is None and role(boto, f"{name}-scheduler") is None


def test_check_mode_changes_nothing(aws_env, boto, target):
    """make schedule ANSIBLE_ARGS=--check: the queue and the job definition are looked up, the role and the schedule
    are only predicted."""
    name = f"check-{uuid.uuid4().hex[:6]}"
    run = make(aws_env, f"JOB_DEFINITION={target['definition']}", f"QUEUE={target['queue']}", "CRON=rate(1 day)",
               f"NAME={name}", "ANSIBLE_ARGS=--check")
    assert f"check mode, nothing done: created schedule {name} (rate(1 day))" in run.flat
    assert schedule(boto, name) is None and role(boto, f"{name}-scheduler") is None


def test_a_role_the_scheduler_cannot_assume_yet_is_waited_for(aws_playbook, boto, moto, target):
    """Right after IAM makes a role, the Scheduler may refuse it (it cannot assume it yet; moto never does): the
    create is sent again until it passes."""
    name = f"propagating-{uuid.uuid4().hex[:6]}"
    given = boto("iam").create_role(RoleName=f"{name}-own", AssumeRolePolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "scheduler.amazonaws.com"},
                                                "Action": "sts:AssumeRole"}]}))["Role"]["Arn"]
    creates = []

    def refuse_the_first(request):
        if request["method"] == "POST" and request["path"].split("?")[0] == f"/schedules/{name}":
            creates.append(request["body"])
            if len(creates) == 1:
                return 400, {"__type": "ValidationException", "Message": "The execution role you provide must allow"
                             " AWS EventBridge Scheduler to assume the role."}
        return None

    extra = {"job_definition": target["definition"], "queue": target["queue"], "batch_schedule_name": name,
             "batch_schedule_expression": "rate(1 day)", "batch_schedule_role_arn": given}
    with aws_proxy(moto, answer=refuse_the_first) as url:
        run = aws_playbook("playbooks/schedule.yml", extra=extra, env={"AWS_ENDPOINT_URL": url}, check=True)
    assert recap(run.output)["changed"] == 1 and len(creates) == 2
    assert creates[1]["Target"]["RoleArn"] == given and schedule(boto, name)["Target"]["RoleArn"] == given
