import pytest
from ansible_collections.dockwright.toolkit.plugins.module_utils.batch_compute_environment import (
    active_jobs,
    changes,
    create_request,
    current_settings,
    describe_queue,
    option_errors,
    predicted,
)

PROFILE = "arn:aws:iam::123456789012:instance-profile/ecsInstanceRole"
ROLE = "arn:aws:iam::123456789012:role/AWSBatchServiceRole"
SUBNET, GROUP = "subnet-0123456789abcdef0", "sg-0123456789abcdef0"
ARN = "arn:aws:batch:eu-west-1:123456789012:compute-environment/dockwright"


def options(**changes_):
    base = {"name": "dockwright", "state": "present", "enabled": True, "type": "EC2", "min_vcpus": 0,
            "max_vcpus": 16, "desired_vcpus": 0, "instance_types": ["optimal"], "subnets": [SUBNET],
            "security_group_ids": [GROUP], "instance_role": PROFILE, "service_role": ROLE, "spot_iam_fleet_role": None}
    return {**base, **changes_}


FARGATE = {"type": "FARGATE", "instance_types": [], "instance_role": None, "desired_vcpus": None}


def described(**resources):
    base = {"type": "EC2", "minvCpus": 0, "maxvCpus": 16, "desiredvCpus": 2, "instanceTypes": ["optimal"],
            "subnets": [SUBNET], "securityGroupIds": [GROUP], "instanceRole": PROFILE}
    return {"computeEnvironmentName": "dockwright", "computeEnvironmentArn": ARN, "type": "MANAGED",
            "state": "ENABLED", "status": "VALID", "serviceRole": ROLE, "computeResources": {**base, **resources}}


@pytest.mark.parametrize(
    "params",
    [
        options(),
        options(type="SPOT", min_vcpus=2, desired_vcpus=4, max_vcpus=4, spot_iam_fleet_role=ROLE),
        options(**FARGATE),
        options(**{**FARGATE, "type": "FARGATE_SPOT"}, service_role=None),
        options(state="absent", max_vcpus=None, subnets=[]),
        options(desired_vcpus=None),
    ],
)
def test_valid_options(params):
    assert option_errors(params) == []


@pytest.mark.parametrize(
    "params, fragment",
    [
        (options(name="d"), "name 'd' is not a valid"),
        (options(name="has.dot", state="absent"), "name 'has.dot' is not a valid"),
        (options(type="BATCH"), "type 'BATCH' must be one of"),
        (options(max_vcpus=0), "max_vcpus (0) must be at least 1"),
        (options(min_vcpus=20), "min_vcpus (20) must lie between 0 and max_vcpus (16)"),
        (options(min_vcpus=-1), "min_vcpus (-1)"),
        (options(desired_vcpus=17), "desired_vcpus (17) must lie between"),
        (options(subnets=["subnet-xyz"]), "subnet 'subnet-xyz' is not a subnet ID"),
        (options(subnets=[]), "subnets is empty"),
        (options(security_group_ids=["default"]), "security group 'default'"),
        (options(security_group_ids=[]), "security_group_ids is empty"),
        (options(service_role="AWSBatchServiceRole"), "service_role 'AWSBatchServiceRole' is not an IAM role ARN"),
        (options(instance_role=None), "instance_role is empty"),
        (options(instance_role=ROLE), "this is a role ARN"),
        (options(instance_role="ecsInstanceRole"), "is not an instance profile ARN (arn:aws:iam::ACCOUNT"),
        (options(instance_types=[]), "instance_types is empty"),
        (options(**{**FARGATE, "instance_types": ["optimal"]}), "instance_types does not apply to FARGATE"),
        (options(**{**FARGATE, "instance_role": PROFILE}), "instance_role does not apply to FARGATE"),
        (options(**{**FARGATE, "min_vcpus": 1}), "min_vcpus does not apply to FARGATE"),
        (options(spot_iam_fleet_role=ROLE), "spot_iam_fleet_role applies to SPOT compute environments only"),
    ],
)
def test_invalid_options(params, fragment):
    errors = option_errors(params)
    assert any(fragment in error for error in errors), errors


@pytest.mark.parametrize(
    "params, request_",
    [
        (
            options(desired_vcpus=2),
            {"computeEnvironmentName": "dockwright", "type": "MANAGED", "state": "ENABLED", "serviceRole": ROLE,
             "computeResources": {"type": "EC2", "maxvCpus": 16, "minvCpus": 0, "desiredvCpus": 2,
                                  "instanceTypes": ["optimal"], "subnets": [SUBNET], "securityGroupIds": [GROUP],
                                  "instanceRole": PROFILE}},
        ),
        (
            options(type="SPOT", enabled=False, desired_vcpus=None, spot_iam_fleet_role=ROLE, service_role=None),
            {"computeEnvironmentName": "dockwright", "type": "MANAGED", "state": "DISABLED",
             "computeResources": {"type": "SPOT", "maxvCpus": 16, "minvCpus": 0, "instanceTypes": ["optimal"],
                                  "subnets": [SUBNET], "securityGroupIds": [GROUP], "instanceRole": PROFILE,
                                  "spotIamFleetRole": ROLE}},
        ),
        (
            options(**FARGATE, max_vcpus=8),
            {"computeEnvironmentName": "dockwright", "type": "MANAGED", "state": "ENABLED", "serviceRole": ROLE,
             "computeResources": {"type": "FARGATE", "maxvCpus": 8, "subnets": [SUBNET],
                                  "securityGroupIds": [GROUP]}},
        ),
    ],
)
def test_create_request(params, request_):
    assert create_request(params) == request_


