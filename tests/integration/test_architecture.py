"""The right CPU: PLATFORM reaches the build, the image's architecture is recorded, and registering a job definition
or submitting a job refuses an image no target can run, before any call that changes something.

An arm64 image is made on this x86_64 engine without emulation: a Dockerfile with COPY and CMD steps only, FROM
scratch, built with PLATFORM=linux/arm64 (the configuration says arm64; nothing of it ever runs here). The queues
and compute environments are moto's, over HTTP; moto runs the accepted job's container on the engine."""

from __future__ import annotations

import json
import subprocess
import uuid

import pytest
from conftest import IN_CI, ROOT, batch_queue, docker, recap

pytestmark = [pytest.mark.image, pytest.mark.ecr, pytest.mark.batch_job_definition, pytest.mark.batch_job]

SUFFIX = uuid.uuid4().hex[:8]
PREFIX = f"dw-arch-{SUFFIX}"
ARM = f"{PREFIX}-arm:1"
AMD = f"{PREFIX}-amd:1"
FARGATE = {"platform": "FARGATE", "vcpus": 0.25, "memory": 512,
           "execution_role_arn": "arn:aws:iam::123456789012:role/ecsTaskExecutionRole"}


def architecture(ref: str) -> str:
    return docker("image", "inspect", "-f", "{{.Architecture}}", ref).stdout.strip()


@pytest.fixture(scope="module")
def images(engine, base_env, tmp_path_factory):
    """ARM: built by make dockerize PLATFORM=linux/arm64 from a Dockerfile of one's own (FROM scratch). AMD: a
    python:3.11-slim image for linux/amd64 that prints a line, built with the docker CLI."""
    folder = tmp_path_factory.mktemp("arm-program")
    (folder / "main.py").write_text("print('never run here')\n")
    (folder / "Dockerfile").write_text('FROM scratch\nCOPY main.py /program/main.py\n'
                                       'CMD ["/program/main.py"]\n')
    build = subprocess.run(["make", "dockerize", f"PROGRAM={folder}", "DOCKERFILE_MODE=keep", f"IMAGE={PREFIX}-arm",
                            "VERSION=1", "PLATFORM=linux/arm64"], cwd=ROOT, env=base_env, capture_output=True,
                           text=True)
    amd = tmp_path_factory.mktemp("amd-program")
    (amd / "Dockerfile").write_text('FROM python:3.11-slim\nCMD ["python3", "-c", "print(\\"the right cpu\\")"]\n')
    subprocess.run(["docker", "build", "-q", "--platform", "linux/amd64", "-t", AMD, str(amd)],
                   env={**base_env, "DOCKER_BUILDKIT": "0"}, capture_output=True, text=True, check=True)
    yield {"build": build, "folder": folder}
    rows = [line.split() for line in docker("images", "--format", "{{.Repository}}:{{.Tag}}").stdout.splitlines()]
    mine = sorted({row[0] for row in rows if PREFIX in row[0]})
    if mine:
        docker("rmi", "-f", *mine, check=False)


def test_platform_reaches_the_build(images, base_env):
    build = images["build"]
    output = " ".join((build.stdout + build.stderr).split())
    assert build.returncode == 0, output[-3000:]
    assert architecture(ARM) == "arm64" and architecture(AMD) == "amd64"
    assert f"{ARM} is built: sha256:" in output and "linux/arm64." in output
    again = subprocess.run(["make", "dockerize", f"PROGRAM={images['folder']}", "DOCKERFILE_MODE=keep",
                            f"IMAGE={PREFIX}-arm", "VERSION=1", "PLATFORM=linux/arm64"], cwd=ROOT, env=base_env,
                           capture_output=True, text=True)
    assert again.returncode == 0 and recap(again.stdout)["changed"] == 0, again.stdout[-3000:]
    assert f"{ARM} is up to date" in " ".join(again.stdout.split()) and architecture(ARM) == "arm64"


def test_a_platform_that_is_none_is_refused_before_the_build(engine, base_env, images):
    proc = subprocess.run(["make", "dockerize", f"PROGRAM={images['folder']}", "DOCKERFILE_MODE=keep",
                           f"IMAGE={PREFIX}-bad", "VERSION=1", "PLATFORM=linux/arm"], cwd=ROOT, env=base_env,
                          capture_output=True, text=True)
    output = " ".join((proc.stdout + proc.stderr).split())
    assert proc.returncode != 0
    assert "image_platform 'linux/arm' is not a platform dockwright builds for (did you mean linux/arm64?)" in output
    assert docker("image", "inspect", f"{PREFIX}-bad:1", check=False).returncode != 0


