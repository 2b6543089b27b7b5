import pytest
from ansible_collections.dockwright.toolkit.plugins.module_utils.batch_compute_environment import (
    changes,
    config_file_errors,
    create_request,
    current_settings,
    describe_environment,
    environment_errors,
    infrastructure_updatable,
    is_service_linked,
    option_errors,
    predicted,
    repair_request,
    wanted_settings,
)

PROFILE = "arn:aws:iam::123456789012:instance-profile/ecsInstanceRole"
ROLE = "arn:aws:iam::123456789012:role/AWSBatchServiceRole"
SUBNET, GROUP = "subnet-0123456789abcdef0", "sg-0123456789abcdef0"
ARN = "arn:aws:batch:eu-west-1:123456789012:compute-environment/dockwright"
# Batch's service-linked role, as Batch describes it.
LINKED = "arn:aws:iam::123456789012:role/aws-service-role/batch.amazonaws.com/AWSServiceRoleForBatch"


def options(**changes_):
    base = {"name": "dockwright", "state": "present", "enabled": True, "type": "EC2", "min_vcpus": 0,
            "max_vcpus": 16, "desired_vcpus": 0, "instance_types": ["optimal"], "subnets": [SUBNET],
            "security_group_ids": [GROUP], "instance_role": PROFILE, "service_role": ROLE, "spot_iam_fleet_role": None}
    return {**base, **changes_}


FARGATE = {"type": "FARGATE", "instance_types": [], "instance_role": None, "desired_vcpus": None}
SPOT = {"type": "SPOT", "service_role": None}


def described(**resources):
    base = {"type": "EC2", "minvCpus": 0, "maxvCpus": 16, "desiredvCpus": 2, "instanceTypes": ["optimal"],
            "subnets": [SUBNET], "securityGroupIds": [GROUP], "instanceRole": PROFILE}
    return {"computeEnvironmentName": "dockwright", "computeEnvironmentArn": ARN, "type": "MANAGED",
            "state": "ENABLED", "status": "VALID", "serviceRole": ROLE, "computeResources": {**base, **resources}}