@pytest.mark.parametrize(
    "environment, params, update, words, fixed",
    [
        # Same settings; desiredvCpus (scaled by Batch) and list order do not count.
        (described(), options(desired_vcpus=0), {}, [], []),
        (described(subnets=["subnet-1111111111111111b", SUBNET]),
         options(subnets=[SUBNET, "subnet-1111111111111111b"]), {}, [], []),
        (
            described(),
            options(max_vcpus=32),
            {"computeEnvironment": ARN, "computeResources": {"maxvCpus": 32}},
            ["maxvCpus 16 -> 32"],
            [],
        ),
        (
            described(),
            options(enabled=False, min_vcpus=1, instance_types=["c5", "m5"],
                    security_group_ids=["sg-1111111111111111b"]),
            {"computeEnvironment": ARN, "state": "DISABLED",
             "computeResources": {"minvCpus": 1, "instanceTypes": ["c5", "m5"],
                                  "securityGroupIds": ["sg-1111111111111111b"]}},
            ["state ENABLED -> DISABLED", "minvCpus 0 -> 1", "instanceTypes ['optimal'] -> ['c5', 'm5']",
             f"securityGroupIds ['{GROUP}'] -> ['sg-1111111111111111b']"],
            [],
        ),
        # An empty service role leaves the current one (Batch's service-linked role) alone.
        (described(), options(service_role=None), {}, [], []),
        (described(), options(type="SPOT"), {}, [], ["type is EC2, not SPOT, and cannot be changed in place"]),
        (
            {**described(type="FARGATE"), "computeResources": {"type": "FARGATE", "maxvCpus": 4, "subnets": [SUBNET],
                                                               "securityGroupIds": [GROUP]}},
            options(**FARGATE, max_vcpus=4),
            {},
            [],
            [],
        ),
        ({**described(), "type": "UNMANAGED"}, options(), {}, [], ["is UNMANAGED, not MANAGED"]),
    ],
)
def test_changes(environment, params, update, words, fixed):
    got_update, got_words, got_fixed = changes(environment, params)
    assert got_update == update
    assert got_words == words
    assert len(got_fixed) == len(fixed) and all(part in text for part, text in zip(fixed, got_fixed, strict=True))


def test_current_settings_sorts_lists_and_reads_top_level_keys():
    settings = current_settings(described(instanceTypes=["m5", "c5"]))
    assert settings["instanceTypes"] == ["c5", "m5"]
    assert settings["state"] == "ENABLED" and settings["serviceRole"] == ROLE
    assert current_settings({})["maxvCpus"] is None


def test_predicted_is_the_after_side_of_the_diff():
    assert predicted(None, options(desired_vcpus=3))["desiredvCpus"] == 3
    after = predicted(described(), options(max_vcpus=32, service_role=None))
    assert after["maxvCpus"] == 32 and after["serviceRole"] == ROLE
    assert "desiredvCpus" not in after  # Batch scales it: not compared, not shown


class FakeBatch:
    """Answers describe_job_queues and list_jobs like Batch; list_jobs ignores the status filter like some emulators."""

    def __init__(self, queues, jobs):
        self.queues, self.jobs = queues, jobs

    def describe_job_queues(self, jobQueues, aws_retry=True):
        return {"jobQueues": [q for q in self.queues if q["jobQueueName"] in jobQueues]}

    def get_paginator(self, name):
        assert name == "list_jobs"
        return self

    def paginate(self, jobQueue, jobStatus):
        yield {"jobSummaryList": self.jobs[: len(self.jobs) // 2]}
        yield {"jobSummaryList": self.jobs[len(self.jobs) // 2:]}


@pytest.mark.parametrize(
    "queues, expected",
    [
        ([], None),
        ([{"jobQueueName": "q1", "status": "DELETED"}], None),
        ([{"jobQueueName": "q1", "status": "VALID"}], {"jobQueueName": "q1", "status": "VALID"}),
    ],
)
def test_describe_queue(queues, expected):
    assert describe_queue(FakeBatch(queues, []), "q1") == expected


def test_active_jobs_keeps_the_asked_statuses_oldest_first():
    jobs = [
        {"jobId": "b", "jobName": "two", "status": "RUNNING", "createdAt": 20},
        {"jobId": "a", "jobName": "one", "status": "RUNNABLE", "createdAt": 10},
        {"jobId": "c", "jobName": "done", "status": "SUCCEEDED", "createdAt": 5},
    ]
    found = active_jobs(FakeBatch([], jobs), "q1", statuses=("RUNNABLE", "RUNNING"))
    assert [(job["job_id"], job["status"]) for job in found] == [("a", "RUNNABLE"), ("b", "RUNNING")]
    assert active_jobs(FakeBatch([], jobs), "q1", statuses=()) == []