def make_queue(boto, name: str, octet: int, instance_types: list[str]) -> str:
    return batch_queue(boto, name, octet, instance_types)


@pytest.fixture(scope="module")
def queues(engine, boto):
    return {"x86": make_queue(boto, f"{PREFIX}-x86", 61, ["m5.large"]),
            "arm": make_queue(boto, f"{PREFIX}-arm", 62, ["m6g.large"])}


def job_definition(boto, image: str) -> str:
    name = f"{PREFIX}-{uuid.uuid4().hex[:6]}"
    boto("batch").register_job_definition(
        jobDefinitionName=name, type="container",
        containerProperties={"image": image, "resourceRequirements": [{"type": "VCPU", "value": "1"},
                                                                      {"type": "MEMORY", "value": "512"}]})
    return name


def submit(aws_playbook, queue: str, definition: str, tmp_path, *args, check=None, **extra):
    return aws_playbook("playbooks/submit.yml", *args, check=check, extra={
        "queue": queue, "job_definition": definition, "output_file": str(tmp_path / "out.json"), **extra})


def jobs(boto, queue: str) -> list[dict]:
    return [job for status in ("SUBMITTED", "PENDING", "RUNNABLE", "STARTING", "RUNNING", "SUCCEEDED", "FAILED")
            for job in boto("batch").list_jobs(jobQueue=queue, jobStatus=status)["jobSummaryList"]]


def test_submit_refuses_an_arm64_image_for_an_x86_only_queue(images, aws_playbook, boto, queues, tmp_path):
    definition = job_definition(boto, ARM)
    proc = submit(aws_playbook, queues["x86"], definition, tmp_path, check=False)
    assert (f"Image {ARM} is built for arm64, but compute environment {queues['x86']} (instance types m5.large:"
            f" amd64) cannot run arm64 in queue {queues['x86']}: build it for linux/amd64 (PLATFORM=linux/amd64)"
            ) in proc.flat
    assert f"Job definition {definition}:1 runs this image; nothing was submitted." in proc.flat
    assert jobs(boto, queues["x86"]) == []


def test_submit_accepts_a_matching_image_and_the_job_runs(images, aws_playbook, boto, queues, tmp_path):
    definition = job_definition(boto, AMD)
    proc = submit(aws_playbook, queues["x86"], definition, tmp_path, check=True)
    assert "the right cpu" in proc.output
    assert [job["status"] for job in jobs(boto, queues["x86"]) if job["jobName"] == definition] == ["SUCCEEDED"]


def test_an_arm64_queue_takes_the_arm64_image(images, aws_playbook, boto, queues, tmp_path):
    definition = job_definition(boto, ARM)
    proc = submit(aws_playbook, queues["arm"], definition, tmp_path, "--check", check=True)
    assert "Check mode: would submit job" in proc.flat and "cannot run" not in proc.flat
    amd = submit(aws_playbook, queues["arm"], job_definition(boto, AMD), tmp_path, "--check", check=False)
    assert f"Image {AMD} is built for amd64, but compute environment {queues['arm']}" in amd.flat
    assert "build it for linux/arm64 (PLATFORM=linux/arm64)" in amd.flat


def test_an_image_of_unknown_architecture_is_a_warning(images, aws_playbook, boto, queues, tmp_path):
    image = f"123456789012.dkr.ecr.eu-west-1.amazonaws.com/{PREFIX}-nowhere:1"
    proc = submit(aws_playbook, queues["x86"], job_definition(boto, image), tmp_path, "--check", check=True)
    assert f"The architecture of image {image} is not known" in proc.flat
    assert "Check mode: would submit job" in proc.flat
    off = submit(aws_playbook, queues["x86"], job_definition(boto, ARM), tmp_path, "--check", check=True,
                 batch_job_architecture_check=False)
    assert "Check mode: would submit job" in off.flat


def registered(boto, name: str) -> list[dict]:
    return boto("batch").describe_job_definitions(jobDefinitionName=name, status="ACTIVE")["jobDefinitions"]


