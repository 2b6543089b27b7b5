"""The dockwright.toolkit.batch_job_queue module through ansible-playbook against a moto server: check-mode create,
create, unchanged rerun (names compared with the ARNs Batch describes), check-mode update, update, disable and
delete; the outcome is read back through boto3."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from conftest import batch_network

pytestmark = pytest.mark.batch_environment


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


@pytest.fixture(scope="module")
def environments(boto):
    """Two compute environments made with boto3; returns {name: ARN}."""
    name = unique("dw-jqm")
    network = batch_network(boto, name, 44)
    arns = {}
    for suffix in ("a", "b"):
        arns[f"{name}-{suffix}"] = boto("batch").create_compute_environment(
            computeEnvironmentName=f"{name}-{suffix}", type="MANAGED", state="ENABLED",
            serviceRole=network["service_role"],
            computeResources={"type": "EC2", "minvCpus": 0, "maxvCpus": 4, "instanceTypes": ["optimal"],
                              "subnets": [network["subnet"]], "securityGroupIds": [network["security_group"]],
                              "instanceRole": network["instance_profile"]},
        )["computeEnvironmentArn"]
    return arns


def run_module(aws_playbook, tmp_path: Path, args: dict, check_mode: bool = False, fails: bool = False) -> dict:
    """Runs the module once (with --diff) and returns its result."""
    result = tmp_path / f"result-{uuid.uuid4().hex[:6]}.json"
    playbook = tmp_path / "queue.yml"
    playbook.write_text(json.dumps([{"name": "Apply batch_job_queue", "hosts": "localhost", "gather_facts": False,
                                     "tasks": [
        {"name": "Ensure the job queue", "dockwright.toolkit.batch_job_queue": args, "register": "result",
         "check_mode": check_mode, "diff": True, "ignore_errors": fails},
        {"name": "Save the result", "ansible.builtin.copy": {"content": "{{ result | to_json }}",
                                                            "dest": str(result)}, "check_mode": False},
    ]}]))
    aws_playbook(str(playbook), check=True)
    return json.loads(result.read_text())


def describe(boto, name):
    queues = boto("batch").describe_job_queues(jobQueues=[name])["jobQueues"]
    return next((queue for queue in queues if queue["status"] != "DELETED"), None)


def test_queue_lifecycle(aws_playbook, boto, environments, tmp_path):
    (first, first_arn), (second, second_arn) = environments.items()
    name = unique("dw-jq")
    wanted = {"name": name, "priority": 3, "compute_environments": [first]}

    predicted = run_module(aws_playbook, tmp_path, wanted, check_mode=True)
    assert predicted["changed"] and predicted["actions"] == [f"would create job queue {name} (priority 3, {first})"]
    assert predicted["diff"]["before"] == {} and predicted["diff"]["after"]["priority"] == 3
    assert describe(boto, name) is None, "check mode created the queue"

    created = run_module(aws_playbook, tmp_path, wanted)
    assert created["changed"] and created["job_queue"]["status"] == "VALID"
    queue = describe(boto, name)
    assert queue["state"] == "ENABLED" and queue["priority"] == 3
    assert queue["computeEnvironmentOrder"] == [{"order": 1, "computeEnvironment": first_arn}]
    assert created["arn"] == queue["jobQueueArn"]

    for given in ([first], [first_arn]):
        rerun = run_module(aws_playbook, tmp_path, {**wanted, "compute_environments": given})
        assert not rerun["changed"] and rerun["actions"] == [], given

    update = {**wanted, "priority": 7, "compute_environments": [second, first_arn]}
    predicted = run_module(aws_playbook, tmp_path, update, check_mode=True)
    assert predicted["changed"]
    assert predicted["actions"] == [f"would update job queue {name}: priority 3 -> 7, compute environments {first} ->"
                                    f" {second} then {first}"]
    assert describe(boto, name)["priority"] == 3, "check mode updated the queue"

    updated = run_module(aws_playbook, tmp_path, update)
    assert updated["changed"]
    queue = describe(boto, name)
    assert queue["priority"] == 7
    assert [item["computeEnvironment"] for item in sorted(queue["computeEnvironmentOrder"],
                                                          key=lambda item: item["order"])] == [second_arn, first_arn]
    assert not run_module(aws_playbook, tmp_path, update)["changed"]

    disabled = run_module(aws_playbook, tmp_path, {"name": name, "enabled": False})
    assert disabled["changed"] and disabled["actions"] == [f"updated job queue {name}: state ENABLED -> DISABLED"]
    assert describe(boto, name)["state"] == "DISABLED" and describe(boto, name)["priority"] == 7

    predicted = run_module(aws_playbook, tmp_path, {"name": name, "state": "absent"}, check_mode=True)
    assert predicted["changed"] and describe(boto, name) is not None
    assert predicted["actions"] == [f"would delete job queue {name}"]
    deleted = run_module(aws_playbook, tmp_path, {"name": name, "state": "absent"})
    assert deleted["changed"] and deleted["actions"] == [f"deleted job queue {name}"]
    assert describe(boto, name) is None
    again = run_module(aws_playbook, tmp_path, {"name": name, "state": "absent"})
    assert not again["changed"] and again["actions"] == []


@pytest.mark.parametrize("args, fragment", [
    ({"name": "q", "priority": 1, "compute_environments": ["dw-none"]}, "name 'q' is not a valid AWS Batch name"),
    ({"name": "dw-q1", "priority": 2000, "compute_environments": ["dw-none"]}, "priority (2000) must lie between"),
    ({"name": "dw-q1", "priority": 1, "compute_environments": ["dw-no-such-environment"]},
     "Compute environment(s) dw-no-such-environment of job queue dw-q1 do not exist"),
    ({"name": "dw-q2"}, "Job queue dw-q2 does not exist: give priority and compute_environments to create it"),
])
def test_refusals(aws_playbook, tmp_path, args, fragment):
    result = run_module(aws_playbook, tmp_path, args, fails=True)
    assert result.get("failed") and fragment in result["msg"], result
