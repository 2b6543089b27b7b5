"""Sweeps (make submit GRID=) and dependencies (AFTER=) through the batch_job role, against a moto server that runs
each child of an array job as a container on the local Docker engine.

What moto 5.2.5 does with them: an array job's children run (ids PARENT:INDEX) and its statusSummary counts them, but
the children get no AWS_BATCH_JOB_ARRAY_INDEX (only AWS_BATCH_JOB_ID, PARENT:INDEX, which the wrapper falls back to)
and the parent never turns FAILED when a child fails (the module ends it from the count); dependsOn makes a job wait
for its dependencies' SUCCEEDED (any type: N_TO_N and SEQUENTIAL are not told apart; a SEQUENTIAL item without jobId
fails the children)."""

from __future__ import annotations

import json
import subprocess
import time
import uuid
from pathlib import Path

import pytest
from conftest import ROOT, batch_queue

pytestmark = pytest.mark.batch_job

IMAGE = "python:3.11-slim"


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def said(output: str, text: str) -> bool:
    """Whether the run printed the text, however the YAML output wrapped its lines."""
    return " ".join(text.split()) in " ".join(output.replace("\n    ", " ").split())


def job_definition(boto, command: list[str]) -> str:
    """Registers a job definition running the command in python:3.11-slim; returns its name."""
    name = unique("dw-def")
    boto("batch").register_job_definition(
        jobDefinitionName=name, type="container",
        containerProperties={"image": IMAGE, "command": command,
                             "resourceRequirements": [{"type": "VCPU", "value": "1"},
                                                      {"type": "MEMORY", "value": "512"}]})
    return name


def role_playbook(tmp_path: Path) -> str:
    path = tmp_path / "batch_job.yml"
    path.write_text(json.dumps([{"name": "Apply batch_job", "hosts": "localhost", "gather_facts": False,
                                 "roles": [{"role": "batch_job"}]}], indent=2))
    return str(path.resolve())


@pytest.fixture(scope="module")
def queue(engine, boto):
    """A compute environment and job queue made with boto3 (the batch_environment role has its own tests)."""
    name = unique("dw-sweep")
    return batch_queue(boto, name, 48)


PRINT_ROW = "import os, sys; print('row', os.environ['LR'], os.environ['OPTIMIZER'], 'arg', sys.argv[1])"


def parent_of(boto, queue: str, name: str) -> dict:
    [summary] = [job for job in boto("batch").list_jobs(jobQueue=queue, filters=[
        {"name": "JOB_NAME", "values": [name]}])["jobSummaryList"] if ":" not in job["jobId"]]
    [job] = boto("batch").describe_jobs(jobs=[summary["jobId"]])["jobs"]
    return job


def test_a_grid_runs_as_one_array_job_whose_children_print_their_rows(aws_playbook, boto, queue, tmp_path):
    definition = job_definition(boto, ["python", "-c", PRINT_ROW, "Ref::LR"])
    grid = tmp_path / "sweep.yml"
    grid.write_text("- {LR: 0.1, OPTIMIZER: adam}\n- {LR: 0.01, OPTIMIZER: sgd}\n- {LR: 0.001, OPTIMIZER: adam}\n")
    name = unique("dw-grid")
    log_file = tmp_path / "sweep.log"
    run = aws_playbook(role_playbook(tmp_path), extra={
        "batch_job_queue": queue, "batch_job_definition": definition, "batch_job_name": name,
        "batch_job_grid_file": str(grid), "batch_job_log_file": str(log_file)}, check=True)
    for index, (lr, optimizer) in enumerate([("0.1", "adam"), ("0.01", "sgd"), ("0.001", "adam")]):
        assert f"[{index}] row {lr} {optimizer} arg {lr}" in run.output, run.output[-3000:]
        assert f"[{index}] row {lr} {optimizer} arg {lr}" in log_file.read_text()
    assert said(run.output, "children (3): 3 SUCCEEDED")
    assert said(run.output, f"Array job {name} (")
    parent = parent_of(boto, queue, name)
    assert parent["arrayProperties"]["size"] == 3  # one array job, not three jobs


