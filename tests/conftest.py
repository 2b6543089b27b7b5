"""Shared fixtures: the real parts the tests talk to (Docker engine, moto server, a registry process, a package
index) and a helper that runs the project's playbooks the way a user does."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from ansible.utils.collection_loader._collection_finder import _AnsibleCollectionFinder
from servers import moto_process, package_index, publish, registry_process

ROOT = Path(__file__).resolve().parent.parent

# The collection dockwright.toolkit (collections/) imports as ansible_collections.dockwright.toolkit, next to the
# collections the ansible package bundles, through Ansible's own collection loader (what ansible-test installs).
_AnsibleCollectionFinder(paths=[str(ROOT / "collections")])._install()
VENV_BIN = Path(sys.executable).parent
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

DUMMY_KEY_ID = "AKIADOCKWRIGHTTEST01"
DUMMY_SECRET = "dockwright-test-secret-0123456789abcdefXYZ"
REGION = "eu-west-1"


def engine_answers() -> bool:
    try:
        return subprocess.run(["docker", "info"], capture_output=True, timeout=20).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


NO_ENGINE = "no Docker engine answers"


@pytest.fixture(scope="session")
def engine():
    """A Docker engine. Without one the test is skipped on a laptop but fails in CI (CI=true)."""
    if not engine_answers():
        message = f"{NO_ENGINE} (set one up with 'sudo make provision')"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return True


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_terminal_summary(terminalreporter):
    """A run that skipped the tests needing an engine says so in its last lines (after the short summary, just before
    pytest's final line): it proved far less than a full run."""
    yield
    skipped = [r for r in terminalreporter.stats.get("skipped", [])
               if isinstance(r.longrepr, tuple) and NO_ENGINE in str(r.longrepr[-1])]
    if skipped:
        terminalreporter.write_sep("=", "dockwright: engine tests skipped", yellow=True, bold=True)
        terminalreporter.write_line(
            f"{len(skipped)} tests that build, run or push images were skipped: {NO_ENGINE}. This run did not test "
            "the images; set up the engine, registry and base image with 'sudo make provision' and run again.")


class Playbook:
    """Runs ansible-playbook from the repository root like a user, returning the completed process."""

    def __init__(self, env: dict[str, str]):
        self.env = env

    def __call__(self, playbook: str, *args: str, extra: dict | None = None, check: bool | None = None,
                 env: dict[str, str] | None = None, timeout: int = 1800) -> subprocess.CompletedProcess:
        cmd = [str(VENV_BIN / "ansible-playbook"), playbook, *args]
        if extra:
            cmd += ["-e", json.dumps(extra)]
        proc = subprocess.run(cmd, cwd=ROOT, env={**self.env, **(env or {})}, capture_output=True, text=True,
                              timeout=timeout)
        proc.output = proc.stdout + proc.stderr
        # Messages folded by the YAML output, joined back: search this for a sentence.
        proc.flat = " ".join(proc.output.replace("''", "'").split())
        if check is True and proc.returncode != 0:
            raise AssertionError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.output[-6000:]}")
        if check is False and proc.returncode == 0:
            raise AssertionError(f"{' '.join(cmd)} succeeded but should have failed:\n{proc.output[-6000:]}")
        return proc


def recap(output: str) -> dict[str, int]:
    """The PLAY RECAP counters of an ansible-playbook run (ok, changed, failed, ...)."""
    for line in output.splitlines()[::-1]:
        if "ok=" in line and "changed=" in line:
            return {key: int(value) for key, value in (part.split("=") for part in line.split()[2:])}
    raise AssertionError(f"no PLAY RECAP in output:\n{output[-3000:]}")


@pytest.fixture(scope="session")
def base_env():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "ANSIBLE_"))}
    env["PATH"] = f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}"
    env["ANSIBLE_FORCE_COLOR"] = "0"
    env["ANSIBLE_NOCOLOR"] = "1"
    return env


@pytest.fixture(scope="session")
def playbook(base_env):
    return Playbook(base_env)


@pytest.fixture(scope="session")
def moto():
    """A moto server on 127.0.0.1 (ECR, Batch, IAM, EC2, STS, Logs, Lambda over HTTP). Yields its endpoint URL."""
    binary = shutil.which("moto_server", path=str(VENV_BIN)) or shutil.which("moto_server")
    if not binary:
        pytest.fail("moto_server is not installed (pip install -r requirements.txt)")
    with moto_process(binary) as url:
        yield url


@pytest.fixture(scope="session")
def aws_env(base_env, moto):
    """Environment for a run against the moto server with dummy credentials (boto3's standard variables)."""
    return {
        **base_env,
        "AWS_ENDPOINT_URL": moto,
        "AWS_ACCESS_KEY_ID": DUMMY_KEY_ID,
        "AWS_SECRET_ACCESS_KEY": DUMMY_SECRET,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_REGION": REGION,
    }