def updatable(**resources):
    """A described environment Batch makes infrastructure updates on: service-linked role, progressive strategy."""
    return {**described(**{"allocationStrategy": "BEST_FIT_PROGRESSIVE", **resources}), "serviceRole": LINKED}


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
                                  "instanceRole": PROFILE, "allocationStrategy": "BEST_FIT_PROGRESSIVE"}},
        ),
        (
            options(type="SPOT", enabled=False, desired_vcpus=None, spot_iam_fleet_role=ROLE, service_role=None),
            {"computeEnvironmentName": "dockwright", "type": "MANAGED", "state": "DISABLED",
             "computeResources": {"type": "SPOT", "maxvCpus": 16, "minvCpus": 0, "instanceTypes": ["optimal"],
                                  "subnets": [SUBNET], "securityGroupIds": [GROUP], "instanceRole": PROFILE,
                                  "spotIamFleetRole": ROLE, "allocationStrategy": "SPOT_PRICE_CAPACITY_OPTIMIZED"}},
        ),
        (
            # SPOT without a Spot Fleet role: with no strategy Batch would use BEST_FIT, which needs one.
            options(**SPOT, desired_vcpus=None),
            {"computeEnvironmentName": "dockwright", "type": "MANAGED", "state": "ENABLED",
             "computeResources": {"type": "SPOT", "maxvCpus": 16, "minvCpus": 0, "instanceTypes": ["optimal"],
                                  "subnets": [SUBNET], "securityGroupIds": [GROUP], "instanceRole": PROFILE,
                                  "allocationStrategy": "SPOT_PRICE_CAPACITY_OPTIMIZED"}},
        ),
        (
            options(service_role=None, desired_vcpus=None, allocation_strategy="BEST_FIT"),
            {"computeEnvironmentName": "dockwright", "type": "MANAGED", "state": "ENABLED",
             "computeResources": {"type": "EC2", "maxvCpus": 16, "minvCpus": 0, "instanceTypes": ["optimal"],
                                  "subnets": [SUBNET], "securityGroupIds": [GROUP], "instanceRole": PROFILE,
                                  "allocationStrategy": "BEST_FIT"}},
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
            updatable(),
            options(service_role=None, enabled=False, min_vcpus=1, instance_types=["c5", "m5"],
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
        # Scaling updates (vCPUs, state) and another regular service role: any environment takes them.
        (described(), options(max_vcpus=8, enabled=False, service_role="arn:aws:iam::123456789012:role/Other"),
         {"computeEnvironment": ARN, "state": "DISABLED", "serviceRole": "arn:aws:iam::123456789012:role/Other",
          "computeResources": {"maxvCpus": 8}},
         ["state ENABLED -> DISABLED", f"serviceRole {ROLE} -> arn:aws:iam::123456789012:role/Other",
          "maxvCpus 16 -> 8"], []),
        # Infrastructure updates: refused on an environment with a regular service role or BEST_FIT ...
        (described(), options(subnets=["subnet-1111111111111111b"]), {"computeEnvironment": ARN, "computeResources": {
            "subnets": ["subnet-1111111111111111b"]}}, [f"subnets ['{SUBNET}'] -> ['subnet-1111111111111111b']"],
         [f"subnets change only through an infrastructure update, which Batch makes only on an environment with its"
          " service-linked role (AWSServiceRoleForBatch, service_role empty) and an allocation strategy of"
          " BEST_FIT_PROGRESSIVE, SPOT_CAPACITY_OPTIMIZED, SPOT_PRICE_CAPACITY_OPTIMIZED; this one has service role"
          f" {ROLE} and BEST_FIT"]),
        ({**described(), "serviceRole": LINKED}, options(service_role=None, instance_types=["c5"],
                                                         instance_role=PROFILE + "2"),
         {"computeEnvironment": ARN, "computeResources": {"instanceTypes": ["c5"], "instanceRole": PROFILE + "2"}},
         ["instanceTypes ['optimal'] -> ['c5']", f"instanceRole {PROFILE} -> {PROFILE}2"],
         ["instanceTypes, instanceRole change only through an infrastructure update, which Batch makes only on an"
          " environment with its service-linked role (AWSServiceRoleForBatch, service_role empty) and an allocation"
          " strategy of BEST_FIT_PROGRESSIVE, SPOT_CAPACITY_OPTIMIZED, SPOT_PRICE_CAPACITY_OPTIMIZED; this one has the"
          " service-linked role and BEST_FIT"]),
        (updatable(allocationStrategy="BEST_FIT_PROGRESSIVE"), options(service_role=ROLE), {}, [],
         [f"serviceRole is {LINKED}, not {ROLE}, and Batch never moves a compute environment between its"
          " service-linked role"]),
        (described(), options(service_role=LINKED), {}, [], [f"serviceRole is {ROLE}, not {LINKED}"]),
        (updatable(), options(service_role=None, allocation_strategy="BEST_FIT"), {}, [],
         ["allocationStrategy is BEST_FIT_PROGRESSIVE, not BEST_FIT, and Batch never updates an environment to"
          " BEST_FIT"]),
        # ... and made on one with the service-linked role and a progressive strategy.
        (updatable(), options(service_role=None, subnets=["subnet-1111111111111111b"],
                              allocation_strategy="BEST_FIT_PROGRESSIVE"),
         {"computeEnvironment": ARN, "computeResources": {"subnets": ["subnet-1111111111111111b"]}},
         [f"subnets ['{SUBNET}'] -> ['subnet-1111111111111111b']"], []),
        (updatable(type="SPOT", allocationStrategy="SPOT_CAPACITY_OPTIMIZED"),
         options(**SPOT, allocation_strategy="SPOT_PRICE_CAPACITY_OPTIMIZED"),
         {"computeEnvironment": ARN, "computeResources": {"allocationStrategy": "SPOT_PRICE_CAPACITY_OPTIMIZED"}},
         ["allocationStrategy SPOT_CAPACITY_OPTIMIZED -> SPOT_PRICE_CAPACITY_OPTIMIZED"], []),
        # An environment made without a strategy is BEST_FIT; one not given keeps the environment's.
        (described(), options(allocation_strategy="BEST_FIT"), {}, [], []),
        (described(), options(), {}, [], []),
        # Fargate takes new subnets and security groups in place, whatever its role.
        ({**described(type="FARGATE"), "computeResources": {"type": "FARGATE", "maxvCpus": 4, "subnets": [SUBNET],
                                                            "securityGroupIds": [GROUP]}},
         options(**FARGATE, max_vcpus=4, subnets=["subnet-1111111111111111b"]),
         {"computeEnvironment": ARN, "computeResources": {"subnets": ["subnet-1111111111111111b"]}},
         [f"subnets ['{SUBNET}'] -> ['subnet-1111111111111111b']"], []),
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
    assert "desiredvCpus" not in predicted(None, options(**{**FARGATE, "desired_vcpus": 0}))  # Fargate has none


ROLE_NAMES = {key: f"batch_environment_{key}" for key in (
    "name", "type", "min_vcpus", "max_vcpus", "desired_vcpus", "instance_types", "subnets", "security_group_ids",
    "instance_role", "service_role", "spot_iam_fleet_role")}


@pytest.mark.parametrize(
    "params, fragment",
    [
        (options(name="x"), "batch_environment_name 'x' is not a valid AWS Batch name"),
        (options(min_vcpus=5, max_vcpus=4), "0 <= min <= desired <= max"),
        (options(desired_vcpus=9, max_vcpus=4), "batch_environment_desired_vcpus 9"),
        (options(min_vcpus="2", desired_vcpus="1", max_vcpus="4"), "batch_environment_desired_vcpus (1) must lie"),
        (options(instance_role=ROLE), "this is a role ARN, give the ARN of the instance profile"),
        (options(service_role="AWSBatchServiceRole"), "'AWSBatchServiceRole' is not an IAM role ARN"),
        (options(type="FARGATE"), "FARGATE environments take no instance settings"),
        (options(**{**FARGATE, "desired_vcpus": 2}), "batch_environment_desired_vcpus does not apply to FARGATE"),
        (options(subnets=["subnet-nothex"]), "batch_environment_subnets must list one or more subnet IDs"),
        (options(security_group_ids=[]), "batch_environment_security_group_ids must list one or more security group"),
        (options(type="SPOT", spot_iam_fleet_role="fleet"), "batch_environment_spot_iam_fleet_role 'fleet' is not"),
        (options(max_vcpus="many"), "batch_environment_max_vcpus (many) must be at least 1"),
    ],
)
def test_environment_errors_name_the_role_variables(params, fragment):
    errors = environment_errors(params, ROLE_NAMES)
    assert any(fragment in error for error in errors), errors


@pytest.mark.parametrize("params", [
    options(min_vcpus="0", max_vcpus="16", desired_vcpus="0"),
    options(**{**FARGATE, "min_vcpus": 0, "desired_vcpus": 0}),
    options(**{**FARGATE, "min_vcpus": "0", "desired_vcpus": "0"}),
])
def test_environment_errors_take_role_values_as_text(params):
    assert environment_errors(params, ROLE_NAMES) == []


@pytest.mark.parametrize("data", [
    {}, {"compute_environment": None, "job_queue": None}, {"job_definition": {"anything": 1}},
    {"compute_environment": {"name": "x1", "max_vcpus": 4}, "job_queue": {"priority": 2, "compute_environments": []}},
])
def test_fine_config_files(data):
    assert config_file_errors(data) == []


@pytest.mark.parametrize("data, fragments", [
    ({"compute_environment": {"max_cpus": 4}},
     ["has unknown keys: compute_environment.max_cpus (did you mean max_vcpus?)",
      "Known keys: compute_environment: name, type"]),
    ({"job_queue": {"priority": 1, "colour": "red"}}, ["job_queue.colour.", "job_queue: name, priority"]),
    ([1, 2], ["must be a YAML mapping whose compute_environment and job_queue sections are mappings"]),
    ({"job_queue": ["name"]}, ["sections are mappings"]),
    ({"job_defintion": {"name": "x"}, "job_queue": {"name": "q1"}},
     ["has unknown keys: job_defintion (did you mean job_definition?)"]),
    ({"compute_environment": {"name": "x1"}, "jobqueue": {}}, ["unknown keys: jobqueue (did you mean job_queue?)"]),
])
def test_config_file_problems(data, fragments):
    [error] = config_file_errors(data, "batch_environment_config_file 'BatchConfig.yml'")
    assert error.startswith("batch_environment_config_file 'BatchConfig.yml' ")
    for fragment in fragments:
        assert fragment in error


COUNTS = "the vCPU counts must satisfy 0 <= min <= desired <= max, and here"
NOT_FOR_FARGATE = ("does not apply to FARGATE compute environments (FARGATE environments take no instance settings):"
                   " leave it")


@pytest.mark.parametrize(("params", "names", "sentences"), [
    pytest.param(options(name="x", min_vcpus=5, max_vcpus=4, instance_types=[], instance_role=None, subnets=[],
                         security_group_ids=["g-1"], service_role="svc", spot_iam_fleet_role="fleet"), ROLE_NAMES,
                 ["batch_environment_name 'x' is not a valid AWS Batch name (for a compute environment): use 2 to 128"
                  " letters, digits, hyphens and underscores, starting with a letter or digit.",
                  "batch_environment_min_vcpus (5) must lie between 0 and batch_environment_max_vcpus (4):"
                  f" {COUNTS} batch_environment_min_vcpus is 5, batch_environment_desired_vcpus 0,"
                  " batch_environment_max_vcpus 4.",
                  "batch_environment_subnets is empty: batch_environment_subnets must list one or more subnet IDs"
                  " (subnet-0123456789abcdef0), for the environment's instances or tasks.",
                  "security group 'g-1' is not a security group ID: batch_environment_security_group_ids must list one"
                  " or more security group IDs (sg-0123456789abcdef0).",
                  "batch_environment_service_role 'svc' is not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME); leave"
                  " it empty to use Batch's service-linked role.",
                  "batch_environment_instance_types is empty: EC2 environments need at least one (e.g. optimal).",
                  "batch_environment_instance_role is empty: EC2 environments need an instance profile ARN.",
                  "batch_environment_spot_iam_fleet_role applies to SPOT compute environments only: leave it empty."],
                 id="ec2-everything-wrong"),
    pytest.param(options(min_vcpus="2", desired_vcpus="9", max_vcpus="4"), None,
                 [f"desired_vcpus (9) must lie between min_vcpus (2) and max_vcpus (4): {COUNTS} min_vcpus is 2,"
                  " desired_vcpus 9, max_vcpus 4."], id="desired-above-max"),
    pytest.param(options(desired_vcpus="x"), None,
                 [f"desired_vcpus (x) must lie between min_vcpus (0) and max_vcpus (16): {COUNTS} min_vcpus is 0,"
                  " desired_vcpus x, max_vcpus 16."], id="desired-text"),
    pytest.param(options(max_vcpus=0), None, ["max_vcpus (0) must be at least 1."], id="max-zero"),
    pytest.param(options(min_vcpus=-1), None,
                 [f"min_vcpus (-1) must lie between 0 and max_vcpus (16): {COUNTS} min_vcpus is -1, desired_vcpus 0,"
                  " max_vcpus 16."], id="min-negative"),
    pytest.param(options(**{**FARGATE, "instance_types": ["optimal"], "instance_role": PROFILE,
                            "spot_iam_fleet_role": ROLE, "min_vcpus": 1, "desired_vcpus": "0"}), ROLE_NAMES,
                 ["batch_environment_desired_vcpus (0) must lie between batch_environment_min_vcpus (1) and"
                  f" batch_environment_max_vcpus (16): {COUNTS} batch_environment_min_vcpus is 1,"
                  " batch_environment_desired_vcpus 0, batch_environment_max_vcpus 16.",
                  f"batch_environment_instance_types {NOT_FOR_FARGATE} empty.",
                  f"batch_environment_instance_role {NOT_FOR_FARGATE} empty.",
                  f"batch_environment_spot_iam_fleet_role {NOT_FOR_FARGATE} empty.",
                  f"batch_environment_min_vcpus {NOT_FOR_FARGATE} 0."], id="fargate-instance-settings"),
    pytest.param(options(type="GPU"), None, ["type 'GPU' must be one of EC2, SPOT, FARGATE, FARGATE_SPOT."],
                 id="bad-type"),
    pytest.param(options(type="SPOT", spot_iam_fleet_role="fleet", instance_role="profile"), None,
                 ["instance_role 'profile' is not an instance profile ARN (arn:aws:iam::ACCOUNT:instance-profile/NAME),"
                  " which SPOT environments need.",
                  "spot_iam_fleet_role 'fleet' is not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)."],
                 id="spot-roles"),
    pytest.param(options(instance_role=ROLE), None,
                 [f"instance_role '{ROLE}' is not an instance profile ARN (arn:aws:iam::ACCOUNT:instance-profile/NAME),"
                  " which EC2 environments need: this is a role ARN, give the ARN of the instance profile holding the"
                  " role."], id="role-for-profile"),
    pytest.param(options(state="absent", name="x", max_vcpus=None, type=None), None,
                 ["name 'x' is not a valid AWS Batch name (for a compute environment): use 2 to 128 letters, digits,"
                  " hyphens and underscores, starting with a letter or digit."], id="absent-only-the-name"),
    pytest.param({**options(), "state": None}, None, [], id="no-state-means-present"),
    pytest.param({key: value for key, value in options(max_vcpus=0).items() if key != "state"}, None,
                 ["max_vcpus (0) must be at least 1."], id="present-by-default"),
    pytest.param(options(max_vcpus=1, min_vcpus=1, desired_vcpus=1), None, [], id="one-vcpu"),
    pytest.param(options(min_vcpus=None, max_vcpus=2, desired_vcpus=""), None, [], id="empty-counts"),
])
def test_environment_problems_are_whole_sentences(params, names, sentences):
    assert environment_errors(params, names) == sentences


def test_config_file_problems_in_full():
    data = {"job_defintion": {}, "compute_environment": {"nmae": "x", "zzz": 1}, "job_queue": {"priorty": 1},
            "qqq": 1}
    assert config_file_errors(data) == [
        "the BatchConfig.yml has unknown keys: job_defintion (did you mean job_definition?), qqq,"
        " compute_environment.nmae (did you mean name?), compute_environment.zzz, job_queue.priorty (did you mean"
        " priority?). Known keys: compute_environment: name, type, min_vcpus, max_vcpus, desired_vcpus, instance_types,"
        " subnets, security_group_ids, instance_role, service_role, spot_iam_fleet_role, allocation_strategy;"
        " job_queue: name, priority, compute_environments."]
    assert config_file_errors([], "BatchConfig.yml") == [
        "BatchConfig.yml must be a YAML mapping whose compute_environment and job_queue sections are mappings."]


def test_wanted_settings_of_few_options():
    assert wanted_settings({"type": "EC2", "max_vcpus": 4, "enabled": False}) == {
        "state": "DISABLED", "serviceRole": None, "type": "EC2", "minvCpus": 0, "maxvCpus": 4, "instanceTypes": [],
        "subnets": [], "securityGroupIds": [], "instanceRole": None, "spotIamFleetRole": None,
        "allocationStrategy": None}
    assert wanted_settings({"type": "FARGATE", "max_vcpus": 4, "min_vcpus": 3, "instance_role": "p",
                            "instance_types": ["b", "a"], "subnets": ["s2", "s1"], "spot_iam_fleet_role": ""}) == {
        "state": "ENABLED", "serviceRole": None, "type": "FARGATE", "minvCpus": None, "maxvCpus": 4,
        "instanceTypes": None, "subnets": ["s1", "s2"], "securityGroupIds": [], "instanceRole": None,
        "spotIamFleetRole": None, "allocationStrategy": None}
    assert wanted_settings(options(allocation_strategy="BEST_FIT"))["allocationStrategy"] == "BEST_FIT"
    assert wanted_settings(options(**FARGATE, allocation_strategy="BEST_FIT"))["allocationStrategy"] is None
    assert wanted_settings(options(type="SPOT", spot_iam_fleet_role=ROLE))["spotIamFleetRole"] == ROLE
    assert wanted_settings(options())["instanceRole"] == PROFILE


class DescribingClient:
    def __init__(self, *environments):
        self.environments, self.calls = list(environments), []

    def describe_compute_environments(self, **kwargs):
        self.calls.append(kwargs)
        return {"computeEnvironments": self.environments}


def test_describe_environment_skips_deleted_ones():
    client = DescribingClient({"status": "DELETED", "n": 1}, {"status": "VALID", "n": 2})
    assert describe_environment(client, "dockwright") == {"status": "VALID", "n": 2}
    assert client.calls == [{"computeEnvironments": ["dockwright"], "aws_retry": True}]
    assert describe_environment(DescribingClient({"status": "DELETED"}), "dockwright") is None
    assert describe_environment(DescribingClient(), "dockwright") is None


def test_changes_to_an_environment_of_another_type_are_refused():
    update, _, fixed = changes({**described(), "type": "UNMANAGED"}, options())
    assert fixed == ["compute environment dockwright is UNMANAGED, not MANAGED"]
    assert update == {}
    assert changes({key: value for key, value in described().items() if key != "type"}, options())[2] == []


def test_an_update_names_the_environment_by_name_without_an_arn():
    environment = {key: value for key, value in described().items() if key != "computeEnvironmentArn"}
    update, _, _ = changes(environment, options(max_vcpus=32))
    assert update == {"computeEnvironment": "dockwright", "computeResources": {"maxvCpus": 32}}


@pytest.mark.parametrize("params", [
    pytest.param(options(min_vcpus=None, desired_vcpus=0), id="min-unset"),
    pytest.param(options(min_vcpus="", desired_vcpus="0", max_vcpus="4"), id="min-empty-text"),
])
def test_an_unset_minimum_is_zero(params):
    assert environment_errors(params) == []


def test_a_change_that_cannot_be_made_in_place_does_not_hide_the_others():
    update, words, fixed = changes(updatable(type="SPOT"),
                                   options(service_role=None, subnets=["subnet-0123456789abcdef1"]))
    assert fixed == ["type is SPOT, not EC2, and cannot be changed in place"]
    assert update == {"computeEnvironment": ARN, "computeResources": {"subnets": ["subnet-0123456789abcdef1"]}}
    assert words == [f"subnets ['{SUBNET}'] -> ['subnet-0123456789abcdef1']"]


@pytest.mark.parametrize("params", [
    pytest.param(options(**SPOT), id="spot-without-fleet-role"),
    pytest.param(options(**SPOT, allocation_strategy="BEST_FIT", spot_iam_fleet_role=ROLE), id="spot-best-fit-role"),
    pytest.param(options(**SPOT, allocation_strategy="SPOT_CAPACITY_OPTIMIZED"), id="spot-capacity"),
    pytest.param(options(allocation_strategy="BEST_FIT"), id="ec2-best-fit"),
    pytest.param(options(allocation_strategy=""), id="ec2-default"),
])
def test_allocation_strategies_that_batch_takes(params):
    assert option_errors(params) == []


@pytest.mark.parametrize("params, names, sentence", [
    pytest.param(options(**SPOT, allocation_strategy="BEST_FIT"), None,
                 "spot_iam_fleet_role is empty: a SPOT environment with allocation_strategy BEST_FIT needs the ARN of a"
                 " Spot Fleet role (Batch refuses to create it without one); give it, or leave the strategy empty for"
                 " SPOT_PRICE_CAPACITY_OPTIMIZED, which needs none.", id="spot-best-fit-without-role"),
    pytest.param(options(allocation_strategy="SPOT_CAPACITY_OPTIMIZED"), ROLE_NAMES | {
        "allocation_strategy": "batch_environment_allocation_strategy"},
                 "batch_environment_allocation_strategy SPOT_CAPACITY_OPTIMIZED applies to SPOT compute environments"
                 " only: give BEST_FIT_PROGRESSIVE (or leave it empty) for EC2.", id="spot-strategy-on-ec2"),
    pytest.param(options(allocation_strategy="CHEAPEST"), None,
                 "allocation_strategy 'CHEAPEST' must be one of BEST_FIT, BEST_FIT_PROGRESSIVE,"
                 " SPOT_CAPACITY_OPTIMIZED, SPOT_PRICE_CAPACITY_OPTIMIZED (or empty for BEST_FIT_PROGRESSIVE on EC2,"
                 " SPOT_PRICE_CAPACITY_OPTIMIZED on SPOT).", id="unknown"),
    pytest.param(options(**FARGATE, allocation_strategy="BEST_FIT_PROGRESSIVE"), None,
                 "allocation_strategy does not apply to FARGATE compute environments (FARGATE environments take no"
                 " instance settings): leave it empty.", id="fargate"),
])
def test_allocation_strategy_problems(params, names, sentence):
    assert environment_errors(params, names) == [sentence]


@pytest.mark.parametrize("role, linked", [
    (None, True), ("", True), (LINKED, True), ("arn:aws:iam::123456789012:role/AWSServiceRoleForBatch", True),
    (ROLE, False), ("arn:aws:iam::123456789012:role/AWSServiceRoleForBatchCopy", False),
])
def test_is_service_linked(role, linked):
    assert is_service_linked(role) is linked


@pytest.mark.parametrize("environment, answer", [
    (updatable(), True),
    (updatable(allocationStrategy="SPOT_CAPACITY_OPTIMIZED"), True),
    (updatable(allocationStrategy="SPOT_PRICE_CAPACITY_OPTIMIZED"), True),
    (updatable(allocationStrategy="BEST_FIT"), False),
    ({**updatable(), "computeResources": {**described()["computeResources"]}}, False),  # none given: BEST_FIT
    ({**updatable(), "serviceRole": ROLE}, False),
])
def test_infrastructure_updatable(environment, answer):
    assert infrastructure_updatable(environment) is answer


def test_a_new_environment_shows_the_strategy_it_is_created_with():
    assert predicted(None, options())["allocationStrategy"] == "BEST_FIT_PROGRESSIVE"
    assert predicted(None, options(**SPOT))["allocationStrategy"] == "SPOT_PRICE_CAPACITY_OPTIMIZED"
    assert predicted(None, options(allocation_strategy="BEST_FIT"))["allocationStrategy"] == "BEST_FIT"
    assert predicted(None, options(**FARGATE))["allocationStrategy"] is None
    assert predicted(described(), options())["allocationStrategy"] == "BEST_FIT"  # an existing one keeps its own


@pytest.mark.parametrize("environment, request_", [
    ({**described(), "status": "INVALID"},
     {"computeEnvironment": ARN, "state": "ENABLED", "computeResources": {"maxvCpus": 16}, "serviceRole": ROLE}),
    ({**updatable(), "status": "INVALID", "state": "DISABLED"},
     {"computeEnvironment": ARN, "state": "DISABLED", "computeResources": {"maxvCpus": 16}}),
    ({"computeEnvironmentName": "dockwright", "status": "INVALID"}, {"computeEnvironment": "dockwright",
                                                                     "state": "ENABLED"}),
])
def test_repair_request_changes_nothing_batch_would_refuse(environment, request_):
    assert repair_request(environment) == request_
