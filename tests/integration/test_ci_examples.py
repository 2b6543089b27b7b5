"""The CI examples (examples/ci/) as the CI systems run them: the workflow files are checked against their formats'
schemas, then their own shell steps run here, on the local AWS (moto server) and a local registry, with the files the
runners provide (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY; GITLAB_CI and the dotenv report) and the outputs are read back
from those files as the next step or job would.

Only what a runner does itself is stood in for: checking the code out (the steps run in the repository), the AWS
login actions (credentials come from the environment, as configure-aws-credentials leaves them) and the CI
variables (vars.*, CI_COMMIT_SHA, ...)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import yaml

pytestmark = [pytest.mark.ci_outputs, pytest.mark.ecr, pytest.mark.batch_job_definition]

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "ci"
SHA = "0123456789abcdef0123456789abcdef01234567"


@pytest.mark.parametrize(("name", "schema"), [("github-actions.yml", "vendor.github-workflows"),
                                              ("gitlab-ci.yml", "vendor.gitlab-ci")])
def test_the_workflow_files_are_valid_for_their_ci_system(name, schema):
    checker = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent))
    proc = subprocess.run([checker, "--builtin-schema", schema, str(EXAMPLES / name)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.fixture
def pipeline(engine, registry, aws_env, tmp_path):
    """What the runner's job sees: a program folder and BatchConfig of this test's own (unique names), the local
    registry and moto in the environment."""
    name = f"ci{uuid.uuid4().hex[:6]}"
    program = tmp_path / "iris"
    shutil.copytree(ROOT / "examples" / "iris", program, ignore=shutil.ignore_patterns("Dockerfile", ".dockerignore"))
    config = tmp_path / "BatchConfig.yml"
    config.write_text((ROOT / "examples" / "BatchConfig.yml").read_text().replace("name: iris-train", f"name: {name}"))
    env = {**aws_env, "REGISTRY": registry, "OUTPUT": str(tmp_path / "out.json"), "IMAGE": name}
    yield {"name": name, "program": program, "config": config, "env": env, "registry": registry, "root": tmp_path}
    # The image and every tag the run made of it (the cache tag included).
    rows = subprocess.run(["docker", "images", "--format", "{{.Repository}}:{{.Tag}}"], capture_output=True,
                          text=True).stdout.split()
    subprocess.run(["docker", "rmi", "-f", *[ref for ref in rows if ref.rsplit(":", 1)[0].endswith(name)]],
                   capture_output=True)


def resolve(value, context):
    """A GitHub expression the example uses (${{ vars.X }}, ${{ steps.id.outputs.x }}) from context."""
    return re.sub(r"\$\{\{\s*([\w.-]+)\s*\}\}", lambda m: context.get(m.group(1), ""), str(value))


def run_step(script, env, cwd=ROOT):
    proc = subprocess.run(["bash", "-eo", "pipefail", "-c", script], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=900)
    assert proc.returncode == 0, f"{script}\n{proc.stdout[-4000:]}\n{proc.stderr[-3000:]}"
    return proc.stdout


def outputs(path):
    return dict(line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)


def test_github_actions_workflow_pushes_registers_and_sets_the_step_outputs(pipeline, boto):
    workflow = yaml.safe_load((EXAMPLES / "github-actions.yml").read_text())
    job = workflow["jobs"]["deploy"]
    runner = pipeline["root"] / "runner"
    runner.mkdir()
    github_output, summary = runner / "output", runner / "step_summary"
    context = {"vars.ECR_REPOSITORY": f"ml/{pipeline['name']}", "vars.AWS_REGION": "eu-west-1"}
    job_env = {key: resolve(value, context) for key, value in job["env"].items()}
    # The runner's checkout holds the example as it is; this test's copies stand in for its folder and config.
    assert job_env["PROGRAM"] == "examples/iris" and job_env["BATCH_CONFIG"] == "examples/BatchConfig.yml"
    job_env.update(PROGRAM=str(pipeline["program"]), BATCH_CONFIG=str(pipeline["config"]))
    printed = ""
    for step in job["steps"]:
        if "run" not in step:
            assert step["uses"].split("@")[0] in ("actions/checkout", "aws-actions/configure-aws-credentials")
            continue
        github_output.write_text("")  # the runner gives each step a fresh file
        step_env = {key: resolve(value, context) for key, value in step.get("env", {}).items()}
        env = {**pipeline["env"], **job_env, **step_env, "GITHUB_ACTIONS": "true", "GITHUB_SHA": SHA,
               "GITHUB_OUTPUT": str(github_output), "GITHUB_STEP_SUMMARY": str(summary)}
        printed += run_step(step["run"], env)
        context.update({f"steps.{step['id']}.outputs.{k}": v for k, v in outputs(github_output).items()}
                       if "id" in step else {})

    uri = f"{pipeline['registry']}/ml/{pipeline['name']}:{SHA}"
    assert context["steps.dockwright.outputs.image_uri"] == uri
    digest = context["steps.dockwright.outputs.image_digest"]
    assert re.fullmatch(r"sha256:[0-9a-f]{64}", digest)
    arn = context["steps.dockwright.outputs.job_definition_arn"]
    registered = boto("batch").describe_job_definitions(jobDefinitionName=pipeline["name"])["jobDefinitions"]
    assert [d["jobDefinitionArn"] for d in registered] == [arn]
    assert registered[0]["containerProperties"]["image"] == uri
    # The next step read them, and the job's outputs map them on for later jobs.
    assert f"image: {uri} ({digest})" in printed and f"job definition: {arn}" in printed
    assert {k: resolve(v, context) for k, v in job["outputs"].items()} == {
        "image_uri": uri, "image_digest": digest, "job_definition_arn": arn}
    text = summary.read_text()
    assert f"| Image | `{uri}` |" in text and f"| Digest | `{digest}` |" in text and arn in text


def test_gitlab_job_pushes_registers_and_writes_the_dotenv_report(pipeline, boto):
    job = yaml.safe_load((EXAMPLES / "gitlab-ci.yml").read_text())["deploy"]
    project = pipeline["root"] / "project"
    project.mkdir()
    # The job runs in its checkout (CI_PROJECT_DIR); make is the repository's, as in a real checkout.
    for entry in ("Makefile", "ansible.cfg", "playbooks", "roles", "group_vars", "inventory", "collections",
                  "requirements.txt", ".venv"):
        (project / entry).symlink_to(ROOT / entry)
    ci = {"GITLAB_CI": "true", "CI_PROJECT_DIR": str(project), "CI_COMMIT_SHA": SHA, "AWS_ID_TOKEN": "not-a-jwt",
          "ECR_REPOSITORY": f"ml/{pipeline['name']}"}
    variables = {key: re.sub(r"\$(\w+)", lambda m: ci.get(m.group(1), ""), value)
                 for key, value in job["variables"].items()}
    assert variables["PROGRAM"] == "examples/iris" and variables["BATCH_CONFIG"] == "examples/BatchConfig.yml"
    variables.update(PROGRAM=str(pipeline["program"]), BATCH_CONFIG=str(pipeline["config"]))
    # AWS_ROLE_ARN is not set here: boto3 then keeps to the environment's keys (moto's) and ignores the token file.
    env = {**pipeline["env"], **ci, **variables}
    run_step("\n".join(job["before_script"] + job["script"]), env, cwd=project)

    report = project / job["artifacts"]["reports"]["dotenv"]
    values = outputs(report)
    uri = f"{pipeline['registry']}/ml/{pipeline['name']}:{SHA}"
    assert values["IMAGE_URI"] == uri and re.fullmatch(r"sha256:[0-9a-f]{64}", values["IMAGE_DIGEST"])
    registered = boto("batch").describe_job_definitions(jobDefinitionName=pipeline["name"])["jobDefinitions"]
    assert values["JOB_DEFINITION_ARN"] == registered[0]["jobDefinitionArn"]
    assert set(values) == {"IMAGE_URI", "IMAGE_DIGEST", "JOB_DEFINITION_ARN"}
    # The job retried with nothing changed: nothing built, pushed, registered or rewritten.
    again = run_step("\n".join(job["before_script"] + job["script"]), env, cwd=project)
    assert re.search(r"changed=0\s", again), (values, outputs(report), again[-2000:])
    assert outputs(report) == values
