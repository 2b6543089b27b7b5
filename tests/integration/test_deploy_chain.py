"""The whole chain through make, as a user runs it, on the local AWS (moto server) and a local registry:
make deploy (dockerize -> push -> register), make batch-env, make submit; moto runs the job's container on
the local engine and the model's real output comes back from CloudWatch Logs."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
import uuid

import pytest
from conftest import DUMMY_SECRET, ROOT, batch_config_sections, batch_network, recap

pytestmark = [
    pytest.mark.dockerfile,
    pytest.mark.image,
    pytest.mark.ecr,
    pytest.mark.batch_job_definition,
    pytest.mark.batch_environment,
    pytest.mark.batch_job,
]


def make(env, target, *args):
    started = time.perf_counter()
    proc = subprocess.run(["make", "--no-print-directory", target, *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=1800)
    proc.seconds = time.perf_counter() - started
    proc.output = proc.stdout + proc.stderr
    assert DUMMY_SECRET not in proc.output
    return proc


@pytest.fixture(scope="module")
def chain(engine, registry, aws_env, boto, tmp_path_factory):
    root = tmp_path_factory.mktemp("chain")
    name = f"e2e{uuid.uuid4().hex[:6]}"
    network = batch_network(boto, name, 44)
    program = root / "iris"
    shutil.copytree(ROOT / "examples" / "iris", program, ignore=shutil.ignore_patterns("Dockerfile", ".dockerignore"))
    config = root / "BatchConfig.yml"

    def write_config(memory):
        config.write_text(f"""---
{batch_config_sections(name, network)}  priority: 1
job_definition:
  name: {name}-iris
  command: [python, train.py]
  vcpus: 1
  memory: {memory}
""")

    write_config(512)
    args = [f"PROGRAM={program}", f"IMAGE={name}", "VERSION=1.0.0", f"REPOSITORY=ml/{name}",
            "ECR_VERSION=2024-06-01", f"REGISTRY={registry}", f"BATCH_CONFIG={config}", f"OUTPUT={root}/out.json"]
    yield {"name": name, "args": args, "root": root, "write_config": write_config, "registry": registry}
    subprocess.run(["docker", "rmi", "-f", f"{name}:1.0.0", f"{registry}/ml/{name}:2024-06-01"], capture_output=True)


@pytest.fixture(scope="module")
def deployed(chain, aws_env):
    proc = make(aws_env, "deploy", *chain["args"])
    assert proc.returncode == 0, proc.output[-5000:]
    env_proc = make(aws_env, "batch-env", *chain["args"])
    assert env_proc.returncode == 0, env_proc.output[-5000:]
    print(f"\nmake deploy (cold): {proc.seconds:.1f} s; make batch-env: {env_proc.seconds:.1f} s")
    return proc


def test_deploy_pushes_and_registers(chain, deployed, boto):
    out = json.loads((chain["root"] / "out.json").read_text())
    assert out["image"]["uri"] == f"{chain['registry']}/ml/{chain['name']}:2024-06-01"
    assert out["image"]["digest"].startswith("sha256:")
    assert out["job_definition"]["revision"] == 1
    definitions = boto("batch").describe_job_definitions(jobDefinitionName=f"{chain['name']}-iris",
                                                         status="ACTIVE")["jobDefinitions"]
    assert [d["revision"] for d in definitions] == [1]
    assert definitions[0]["containerProperties"]["image"] == out["image"]["uri"]
    repos = boto("ecr").describe_repositories(repositoryNames=[f"ml/{chain['name']}"])["repositories"]
    assert repos[0]["imageScanningConfiguration"]["scanOnPush"] is True


def test_submit_runs_the_model_and_prints_its_output(chain, deployed, aws_env):
    proc = make(aws_env, "submit", f"JOB_DEFINITION={chain['name']}-iris", f"QUEUE={chain['name']}-queue",
                f"OUTPUT={chain['root']}/out.json")
    print(f"\nmake submit: {proc.seconds:.1f} s")
    assert proc.returncode == 0, proc.output[-5000:]
    assert "iris model: trained on 105 rows, accuracy" in proc.output
    assert "SUCCEEDED" in proc.output


def test_rerun_changes_nothing(chain, deployed, aws_env, boto):
    proc = make(aws_env, "deploy", *chain["args"])
    print(f"\nmake deploy (no-op rerun): {proc.seconds:.1f} s")
    assert proc.returncode == 0, proc.output[-5000:]
    assert recap(proc.output)["changed"] == 0, proc.output[-5000:]
    env_proc = make(aws_env, "batch-env", *chain["args"])
    assert recap(env_proc.output)["changed"] == 0, env_proc.output[-5000:]
    definitions = boto("batch").describe_job_definitions(jobDefinitionName=f"{chain['name']}-iris",
                                                         status="ACTIVE")["jobDefinitions"]
    assert [d["revision"] for d in definitions] == [1]


def test_memory_change_registers_exactly_one_revision(chain, deployed, aws_env, boto):
    chain["write_config"](1024)
    try:
        proc = make(aws_env, "deploy", *chain["args"])
        assert proc.returncode == 0, proc.output[-5000:]
        assert recap(proc.output)["changed"] >= 1
        revisions = sorted(d["revision"] for d in boto("batch").describe_job_definitions(
            jobDefinitionName=f"{chain['name']}-iris")["jobDefinitions"])
        assert revisions == [1, 2]
        out = json.loads((chain["root"] / "out.json").read_text())
        assert out["job_definition"]["revision"] == 2
    finally:
        chain["write_config"](512)
