"""The older tool's own way of running, through make, with only its files and no AWS variable in the environment:
a Config.ini naming an AwsConfig.ini (region and keys inside), push_to_ecr and create_job_def true (make run, as
`python main.py Config.ini` did), then make batch-env, make submit and make register with AWS_CONFIG= (as
`main_b.py BatchConfig.yml AwsConfig.ini` did). On the local AWS (moto server) and a local registry; moto runs the
job's container on the local engine. Also: the job definition's region from the profile (as with SSO)."""

from __future__ import annotations

import json
import shutil
import subprocess
import urllib.parse
import uuid

import pytest
from conftest import DUMMY_KEY_ID, DUMMY_SECRET, REGION, ROOT, batch_config_sections, batch_network, recap

pytestmark = [
    pytest.mark.dockerfile,
    pytest.mark.image,
    pytest.mark.ecr,
    pytest.mark.batch_job_definition,
    pytest.mark.batch_environment,
    pytest.mark.batch_job,
]

# A secret key with the characters that URL-encoding and escaping change, to look for in every form, and an access
# key id of the file's own.
SECRET = "dockwright/older+tool=Secret0123456789abcdef"
KEY_ID = "AKIAOLDERTOOLKEY0001"


def no_secret(proc):
    """Neither the AwsConfig.ini's keys nor the environment's secret appear in what make printed, in any form."""
    for secret in (SECRET, KEY_ID, DUMMY_SECRET):
        for form in (secret, urllib.parse.quote(secret, safe=""), urllib.parse.quote_plus(secret),
                     json.dumps(secret)[1:-1], secret.replace("/", "\\/")):
            assert form not in proc.output
    return proc