def test_a_product_grid_with_a_failing_row_fails_and_names_that_child(aws_playbook, boto, queue, tmp_path):
    script = ("import os, sys; print('code', os.environ['CODE'], 'lr', os.environ['LR'], flush=True);"
              " sys.exit(int(os.environ['CODE']))")
    definition = job_definition(boto, ["python", "-c", script])
    grid = tmp_path / "product.yml"
    grid.write_text("CODE: [0, 5]\nLR: [0.5]\n")
    name = unique("dw-fail")
    run = aws_playbook(role_playbook(tmp_path), extra={
        "batch_job_queue": queue, "batch_job_definition": definition, "batch_job_name": name,
        "batch_job_grid_file": str(grid)}, check=False)
    parent = parent_of(boto, queue, name)
    assert said(run.output, f"Array job {name} ({parent['jobId']}): 1 of 2 children FAILED.")
    assert said(run.output, f"child 1 ({parent['jobId']}:1) FAILED: exit code 5; log stream /aws/batch/job")
    assert "child 0 (" not in run.output
    assert "[0] code 0 lr 0.5" in run.output and "[1] code 5 lr 0.5" in run.output
    failure = run.output.rsplit("Report a failed job:", 1)[1]
    assert "[1] code 5 lr 0.5" in failure and "[0] code 0" not in failure, "the failure shows the failed child's lines"


def test_a_one_row_grid_is_a_plain_job_with_its_row(aws_playbook, boto, queue, tmp_path):
    definition = job_definition(boto, ["python", "-c", PRINT_ROW, "Ref::OPTIMIZER"])
    grid = tmp_path / "one.yml"
    grid.write_text("LR: 0.3\nOPTIMIZER: lion\n")
    name = unique("dw-one")
    run = aws_playbook(role_playbook(tmp_path), extra={
        "batch_job_queue": queue, "batch_job_definition": definition, "batch_job_name": name,
        "batch_job_grid_file": str(grid)}, check=True)
    assert "row 0.3 lion arg lion" in run.output
    assert "arrayProperties" not in parent_of(boto, queue, name)


def test_a_dependent_job_starts_only_after_its_parent_succeeded(aws_playbook, boto, queue, tmp_path):
    first = job_definition(boto, ["python", "-c", "import time; time.sleep(3); print('prepared')"])
    parent_id = boto("batch").submit_job(jobName=unique("dw-prep"), jobQueue=queue, jobDefinition=first)["jobId"]
    second = job_definition(boto, ["python", "-c", "print('trained after')"])
    name = unique("dw-after")
    run = aws_playbook(role_playbook(tmp_path), extra={
        "batch_job_queue": queue, "batch_job_definition": second, "batch_job_name": name,
        "batch_job_depends_on": parent_id}, check=True)
    assert "trained after" in run.output
    [parent] = boto("batch").describe_jobs(jobs=[parent_id])["jobs"]
    child = parent_of(boto, queue, name)
    assert child["dependsOn"] == [{"jobId": parent_id}]
    assert parent["status"] == "SUCCEEDED"
    assert child["startedAt"] >= parent["stoppedAt"], (parent, child)


def test_a_dependency_that_does_not_exist_is_refused_before_submitting(aws_playbook, boto, queue, tmp_path):
    definition = job_definition(boto, ["python", "-c", "print('never')"])
    missing = str(uuid.uuid4())
    name = unique("dw-orphan")
    run = aws_playbook(role_playbook(tmp_path), extra={
        "batch_job_queue": queue, "batch_job_definition": definition, "batch_job_name": name,
        "batch_job_depends_on": [missing]}, check=False)
    assert said(run.output, f"Job {missing} (a dependency) does not exist in this region and account")
    time.sleep(0.5)
    assert boto("batch").list_jobs(jobQueue=queue, filters=[{"name": "JOB_NAME", "values": [name]}])[
        "jobSummaryList"] == []