def test_register_refuses_a_fargate_x86_job_definition_for_an_arm64_image(images, aws_playbook, boto, tmp_path):
    name = f"{PREFIX}-fargate"
    extra = {"image_uri": ARM, "output_file": str(tmp_path / "out.json"),
             "batch_job_definition_config": {"name": name, **FARGATE}}
    proc = aws_playbook("playbooks/register.yml", extra=extra, check=False)
    assert (f"Image {ARM} is built for arm64, but job definition {name} (Fargate, cpu_architecture X86_64) cannot"
            " run arm64") in proc.flat
    assert registered(boto, name) == []

    extra["batch_job_definition_config"]["fargate"] = {"cpu_architecture": "ARM64"}
    ok = aws_playbook("playbooks/register.yml", extra=extra, check=True)
    assert "cannot run" not in ok.flat and recap(ok.output)["failed"] == 0
    [definition] = registered(boto, name)
    assert definition["containerProperties"]["runtimePlatform"]["cpuArchitecture"] == "ARM64"


def test_register_refuses_an_image_the_batch_configs_environment_cannot_run(images, aws_playbook, boto, tmp_path):
    name = f"{PREFIX}-ec2"
    config = tmp_path / "BatchConfig.yml"
    config.write_text(f"job_definition:\n  name: {name}\ncompute_environment:\n  name: {PREFIX}-env\n"
                      "  type: SPOT\n  instance_types: [c5, m5.large]\n")
    proc = aws_playbook("playbooks/register.yml", check=False, extra={
        "image_uri": ARM, "batch_config_file": str(config), "output_file": str(tmp_path / "out.json")})
    assert (f"but compute environment {PREFIX}-env (instance types c5, m5.large: amd64) cannot run arm64"
            ) in proc.flat
    assert registered(boto, name) == []


def test_the_record_tells_the_architecture_once_the_engine_forgot_the_image(images, aws_playbook, boto, queues,
                                                                           registry, tmp_path):
    local = f"{PREFIX}-pushed:1"
    docker("tag", ARM, local)
    out = tmp_path / "out.json"
    repository = f"dw/{PREFIX}-pushed"
    aws_playbook("playbooks/push_image.yml", check=True, extra={
        "ecr_image": local, "ecr_repository": repository, "ecr_tag": "1", "ecr_registry": registry,
        "ecr_output_file": str(out)})
    record = json.loads(out.read_text())["image"]
    assert record["architecture"] == "arm64" and record["uri"] == f"{registry}/{repository}:1"
    docker("rmi", local, record["uri"])  # untagged only: ARM keeps the image itself

    proc = submit(aws_playbook, queues["x86"], job_definition(boto, record["uri"]), tmp_path, check=False,
                  output_file=str(out))
    assert f"Image {record['uri']} is built for arm64, but compute environment {queues['x86']}" in proc.flat
    assert jobs(boto, queues["x86"]) == [] or all(job["jobName"] != record["uri"] for job in jobs(boto, queues["x86"]))


def test_deploy_refuses_a_platform_its_job_definition_cannot_run_before_building(images, aws_playbook, boto,
                                                                                registry, tmp_path):
    name = f"{PREFIX}-deploy"
    config = tmp_path / "BatchConfig.yml"
    config.write_text(json.dumps({"job_definition": {"name": name, **FARGATE}}))
    proc = aws_playbook("playbooks/deploy.yml", check=False, extra={
        "program_path": str(images["folder"]), "dockerfile_mode": "keep", "image_name": name, "image_version": "1",
        "image_platform": "linux/arm64", "repository": f"dw/{name}", "ecr_registry": registry,
        "batch_config_file": str(config), "output_file": str(tmp_path / "out.json")})
    assert (f"Image {registry}/dw/{name}:1 is built for arm64, but job definition {name} (Fargate, cpu_architecture"
            " X86_64) cannot run arm64") in proc.flat
    assert docker("image", "inspect", f"{name}:1", check=False).returncode != 0  # nothing built
    assert registered(boto, name) == []


