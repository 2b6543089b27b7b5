"""The batch_compute_environment module's present and absent steps on a described environment, with a client that
records each call: what moto cannot show (it describes every environment VALID and makes any update)."""

import pytest
from ansible_collections.dockwright.toolkit.plugins.module_utils.batch_lifecycle import Lifecycle
from ansible_collections.dockwright.toolkit.plugins.modules import batch_compute_environment as module_file

PROFILE = "arn:aws:iam::123456789012:instance-profile/ecsInstanceRole"
ROLE = "arn:aws:iam::123456789012:role/AWSBatchServiceRole"
SUBNET, GROUP = "subnet-0123456789abcdef0", "sg-0123456789abcdef0"
ARN = "arn:aws:batch:eu-west-1:123456789012:compute-environment/dockwright"


class Failed(Exception):
    pass


class Module:
    def __init__(self, check_mode=False, **params):
        self.check_mode = check_mode
        self.params = {"name": "dockwright", "state": "present", "enabled": True, "type": "EC2", "min_vcpus": 0,
                       "max_vcpus": 16, "desired_vcpus": None, "instance_types": ["optimal"], "subnets": [SUBNET],
                       "security_group_ids": [GROUP], "instance_role": PROFILE, "service_role": ROLE,
                       "spot_iam_fleet_role": None, "allocation_strategy": None, "replace": False, "wait": True,
                       "wait_timeout": 0,
                       **params}

    def fail_json(self, **result):
        raise Failed(result)

    def fail_json_aws(self, err, **result):
        raise Failed(result)


class Client:
    """Records the calls; describe_compute_environments answers the given environments one after the other."""

    def __init__(self, *described):
        self.described, self.calls = list(described), []

    def describe_compute_environments(self, **kwargs):
        found = self.described.pop(0) if len(self.described) > 1 else self.described[0]
        return {"computeEnvironments": [found] if found else []}

    def __getattr__(self, method):
        def call(**kwargs):
            self.calls.append((method, kwargs))
            return {"computeEnvironmentArn": ARN}
        return call


def described(status="VALID", **top):
    return {"computeEnvironmentName": "dockwright", "computeEnvironmentArn": ARN, "type": "MANAGED",
            "state": "ENABLED", "status": status, "statusReason": "CLIENT_ERROR - role not assumable",
            "serviceRole": ROLE, **top,
            "computeResources": {"type": "EC2", "minvCpus": 0, "maxvCpus": 16, "desiredvCpus": 0,
                                 "instanceTypes": ["optimal"], "subnets": [SUBNET], "securityGroupIds": [GROUP],
                                 "instanceRole": PROFILE}}


def run(module, client):
    resource = Lifecycle(module, client, "compute environment", module_file.describe_environment,
                         "compute_environment", "Fix the settings.")
    environment = resource.current()
    return module_file.present(module, resource, environment)


def test_an_invalid_environment_with_nothing_to_change_is_updated_so_that_batch_checks_it_again():
    client = Client(described("INVALID"), described("VALID"))
    changed, actions, _diff, environment, _arn = run(Module(), client)
    assert changed and environment["status"] == "VALID"
    assert client.calls == [("update_compute_environment", {
        "aws_retry": True, "computeEnvironment": ARN, "state": "ENABLED", "computeResources": {"maxvCpus": 16},
        "serviceRole": ROLE})]
    assert actions == ["updated INVALID compute environment dockwright with its own settings, so that Batch checks it"
                       " again (it said: CLIENT_ERROR - role not assumable)"]


def test_one_still_invalid_after_that_fails_with_the_reason():
    client = Client(described("INVALID"))
    with pytest.raises(Failed) as failed:
        run(Module(), client)
    assert failed.value.args[0]["msg"] == ("Compute environment dockwright is INVALID: CLIENT_ERROR - role not"
                                           " assumable. Fix the settings.")
    assert [method for method, _ in client.calls] == ["update_compute_environment"]


def test_in_check_mode_an_invalid_one_is_only_reported():
    client = Client(described("INVALID"))
    changed, actions, _diff, _environment, _arn = run(Module(check_mode=True), client)
    assert changed and actions[0].startswith("updated INVALID compute environment dockwright")
    assert client.calls == []


def test_a_valid_one_with_nothing_to_change_is_left_alone():
    client = Client(described("VALID"))
    assert run(Module(), client)[0] is False
    assert client.calls == []


def test_an_infrastructure_update_batch_would_refuse_fails_before_any_call():
    client = Client(described("VALID"))
    with pytest.raises(Failed) as failed:
        run(Module(subnets=["subnet-1111111111111111b"]), client)
    message = failed.value.args[0]["msg"]
    assert message.startswith("Compute environment dockwright differs in ways Batch cannot change in place: subnets"
                              " change only through an infrastructure update")
    assert message.endswith("Nothing was changed. Delete it first (state absent; the job queues using it before it)"
                            " and apply again, or set replace to have it deleted and created anew (the"
                            " batch_environment role: batch_environment_replace=true, make batch-env REPLACE=1).")
    assert client.calls == []


def test_a_new_environment_is_created_with_a_progressive_strategy():
    client = Client(None, described("VALID"))
    run(Module(), client)
    [(method, request)] = client.calls
    assert method == "create_compute_environment"
    assert request["computeResources"]["allocationStrategy"] == "BEST_FIT_PROGRESSIVE"


def test_with_replace_one_batch_cannot_update_is_deleted_and_created_anew():
    disabled = described("VALID", state="DISABLED")
    client = Client(described("VALID"), disabled, None, described("VALID"))
    changed, actions, diff, _environment, _arn = run(Module(replace=True, subnets=["subnet-1111111111111111b"]),
                                                     client)
    assert changed and actions[0].startswith("replaced compute environment dockwright (subnets change only through")
    assert actions[1] == "created EC2 compute environment dockwright"
    assert [method for method, _ in client.calls] == ["update_compute_environment", "delete_compute_environment",
                                                      "create_compute_environment"]
    assert client.calls[0][1]["state"] == "DISABLED"
    assert client.calls[2][1]["computeResources"]["subnets"] == ["subnet-1111111111111111b"]
    assert diff["before"]["subnets"] == [SUBNET] and diff["after"]["subnets"] == ["subnet-1111111111111111b"]


def test_with_replace_check_mode_only_says_so_and_one_batch_can_update_is_updated():
    client = Client(described("VALID"))
    changed, actions, _diff, _environment, _arn = run(
        Module(check_mode=True, replace=True, subnets=["subnet-1111111111111111b"]), client)
    assert changed and actions[0].startswith("replaced compute environment dockwright") and client.calls == []
    client = Client(described("VALID"))
    changed, actions, _diff, _environment, _arn = run(Module(replace=True, max_vcpus=32), client)
    assert actions == ["updated maxvCpus 16 -> 32"]
    assert [method for method, _ in client.calls] == ["update_compute_environment"]