@pytest.mark.parametrize("text, fragment", [
    ("[]\n", "is empty"),
    ("- {LR: 0.1}\n- LR=0.2\n", "row 2 is not a map of names to values"),
    ("- {learning-rate: 0.1}\n", "learning-rate is not a valid environment variable name"),
    ("LR: [0.1, [0.2]]\n", "LR must be a plain value"),
    ("A: [" + ", ".join(str(n) for n in range(101)) + "]\nB: [" + ", ".join(str(n) for n in range(100)) + "]\n",
     "expands to 10100 rows"),
    ("LR: [0.1\nEPOCHS: 3\n", "is not valid YAML"),
])
def test_bad_grids_are_refused_before_any_call(playbook, tmp_path, text, fragment):
    grid = tmp_path / "grid.yml"
    grid.write_text(text)
    settings = {"batch_job_queue": "dw-queue", "batch_job_definition": "iris", "batch_job_region": "eu-west-1",
                "batch_job_endpoint_url": "http://127.0.0.1:9", "batch_job_grid_file": str(grid)}
    run = playbook(role_playbook(tmp_path), extra=settings, check=False)
    assert said(run.output, fragment), run.output[-2000:]
    assert str(grid) in run.output
    assert "Submit the job" not in run.output


def test_a_missing_grid_file_and_a_bad_dependency_are_refused_before_any_call(playbook, tmp_path):
    settings = {"batch_job_queue": "dw-queue", "batch_job_definition": "iris", "batch_job_region": "eu-west-1",
                "batch_job_endpoint_url": "http://127.0.0.1:9", "batch_job_grid_file": str(tmp_path / "none.yml")}
    run = playbook(role_playbook(tmp_path), extra=settings, check=False)
    assert said(run.output, f"batch_job_grid_file '{tmp_path / 'none.yml'}' does not exist")
    del settings["batch_job_grid_file"]
    run = playbook(role_playbook(tmp_path), extra={**settings, "batch_job_depends_on": "job-1"}, check=False)
    assert said(run.output, "batch_job_depends_on: job-1 is not a Batch job ID")
    assert "Submit the job" not in run.output


def test_make_submit_grid_after_a_job_as_a_user_types_it(aws_env, boto, queue, tmp_path):
    """make submit GRID=... AFTER=...: an array job whose children start only after the job they depend on
    succeeded."""
    first = job_definition(boto, ["python", "-c", "import time; time.sleep(3); print('prepared')"])
    parent_id = boto("batch").submit_job(jobName=unique("dw-prep"), jobQueue=queue, jobDefinition=first)["jobId"]
    definition = job_definition(boto, ["python", "-c", PRINT_ROW, "Ref::OPTIMIZER"])
    grid = tmp_path / "sweep.yml"
    grid.write_text("LR: [0.2, 0.02]\nOPTIMIZER: [adam]\n")
    proc = subprocess.run(["make", "--no-print-directory", "submit", f"JOB_DEFINITION={definition}",
                           f"QUEUE={queue}", f"GRID={grid}", f"AFTER={parent_id}"], cwd=ROOT, env=aws_env,
                          capture_output=True, text=True, timeout=600)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output[-3000:]
    assert "[0] row 0.2 adam arg adam" in output and "[1] row 0.02 adam arg adam" in output
    sweep = parent_of(boto, queue, definition)
    assert sweep["dependsOn"] == [{"jobId": parent_id}] and sweep["arrayProperties"]["size"] == 2
    [parent] = boto("batch").describe_jobs(jobs=[parent_id])["jobs"]
    children = boto("batch").describe_jobs(jobs=[f"{sweep['jobId']}:{index}" for index in range(2)])["jobs"]
    assert parent["status"] == "SUCCEEDED" and len(children) == 2
    assert all(child["startedAt"] >= parent["stoppedAt"] for child in children), (parent, children)
