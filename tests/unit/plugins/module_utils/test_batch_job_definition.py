"""Unit tests of plugins/module_utils/dockwright_batch.py: BatchConfig.yml job definitions to Batch requests."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest
import yaml
from ansible_collections.dockwright.toolkit.plugins.module_utils.batch_job_definition import (
    EFS_KEYS,
    FARGATE_KEYS,
    FARGATE_MEMORY,
    JOB_DEFINITION_KEYS,
    VOLUME_KEYS,
    changed_fields,
    comparable,
    diff_job_definition,
    normalize_job_definition,
    unset_parameters,
)
from job_definition_fields import FIELD_CHANGES

IMAGE = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/iris:1.0"
ROLE = "arn:aws:iam::123456789012:role/iris-job"
EXEC_ROLE = "arn:aws:iam::123456789012:role/ecsTaskExecutionRole"
FARGATE = {"name": "iris-fargate", "platform": "FARGATE", "vcpus": 0.25, "memory": 512, "execution_role_arn": EXEC_ROLE}


def resources(request):
    return {item["type"]: item["value"] for item in request["containerProperties"]["resourceRequirements"]}


def test_defaults_fill_a_complete_request():
    assert normalize_job_definition({"name": "iris"}, IMAGE) == {
        "jobDefinitionName": "iris",
        "type": "container",
        "platformCapabilities": ["EC2"],
        "containerProperties": {
            "image": IMAGE,
            "resourceRequirements": [{"type": "MEMORY", "value": "2048"}, {"type": "VCPU", "value": "1"}],
            "readonlyRootFilesystem": False,
            "privileged": False,
            "logConfiguration": {"logDriver": "awslogs", "options": {}},
        },
        "retryStrategy": {"attempts": 1},
        "propagateTags": False,
    }


def test_every_key_maps_to_the_request():
    config = {
        "name": "iris-train",
        "command": ["python", "train.py", "--epochs", "Ref::epochs"],
        "parameters": {"epochs": 10},
        "vcpus": 4,
        "memory": 8192,
        "gpus": 1,
        "environment": {"LOG_LEVEL": "info", "DEBUG": False},
        "job_role_arn": ROLE,
        "execution_role_arn": EXEC_ROLE,
        "platform": "ec2",
        "retry_attempts": 3,
        "retry_on_exit": [{"on_exit_code": 137, "action": "retry"}, {"on_reason": "*", "action": "EXIT"}],
        "timeout_seconds": 3600,
        "log_driver": "awslogs",
        "log_options": {"awslogs-group": "/dockwright/iris"},
        "tags": {"project": "iris", "cost-center": 42},
        "propagate_tags": True,
        "user": "1000",
        "readonly_root_filesystem": True,
        "privileged": False,
    }
    request = normalize_job_definition(config, IMAGE)
    container = request["containerProperties"]
    assert request["parameters"] == {"epochs": "10"}
    assert container["command"] == ["python", "train.py", "--epochs", "Ref::epochs"]
    assert container["resourceRequirements"] == [
        {"type": "GPU", "value": "1"}, {"type": "MEMORY", "value": "8192"}, {"type": "VCPU", "value": "4"}]
    assert container["environment"] == [{"name": "DEBUG", "value": "false"}, {"name": "LOG_LEVEL", "value": "info"}]
    assert container["jobRoleArn"] == ROLE
    assert container["executionRoleArn"] == EXEC_ROLE
    assert container["user"] == "1000"
    assert container["readonlyRootFilesystem"] is True
    assert container["logConfiguration"] == {"logDriver": "awslogs", "options": {"awslogs-group": "/dockwright/iris"}}
    assert "vcpus" not in container and "memory" not in container
    assert "networkConfiguration" not in container
    assert request["platformCapabilities"] == ["EC2"]
    assert request["retryStrategy"] == {"attempts": 3, "evaluateOnExit": [
        {"onExitCode": "137", "action": "RETRY"}, {"onReason": "*", "action": "EXIT"}]}
    assert request["timeout"] == {"attemptDurationSeconds": 3600}
    assert request["tags"] == {"cost-center": "42", "project": "iris"}
    assert request["propagateTags"] is True


@pytest.mark.parametrize(("config", "expected"), [
    pytest.param({"name": "a1"}, {"MEMORY": "2048", "VCPU": "1"}, id="defaults"),
    pytest.param({"name": "a1", "vcpus": 2, "memory": 4}, {"MEMORY": "4", "VCPU": "2"}, id="ec2-minimum-memory"),
    pytest.param({"name": "a1", "vcpus": "16", "memory": "65536"}, {"MEMORY": "65536", "VCPU": "16"},
                 id="numeric-strings"),
    pytest.param({"name": "a1", "vcpus": 2.0}, {"MEMORY": "2048", "VCPU": "2"}, id="whole-float"),
    pytest.param({"name": "a1", "gpus": 4}, {"GPU": "4", "MEMORY": "2048", "VCPU": "1"}, id="gpus"),
    pytest.param({"name": "a1", "gpus": 0}, {"MEMORY": "2048", "VCPU": "1"}, id="zero-gpus-left-out"),
    pytest.param({**FARGATE}, {"MEMORY": "512", "VCPU": "0.25"}, id="fargate-quarter"),
    pytest.param({**FARGATE, "memory": 2048}, {"MEMORY": "2048", "VCPU": "0.25"}, id="fargate-quarter-max"),
    pytest.param({**FARGATE, "vcpus": 0.5, "memory": 4096}, {"MEMORY": "4096", "VCPU": "0.5"}, id="fargate-half"),
    pytest.param({**FARGATE, "vcpus": 1, "memory": 8192}, {"MEMORY": "8192", "VCPU": "1"}, id="fargate-1"),
    pytest.param({**FARGATE, "vcpus": 2, "memory": 4096}, {"MEMORY": "4096", "VCPU": "2"}, id="fargate-2"),
    pytest.param({**FARGATE, "vcpus": 4, "memory": 30720}, {"MEMORY": "30720", "VCPU": "4"}, id="fargate-4"),
    pytest.param({**FARGATE, "vcpus": 8, "memory": 20480}, {"MEMORY": "20480", "VCPU": "8"}, id="fargate-8"),
    pytest.param({**FARGATE, "vcpus": 16, "memory": 122880}, {"MEMORY": "122880", "VCPU": "16"}, id="fargate-16"),
])
def test_resources_go_to_resource_requirements(config, expected):
    request = normalize_job_definition(config, IMAGE)
    assert resources(request) == expected
    assert [item["type"] for item in request["containerProperties"]["resourceRequirements"]] == sorted(expected)


def test_fargate_request():
    request = normalize_job_definition({**FARGATE, "fargate": {"assign_public_ip": True, "platform_version": "1.4.0"}},
                                       IMAGE)
    container = request["containerProperties"]
    assert request["platformCapabilities"] == ["FARGATE"]
    assert container["executionRoleArn"] == EXEC_ROLE
    assert container["networkConfiguration"] == {"assignPublicIp": "ENABLED"}
    assert container["fargatePlatformConfiguration"] == {"platformVersion": "1.4.0"}
    assert "privileged" not in container


def test_fargate_defaults():
    container = normalize_job_definition(FARGATE, IMAGE)["containerProperties"]
    assert container["networkConfiguration"] == {"assignPublicIp": "DISABLED"}
    assert container["fargatePlatformConfiguration"] == {"platformVersion": "LATEST"}


@pytest.mark.parametrize(("command", "expected"), [
    pytest.param(["python", "train.py"], ["python", "train.py"], id="list"),
    pytest.param("python train.py --name 'my run'", ["python", "train.py", "--name", "my run"], id="string-split"),
    pytest.param(["python", "-c", 1], ["python", "-c", "1"], id="scalars-as-text"),
    pytest.param(["python", "Ref::script", "--n", "Ref::n"], ["python", "Ref::script", "--n", "Ref::n"], id="refs"),
])
def test_command(command, expected):
    assert normalize_job_definition({"name": "a1", "command": command}, IMAGE)["containerProperties"]["command"] == \
        expected


@pytest.mark.parametrize("command", [None, "", []])
def test_no_command_keeps_the_image_cmd(command):
    assert "command" not in normalize_job_definition({"name": "a1", "command": command}, IMAGE)["containerProperties"]


@pytest.mark.parametrize(("config", "missing"), [
    pytest.param({"command": ["run", "Ref::a", "Ref::b"], "parameters": {"a": "1"}}, ["b"], id="one-missing"),
    pytest.param({"command": ["run", "--x=Ref::a"], "parameters": {"a": "1"}}, [], id="all-given"),
    pytest.param({"command": ["run", "Ref::b", "Ref::a"]}, ["a", "b"], id="sorted"),
    pytest.param({}, [], id="no-command"),
])
def test_unset_parameters(config, missing):
    assert unset_parameters(normalize_job_definition({"name": "a1", **config}, IMAGE)) == missing


def test_environment_is_sorted_and_textual():
    request = normalize_job_definition({"name": "a1", "environment": {"Z": 1, "A": None, "M": True, "B": 0.5}}, IMAGE)
    assert request["containerProperties"]["environment"] == [
        {"name": "A", "value": ""}, {"name": "B", "value": "0.5"}, {"name": "M", "value": "true"},
        {"name": "Z", "value": "1"}]


def test_output_is_deterministic():
    config = {"name": "a1", "environment": {"B": "2", "A": "1"}, "tags": {"y": "1", "x": "2"}, "gpus": 1,
              "parameters": {"q": "1", "p": "2"}, "log_options": {"b": "1", "a": "2"}}
    reordered = {key: (dict(reversed(list(value.items()))) if isinstance(value, dict) else value)
                 for key, value in reversed(list(config.items()))}
    first = normalize_job_definition(config, IMAGE)
    second = normalize_job_definition(reordered, IMAGE)
    assert repr(first) == repr(second)
    assert list(first["tags"]) == ["x", "y"]
    assert list(first["parameters"]) == ["p", "q"]


def test_input_is_not_modified():
    config = {"name": "a1", "environment": {"B": "2"}, "retry_on_exit": [{"on_exit_code": 1, "action": "retry"}]}
    before = copy.deepcopy(config)
    normalize_job_definition(config, IMAGE)
    assert config == before


@pytest.mark.parametrize(("config", "image", "fragment"), [
    pytest.param({}, IMAGE, "name is missing", id="no-name"),
    pytest.param({"name": "my job"}, IMAGE, "name 'my job' is not a valid Batch name", id="name-space"),
    pytest.param({"name": "-job"}, IMAGE, "starting with a letter or digit", id="name-dash-first"),
    pytest.param({"name": "a" * 129}, IMAGE, "2 to 128 letters", id="name-too-long"),
    pytest.param({"name": "a"}, IMAGE, "2 to 128 letters", id="name-one-letter"),
    pytest.param({"name": "a1"}, "", "image is empty", id="no-image"),
    pytest.param(["name"], IMAGE, "must be a mapping", id="not-a-mapping"),
    pytest.param({"name": "a1", "memroy": 4096}, IMAGE, "Unknown key 'memroy' in the job definition: did you mean "
                 "'memory'?", id="typo"),
    pytest.param({"name": "a1", "jobRoleArn": ROLE}, IMAGE, "did you mean 'job_role_arn'?", id="camel-case"),
    pytest.param({"name": "a1", "cpus": 2}, IMAGE, "did you mean 'vcpus'?", id="cpus"),
    pytest.param({"name": "a1", "zzzzzz": 2}, IMAGE, "valid keys are name, command", id="no-close-match"),
    pytest.param({"name": "a1", "memory": 3}, IMAGE, "below Batch's minimum of 4 MiB", id="ec2-memory-low"),
    pytest.param({"name": "a1", "memory": "2g"}, IMAGE, "memory must be a number", id="memory-unit"),
    pytest.param({"name": "a1", "memory": 1024.5}, IMAGE, "memory must be a whole number of MiB", id="memory-frac"),
    pytest.param({"name": "a1", "vcpus": 0.5}, IMAGE, "fractions of a vCPU need platform: FARGATE", id="ec2-frac"),
    pytest.param({"name": "a1", "vcpus": 0}, IMAGE, "whole number of 1 or more", id="ec2-zero-vcpus"),
    pytest.param({"name": "a1", "vcpus": -1}, IMAGE, "vcpus must be a positive number", id="negative-vcpus"),
    pytest.param({"name": "a1", "vcpus": True}, IMAGE, "vcpus must be a number", id="bool-vcpus"),
    pytest.param({"name": "a1", "gpus": 1.5}, IMAGE, "gpus must be a whole number", id="gpus-frac"),
    pytest.param({**FARGATE, "memory": 1536}, IMAGE, "with 0.25 vCPU Fargate allows 512, 1024 or 2048 MiB",
                 id="fargate-quarter-1536"),
    pytest.param({**FARGATE, "vcpus": 1, "memory": 1024}, IMAGE, "2048 to 8192 MiB in steps of 1024",
                 id="fargate-1-low"),
    pytest.param({**FARGATE, "vcpus": 4, "memory": 32768}, IMAGE, "8192 to 30720 MiB in steps of 1024",
                 id="fargate-4-high"),
    pytest.param({**FARGATE, "vcpus": 8, "memory": 18432}, IMAGE, "16384 to 61440 MiB in steps of 4096",
                 id="fargate-8-step"),
    pytest.param({**FARGATE, "vcpus": 3}, IMAGE, "vcpus 3 is not a Fargate size", id="fargate-3-vcpus"),
    pytest.param({**FARGATE, "gpus": 1}, IMAGE, "Fargate has no GPUs", id="fargate-gpus"),
    pytest.param({**FARGATE, "privileged": True}, IMAGE, "privileged is not available on Fargate",
                 id="fargate-privileged"),
    pytest.param({**FARGATE, "execution_role_arn": ""}, IMAGE, "execution_role_arn is missing", id="fargate-no-role"),
    pytest.param({**FARGATE, "log_driver": "syslog"}, IMAGE, "log_driver 'syslog' is not available on FARGATE",
                 id="fargate-log-driver"),
    pytest.param({**FARGATE, "fargate": {"assign_public_ip": "yes please"}}, IMAGE,
                 "fargate.assign_public_ip must be ENABLED or DISABLED", id="fargate-public-ip"),
    pytest.param({**FARGATE, "fargate": {"platform_version": "newest"}}, IMAGE,
                 "fargate.platform_version must be LATEST or a version", id="fargate-version"),
    pytest.param({**FARGATE, "fargate": {"public_ip": "ENABLED"}}, IMAGE,
                 "Unknown key 'public_ip' in fargate: did you mean 'assign_public_ip'?", id="fargate-typo"),
    pytest.param({"name": "a1", "fargate": {"assign_public_ip": "ENABLED"}}, IMAGE,
                 "fargate settings apply to platform: FARGATE only", id="fargate-on-ec2"),
    pytest.param({"name": "a1", "platform": "LAMBDA"}, IMAGE, "platform must be EC2 or FARGATE", id="platform"),
    pytest.param({"name": "a1", "job_role_arn": "iris-job"}, IMAGE, "job_role_arn 'iris-job' is not an IAM role ARN",
                 id="role-name-not-arn"),
    pytest.param({"name": "a1", "job_role_arn": "arn:aws:iam::1234:role/x"}, IMAGE, "12-digit account",
                 id="role-short-account"),
    pytest.param({"name": "a1", "job_role_arn": "arn:aws:iam::123456789012:user/x"}, IMAGE, "not an IAM role ARN",
                 id="user-arn"),
    pytest.param({"name": "a1", "execution_role_arn": "arn:aws:s3:::bucket"}, IMAGE,
                 "execution_role_arn 'arn:aws:s3:::bucket' is not an IAM role ARN", id="exec-role-s3"),
    pytest.param({"name": "a1", "retry_attempts": 0}, IMAGE, "retry_attempts must be 1 to 10", id="retry-0"),
    pytest.param({"name": "a1", "retry_attempts": 11}, IMAGE, "retry_attempts must be 1 to 10", id="retry-11"),
    pytest.param({"name": "a1", "retry_on_exit": [{"on_exit_code": "1"}]}, IMAGE,
                 "retry_on_exit[0].action must be RETRY or EXIT", id="retry-rule-no-action"),
    pytest.param({"name": "a1", "retry_on_exit": [{"on_exit_code": "abc", "action": "RETRY"}]}, IMAGE,
                 "retry_on_exit[0].on_exit_code must be digits", id="retry-rule-exit-code"),
    pytest.param({"name": "a1", "retry_on_exit": [{"exit_code": "1", "action": "RETRY"}]}, IMAGE,
                 "Unknown key 'exit_code' in retry_on_exit[0]: did you mean 'on_exit_code'?", id="retry-rule-typo"),
    pytest.param({"name": "a1", "retry_on_exit": [{"action": "EXIT"}] * 6}, IMAGE, "Batch takes at most 5",
                 id="retry-rule-count"),
    pytest.param({"name": "a1", "retry_on_exit": {"action": "EXIT"}}, IMAGE, "retry_on_exit must be a list",
                 id="retry-rule-not-list"),
    pytest.param({"name": "a1", "timeout_seconds": 59}, IMAGE, "timeout_seconds must be at least 60", id="timeout"),
    pytest.param({"name": "a1", "environment": ["A=1"]}, IMAGE, "environment must be a mapping", id="env-list"),
    pytest.param({"name": "a1", "environment": {"A": [1]}}, IMAGE, "environment.A must be a single value",
                 id="env-nested"),
    pytest.param({"name": "a1", "environment": {"AWS_BATCH_X": "1"}}, IMAGE, "reserved by Batch", id="env-reserved"),
    pytest.param({"name": "a1", "tags": {"aws:owner": "me"}}, IMAGE, "reserved by AWS", id="tag-reserved"),
    pytest.param({"name": "a1", "log_driver": "awslog"}, IMAGE, "did you mean 'awslogs'?", id="log-driver-typo"),
    pytest.param({"name": "a1", "propagate_tags": "maybe"}, IMAGE, "propagate_tags must be true or false",
                 id="bool"),
    pytest.param({"name": "a1", "command": {"run": "x"}}, IMAGE, "command must be a list of strings or a string",
                 id="command-dict"),
    pytest.param({"name": "a1", "command": "python -c 'unclosed"}, IMAGE, "give it as a list instead",
                 id="command-quote"),
])
def test_invalid_config_names_the_key(config, image, fragment):
    with pytest.raises(ValueError, match=re.escape(fragment)):
        normalize_job_definition(config, image)


def test_every_problem_is_reported_at_once():
    with pytest.raises(ValueError, match="memory") as err:
        normalize_job_definition({"name": "a1", "memory": 1, "retry_attempts": 20, "colour": "red"}, IMAGE)
    lines = str(err.value).splitlines()
    assert len(lines) == 3
    assert any(line.startswith("Unknown key 'colour'") for line in lines)





def test_fargate_table_matches_batch():
    assert FARGATE_MEMORY["0.25"] == (512, 1024, 2048)
    assert FARGATE_MEMORY["0.5"] == (1024, 2048, 3072, 4096)
    assert FARGATE_MEMORY["4"][-1] == 30720
    assert FARGATE_MEMORY["16"][0] == 32768


# What moto 5.2.5 answers to describe_job_definitions for a registered request: volumes, mountPoints, ulimits and
# secrets as sent or empty, environment, secrets and resourceRequirements in the order sent (reversed here, since that
# order must not matter), evaluateOnExit actions lowercased.
def moto_answer(request, revision=1):
    container = copy.deepcopy(request["containerProperties"])
    for field in ("volumes", "mountPoints", "ulimits", "secrets"):
        container[field] = list(reversed(container.get(field, [])))
    container.setdefault("environment", [])
    container["environment"] = list(reversed(container["environment"]))
    container["resourceRequirements"] = [{"value": item["value"], "type": item["type"]}
                                         for item in reversed(container["resourceRequirements"])]
    retry = copy.deepcopy(request["retryStrategy"])
    for rule in retry.get("evaluateOnExit", []):
        rule["action"] = rule["action"].lower()
    answer = {
        "jobDefinitionName": request["jobDefinitionName"],
        "jobDefinitionArn": f"arn:aws:batch:eu-west-1:123456789012:job-definition/"
                            f"{request['jobDefinitionName']}:{revision}",
        "revision": revision,
        "status": "ACTIVE",
        "type": "container",
        "parameters": request.get("parameters", {}),
        "retryStrategy": retry,
        "containerProperties": container,
        "tags": request.get("tags", {}),
        "platformCapabilities": request["platformCapabilities"],
    }
    if request.get("propagateTags"):
        answer["propagateTags"] = True
    if "timeout" in request:
        answer["timeout"] = request["timeout"]
    return answer


# What real Batch adds: containerOrchestrationType, legacy fields, an empty evaluateOnExit left out, booleans left out
# when false, a whole vCPU count written as "1.0".
def aws_answer(request, revision=1):
    answer = moto_answer(request, revision)
    answer["containerOrchestrationType"] = "ECS"
    for field in ("parameters", "tags"):
        if not request.get(field):
            del answer[field]
    container = answer["containerProperties"]
    for field in ("readonlyRootFilesystem", "privileged"):
        if not container.get(field):
            container.pop(field, None)
    if "linuxParameters" in container:
        container["linuxParameters"].update(devices=[], tmpfs=[])
    for volume in container["volumes"]:
        volume["efsVolumeConfiguration"].setdefault("authorizationConfig", {"iam": "DISABLED"})
    container["resourceRequirements"] = [
        {"type": item["type"], "value": "1.0" if item["value"] == "1" and item["type"] == "VCPU" else item["value"]}
        for item in container["resourceRequirements"]]
    for rule in answer["retryStrategy"].get("evaluateOnExit", []):
        rule["action"] = rule["action"].upper()
    return answer


CONFIGS = [
    pytest.param({"name": "a1"}, id="defaults"),
    pytest.param({"name": "a1", "command": "python train.py Ref::n", "parameters": {"n": 3}, "gpus": 2,
                  "environment": {"B": "2", "A": "1"}, "job_role_arn": ROLE, "tags": {"k": "v"},
                  "propagate_tags": True, "timeout_seconds": 600, "retry_attempts": 3,
                  "retry_on_exit": [{"on_exit_code": "137", "action": "RETRY"}, {"on_reason": "*", "action": "exit"}],
                  "log_options": {"awslogs-group": "g"}, "user": "nobody", "readonly_root_filesystem": True},
                 id="ec2-everything"),
    pytest.param({**FARGATE, "fargate": {"assign_public_ip": "ENABLED"}}, id="fargate"),
]


@pytest.mark.parametrize("shape", [moto_answer, aws_answer], ids=["moto", "aws"])
@pytest.mark.parametrize("config", CONFIGS)
def test_described_revision_compares_equal_to_its_request(config, shape):
    request = normalize_job_definition(config, IMAGE)
    assert comparable(shape(request)) == comparable(request)
    assert changed_fields(shape(request), request) == []


def test_the_field_table_covers_every_setting():
    """Each setting a job definition takes (the Fargate ones one by one) has its row in FIELD_CHANGES."""
    settings = {key for key in JOB_DEFINITION_KEYS if key not in ("name", "fargate")}
    settings |= {f"fargate.{key}" for key in FARGATE_KEYS}
    assert sorted(row[0] for row in FIELD_CHANGES) == sorted(settings)


@pytest.mark.parametrize(("base", "change", "fields"), [pytest.param(base, change, fields, id=setting)
                                                        for setting, base, change, fields in FIELD_CHANGES])
@pytest.mark.parametrize("shape", [moto_answer, aws_answer], ids=["moto", "aws"])
def test_each_setting_changed_alone_differs_in_its_field_only(base, change, fields, shape):
    current = shape(normalize_job_definition({"name": "a1", **base}, IMAGE))
    assert changed_fields(current, normalize_job_definition({"name": "a1", **base}, IMAGE)) == []
    desired = normalize_job_definition({"name": "a1", **base, **change}, IMAGE)
    assert comparable(current) != comparable(desired)
    assert changed_fields(current, desired) == fields
    assert changed_fields(shape(desired), desired) == []


def test_a_changed_image_compares_unequal():
    current = moto_answer(normalize_job_definition({"name": "a1"}, IMAGE))
    assert changed_fields(current, normalize_job_definition({"name": "a1"}, IMAGE + "-2")) == \
        ["containerProperties.image"]


def test_the_order_of_retry_rules_matters():
    rules = [{"on_exit_code": "1", "action": "RETRY"}, {"on_reason": "*", "action": "EXIT"}]
    first = normalize_job_definition({"name": "a1", "retry_on_exit": rules}, IMAGE)
    second = normalize_job_definition({"name": "a1", "retry_on_exit": rules[::-1]}, IMAGE)
    assert comparable(first) != comparable(second)


def test_comparable_drops_what_the_user_cannot_set():
    answer = moto_answer(normalize_job_definition({"name": "a1"}, IMAGE))
    answer["containerProperties"].update(vcpus=1, memory=2048, linuxParameters={"initProcessEnabled": True},
                                         ulimits=[{"name": "nofile"}])
    result = comparable(answer)
    assert set(result) == {"jobDefinitionName", "type", "parameters", "platformCapabilities", "containerProperties",
                           "retryStrategy", "timeout", "tags", "propagateTags"}
    for field in ("vcpus", "memory", "ulimits"):
        assert field not in result["containerProperties"]
    assert result["containerProperties"]["linuxParameters"] == {"sharedMemorySize": None}


@pytest.mark.parametrize("empty", [None, {}])
def test_comparable_of_nothing_is_empty(empty):
    assert comparable(empty) == {}


@pytest.mark.parametrize(("current", "desired", "before_empty", "after_empty"), [
    pytest.param(None, {"name": "a1"}, True, False, id="create"),
    pytest.param({"name": "a1"}, {"name": "a1", "memory": 4096}, False, False, id="update"),
    pytest.param({"name": "a1"}, None, False, True, id="remove"),
])
def test_diff(current, desired, before_empty, after_empty):
    current_request = normalize_job_definition(current, IMAGE) if current else None
    desired_request = normalize_job_definition(desired, IMAGE) if desired else None
    diff = diff_job_definition(moto_answer(current_request) if current_request else None, desired_request)
    assert set(diff) == {"before", "after"}
    assert (diff["before"] == {}) is before_empty
    assert (diff["after"] == {}) is after_empty
    if not before_empty:
        assert diff["before"] == comparable(current_request)
    if not after_empty:
        assert diff["after"] == comparable(desired_request)


def test_diff_shows_the_changed_memory():
    diff = diff_job_definition(moto_answer(normalize_job_definition({"name": "a1"}, IMAGE)),
                               normalize_job_definition({"name": "a1", "memory": 4096}, IMAGE))
    assert {"type": "MEMORY", "value": "2048"} in diff["before"]["containerProperties"]["resourceRequirements"]
    assert {"type": "MEMORY", "value": "4096"} in diff["after"]["containerProperties"]["resourceRequirements"]


def test_absurd_sizes_are_refused():
    with pytest.raises(ValueError, match="memory 99999999999999999999 is more than any instance"):
        normalize_job_definition({"name": "big1", "memory": 99999999999999999999}, IMAGE)


def test_comparable_form_of_a_described_revision():
    # What AWS answers, loosely typed and cased: the comparable form is canonical text, sorted where order does not
    # matter, with AWS's defaults filled in and the fields no BatchConfig.yml sets left out.
    answer = {
        "jobDefinitionName": "iris", "jobDefinitionArn": "arn:aws:batch:eu-west-1:123456789012:job-definition/iris:3",
        "revision": 3, "status": "ACTIVE", "platformCapabilities": ["fargate"], "parameters": {"epochs": 10},
        "containerProperties": {
            "image": IMAGE, "command": ["python", 3], "vcpus": 2, "volumes": [],
            "environment": [{"name": "B", "value": True}, {"name": "A", "value": 1}],
            "resourceRequirements": [{"type": "VCPU", "value": "0.50"}, {"type": "MEMORY", "value": "1024"}],
            "jobRoleArn": ROLE, "executionRoleArn": "", "user": None, "privileged": 1,
            "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": 5}},
            "networkConfiguration": {"assignPublicIp": "enabled"}, "fargatePlatformConfiguration": {},
        },
        "retryStrategy": {"evaluateOnExit": [{"onExitCode": 137, "action": "retry"},
                                             {"onReason": "*", "onStatusReason": "", "action": "exit"}]},
        "timeout": {"attemptDurationSeconds": "600"},
        "tags": {"team": 7},
        "propagateTags": 1,
    }
    assert comparable(answer) == {
        "jobDefinitionName": "iris",
        "type": "container",
        "parameters": {"epochs": "10"},
        "platformCapabilities": ["FARGATE"],
        "containerProperties": {
            "image": IMAGE,
            "command": ["python", "3"],
            "environment": [{"name": "A", "value": "1"}, {"name": "B", "value": "true"}],
            "resourceRequirements": [{"type": "MEMORY", "value": "1024"}, {"type": "VCPU", "value": "0.5"}],
            "secrets": [], "volumes": [], "mountPoints": [], "linuxParameters": {"sharedMemorySize": None},
            "ephemeralStorage": {"sizeInGiB": None},
            "jobRoleArn": ROLE,
            "executionRoleArn": None,
            "user": None,
            "readonlyRootFilesystem": False,
            "privileged": True,
            "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "5"}},
            "networkConfiguration": {"assignPublicIp": "ENABLED"},
            "fargatePlatformConfiguration": {"platformVersion": "LATEST"},
            "runtimePlatform": {"cpuArchitecture": "X86_64", "operatingSystemFamily": "LINUX"},
        },
        "retryStrategy": {"attempts": 1, "evaluateOnExit": [{"onExitCode": "137", "action": "RETRY"},
                                                            {"onReason": "*", "action": "EXIT"}]},
        "timeout": {"attemptDurationSeconds": 600},
        "tags": {"team": "7"},
        "propagateTags": True,
    }


def test_comparable_form_fills_aws_defaults_in():
    assert comparable({"jobDefinitionName": "a1", "containerProperties": {"image": IMAGE}}) == {
        "jobDefinitionName": "a1",
        "type": "container",
        "parameters": {},
        "platformCapabilities": ["EC2"],
        "containerProperties": {
            "image": IMAGE, "command": [], "environment": [], "resourceRequirements": [],
            "secrets": [], "volumes": [], "mountPoints": [], "linuxParameters": {"sharedMemorySize": None},
            "ephemeralStorage": {"sizeInGiB": None},
            "jobRoleArn": None, "executionRoleArn": None, "user": None,
            "readonlyRootFilesystem": False, "privileged": False, "logConfiguration": None,
        },
        "retryStrategy": {"attempts": 1, "evaluateOnExit": []},
        "timeout": None,
        "tags": {},
        "propagateTags": False,
    }


VALID_KEYS = ("name, command, parameters, vcpus, memory, gpus, environment, job_role_arn, execution_role_arn, platform,"
              " fargate, retry_attempts, retry_on_exit, timeout_seconds, log_driver, log_options, tags, propagate_tags,"
              " user, readonly_root_filesystem, privileged, secrets, shared_memory_mb, ephemeral_storage_gb, volumes")
RULE_EXAMPLE = "{on_exit_code: '137', action: RETRY}"


@pytest.mark.parametrize(("config", "sentences"), [
    pytest.param({"name": "a1", "readonly_root_filesystem": "maybe", "privileged": [], "propagate_tags": 2},
                 ["readonly_root_filesystem must be true or false, not 'maybe'.",
                  "privileged must be true or false, not [].", "propagate_tags must be true or false, not 2."],
                 id="booleans"),
    pytest.param({"name": "a1", "retry_attempts": 0},
                 ["retry_attempts must be 1 to 10 (Batch's limits; 1 means no retry), not 0."], id="retry-attempts-0"),
    pytest.param({"name": "a1", "retry_attempts": 11},
                 ["retry_attempts must be 1 to 10 (Batch's limits; 1 means no retry), not 11."],
                 id="retry-attempts-11"),
    pytest.param({"name": "a1", "retry_attempts": "x"}, ["retry_attempts must be a number, not 'x'."],
                 id="retry-attempts-text"),
    pytest.param({"name": "a1", "retry_on_exit": "137"},
                 [f"retry_on_exit must be a list of rules like {RULE_EXAMPLE}."], id="retry-not-a-list"),
    pytest.param({"name": "a1", "retry_on_exit": [{"on_exit_code": "1", "action": "RETRY"}] * 6},
                 ["retry_on_exit has 6 rules; Batch takes at most 5: merge some."], id="retry-six-rules"),
    pytest.param({"name": "a1", "retry_on_exit": ["137", {"on_exit_code": "x1", "on_reason": "r" * 513,
                                                          "on_status_reason": "s" * 513, "actoin": "RETRY"}]},
                 [f"retry_on_exit[0] must be a mapping like {RULE_EXAMPLE}.",
                  "Unknown key 'actoin' in retry_on_exit[1]: did you mean 'action'?",
                  "retry_on_exit[1].action must be RETRY or EXIT, not None.",
                  "retry_on_exit[1].on_exit_code must be digits, optionally ending with * (like '137' or '1*'),"
                  " not 'x1'.",
                  "retry_on_exit[1].on_reason is longer than Batch's 512 characters: shorten it.",
                  "retry_on_exit[1].on_status_reason is longer than Batch's 512 characters: shorten it."],
                 id="retry-bad-rules"),
    pytest.param({"name": "a1", "retry_on_exit": [{"on_reason": "OutOfMemoryError*", "on_status_reason": "Host EC2*",
                                                   "action": "EXIT"},
                                                  {"on_reason": "Out*Memory", "on_status_reason": "task_failed!",
                                                   "action": "RETRY"},
                                                  {"on_reason": "*Error", "on_status_reason": "Essential (exit)\n",
                                                   "action": "RETRY"}]},
                 ["retry_on_exit[1].on_reason may hold only letters, digits, '.', ':' and spaces, optionally ending"
                  " with * (like 'Host EC2*' or 'CannotPullContainerError:*'), not 'Out*Memory'.",
                  "retry_on_exit[1].on_status_reason may hold only letters, digits, '.', ':' and spaces, optionally"
                  " ending with * (like 'Host EC2*' or 'CannotPullContainerError:*'), not 'task_failed!'.",
                  "retry_on_exit[2].on_reason may hold only letters, digits, '.', ':' and spaces, optionally ending"
                  " with * (like 'Host EC2*' or 'CannotPullContainerError:*'), not '*Error'.",
                  "retry_on_exit[2].on_status_reason may hold only letters, digits, '.', ':' and spaces, optionally"
                  " ending with * (like 'Host EC2*' or 'CannotPullContainerError:*'), not 'Essential (exit)\\n'."],
                 id="retry-reason-text"),
    pytest.param({"name": "a1", "retry_on_exit": [{"on_exit_code": "1", "action": "again"}]},
                 ["retry_on_exit[0].action must be RETRY or EXIT, not 'again'."], id="retry-bad-action"),
    pytest.param({**FARGATE, "fargate": {"assign_public_ip": "yes", "platform_version": "1.4", "subnets": []}},
                 ["Unknown key 'subnets' in fargate: valid keys are assign_public_ip, platform_version,"
                  " cpu_architecture.",
                  "fargate.assign_public_ip must be ENABLED or DISABLED, not 'yes'.",
                  "fargate.platform_version must be LATEST or a version like 1.4.0, not '1.4'."],
                 id="fargate-settings"),
    pytest.param({"name": "a1", "fargate": "ENABLED"},
                 ["fargate must be a mapping (assign_public_ip, platform_version, cpu_architecture), not str."],
                 id="fargate-not-mapping"),
    pytest.param({"name": "a1", "fargate": {"assign_public_ip": "ENABLED"}},
                 ["fargate settings apply to platform: FARGATE only: remove them or set platform: FARGATE."],
                 id="fargate-on-ec2"),
    pytest.param({"name": "a1", "log_driver": "awslog", "log_options": {"awslogs-group": ["g"]}},
                 ["log_driver 'awslog' is not available on EC2 (did you mean 'awslogs'?): use one of awsfirelens,"
                  " awslogs, fluentd, gelf, journald, json-file, splunk, syslog.",
                  "log_options.awslogs-group must be a single value (string, number or boolean), not list."],
                 id="log-driver"),
    pytest.param({"name": "a1", "log_driver": "nothing-alike"},
                 ["log_driver 'nothing-alike' is not available on EC2: use one of awsfirelens, awslogs, fluentd, gelf,"
                  " journald, json-file, splunk, syslog."], id="log-driver-no-guess"),
    pytest.param({**FARGATE, "log_driver": "syslog", "privileged": True, "gpus": 1},
                 ["gpus: Fargate has no GPUs; set platform: EC2 (with a GPU compute environment) or gpus: 0.",
                  "privileged is not available on Fargate: remove it or set platform: EC2.",
                  "log_driver 'syslog' is not available on FARGATE (did you mean 'awslogs'?): use one of awsfirelens,"
                  " awslogs, splunk."], id="fargate-ec2-only-settings"),
    pytest.param({"name": "a1", "tags": {"aws:team": "x", "k" * 129: "v", "long": "v" * 257}},
                 ["tags.aws:team: tag keys starting with 'aws:' are reserved by AWS; rename it.",
                  f"tags.{'k' * 129}: tag keys are 1 to 128 characters long.",
                  "tags.long: tag values are at most 256 characters long."], id="tags"),
    pytest.param({"name": "a1", "tags": {f"t{i}": i for i in range(51)}},
                 ["tags has 51 entries; AWS allows 50: drop some."], id="too-many-tags"),
    pytest.param({"name": "a1", "vcpus": True, "memory": "lots", "gpus": -1, "timeout_seconds": 59.5},
                 ["vcpus must be a number, not True.", "memory must be a number, not 'lots'.",
                  "gpus must be a positive number, not -1.", "timeout_seconds must be a whole number, not 59.5."],
                 id="numbers"),
    pytest.param({"name": "a1", "memory": 2048.5}, ["memory must be a whole number of MiB, not 2048.5."],
                 id="memory-fraction"),
    pytest.param({"name": "a1", "vcpus": 0.5, "memory": 3, "timeout_seconds": 59},
                 ["vcpus 0.5 is not possible on EC2: give a whole number of 1 or more (fractions of a vCPU need"
                  " platform: FARGATE).", "memory 3 MiB is below Batch's minimum of 4 MiB on EC2: give more.",
                  "timeout_seconds must be at least 60 (Batch's minimum), not 59."], id="ec2-sizes"),
    pytest.param({"name": "a1", "vcpus": 1.5}, ["vcpus 1.5 is not possible on EC2: give a whole number of 1 or more"
                                               " (fractions of a vCPU need platform: FARGATE)."], id="ec2-fraction"),
    pytest.param({"name": "a1", "platform": "FARGATE", "vcpus": 3, "memory": 512},
                 ["vcpus 3 is not a Fargate size: use one of 0.25, 0.5, 1, 2, 4, 8, 16.",
                  "execution_role_arn is missing: Fargate jobs need a role to pull the image and write logs (usually"
                  " one with the AmazonECSTaskExecutionRolePolicy policy)."], id="fargate-sizes"),
    pytest.param({**FARGATE, "vcpus": 1, "memory": 1024},
                 ["memory 1024 MiB does not fit 1 vCPU on Fargate: with 1 vCPU Fargate allows 2048 to 8192 MiB in"
                  " steps of 1024."], id="fargate-memory"),
    pytest.param({**FARGATE, "memory": 4096},
                 ["memory 4096 MiB does not fit 0.25 vCPU on Fargate: with 0.25 vCPU Fargate allows 512, 1024 or 2048"
                  " MiB."], id="fargate-memory-few-choices"),
    pytest.param({"name": "My Job!", "platform": "arm", "job_role_arn": "iris-job", "user": 1.5,
                  "environment": {"AWS_BATCH_X": 1, "ok": {"a": 1}}, "parameters": ["n"], "memroy": 1, "zzz": 1},
                 ["Unknown key 'memroy' in the job definition: did you mean 'memory'?",
                  f"Unknown key 'zzz' in the job definition: valid keys are {VALID_KEYS}.",
                  "name 'My Job!' is not a valid Batch name: use 2 to 128 letters, digits, '-' and '_', starting with a"
                  " letter or digit (for example 'My-Job').",
                  "platform must be EC2 or FARGATE, not 'arm'.",
                  "environment.ok must be a single value (string, number or boolean), not dict.",
                  "environment.AWS_BATCH_X: names starting with AWS_BATCH are reserved by Batch; rename it.",
                  "job_role_arn 'iris-job' is not an IAM role ARN: give one like arn:aws:iam::123456789012:role/my-role"
                  " (12-digit account, then role/ and the role's name).",
                  "user must be a user name or uid, not 1.5.",
                  "parameters must be a mapping of names to values (NAME: value), not list."], id="names"),
    pytest.param({"image": "x"}, [f"Unknown key 'image' in the job definition: valid keys are {VALID_KEYS}.",
                                  "name is missing: give the job definition a name like 'iris-train'."], id="no-name"),
])
def test_every_problem_is_one_sentence_naming_the_key(config, sentences):
    with pytest.raises(ValueError) as raised:
        normalize_job_definition(config, IMAGE)
    assert str(raised.value).split("\n") == sentences


def _memory(request):
    return {r["type"]: r["value"] for r in request["containerProperties"]["resourceRequirements"]}["MEMORY"]


@pytest.mark.parametrize("config, read, expected", [
    pytest.param({"retry_attempts": 1}, lambda r: r["retryStrategy"]["attempts"], 1, id="one-attempt"),
    pytest.param({"retry_attempts": 10}, lambda r: r["retryStrategy"]["attempts"], 10, id="ten-attempts"),
    pytest.param({"retry_on_exit": [{"on_exit_code": "1", "action": "retry"}] * 5},
                 lambda r: r["retryStrategy"]["evaluateOnExit"], [{"onExitCode": "1", "action": "RETRY"}] * 5,
                 id="five-rules"),
    pytest.param({"retry_on_exit": [{"on_reason": "r" * 512, "on_status_reason": "s" * 512, "action": "EXIT"}]},
                 lambda r: r["retryStrategy"]["evaluateOnExit"],
                 [{"onReason": "r" * 512, "onStatusReason": "s" * 512, "action": "EXIT"}], id="512-characters"),
    pytest.param({"retry_on_exit": [{"on_reason": "CannotPullContainerError: pull image manifest*",
                                     "on_status_reason": "Task failed to start\tv1.4.0 at 12:00*", "action": "RETRY"},
                                    {"on_reason": "*", "on_status_reason": "*", "action": "EXIT"}]},
                 lambda r: [rule["onReason"] for rule in r["retryStrategy"]["evaluateOnExit"]],
                 ["CannotPullContainerError: pull image manifest*", "*"], id="reason-characters"),
    pytest.param({"tags": {f"t{i}": "v" * 256 for i in range(49)} | {"k" * 128: "v"}},
                 lambda r: (len(r["tags"]), r["tags"]["k" * 128], r["tags"]["t0"]), (50, "v", "v" * 256),
                 id="tags-at-the-limits"),
    pytest.param({"timeout_seconds": 60}, lambda r: r["timeout"], {"attemptDurationSeconds": 60},
                 id="shortest-timeout"),
    pytest.param({"memory": 4}, _memory, "4", id="smallest-memory"),
])
def test_settings_at_batchs_limits_are_accepted_as_given(config, read, expected):
    request = normalize_job_definition({"name": "a1", **config}, IMAGE)
    assert request["jobDefinitionName"] == "a1" and read(request) == expected


def test_tags_at_the_limit_are_fifty_at_most():
    with pytest.raises(ValueError, match="tags has 51 entries"):
        normalize_job_definition({"name": "a1", "tags": {f"t{i}": "v" for i in range(51)}}, IMAGE)
    assert len(normalize_job_definition({"name": "a1", "tags": {f"t{i}": "v" for i in range(50)}}, IMAGE)["tags"]) == 50


@pytest.mark.parametrize("word", ["true", "Yes", "ON", "1", True])
def test_yes_words_set_a_flag(word):
    request = normalize_job_definition({"name": "a1", "readonly_root_filesystem": word, "privileged": word,
                                        "propagate_tags": word}, IMAGE)
    assert request["containerProperties"]["readonlyRootFilesystem"] is True
    assert request["containerProperties"]["privileged"] is True
    assert request["propagateTags"] is True


@pytest.mark.parametrize("word", ["false", "No", "OFF", "0", "", "None", None, False])
def test_no_words_leave_a_flag_off(word):
    request = normalize_job_definition({"name": "a1", "readonly_root_filesystem": word, "privileged": word,
                                        "propagate_tags": word}, IMAGE)
    assert request["containerProperties"]["readonlyRootFilesystem"] is False
    assert request["containerProperties"]["privileged"] is False
    assert request["propagateTags"] is False


def test_retry_rules_map_to_batchs_fields():
    request = normalize_job_definition({"name": "a1", "retry_attempts": "3", "retry_on_exit": [
        {"on_exit_code": 137, "on_reason": "OutOfMemory*", "on_status_reason": "Host EC2*", "action": "retry"},
        {"on_reason": "*", "action": "Exit"}]}, IMAGE)
    assert request["retryStrategy"] == {"attempts": 3, "evaluateOnExit": [
        {"onExitCode": "137", "onReason": "OutOfMemory*", "onStatusReason": "Host EC2*", "action": "RETRY"},
        {"onReason": "*", "action": "EXIT"}]}


def test_fargate_settings_map_to_batchs_fields():
    request = normalize_job_definition({**FARGATE, "fargate": {"assign_public_ip": True, "platform_version": "latest"}},
                                       IMAGE)
    assert request["containerProperties"]["networkConfiguration"] == {"assignPublicIp": "ENABLED"}
    assert request["containerProperties"]["fargatePlatformConfiguration"] == {"platformVersion": "LATEST"}
    request = normalize_job_definition({**FARGATE, "fargate": {"assign_public_ip": False, "platform_version": "1.4.0"}},
                                       IMAGE)
    assert request["containerProperties"]["networkConfiguration"] == {"assignPublicIp": "DISABLED"}
    assert request["containerProperties"]["fargatePlatformConfiguration"] == {"platformVersion": "1.4.0"}


def test_comparable_form_of_a_fargate_revision_with_batchs_defaults_left_out():
    answer = {"jobDefinitionName": "a1", "type": "multinode", "platformCapabilities": ["FARGATE"],
              "containerProperties": {"image": IMAGE, "fargatePlatformConfiguration": {"platformVersion": "1.4.0"}},
              "retryStrategy": {"attempts": 2, "evaluateOnExit": [{"onStatusReason": "Host*", "action": "exit"},
                                                                  {"onExitCode": "1"}]}}
    result = comparable(answer)
    assert result["type"] == "multinode"
    assert result["containerProperties"]["networkConfiguration"] == {"assignPublicIp": "DISABLED"}
    assert result["containerProperties"]["fargatePlatformConfiguration"] == {"platformVersion": "1.4.0"}
    assert result["retryStrategy"] == {"attempts": 2, "evaluateOnExit": [
        {"onStatusReason": "Host*", "action": "EXIT"}, {"onExitCode": "1", "action": ""}]}


def test_changed_fields_of_a_new_definition_and_of_parameters():
    request = normalize_job_definition({"name": "a1", "parameters": {"n": 1}}, IMAGE)
    # Every field a new definition sets (no timeout: none on either side).
    assert changed_fields(None, request) == ["containerProperties", "jobDefinitionName", "parameters",
                                             "platformCapabilities", "propagateTags", "retryStrategy", "tags",
                                             "type"]
    changed = normalize_job_definition({"name": "a1", "parameters": {"n": 2, "m": 1}}, IMAGE)
    assert changed_fields(request, changed) == ["parameters"]


@pytest.mark.parametrize(("config", "image", "sentences"), [
    pytest.param(["name"], IMAGE, ["The job definition must be a mapping of settings (name, command, vcpus, memory,"
                                   " ...), not list."], id="not-a-mapping"),
    pytest.param({"name": "a1"}, " ", ["image is empty: give the image URI the jobs run, like"
                                       " 123456789012.dkr.ecr.eu-west-1.amazonaws.com/iris:1.0."], id="no-image"),
    pytest.param({"name": "a1"}, None, ["image is empty: give the image URI the jobs run, like"
                                        " 123456789012.dkr.ecr.eu-west-1.amazonaws.com/iris:1.0."], id="image-none"),
    pytest.param({"name": "X!"}, IMAGE, ["name 'X!' is not a valid Batch name: use 2 to 128 letters, digits, '-' and"
                                         " '_', starting with a letter or digit (for example 'X')."], id="short-name"),
    pytest.param({"name": "!!"}, IMAGE, ["name '!!' is not a valid Batch name: use 2 to 128 letters, digits, '-' and"
                                         " '_', starting with a letter or digit (for example 'my-job')."],
                 id="no-name-left"),
    pytest.param({"name": "a" * 130}, IMAGE, [f"name '{'a' * 130}' is not a valid Batch name: use 2 to 128 letters,"
                                              " digits, '-' and '_', starting with a letter or digit (for example"
                                              f" '{'a' * 128}')."], id="long-name"),
    pytest.param({**FARGATE, "execution_role_arn": "ecsTaskExecutionRole"}, IMAGE,
                 ["execution_role_arn 'ecsTaskExecutionRole' is not an IAM role ARN: give one like"
                  " arn:aws:iam::123456789012:role/my-role (12-digit account, then role/ and the role's name)."],
                 id="fargate-bad-execution-role"),
    pytest.param({"name": "a1", "tags": ["a"], "parameters": {"a": [1], "b": {"c": 1}}}, IMAGE,
                 ["parameters.a must be a single value (string, number or boolean), not list.",
                  "parameters.b must be a single value (string, number or boolean), not dict.",
                  "tags must be a mapping of names to values (NAME: value), not list."], id="maps"),
    pytest.param({"name": "a1", "vcpus": 449, "gpus": 17}, IMAGE,
                 ["vcpus 449 is more than any instance Batch can launch has (448 vCPUs): a job asking for it would wait"
                  " forever. Give less.",
                  "gpus 17 is more than any instance Batch can launch has (16 GPUs): a job asking for it would wait"
                  " forever. Give less."], id="above-any-instance"),
    pytest.param({**FARGATE, "vcpus": 0.5, "memory": 512}, IMAGE,
                 ["memory 512 MiB does not fit 0.5 vCPU on Fargate: with 0.5 vCPU Fargate allows 1024 to 4096 MiB in"
                  " steps of 1024."], id="fargate-four-choices"),
])
def test_more_problems_in_full(config, image, sentences):
    with pytest.raises(ValueError) as raised:
        normalize_job_definition(config, image)
    assert str(raised.value).split("\n") == sentences


def test_image_and_unset_log_driver_are_tidied():
    request = normalize_job_definition({"name": "a1", "log_driver": None}, f" {IMAGE} ")
    assert request["containerProperties"]["image"] == IMAGE
    assert request["containerProperties"]["logConfiguration"] == {"logDriver": "awslogs", "options": {}}


def test_comparable_resources_in_batchs_spelling():
    answer = {"containerProperties": {"resourceRequirements": [
        {"type": "memory", "value": "1024.0"}, {"type": "GPU", "value": "0"}, {"type": "VCPU", "value": "lots"}]}}
    assert comparable(answer)["containerProperties"]["resourceRequirements"] == [
        {"type": "MEMORY", "value": "1024"}, {"type": "VCPU", "value": "lots"}]


SECRET = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-password-AbCdEf"
PARAMETER = "arn:aws:ssm:eu-west-1:123456789012:parameter/iris/api-token"
FILE_SYSTEM = "fs-0123456789abcdef0"
ACCESS_POINT = "fsap-0123456789abcdef0"


def test_container_settings_map_to_batchs_fields():
    request = normalize_job_definition({
        "name": "a1", "execution_role_arn": EXEC_ROLE, "environment": {"LOG_LEVEL": "info"},
        "secrets": {"DB_PASSWORD": SECRET, "API_TOKEN": PARAMETER}, "shared_memory_mb": "2048",
        "volumes": [{"name": "data", "container_path": "/data", "read_only": True,
                     "efs": {"file_system_id": FILE_SYSTEM, "root_directory": "/datasets"}},
                    {"name": "models", "container_path": "/models",
                     "efs": {"file_system_id": FILE_SYSTEM, "transit_encryption": True, "transit_encryption_port": 2049,
                             "access_point_id": ACCESS_POINT, "iam": "enabled"}}]}, IMAGE)
    container = request["containerProperties"]
    assert container["secrets"] == [{"name": "API_TOKEN", "valueFrom": PARAMETER},
                                    {"name": "DB_PASSWORD", "valueFrom": SECRET}]
    assert container["environment"] == [{"name": "LOG_LEVEL", "value": "info"}]
    assert container["linuxParameters"] == {"sharedMemorySize": 2048}
    assert container["volumes"] == [
        {"name": "data", "efsVolumeConfiguration": {"fileSystemId": FILE_SYSTEM, "rootDirectory": "/datasets"}},
        {"name": "models", "efsVolumeConfiguration": {
            "fileSystemId": FILE_SYSTEM, "transitEncryption": "ENABLED", "transitEncryptionPort": 2049,
            "authorizationConfig": {"accessPointId": ACCESS_POINT, "iam": "ENABLED"}}}]
    assert container["mountPoints"] == [{"sourceVolume": "data", "containerPath": "/data", "readOnly": True},
                                        {"sourceVolume": "models", "containerPath": "/models", "readOnly": False}]
    assert "ephemeralStorage" not in container and "runtimePlatform" not in container


def test_fargate_container_settings_map_to_batchs_fields():
    request = normalize_job_definition({**FARGATE, "ephemeral_storage_gb": 200,
                                        "fargate": {"cpu_architecture": "arm64"}}, IMAGE)
    container = request["containerProperties"]
    assert container["ephemeralStorage"] == {"sizeInGiB": 200}
    assert container["runtimePlatform"] == {"cpuArchitecture": "ARM64", "operatingSystemFamily": "LINUX"}
    assert "linuxParameters" not in container
    assert normalize_job_definition(FARGATE, IMAGE)["containerProperties"]["runtimePlatform"] == {
        "cpuArchitecture": "X86_64", "operatingSystemFamily": "LINUX"}


@pytest.mark.parametrize("arn", [
    SECRET, PARAMETER, f"{SECRET}:password::", f"{SECRET}:password:AWSCURRENT:",
    "arn:aws-us-gov:secretsmanager:us-gov-west-1:123456789012:secret:x",
    "arn:aws:ssm:eu-west-1:123456789012:parameter/name",
])
def test_secret_arns_batch_takes(arn):
    request = normalize_job_definition({"name": "a1", "execution_role_arn": EXEC_ROLE, "secrets": {"X": arn}}, IMAGE)
    assert request["containerProperties"]["secrets"] == [{"name": "X", "valueFrom": arn}]


def test_the_request_holds_secret_arns_and_no_values():
    request = normalize_job_definition({"name": "a1", "execution_role_arn": EXEC_ROLE,
                                        "secrets": {"DB_PASSWORD": SECRET}}, IMAGE)
    assert request["containerProperties"]["secrets"] == [{"name": "DB_PASSWORD", "valueFrom": SECRET}]
    assert "environment" not in request["containerProperties"]
    assert set(request["containerProperties"]["secrets"][0]) == {"name", "valueFrom"}


def test_a_secret_value_given_by_mistake_is_not_repeated():
    with pytest.raises(ValueError) as raised:
        normalize_job_definition({"name": "a1", "execution_role_arn": EXEC_ROLE,
                                  "secrets": {"DB_PASSWORD": "hunter2-s3cr3t"}}, IMAGE)
    assert "secrets.DB_PASSWORD is not the ARN" in str(raised.value)
    assert "hunter2" not in str(raised.value)


@pytest.mark.parametrize(("config", "sentences"), [
    pytest.param({"name": "a1", "secrets": ["DB_PASSWORD"]},
                 ["secrets must be a mapping of environment variable names to Secrets Manager or SSM Parameter Store"
                  " ARNs (NAME: arn:...), not list."], id="secrets-not-mapping"),
    pytest.param({"name": "a1", "execution_role_arn": EXEC_ROLE, "environment": {"TOKEN": "x"},
                  "secrets": {"db-password": SECRET, "1X": SECRET, "AWS_BATCH_X": SECRET, "TOKEN": PARAMETER}},
                 ["secrets.1X: '1X' is not an environment variable name: use letters, digits and '_', not starting"
                  " with a digit (for example 'X').",
                  "secrets.AWS_BATCH_X: names starting with AWS_BATCH are reserved by Batch; rename it.",
                  "secrets.TOKEN is also in environment: keep it in one of the two.",
                  "secrets.db-password: 'db-password' is not an environment variable name: use letters, digits and"
                  " '_', not starting with a digit (for example 'db_password')."], id="secret-names"),
    pytest.param({"name": "a1", "execution_role_arn": EXEC_ROLE,
                  "secrets": {"A": "arn:aws:s3:::bucket/key", "B": "db/password", "C": 42,
                              "D": "arn:aws:secretsmanager:eu-west-1:123:secret:x"}},
                 [f"secrets.{name} is not the ARN of a Secrets Manager secret or an SSM Parameter Store parameter"
                  " (the value is not shown, in case it is the secret itself): give one like"
                  " arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-password or"
                  " arn:aws:ssm:eu-west-1:123456789012:parameter/db/password, never the secret's value."
                  for name in "ABCD"], id="secret-arns"),
    pytest.param({"name": "a1", "secrets": {"DB_PASSWORD": SECRET}},
                 ["secrets need execution_role_arn: Batch reads them with the execution role, which must be allowed"
                  " secretsmanager:GetSecretValue or ssm:GetParameters on them (and kms:Decrypt for a customer managed"
                  " key)."], id="secrets-without-execution-role"),
    pytest.param({**FARGATE, "shared_memory_mb": 1024},
                 ["shared_memory_mb is not available on FARGATE (Batch takes it on EC2 only): remove it or set"
                  " platform: EC2."], id="shared-memory-on-fargate"),
    pytest.param({"name": "a1", "shared_memory_mb": 0},
                 ["shared_memory_mb must be 1 or more (MiB of /dev/shm), not 0; remove it to keep Docker's default of"
                  " 64 MiB."], id="shared-memory-zero"),
    pytest.param({"name": "a1", "shared_memory_mb": "1g"}, ["shared_memory_mb must be a number, not '1g'."],
                 id="shared-memory-unit"),
    pytest.param({"name": "a1", "ephemeral_storage_gb": 50},
                 ["ephemeral_storage_gb is not available on EC2 (Batch takes it on FARGATE only): remove it or set"
                  " platform: FARGATE."], id="ephemeral-storage-on-ec2"),
    pytest.param({**FARGATE, "ephemeral_storage_gb": 20},
                 ["ephemeral_storage_gb must be 21 to 200 (GiB, Batch's limits on Fargate; without it Fargate gives"
                  " 20), not 20."], id="ephemeral-storage-20"),
    pytest.param({**FARGATE, "ephemeral_storage_gb": 201},
                 ["ephemeral_storage_gb must be 21 to 200 (GiB, Batch's limits on Fargate; without it Fargate gives"
                  " 20), not 201."], id="ephemeral-storage-201"),
    pytest.param({**FARGATE, "fargate": {"cpu_architecture": "aarch64"}},
                 ["fargate.cpu_architecture must be X86_64 or ARM64 (Graviton) (did you mean ARM64?), not 'aarch64'."],
                 id="cpu-architecture"),
    pytest.param({"name": "a1", "fargate": {"cpu_architecture": "ARM64"}},
                 ["fargate settings apply to platform: FARGATE only: remove them or set platform: FARGATE."],
                 id="cpu-architecture-on-ec2"),
    pytest.param({"name": "a1", "volumes": {"name": "data"}},
                 ["volumes must be a list of volumes like {name: data, efs: {file_system_id: fs-0123456789abcdef0},"
                  " container_path: /data}."], id="volumes-not-list"),
    pytest.param({"name": "a1", "volumes": [{"name": "data", "efs": {"file_system_id": FILE_SYSTEM}}]},
                 ["volumes[0].container_path is missing: give the directory the volume is mounted at in the container,"
                  " like /data."], id="volume-without-mount-point"),
    pytest.param({"name": "a1", "volumes": [{"name": "data", "container_path": "/data"}]},
                 ["volumes[0].efs is missing: give the EFS file system to mount, like"
                  " {file_system_id: fs-0123456789abcdef0}."], id="mount-point-without-volume"),
    pytest.param({"name": "a1", "volumes": [
        {"name": "data", "container_path": "data", "efs": {"file_system_id": FILE_SYSTEM}, "mode": "ro"},
        {"name": "data", "container_path": "/models/", "efs": {"file_system_id": FILE_SYSTEM}},
        {"name": "bad name", "container_path": "/models", "efs": {"file_system_id": FILE_SYSTEM}}]},
                 ["Unknown key 'mode' in volumes[0]: valid keys are name, efs, container_path, read_only.",
                  "volumes[0].container_path must be an absolute path like /data, not 'data'.",
                  "volumes[1].name 'data' is used by another volume: give each volume its own name.",
                  "volumes[2].name must be 1 to 255 letters, digits, '-' and '_' (like 'data'), not 'bad name'.",
                  "volumes[2].container_path '/models' is used by another volume: mount each at its own path."],
                 id="volume-names-and-paths"),
    pytest.param({"name": "a1", "volumes": [{"name": "data", "container_path": "/data", "efs": {
        "file_system_id": "12345678", "root_directory": "datasets", "transit_encryption": "yes",
        "transit_encryption_port": 70000, "iam": "on", "encrypted": True}}]},
                 ["Unknown key 'encrypted' in volumes[0].efs: valid keys are file_system_id, root_directory,"
                  " transit_encryption, transit_encryption_port, access_point_id, iam.",
                  "volumes[0].efs.file_system_id '12345678' is not an EFS file system ID: give one like"
                  " fs-0123456789abcdef0.",
                  "volumes[0].efs.root_directory must be an absolute path in the file system (starting with '/', at"
                  " most 4096 characters), not 'datasets'.",
                  "volumes[0].efs.transit_encryption must be ENABLED or DISABLED, not 'yes'.",
                  "volumes[0].efs.iam must be ENABLED or DISABLED, not 'on'.",
                  "volumes[0].efs.transit_encryption_port must be 0 to 65535, not 70000.",
                  "volumes[0].efs.transit_encryption_port needs transit_encryption: ENABLED; set it or remove the"
                  " port."], id="efs-values"),
    pytest.param({"name": "a1", "volumes": [{"name": "data", "container_path": "/data", "efs": {
        "file_system_id": FILE_SYSTEM, "root_directory": "/datasets", "access_point_id": ACCESS_POINT}}]},
                 ["volumes[0].efs.root_directory must be left out (or '/') with access_point_id: the access point sets"
                  " the directory.",
                  "volumes[0].efs: access_point_id and iam: ENABLED need transit_encryption: ENABLED (Batch refuses"
                  " them without it); set it."], id="efs-access-point"),
    pytest.param({"name": "a1", "volumes": [{"name": "data", "container_path": "/data", "efs": {
        "file_system_id": FILE_SYSTEM, "iam": "ENABLED", "access_point_id": "ap-1"}}]},
                 ["volumes[0].efs.access_point_id 'ap-1' is not an EFS access point ID: give one like"
                  " fsap-0123456789abcdef0.",
                  "volumes[0].efs: access_point_id and iam: ENABLED need transit_encryption: ENABLED (Batch refuses"
                  " them without it); set it."], id="efs-iam"),
    pytest.param({**FARGATE, "fargate": {"platform_version": "1.3.0"}, "volumes": [
        {"name": "data", "container_path": "/data", "efs": {"file_system_id": FILE_SYSTEM}}]},
                 ["volumes: Fargate mounts EFS from platform version 1.4.0 on, not 1.3.0: set fargate.platform_version"
                  " to LATEST or 1.4.0."], id="efs-old-fargate"),
])
def test_container_settings_refused_with_the_key_and_the_fix(config, sentences):
    with pytest.raises(ValueError) as raised:
        normalize_job_definition(config, IMAGE)
    assert str(raised.value).split("\n") == sentences


def test_comparable_form_of_volumes_fills_batchs_efs_defaults_in():
    answer = {"jobDefinitionName": "a1", "containerProperties": {
        "image": IMAGE,
        "volumes": [{"name": "b", "efsVolumeConfiguration": {"fileSystemId": FILE_SYSTEM}},
                    {"name": "a", "efsVolumeConfiguration": {"fileSystemId": FILE_SYSTEM, "rootDirectory": "/x",
                                                             "transitEncryption": "enabled",
                                                             "transitEncryptionPort": "2049",
                                                             "authorizationConfig": {"iam": "ENABLED"}}}],
        "mountPoints": [{"sourceVolume": "b", "containerPath": "/b"},
                        {"sourceVolume": "a", "containerPath": "/a", "readOnly": True}],
        "linuxParameters": {"sharedMemorySize": "512", "devices": []}}}
    properties = comparable(answer)["containerProperties"]
    assert properties["volumes"] == [
        {"name": "a", "efsVolumeConfiguration": {
            "fileSystemId": FILE_SYSTEM, "rootDirectory": "/x", "transitEncryption": "ENABLED",
            "transitEncryptionPort": 2049, "authorizationConfig": {"accessPointId": None, "iam": "ENABLED"}}},
        {"name": "b", "efsVolumeConfiguration": {
            "fileSystemId": FILE_SYSTEM, "rootDirectory": "/", "transitEncryption": "DISABLED",
            "transitEncryptionPort": None, "authorizationConfig": {"accessPointId": None, "iam": "DISABLED"}}}]
    assert properties["mountPoints"] == [{"sourceVolume": "a", "containerPath": "/a", "readOnly": True},
                                         {"sourceVolume": "b", "containerPath": "/b", "readOnly": False}]
    assert properties["linuxParameters"] == {"sharedMemorySize": 512}


def test_an_explicit_x86_64_compares_equal_to_the_default():
    unset = normalize_job_definition(FARGATE, IMAGE)
    explicit = normalize_job_definition({**FARGATE, "fargate": {"cpu_architecture": "X86_64"}}, IMAGE)
    described = aws_answer(unset)
    del described["containerProperties"]["runtimePlatform"]
    assert changed_fields(described, explicit) == []


def example_job_definition():
    """The job definition section of examples/BatchConfig.yml with its commented keys uncommented."""
    text = (Path(__file__).parents[4] / "examples" / "BatchConfig.yml").read_text()
    section = text.split("\njob_definition:\n", 1)[1].split("\n# ---", 1)[0]
    # A commented key is '# key:' (nested: indented, any case) or '# - item'; prose starts with a capital word.
    lines = [re.sub(r"^  # ((?: +[A-Za-z_]+|[a-z_]+):| *- )", r"  \1", line) for line in section.splitlines()]
    return yaml.safe_load("\n".join(lines))


def test_the_example_batch_config_documents_every_key_and_its_commented_keys_are_valid():
    config = example_job_definition()
    assert set(config) == set(JOB_DEFINITION_KEYS)
    assert set(config["fargate"]) == set(FARGATE_KEYS)
    assert set(config["volumes"][0]) == set(VOLUME_KEYS) and set(config["volumes"][0]["efs"]) <= set(EFS_KEYS)
    ec2 = {key: value for key, value in config.items() if key not in ("fargate", "ephemeral_storage_gb")}
    assert normalize_job_definition(ec2, IMAGE)["containerProperties"]["secrets"]
    fargate = {key: value for key, value in config.items() if key not in ("shared_memory_mb", "privileged")}
    request = normalize_job_definition({**fargate, "platform": "FARGATE"}, IMAGE)
    assert request["containerProperties"]["volumes"][0]["efsVolumeConfiguration"]["fileSystemId"]