@pytest.fixture(scope="session")
def aws_playbook(aws_env):
    return Playbook(aws_env)


@pytest.fixture(scope="session")
def boto(moto):
    """A boto3 client factory pointed at the moto server."""
    import boto3

    def client(service: str):
        return boto3.client(service, endpoint_url=moto, region_name=REGION, aws_access_key_id=DUMMY_KEY_ID,
                            aws_secret_access_key=DUMMY_SECRET)

    return client


BATCH_TRUST = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": ["batch.amazonaws.com", "ec2.amazonaws.com", "lambda.amazonaws.com"]},
     "Action": "sts:AssumeRole"}]})


def batch_network(boto, name: str, octet: int) -> dict[str, str]:
    """What a compute environment needs and the tests do not manage, made with boto3: a service role, an instance
    role in an instance profile, a VPC 10.<octet>.0.0/16 with one subnet, and a security group."""
    iam, ec2 = boto("iam"), boto("ec2")
    service_role = iam.create_role(RoleName=f"{name}-service", AssumeRolePolicyDocument=BATCH_TRUST)["Role"]["Arn"]
    iam.create_role(RoleName=f"{name}-instance", AssumeRolePolicyDocument=BATCH_TRUST)
    profile = iam.create_instance_profile(InstanceProfileName=f"{name}-instance")["InstanceProfile"]["Arn"]
    iam.add_role_to_instance_profile(InstanceProfileName=f"{name}-instance", RoleName=f"{name}-instance")
    vpc = ec2.create_vpc(CidrBlock=f"10.{octet}.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.{octet}.1.0/24")["Subnet"]["SubnetId"]
    group = ec2.create_security_group(GroupName=name, Description="dockwright tests", VpcId=vpc)["GroupId"]
    return {"service_role": service_role, "instance_profile": profile, "subnet": subnet, "security_group": group,
            "instance_role_arn": profile.replace(":instance-profile/", ":role/")}


def docker(*args, check=True) -> subprocess.CompletedProcess:
    """The docker CLI, its output captured as text; raises on failure unless check=False."""
    return subprocess.run(["docker", *args], capture_output=True, text=True, check=check)


def batch_queue(boto, name: str, octet: int, instance_types=("optimal",)) -> str:
    """A managed EC2 compute environment and a job queue, both called name, on a batch_network, made with boto3 (the
    batch_environment role has its own tests). Returns the queue's name."""
    network = batch_network(boto, name, octet)
    environment = boto("batch").create_compute_environment(
        computeEnvironmentName=name, type="MANAGED", state="ENABLED", serviceRole=network["service_role"],
        computeResources={"type": "EC2", "minvCpus": 0, "maxvCpus": 4, "instanceTypes": list(instance_types),
                          "subnets": [network["subnet"]], "securityGroupIds": [network["security_group"]],
                          "instanceRole": network["instance_profile"]},
    )["computeEnvironmentArn"]
    boto("batch").create_job_queue(jobQueueName=name, state="ENABLED", priority=1,
                                   computeEnvironmentOrder=[{"order": 1, "computeEnvironment": environment}])
    return name


def batch_config_sections(name: str, network: dict[str, str]) -> str:
    """The compute_environment and job_queue sections of a BatchConfig.yml on a batch_network, named after `name`."""
    return f"""compute_environment:
  name: {name}-env
  type: EC2
  max_vcpus: 4
  subnets: [{network["subnet"]}]
  security_group_ids: [{network["security_group"]}]
  instance_role: {network["instance_profile"]}
  service_role: {network["service_role"]}
job_queue:
  name: {name}-queue
"""


def local_registry(root: Path, storage: str = ""):
    """servers.registry_process with Debian's docker-registry, or a failure that says how to install it."""
    binary = shutil.which("docker-registry") or "/usr/bin/docker-registry"
    if not os.path.exists(binary):
        pytest.fail("docker-registry is not installed (apt-get install docker-registry; .ci/run does)")
    return registry_process(binary, root, storage)


@pytest.fixture(scope="session")
def registry(engine, tmp_path_factory):
    """A local registry that takes pushes (and deletes). Yields host:port."""
    with local_registry(tmp_path_factory.mktemp("registry"), "delete: {enabled: true}") as address:
        yield address


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    """A simple index on 127.0.0.1 holding servers.PACKAGE 1.0, one a test module (a test may publish more).
    Yields (folder, URL)."""
    root = tmp_path_factory.mktemp("index")
    publish(root, "1.0")
    with package_index(root) as url:
        yield root, url
