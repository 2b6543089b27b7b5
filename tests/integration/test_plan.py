"""Plan mode (make <target> CHECK=1, Ansible's --check --diff) on the real engine, a local registry and moto: every
target says what it would do and changes nothing (engine images, registry tags, ECR repositories, job definition
revisions, compute environments, queues, jobs, files), and a bad input stops the plan with the real run's message."""

from __future__ import annotations

import json
import os
import subprocess
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
from ansible_collections.dockwright.toolkit.plugins.module_utils.folder_lock import acquire, release
from conftest import DUMMY_SECRET, ROOT, batch_config_sections, batch_network, recap
from servers import registry_digest

pytestmark = [
    pytest.mark.dockerfile,
    pytest.mark.image,
    pytest.mark.ecr,
    pytest.mark.lock,
    pytest.mark.batch_job_definition,
    pytest.mark.batch_environment,
    pytest.mark.batch_job,
    pytest.mark.ci_outputs,
]

PLAN = "CHECK=1"


def make(env, target, *args, timeout=600):
    proc = subprocess.run(["make", "--no-print-directory", target, *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=timeout)
    proc.output = proc.stdout + proc.stderr
    proc.flat = " ".join(proc.output.split())
    assert DUMMY_SECRET not in proc.output
    return proc


def planned(env, target, *args, timeout=600):
    """A plan that could be made: exit 0, and its closing line."""
    proc = make(env, target, *args, PLAN, timeout=timeout)
    assert proc.returncode == 0, proc.output[-5000:]
    assert "Plan (check mode): nothing changed" in proc.output, proc.output[-3000:]
    return proc


def files(folder: Path) -> dict[str, str]:
    return {str(path.relative_to(folder)): path.read_text() for path in sorted(folder.rglob("*")) if path.is_file()}


def registry_tags(registry: str, repository: str) -> dict[str, str | None]:
    try:
        with urllib.request.urlopen(f"http://{registry}/v2/{repository}/tags/list", timeout=10) as answer:
            tags = json.load(answer)["tags"] or []
    except urllib.error.HTTPError as err:
        if err.code == 404:
            return {}
        raise
    return {tag: registry_digest(registry, repository, tag) for tag in tags}


def snapshot(world, boto) -> dict:
    """Everything a run of this module's targets could change."""
    name, batch = world["name"], boto("batch")
    images = subprocess.run(["docker", "images", "--no-trunc", "--format", "{{.Repository}}:{{.Tag}} {{.ID}}"],
                            capture_output=True, text=True, check=True).stdout.split("\n")
    built = subprocess.run(["docker", "images", "-a", "-q", "--no-trunc", "--filter",
                            f"label=org.opencontainers.image.title={name}"], capture_output=True, text=True,
                           check=True).stdout.split()
    queues = batch.describe_job_queues(jobQueues=[f"{name}-queue"])["jobQueues"]
    return {
        "images": sorted(line for line in images if name in line or "dockwright-ca" in line),
        "built": sorted(built),
        "tags": registry_tags(world["registry"], f"ml/{name}"),
        "repositories": [repo["repositoryName"] for repo in boto("ecr").describe_repositories()["repositories"]
                         if name in repo["repositoryName"]],
        "revisions": sorted((item["revision"], item["status"]) for item in batch.describe_job_definitions(
            jobDefinitionName=f"{name}-def")["jobDefinitions"]),
        "environments": [(item["computeEnvironmentName"], item["state"]) for item in
                         batch.describe_compute_environments(computeEnvironments=[f"{name}-env"])["computeEnvironments"]],
        "queues": [(item["jobQueueName"], item["state"], item["priority"]) for item in queues],
        "jobs": sorted({job["jobId"] for queue in queues for status in ("SUBMITTED", "PENDING", "RUNNABLE",
                                                                        "STARTING", "RUNNING", "SUCCEEDED", "FAILED")
                        for job in batch.list_jobs(jobQueue=queue["jobQueueArn"], jobStatus=status)["jobSummaryList"]}),
        "program": files(world["program"]),
        "root": sorted(path.name for path in world["root"].iterdir()),
        "output": world["output"].read_text() if world["output"].exists() else None,
    }


@pytest.fixture(scope="module")
def world(engine, registry, aws_env, boto, tmp_path_factory):
    """A tiny program, a BatchConfig with its network, and the make arguments of a whole deploy, named uniquely."""
    root = tmp_path_factory.mktemp("plan")
    name = f"plan{uuid.uuid4().hex[:6]}"
    program = root / "program"
    program.mkdir()
    (program / "main.py").write_text("print('planned')\n")
    (program / "requirements.txt").write_text("")
    network = batch_network(boto, name, 57)
    config = root / "BatchConfig.yml"

    def write_config(memory=512, vcpus=1):
        config.write_text(f"""---
{batch_config_sections(name, network)}  priority: 1
job_definition:
  name: {name}-def
  command: [python, main.py]
  vcpus: {vcpus}
  memory: {memory}
""")

    write_config()
    output = root / "out.json"
    args = [f"PROGRAM={program}", f"IMAGE={name}", "VERSION=1", f"REPOSITORY=ml/{name}", "ECR_VERSION=v1",
            f"REGISTRY={registry}", f"BATCH_CONFIG={config}", f"OUTPUT={output}"]
    yield {"name": name, "root": root, "program": program, "config": config, "write_config": write_config,
           "output": output, "args": args, "registry": registry, "uri": f"{registry}/ml/{name}:v1"}
    subprocess.run(["docker", "rmi", "-f", f"{name}:1", f"{registry}/ml/{name}:v1"], capture_output=True)


@pytest.fixture(scope="module")
def deployed(world, aws_env):
    """The real run the later plans are made against: make deploy, then make batch-env."""
    for target in ("deploy", "batch-env"):
        proc = make(aws_env, target, *world["args"])
        assert proc.returncode == 0, proc.output[-5000:]
    return json.loads(world["output"].read_text())


def test_plan_of_a_first_deploy_says_everything_it_would_do_and_does_none_of_it(world, aws_env, boto):
    before = snapshot(world, boto)
    proc = planned(aws_env, "deploy", *world["args"])
    assert snapshot(world, boto) == before
    name, program = world["name"], world["program"]
    assert f"+++ after: {program}/Dockerfile" in proc.output  # the Dockerfile's diff
    assert f"Check mode: would build {name}:1 from {program}/Dockerfile (not on the engine yet)." in proc.flat
    assert f"ECR repository ml/{name} would be created" in proc.flat
    assert f"Check mode: would push {world['uri']} ({name}:1, once built; registry has no such tag)." in proc.flat
    assert f"Check mode: would register revision 1 of job definition '{name}-def' (none was ACTIVE)." in proc.flat
    assert "+++ after: " + str(world["output"]) in proc.output  # the record it would write
    # Dockerfile, .dockerignore, the build, the repository, the push, the revision, the record (image, then revision).
    assert recap(proc.output)["changed"] == 8, proc.output[-3000:]


def test_plan_of_an_environment_to_create(world, aws_env, boto):
    before = snapshot(world, boto)
    proc = planned(aws_env, "batch-env", *world["args"])
    assert snapshot(world, boto) == before
    assert f"would create EC2 compute environment {world['name']}-env" in proc.flat
    assert f"would create job queue {world['name']}-queue (priority 1, {world['name']}-env)" in proc.flat


def test_plan_with_nothing_to_do_says_so_and_counts_no_change(world, deployed, aws_env, boto):
    before = snapshot(world, boto)
    proc = planned(aws_env, "register", *world["args"], f"IMAGE_URI={world['uri']}")
    assert snapshot(world, boto) == before
    assert (f"Check mode: job definition {world['name']}-def is unchanged at revision 1: no revision would be"
            " registered.") in proc.flat
    assert "Plan (check mode): nothing changed, and a real run would change nothing." in proc.output
    assert recap(proc.output)["changed"] == 0
    env = planned(aws_env, "batch-env", *world["args"])
    assert f"Check mode: Compute environment {world['name']}-env (EC2, 0 to 4 vCPUs): up to date." in env.flat
    assert recap(env.output)["changed"] == 0


def test_plan_names_the_fields_a_new_revision_would_change(world, deployed, aws_env, boto):
    world["write_config"](memory=1024)
    try:
        before = snapshot(world, boto)
        proc = planned(aws_env, "deploy", *world["args"])
        assert snapshot(world, boto) == before
        assert before["revisions"] == [(1, "ACTIVE")]
    finally:
        world["write_config"]()
    name = world["name"]
    assert (f"Check mode: would register revision 2 of job definition '{name}-def' (changed since revision 1:"
            " containerProperties.resourceRequirements).") in proc.flat
    assert "-            value: '512'" in proc.output and "+            value: '1024'" in proc.output
    # Nothing that goes into the image changed: the build key says so, and nothing would be built.
    assert f"{name}:1 is up to date: sha256:" in proc.flat and "(nothing that goes into the build changed)" in proc.flat
    assert f"Check mode: would build {name}:1" not in proc.flat
    assert (f"Check mode: {world['uri']} already holds {name}:1 as the engine has it now"
            f" ({deployed['image']['digest']}): nothing would be pushed unless the build changes the image."
            ) in proc.flat


def test_plan_of_a_push_names_what_the_registry_has(world, deployed, aws_env, boto):
    (world["program"] / "main.py").write_text("print('planned, then changed')\n")
    built = make(aws_env, "dockerize", *world["args"])  # a new image on the engine, not pushed
    assert built.returncode == 0, built.output[-3000:]
    before = snapshot(world, boto)
    proc = planned(aws_env, "push", *world["args"])
    assert snapshot(world, boto) == before
    assert before["tags"] == {"v1": deployed["image"]["digest"]}
    assert f"Check mode: would push {world['uri']} ({world['name']}:1; registry has {deployed['image']['digest']})." \
        in proc.flat


def test_plan_of_a_job_says_what_would_be_submitted(world, deployed, aws_env, boto):
    before = snapshot(world, boto)
    name = world["name"]
    proc = planned(aws_env, "submit", f"JOB_DEFINITION={name}-def", f"QUEUE={name}-queue",
                   "ARGS=python main.py --fast", f"OUTPUT={world['output']}")
    assert snapshot(world, boto) == before
    assert (f'Check mode: would submit job {name}-def to queue {name}-queue with job definition {name}-def, command'
            ' ["python", "main.py", "--fast"], then follow it to its end.') in proc.flat


def test_plan_of_a_teardown(world, deployed, aws_env, boto):
    before = snapshot(world, boto)
    proc = planned(aws_env, "batch-env-destroy", *world["args"])
    assert snapshot(world, boto) == before
    name = world["name"]
    assert (f"Check mode: Job queue {name}-queue: would delete it. Compute environment {name}-env: would disable"
            f" compute environment {name}-env; would delete compute environment {name}-env.") in proc.flat


def test_plan_of_ci_hands_nothing_to_the_ci_system(world, deployed, aws_env, boto, tmp_path):
    runner = {"GITHUB_OUTPUT": str(tmp_path / "output"), "GITHUB_STEP_SUMMARY": str(tmp_path / "summary"),
              "GITLAB_CI": "true"}
    dotenv = ROOT / "dockwright.env"  # GitLab's report, next to the Makefile
    assert not dotenv.exists()
    before = snapshot(world, boto)
    proc = planned({**aws_env, **runner}, "ci", *world["args"])
    assert snapshot(world, boto) == before
    assert list(tmp_path.iterdir()) == [] and not dotenv.exists()
    assert "Check mode: the outputs a real run would hand on, as known before it builds (none is written):" \
        in proc.output
    assert f"image_uri={world['uri']}" in proc.output


def test_plan_of_run_and_of_a_lock(world, deployed, aws_env, boto):
    variables = world["root"] / "vars.yml"
    variables.write_text(json.dumps({
        "program_path": str(world["program"]), "image_name": world["name"], "image_version": "1",
        "push_to_ecr": True, "repository": f"ml/{world['name']}", "version": "v1", "ecr_registry": world["registry"],
        "create_job_def": True, "batch_config_file": str(world["config"]), "output_file": str(world["output"])}))
    before = snapshot(world, boto)
    run = planned(aws_env, "run", f"VARS={variables}")
    lock = planned(aws_env, "lock", f"PROGRAM={world['program']}")
    assert snapshot(world, boto) == before
    assert f"{world['name']}:1 is up to date: sha256:" in run.flat
    assert f"Check mode: job definition {world['name']}-def is unchanged at revision 1" in run.flat
    assert f"Check mode: {world['program']}/requirements.lock would be written: requirements.txt for Python" \
        in lock.flat
    assert f"+++ after: {world['program']}/requirements.lock" in lock.output


def failure(proc) -> str:
    """The failure a run printed: from FAILED to the recap."""
    assert proc.returncode != 0, proc.output[-3000:]
    assert "FAILED - " in proc.output, proc.output[-3000:]
    return proc.output.split("FAILED - ", 1)[1].split("PLAY RECAP", 1)[0].strip()


def test_a_bad_input_stops_the_plan_with_the_real_runs_message(world, aws_env, boto, tmp_path):
    config = tmp_path / "BatchConfig.yml"
    config.write_text(world["config"].read_text().replace("vcpus: 1", "vcpus: 0"))
    args = [arg for arg in world["args"] if not arg.startswith("BATCH_CONFIG=")] + [f"BATCH_CONFIG={config}"]
    before = snapshot(world, boto)
    real, plan = make(aws_env, "deploy", *args), make(aws_env, "deploy", *args, PLAN)
    assert failure(plan) == failure(real)
    assert "vcpus" in failure(plan)
    assert "Plan (check mode)" not in plan.output
    assert snapshot(world, boto) == before
    # The same plan with the input fixed goes through.
    config.write_text(world["config"].read_text())
    planned(aws_env, "deploy", *args)
    assert snapshot(world, boto) == before


def test_plan_waits_for_no_other_run_and_says_one_holds_the_folder(world, aws_env, boto):
    folder = str(world["program"])
    assert acquire(folder, os.getpid(), 5)
    try:
        before = snapshot(world, boto)
        proc = planned(aws_env, "dockerize", *world["args"], timeout=120)  # a real run would wait 600 s
        assert snapshot(world, boto) == before
    finally:
        release(folder, os.getpid())
    assert f"{os.path.realpath(folder)} is in use by another dockwright run (process {os.getpid()}): this plan shows" \
        " the folder as it is now; a real run would wait for that run to finish." in proc.flat
