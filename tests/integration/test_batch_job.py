"""The batch_job role (and its dockwright.toolkit.batch_job module) through ansible-playbook against a moto server,
which runs the jobs as containers on the local Docker engine and files their output in CloudWatch Logs."""

from __future__ import annotations

import json
import time
import uuid
from pathlib import Path

import pytest
from conftest import batch_network, recap

IMAGE = "python:3.11-slim"


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def said(output: str, text: str) -> bool:
    """Whether the run printed the text, however the YAML output wrapped its lines."""
    return " ".join(text.split()) in " ".join(output.replace("\n    ", " ").split())


@pytest.fixture(scope="module")
def queue(engine, boto):
    """A compute environment and job queue made with boto3 (the batch_environment role has its own tests)."""
    name = unique("dw-job")
    network = batch_network(boto, name, 43)
    environment = boto("batch").create_compute_environment(
        computeEnvironmentName=name, type="MANAGED", state="ENABLED", serviceRole=network["service_role"],
        computeResources={"type": "EC2", "minvCpus": 0, "maxvCpus": 4, "instanceTypes": ["optimal"],
                          "subnets": [network["subnet"]], "securityGroupIds": [network["security_group"]],
                          "instanceRole": network["instance_profile"]},
    )["computeEnvironmentArn"]
    boto("batch").create_job_queue(jobQueueName=name, state="ENABLED", priority=1,
                                   computeEnvironmentOrder=[{"order": 1, "computeEnvironment": environment}])
    return name


def job_definition(boto, command: list[str], **properties) -> str:
    """Registers a job definition running the command in python:3.11-slim; returns its name."""
    name = unique("dw-def")
    boto("batch").register_job_definition(
        jobDefinitionName=name, type="container",
        containerProperties={"image": IMAGE, "command": command,
                             "resourceRequirements": [{"type": "VCPU", "value": "1"},
                                                      {"type": "MEMORY", "value": "512"}], **properties},
    )
    return name


def role_playbook(tmp_path: Path) -> str:
    path = tmp_path / "batch_job.yml"
    path.write_text(json.dumps([{"name": "Apply batch_job", "hosts": "localhost", "gather_facts": False,
                                 "roles": [{"role": "batch_job"}]}], indent=2))
    return str(path.resolve())


def jobs_named(boto, queue: str, name: str) -> list[dict]:
    summaries = boto("batch").list_jobs(jobQueue=queue, filters=[{"name": "JOB_NAME", "values": [name]}])
    return summaries["jobSummaryList"]


def test_job_succeeds_and_its_output_is_shown(aws_playbook, boto, queue, tmp_path):
    definition = job_definition(boto, ["python", "-c", "print('hello from batch')"])
    started = time.monotonic()
    run = aws_playbook(role_playbook(tmp_path), extra={"batch_job_queue": queue, "batch_job_definition": definition},
                       check=True)
    seconds = time.monotonic() - started
    print(f"submit run: {seconds:.1f} s in all (ansible-playbook start-up included)")
    assert "hello from batch" in run.output  # the log lines, read back from CloudWatch Logs
    assert said(run.output, "SUCCEEDED, exit code 0")
    assert recap(run.output)["changed"] == 1 and recap(run.output)["failed"] == 0
    [job] = jobs_named(boto, queue, definition)  # the job is named after its definition by default
    assert job["status"] == "SUCCEEDED"


def test_failed_job_fails_the_play_with_its_logs(aws_playbook, boto, queue, tmp_path):
    definition = job_definition(
        boto, ["python", "-c", "import sys; print('about to fail', flush=True); sys.exit(3)"])
    run = aws_playbook(role_playbook(tmp_path), extra={"batch_job_queue": queue, "batch_job_definition": definition,
                                                       "batch_job_name": "doomed"}, check=False)
    assert run.returncode != 0
    assert said(run.output, "Batch job doomed (")
    assert said(run.output, "FAILED: exit code 3.")
    assert said(run.output, "Log lines (/aws/batch/job")
    assert "about to fail" in run.output.rsplit("Report a failed job:", 1)[1], "the failure message lacks the logs"


def test_parameters_command_and_environment_overrides(aws_playbook, boto, queue, tmp_path):
    script = "import os, sys; print('greeting', sys.argv[1], os.environ['WHO'], os.environ['KEPT'])"
    definition = job_definition(boto, ["python", "-c", script, "Ref::word"],
                                environment=[{"name": "KEPT", "value": "from-definition"}])
    parameters = tmp_path / "parameters.json"
    parameters.write_text(json.dumps({"word": "from-file", "unused": "x1"}))
    extra = {"batch_job_queue": queue, "batch_job_definition": f"{definition}:1",
             "batch_job_parameters_file": str(parameters), "batch_job_parameters": {"word": "hello"},
             "batch_job_environment": {"WHO": "world"}}
    run = aws_playbook(role_playbook(tmp_path), extra=extra, check=True)
    assert "greeting hello world from-definition" in run.output

    extra["batch_job_command"] = "python -c \"print('overridden command')\""
    run = aws_playbook(role_playbook(tmp_path), extra=extra, check=True)
    assert "overridden command" in run.output


def test_check_mode_submits_nothing(aws_playbook, boto, queue, tmp_path):
    definition = job_definition(boto, ["python", "-c", "print('never')"])
    run = aws_playbook(role_playbook(tmp_path), "--check",
                       extra={"batch_job_queue": queue, "batch_job_definition": definition}, check=True)
    assert said(run.output, "would be submitted")
    assert jobs_named(boto, queue, definition) == []

    missing = aws_playbook(role_playbook(tmp_path), "--check",
                           extra={"batch_job_queue": queue, "batch_job_definition": "dw-no-such-definition"},
                           check=False)
    assert said(missing.output, "Job definition dw-no-such-definition does not exist")


def test_timeout_fails_and_names_the_job(aws_playbook, boto, queue, tmp_path):
    definition = job_definition(boto, ["python", "-c", "import time; time.sleep(30)"])
    run = aws_playbook(role_playbook(tmp_path), extra={"batch_job_queue": queue, "batch_job_definition": definition,
                                                       "batch_job_timeout": 2}, check=False)
    assert said(run.output, "after 2 s: it keeps running in AWS Batch")
    [job] = jobs_named(boto, queue, definition)
    assert said(run.output, f"terminate-job --job-id {job['jobId']}")
    boto("batch").terminate_job(jobId=job["jobId"], reason="test over")


@pytest.mark.parametrize(
    "extra, fragment",
    [
        ({"batch_job_queue": ""}, "batch_job_queue is empty"),
        ({"batch_job_definition": "iris:0"}, "batch_job_definition 'iris:0' is neither"),
        ({"batch_job_name": "x"}, "The job name 'x'"),
        ({"batch_job_environment": {"1BAD": "v"}}, "invalid variable names (1BAD)"),
        ({"batch_job_parameters_file": "/nonexistent/parameters.yml"}, "does not exist"),
    ],
)
def test_validation_fails_before_any_call(playbook, tmp_path, extra, fragment):
    settings = {"batch_job_queue": "dw-queue", "batch_job_definition": "iris", "batch_job_region": "eu-west-1",
                "batch_job_endpoint_url": "http://127.0.0.1:9", **extra}
    run = playbook(role_playbook(tmp_path), extra=settings, check=False)
    assert said(run.output, fragment), run.output[-2000:]
    assert "Submit the job" not in run.output