def test_a_build_on_the_engines_platform_warns_when_the_batch_config_says_otherwise(images, base_env, tmp_path):
    config = tmp_path / "BatchConfig.yml"
    arm = {"name": "iris", **FARGATE, "fargate": {"cpu_architecture": "ARM64"}}
    config.write_text(json.dumps({"job_definition": arm}))
    folder = tmp_path / "program"
    folder.mkdir()
    (folder / "main.py").write_text("print('x')\n")
    (folder / "Dockerfile").write_text('FROM scratch\nCOPY main.py /program/main.py\nCMD ["/program/main.py"]\n')
    proc = subprocess.run(["make", "dockerize", f"PROGRAM={folder}", "DOCKERFILE_MODE=keep", f"IMAGE={PREFIX}-warn",
                           "VERSION=1", f"BATCH_CONFIG={config}"], cwd=ROOT, env=base_env, capture_output=True,
                          text=True)
    output = " ".join((proc.stdout + proc.stderr).split())
    assert proc.returncode == 0, output[-3000:]
    engine = docker("version", "-f", "{{.Server.Arch}}").stdout.strip()
    if engine == "arm64":
        pytest.skip("the engine builds for arm64 already")
    assert (f"{PREFIX}-warn:1 is built for {engine} (the Docker engine's own platform), but it will run on arm64:"
            " give PLATFORM=linux/arm64 (image_platform)") in output


def emulates_arm64() -> bool:
    return subprocess.run(["bash", "scripts/qemu.sh", "check"], cwd=ROOT, capture_output=True).returncode == 0


@pytest.fixture(scope="module")
def emulation(engine):
    """QEMU's arm64 handler (make provision registers it). Without one the test is skipped on a laptop and fails in
    CI, like the tests that need an engine."""
    if not emulates_arm64():
        message = "no arm64 emulation on this machine (sudo make provision registers QEMU's)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)


def test_an_arm64_image_with_run_steps_is_built_under_emulation_and_runs(emulation, base_env, tmp_path):
    """The generated Dockerfile, RUN steps and all (the virtualenv, the install, an init script), built for
    linux/arm64 on this x86_64 engine: every step ran as aarch64, and the image runs as one."""
    folder = tmp_path / "arm-run"
    folder.mkdir()
    (folder / "main.py").write_text("import platform\nprint('machine', platform.machine())\n")
    (folder / "requirements.txt").write_text("")
    (folder / "init.sh").write_text("#!/bin/sh\nset -e\nuname -m > /etc/dockwright-build-machine\n")
    ref = f"{PREFIX}-armrun:1"
    try:
        proc = subprocess.run(["make", "dockerize", f"PROGRAM={folder}", f"IMAGE={PREFIX}-armrun", "VERSION=1",
                               "PLATFORM=linux/arm64"], cwd=ROOT, env=base_env, capture_output=True, text=True)
        output = " ".join((proc.stdout + proc.stderr).split())
        assert proc.returncode == 0, output[-3000:]
        assert architecture(ref) == "arm64" and f"{ref} is built: sha256:" in output and "linux/arm64." in output
        run = ["docker", "run", "--rm", "--platform", "linux/arm64", ref]
        assert subprocess.run([*run, "cat", "/etc/dockwright-build-machine"], capture_output=True,
                              text=True).stdout.strip() == "aarch64"
        assert subprocess.run(run, capture_output=True, text=True).stdout.strip() == "machine aarch64"
        assert subprocess.run([*run, "/opt/venv/bin/python", "-c", "import platform; print(platform.machine())"],
                              capture_output=True, text=True).stdout.strip() == "aarch64"
    finally:
        docker("rmi", "-f", ref, check=False)


def test_an_arm64_build_on_a_base_its_registry_serves_for_amd64_only_is_refused(emulation, registry, base_env,
                                                                                   tmp_path):
    """A registry that holds the base for amd64 alone hands it to an arm64 build, whose RUN steps then run x86_64
    binaries natively: the image would say arm64 and hold amd64 code. The run refuses it and leaves no such image."""
    base = f"{registry}/dw/amd64-only:{SUFFIX}"
    docker("tag", "python:3.11-slim", base)
    docker("push", base)
    folder = tmp_path / "arm-on-amd"
    folder.mkdir()
    (folder / "main.py").write_text("print('ok')\n")
    ref = f"{PREFIX}-armonamd:1"
    try:
        proc = subprocess.run(["make", "dockerize", f"PROGRAM={folder}", f"IMAGE={PREFIX}-armonamd", "VERSION=1",
                               "PLATFORM=linux/arm64", f"BASE_IMAGE={base}"], cwd=ROOT, env=base_env,
                              capture_output=True, text=True)
        output = " ".join((proc.stdout + proc.stderr).split())
        assert proc.returncode != 0, output[-3000:]
        assert (f"The base image {base} has no arm64 variant where it was pulled from: the build for linux/arm64 took"
                " its amd64 layers") in output
        assert docker("image", "inspect", ref, check=False).returncode != 0
    finally:
        docker("rmi", "-f", base, ref, check=False)