def make(env, target, *args):
    proc = subprocess.run(["make", "--no-print-directory", target, *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=1800)
    proc.output = proc.stdout + proc.stderr
    return no_secret(proc)


@pytest.fixture(scope="module")
def bare_env(base_env, moto, tmp_path_factory):
    """No AWS credentials anywhere: not in the environment, no shared credentials file, no instance metadata. Only
    the endpoint points at moto (the local stand-in for AWS), and AWS_PROFILE names a profile with another region
    and no keys, which the AwsConfig.ini's region and keys must win over."""
    files = tmp_path_factory.mktemp("aws-files")
    (files / "config").write_text("[profile elsewhere]\nregion = us-east-1\n")
    return {**base_env, "AWS_ENDPOINT_URL": moto, "AWS_CONFIG_FILE": str(files / "config"),
            "AWS_SHARED_CREDENTIALS_FILE": str(files / "credentials"), "AWS_EC2_METADATA_DISABLED": "true",
            "AWS_PROFILE": "elsewhere"}


@pytest.fixture(scope="module")
def older(engine, registry, boto, tmp_path_factory):
    root = tmp_path_factory.mktemp("older")
    name = f"old{uuid.uuid4().hex[:6]}"
    network = batch_network(boto, name, 45)
    program = root / "iris"
    shutil.copytree(ROOT / "examples" / "iris", program, ignore=shutil.ignore_patterns("Dockerfile", ".dockerignore"))
    (root / "AwsConfig.ini").write_text(f"[AWS]\nregion = {REGION}\naws_access_key_id = {KEY_ID}\n"
                                        f"aws_secret_access_key = {SECRET}\naws_id = 123456789012\n")
    (root / "BatchConfig.yml").write_text(f"""---
{batch_config_sections(name, network)}job_definition:
  name: {name}-iris
  command: [python, train.py]
  vcpus: 1
  memory: 512
""")
    (root / "Config.ini").write_text(f"""[Config]
program_path = {program}
image_name = {name}
image_version = 1.0.0
push_to_ecr = true
repository = ml/{name}
version = 2024-06-01
aws_config_file = {root / "AwsConfig.ini"}
create_job_def = true
batch_config_file = {root / "BatchConfig.yml"}
""")
    yield {"name": name, "root": root, "registry": registry, "out": root / "out.json",
           "uri": f"{registry}/ml/{name}:2024-06-01"}
    subprocess.run(["docker", "rmi", "-f", f"{name}:1.0.0", f"{registry}/ml/{name}:2024-06-01"], capture_output=True)


@pytest.fixture(scope="module")
def ran(older, bare_env):
    """make run CONFIG=Config.ini: dockerize, push, register, as the file asks."""
    proc = make(bare_env, "run", f"CONFIG={older['root'] / 'Config.ini'}", f"REGISTRY={older['registry']}",
                f"OUTPUT={older['out']}", "ANSIBLE_ARGS=-v")
    assert proc.returncode == 0, proc.output[-5000:]
    return proc


def test_make_run_does_what_the_config_ini_asks(older, ran, boto):
    out = json.loads(older["out"].read_text())
    assert out["image"]["uri"] == older["uri"]
    assert out["job_definition"]["name"] == f"{older['name']}-iris"
    [definition] = boto("batch").describe_job_definitions(jobDefinitionName=f"{older['name']}-iris",
                                                          status="ACTIVE")["jobDefinitions"]
    assert definition["containerProperties"]["image"] == older["uri"]
    assert boto("ecr").describe_repositories(repositoryNames=[f"ml/{older['name']}"])["repositories"]


def test_batch_env_submit_and_register_with_the_aws_config_ini(older, ran, bare_env, boto):
    ini, batch_config = older["root"] / "AwsConfig.ini", older["root"] / "BatchConfig.yml"
    env_proc = make(bare_env, "batch-env", f"BATCH_CONFIG={batch_config}", f"AWS_CONFIG={ini}")
    assert env_proc.returncode == 0, env_proc.output[-5000:]
    queues = boto("batch").describe_job_queues(jobQueues=[f"{older['name']}-queue"])["jobQueues"]
    assert [queue["state"] for queue in queues] == ["ENABLED"]

    submit = make(bare_env, "submit", f"QUEUE={older['name']}-queue", f"AWS_CONFIG={ini}", f"OUTPUT={older['out']}")
    assert submit.returncode == 0, submit.output[-5000:]
    assert "iris model: trained on 105 rows, accuracy" in submit.output
    assert "SUCCEEDED" in submit.output

    # -vvv shows every module's arguments: the secret key stays masked (no_secret).
    register = make(bare_env, "register", f"BATCH_CONFIG={batch_config}", f"AWS_CONFIG={ini}",
                    f"OUTPUT={older['out']}", "ANSIBLE_ARGS=-vvv")
    assert register.returncode == 0, register.output[-5000:]
    assert recap(register.output)["changed"] == 0


def test_without_the_aws_config_ini_nothing_is_found(older, ran, bare_env):
    """The same run without AWS_CONFIG has no credentials at all: the AwsConfig.ini is what made it work."""
    proc = make(bare_env, "register", f"BATCH_CONFIG={older['root'] / 'BatchConfig.yml'}", f"OUTPUT={older['out']}")
    assert proc.returncode != 0
    assert "Traceback" not in proc.output


def test_a_wrong_key_in_the_aws_config_ini_is_named(older, bare_env, tmp_path):
    ini = tmp_path / "AwsConfig.ini"
    ini.write_text(f"[AWS]\nregoin = {REGION}\naws_access_key_id = {DUMMY_KEY_ID}\naws_secret_access_key = {SECRET}\n")
    proc = make(bare_env, "batch-env", f"BATCH_CONFIG={older['root'] / 'BatchConfig.yml'}", f"AWS_CONFIG={ini}")
    assert proc.returncode != 0
    assert "'regoin' (did you mean 'region'?)" in proc.output, proc.output[-3000:]


def test_register_takes_the_region_from_the_profile(older, base_env, moto, boto, tmp_path):
    """Keys in the environment, the region in the profile only (as with SSO): botocore finds it."""
    (tmp_path / "config").write_text(f"[default]\nregion = {REGION}\n")
    env = {**base_env, "AWS_ENDPOINT_URL": moto, "AWS_ACCESS_KEY_ID": DUMMY_KEY_ID,
           "AWS_SECRET_ACCESS_KEY": DUMMY_SECRET, "AWS_CONFIG_FILE": str(tmp_path / "config"),
           "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "credentials"), "AWS_EC2_METADATA_DISABLED": "true"}
    batch_config = tmp_path / "BatchConfig.yml"
    batch_config.write_text(f"job_definition:\n  name: {older['name']}-profile\n  command: [python, train.py]\n"
                            "  vcpus: 1\n  memory: 512\n")
    proc = make(env, "register", f"BATCH_CONFIG={batch_config}", f"IMAGE_URI={older['uri']}",
                f"OUTPUT={tmp_path / 'out.json'}")
    assert proc.returncode == 0, proc.output[-5000:]
    assert boto("batch").describe_job_definitions(jobDefinitionName=f"{older['name']}-profile",
                                                  status="ACTIVE")["jobDefinitions"]


@pytest.mark.parametrize("target", ["batch-env", "submit", "register"])
def test_a_region_that_is_not_one_stops_before_any_aws_call(older, bare_env, tmp_path, target):
    ini = tmp_path / "AwsConfig.ini"
    ini.write_text(f"region = eu-west\naws_access_key_id = {DUMMY_KEY_ID}\naws_secret_access_key = {SECRET}\n")
    proc = make(bare_env, target, f"BATCH_CONFIG={older['root'] / 'BatchConfig.yml'}", f"AWS_CONFIG={ini}",
                f"QUEUE={older['name']}-queue", f"JOB_DEFINITION={older['name']}-iris", f"IMAGE_URI={older['uri']}",
                f"OUTPUT={tmp_path / 'out.json'}")
    assert proc.returncode != 0
    assert f"region in {ini} 'eu-west' is not an AWS region name" in " ".join(proc.output.split()), proc.output[-3000:]


@pytest.mark.parametrize("target, role", [("batch-env", "batch_environment"), ("submit", "batch_job"),
                                          ("register", "batch_job_definition"), ("push-image", "ecr")])
def test_an_aws_config_ini_that_is_not_there_is_named_before_anything_runs(older, bare_env, tmp_path, target, role):
    missing = tmp_path / "AwsConfig.ini"
    proc = make(bare_env, target, f"BATCH_CONFIG={older['root'] / 'BatchConfig.yml'}", f"AWS_CONFIG={missing}",
                f"QUEUE={older['name']}-queue", f"JOB_DEFINITION={older['name']}-iris", f"IMAGE_URI={older['uri']}",
                "IMAGE=dockwright-test-absent:1", "REPOSITORY=dockwright-test/absent",
                f"OUTPUT={tmp_path / 'out.json'}")
    assert proc.returncode != 0
    assert f"{role}_aws_config_file '{missing}' was not found (looked for {missing})" in " ".join(
        proc.output.split()), proc.output[-3000:]
    assert not (tmp_path / "out.json").exists()


def test_make_dockerize_points_at_make_run(older, ran, bare_env):
    """make dockerize builds the image only, and says that the Config.ini asks for more."""
    config = older["root"] / "Config.ini"
    proc = make(bare_env, "dockerize", f"CONFIG={config}")
    assert proc.returncode == 0, proc.output[-5000:]
    assert (f"also asks for the push to ECR (push_to_ecr) and the job definition (create_job_def), which make dockerize"
            f" leaves out: make run CONFIG={config}") in " ".join(proc.output.split())
