"""The ecr role through playbooks/push_image.yml: ECR's control plane answered by moto, the image pushed to a local
registry process (ecr_registry), outcomes checked with boto3, the registry's API and the docker CLI."""

from __future__ import annotations

import base64
import http.server
import json
import os
import subprocess
import threading
import urllib.error
import urllib.parse
import urllib.request
import uuid

import pytest
from conftest import DUMMY_KEY_ID, DUMMY_SECRET, REGION, docker, local_registry, recap
from servers import free_port, registry_digest

pytestmark = pytest.mark.ecr

PUSH = "playbooks/push_image.yml"
# moto's ECR passwords are "<account>-auth-token": they must never be printed either.
TOKEN_MARK = "-auth-token"
SUFFIX = uuid.uuid4().hex[:8]


def unique(prefix: str) -> str:
    """A repository name no other test sharing the moto server and the registry uses (SUFFIX marks this run's
    local tags for the clean-up)."""
    return f"{prefix}-{SUFFIX}-{uuid.uuid4().hex[:4]}"


def no_secrets(proc):
    """Neither the AWS secret nor an ECR password appears in what ansible-playbook printed, in any form: raw,
    URL-encoded, JSON-escaped, or base64 as in the registry's Basic authentication header."""
    for secret in (DUMMY_SECRET, TOKEN_MARK):
        for form in (secret, urllib.parse.quote(secret, safe=""), json.dumps(secret)[1:-1]):
            assert form not in proc.output
    for account in ("123456789012", "000000000000"):
        assert base64.b64encode(f"AWS:{account}-auth-token".encode()).decode() not in proc.output
    return proc


def failed_with(proc, *words):
    """The run failed with a readable message (no traceback) holding all the words."""
    assert proc.returncode != 0, proc.output[-3000:]
    assert "Traceback" not in proc.output, proc.output[-3000:]
    for word in words:
        assert word in proc.output, proc.output[-3000:]
    return no_secrets(proc)


@pytest.fixture(scope="module")
def images(engine, tmp_path_factory):
    """Two tiny images on the stand-in base; their layers are the same, only the command differs."""
    name = f"dockwright-test-ecr-{SUFFIX}"
    built = {}
    for key in ("one", "two"):
        folder = tmp_path_factory.mktemp(f"image-{key}")
        (folder / "Dockerfile").write_text(
            f'FROM python:3.11-slim\nCMD ["python3", "-c", "print(\\"dockwright ecr test {key}\\")"]\n')
        ref = f"{name}:{key}"
        subprocess.run(["docker", "build", "-q", "-t", ref, str(folder)], env={**os.environ, "DOCKER_BUILDKIT": "0"},
                       capture_output=True, text=True, check=True)
        built[key] = ref
    yield built
    # Everything this run made, by id: the two images, their registry tags and the digest-only references a pull
    # leaves behind once a tag has moved.
    rows = [line.split() for line in docker("images", "--format", "{{.Repository}} {{.ID}}").stdout.splitlines()]
    leftovers = sorted({image_id for repository, image_id in rows if SUFFIX in repository})
    if leftovers:
        docker("rmi", "-f", *leftovers, check=False)


@pytest.fixture
def push(aws_playbook, registry):
    """Runs playbooks/push_image.yml against moto and the local registry, checking that no secret is printed."""

    def run(extra, *args, check=None, env=None):
        return no_secrets(aws_playbook(PUSH, *args, extra={"ecr_registry": registry, **extra}, check=check, env=env))

    return run


@pytest.fixture
def bare(playbook, moto, registry, tmp_path):
    """Like push, but with an environment that holds no AWS credentials or region unless given, and no way to find
    some elsewhere (shared files, instance metadata)."""

    def run(extra, *args, env=None, check=None):
        isolated = {"AWS_ENDPOINT_URL": moto, "AWS_CONFIG_FILE": str(tmp_path / "no-config"),
                    "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "no-credentials"),
                    "AWS_EC2_METADATA_DISABLED": "true", **(env or {})}
        return no_secrets(playbook(PUSH, *args, extra={"ecr_registry": registry, **extra}, env=isolated, check=check))

    return run


@pytest.fixture(scope="module")
def first(images, aws_playbook, registry, tmp_path_factory):
    """One push of image one, run with -v: {proc, repository, tag, output file, settings}."""
    out = tmp_path_factory.mktemp("out") / "result.json"
    out.write_text(json.dumps({"job_definition": {"arn": "kept"}}))
    settings = {"ecr_image": images["one"], "ecr_repository": unique("dw/ecr-test"), "ecr_tag": "1.0",
                "ecr_registry": registry, "ecr_output_file": str(out), "ecr_scan_on_push": True,
                "ecr_image_tag_mutability": "MUTABLE", "ecr_lifecycle_keep_last": 5}
    proc = no_secrets(aws_playbook(PUSH, "-v", extra=settings, check=True))
    return {"proc": proc, "settings": settings, "out": out, "repository": settings["ecr_repository"],
            "uri": f"{registry}/{settings['ecr_repository']}:1.0"}


def test_first_push_creates_the_repository_as_asked(first, boto):
    assert recap(first["proc"].output)["changed"] >= 3  # repository, local tag, push (and the output file)
    ecr = boto("ecr")
    [repo] = ecr.describe_repositories(repositoryNames=[first["repository"]])["repositories"]
    assert repo["imageScanningConfiguration"]["scanOnPush"] is True
    assert repo["imageTagMutability"] == "MUTABLE"
    assert repo["encryptionConfiguration"]["encryptionType"] == "AES256"
    policy = json.loads(ecr.get_lifecycle_policy(repositoryName=first["repository"])["lifecyclePolicyText"])
    assert policy["rules"][0]["selection"]["countNumber"] == 5


def test_first_push_reports_and_records_uri_and_digest(first, images, registry):
    digest = registry_digest(registry, first["repository"], "1.0")
    architecture = docker("image", "inspect", "-f", "{{.Architecture}}", images["one"]).stdout.strip()
    assert digest and digest.startswith("sha256:")
    assert f"{first['uri']} pushed: digest {digest}" in first["proc"].output
    record = json.loads(first["out"].read_text())
    assert record["job_definition"] == {"arn": "kept"}
    assert record["image"] == {"uri": first["uri"], "digest": digest, "repository": first["repository"],
                               "tag": "1.0", "registry": registry, "architecture": architecture}


def test_rerun_pushes_nothing(first, push):
    before = first["out"].stat().st_mtime_ns
    proc = push(first["settings"], check=True)
    assert recap(proc.output)["changed"] == 0
    assert "nothing pushed" in proc.output
    assert "Push the image" not in proc.output  # decided by digest: the push task did not even run
    assert first["out"].stat().st_mtime_ns == before


def test_pushed_image_pulls_back_and_runs(first, images):
    expected = docker("run", "--rm", images["one"]).stdout
    assert "dockwright ecr test one" in expected
    docker("rmi", first["uri"])
    assert docker("image", "inspect", first["uri"], check=False).returncode != 0
    docker("pull", "-q", first["uri"])
    assert docker("run", "--rm", first["uri"]).stdout == expected


def test_kept_login_lands_in_the_given_docker_config(first, push, tmp_path, registry):
    proc = push({**first["settings"], "ecr_docker_config_dir": str(tmp_path / "docker")}, check=True)
    assert recap(proc.output)["changed"] == 0
    assert "ecr : Push the image" not in proc.output
    auths = json.loads((tmp_path / "docker" / "config.json").read_text())["auths"]
    assert registry in auths


def test_another_image_moves_a_mutable_tag(first, images, push, registry):
    """Image two has only layers the repository holds already: the engine uploads nothing, yet the tag must move
    and the run must say so (docker_image_push alone reports no change here)."""
    before = registry_digest(registry, first["repository"], "1.0")
    proc = push({**first["settings"], "ecr_image": images["two"]}, check=True)
    after = registry_digest(registry, first["repository"], "1.0")
    assert after != before
    assert recap(proc.output)["changed"] >= 2
    # The push task itself says it changed something, though the engine uploaded no layer.
    assert "changed: ecr : Push the image" in proc.output, proc.output[-3000:]
    assert json.loads(first["out"].read_text())["image"]["digest"] == after
    assert "dockwright ecr test two" in docker("run", "--rm", first["uri"]).stdout


def test_immutable_tag_refuses_another_image(images, push, registry, boto):
    settings = {"ecr_image": images["one"], "ecr_repository": unique("dw/immutable"), "ecr_tag": "v1",
                "ecr_image_tag_mutability": "IMMUTABLE"}
    push(settings, check=True)
    pushed = registry_digest(registry, settings["ecr_repository"], "v1")
    [repo] = boto("ecr").describe_repositories(repositoryNames=[settings["ecr_repository"]])["repositories"]
    assert repo["imageTagMutability"] == "IMMUTABLE"
    proc = push({**settings, "ecr_image": images["two"]})
    failed_with(proc, "already holds", "immutable", "new tag")
    assert registry_digest(registry, settings["ecr_repository"], "v1") == pushed
    rerun = push(settings, check=True)  # the same image again is fine
    assert recap(rerun.output)["changed"] == 0


def test_missing_region(images, bare):
    proc = bare({"ecr_image": images["one"], "ecr_repository": unique("dw/x")},
                env={"AWS_ACCESS_KEY_ID": DUMMY_KEY_ID, "AWS_SECRET_ACCESS_KEY": DUMMY_SECRET})
    failed_with(proc, "No AWS region is set", "ecr_region", "AWS_REGION")


def test_no_credentials(images, bare):
    proc = bare({"ecr_image": images["one"], "ecr_repository": unique("dw/x")}, env={"AWS_REGION": REGION})
    failed_with(proc, "No AWS credentials were found", "AWS_ACCESS_KEY_ID", "ecr_aws_config_file")


@pytest.mark.parametrize("extra, words", [
    ({"ecr_repository": "Team/Iris!"}, ["'Team/Iris!' is not a valid ECR repository name", "'team/iris'"]),
    ({"repository": "a"}, ["'a' is too short"]),  # the older tool's name
    ({"ecr_repository": "team/iris", "ecr_tag": "-bad"}, ["ecr_tag '-bad' is not a valid tag"]),
])
def test_invalid_inputs(images, push, extra, words):
    proc = push({"ecr_image": images["one"], **extra})
    failed_with(proc, *words)
    assert "Ensure the ECR repository exists" not in proc.output  # stopped before any change


def test_missing_local_image(push):
    failed_with(push({"ecr_image": f"dockwright-test-absent-{SUFFIX}:1", "ecr_repository": unique("dw/x")}),
                "is not on the local engine", "make dockerize")


def test_registry_unreachable(images, push):
    closed = f"127.0.0.1:{free_port()}"
    proc = push({"ecr_image": images["one"], "ecr_repository": unique("dw/x"), "ecr_registry": closed,
                 "ecr_retries": 1, "ecr_retry_delay": 0})
    failed_with(proc, f"{closed} does not answer", "after 2 attempts", "ecr_registry")


def test_ecr_api_unreachable(images, push):
    closed = f"http://127.0.0.1:{free_port()}"
    proc = push({"ecr_image": images["one"], "ecr_repository": unique("dw/x")}, env={"AWS_ENDPOINT_URL": closed})
    failed_with(proc, f"The ECR API at {closed} cannot be reached", "AWS_ENDPOINT_URL")


@pytest.fixture(scope="module")
def readonly_registry(engine, tmp_path_factory):
    """A registry that answers but takes no uploads, like a pull-only mirror."""
    storage = "maintenance: {readonly: {enabled: true}}"
    with local_registry(tmp_path_factory.mktemp("readonly-registry"), storage) as address:
        yield address


def test_refused_push_is_not_retried(images, push, readonly_registry):
    proc = push({"ecr_image": images["one"], "ecr_repository": unique("dw/x"), "ecr_registry": readonly_registry,
                 "ecr_retry_delay": 1})
    failed_with(proc, "does not take uploads")
    assert "RETRYING" not in proc.output


def test_the_throwaway_login_folder_is_gone_after_a_failed_push(images, push, readonly_registry, tmp_path):
    """The login lands in a throwaway Docker config folder: a refused push removes it all the same."""
    temp = tmp_path / "temp"
    temp.mkdir()
    proc = push({"ecr_image": images["one"], "ecr_repository": unique("dw/x"), "ecr_registry": readonly_registry,
                 "ecr_retry_delay": 1}, env={"TMPDIR": str(temp), "ANSIBLE_VERBOSITY": "1"})  # -v: task banners
    failed_with(proc, "does not take uploads")
    assert "TASK [ecr : Create a throwaway Docker config folder for the login]" in proc.output  # it was made...
    assert [path.name for path in temp.iterdir() if path.name.startswith("dockwright-ecr.")] == []  # ...and removed


def test_aws_config_ini(images, bare, boto, registry, tmp_path):
    """Credentials, region and account from the older tool's AwsConfig.ini, through the older tool's names."""
    ini = tmp_path / "AwsConfig.ini"
    ini.write_text(f"[AWS]\nregion = {REGION}\naws_access_key_id = {DUMMY_KEY_ID}\n"
                   f"aws_secret_access_key = {DUMMY_SECRET}\naws_id = 123456789012\n")
    repository = unique("dw/ini")
    out = tmp_path / "out.json"
    proc = bare({"ecr_image": images["one"], "repository": repository, "version": "from-ini",
                 "aws_config_file": str(ini), "ecr_output_file": str(out)}, "-v", check=True)
    assert boto("ecr").describe_repositories(repositoryNames=[repository])["repositories"]
    digest = registry_digest(registry, repository, "from-ini")
    assert json.loads(out.read_text())["image"]["digest"] == digest
    assert recap(proc.output)["changed"] >= 3


def test_no_secret_in_verbose_output_or_image_history(first, images, push, tmp_path):
    """-vvv shows module arguments and connection details: still neither the AWS secret nor the ECR password."""
    settings = {**first["settings"], "ecr_repository": unique("dw/verbose"), "ecr_output_file": str(tmp_path / "o")}
    push(settings, "-vvv", check=True)
    push({**settings, "ecr_image_tag_mutability": "IMMUTABLE", "ecr_image": images["two"]}, "-v", check=False)
    uri = f"{settings['ecr_registry']}/{settings['ecr_repository']}:1.0"
    history = docker("history", "--no-trunc", uri).stdout
    inspect = docker("image", "inspect", uri).stdout
    assert "dockwright ecr test one" in history
    assert DUMMY_SECRET not in history and DUMMY_SECRET not in inspect


def test_repository_settings_are_kept_in_step_on_later_runs(images, push, boto):
    """Scan on push, tag mutability and the lifecycle policy changed by hand are set back on the next run."""
    repository = unique("dw/in-step")
    settings = {"ecr_image": images["one"], "ecr_repository": repository, "ecr_scan_on_push": True,
                "ecr_image_tag_mutability": "MUTABLE", "ecr_lifecycle_keep_last": 4}
    push(settings, check=True)
    ecr = boto("ecr")
    ecr.put_image_scanning_configuration(repositoryName=repository, imageScanningConfiguration={"scanOnPush": False})
    ecr.put_image_tag_mutability(repositoryName=repository, imageTagMutability="IMMUTABLE")
    ecr.delete_lifecycle_policy(repositoryName=repository)
    proc = push(settings, check=True)
    assert "updated" in proc.output
    [repo] = ecr.describe_repositories(repositoryNames=[repository])["repositories"]
    assert repo["imageScanningConfiguration"]["scanOnPush"] is True and repo["imageTagMutability"] == "MUTABLE"
    policy = json.loads(ecr.get_lifecycle_policy(repositoryName=repository)["lifecyclePolicyText"])
    assert policy["rules"][0]["selection"]["countNumber"] == 4


def test_a_repository_with_other_encryption_is_refused(images, push, boto):
    """ECR cannot change a repository's encryption: the run says so instead of pushing into it."""
    repository = unique("dw/kms")
    key = "arn:aws:kms:eu-west-1:123456789012:key/00000000-0000-0000-0000-000000000000"
    boto("ecr").create_repository(repositoryName=repository,
                                  encryptionConfiguration={"encryptionType": "KMS", "kmsKey": key})
    proc = push({"ecr_image": images["one"], "ecr_repository": repository})
    failed_with(proc, f"The ECR repository {repository} exists with", "encryption", "ECR cannot change")


class _Refusing(http.server.BaseHTTPRequestHandler):
    """A registry that refuses everyone: 401 (who are you?) or 403 (not you), as its server's status says."""

    status = 401

    def _answer(self):
        body = json.dumps({"errors": [{"code": "UNAUTHORIZED" if self.status == 401 else "DENIED",
                                       "message": "authentication required" if self.status == 401
                                       else "requested access to the resource is denied"}]}).encode()
        self.send_response(self.status)
        if self.status == 401:
            self.send_header("WWW-Authenticate", 'Basic realm="dockwright-test"')
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_GET = do_HEAD = do_POST = do_PUT = do_PATCH = _answer

    def log_message(self, *args):
        pass


@pytest.mark.parametrize("status", [401, 403])
def test_a_registry_that_refuses_the_login_is_reported_not_retried(images, push, status):
    handler = type("Refusing", (_Refusing,), {"status": status})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        proc = push({"ecr_image": images["one"], "ecr_repository": unique("dw/x"),
                     "ecr_registry": f"127.0.0.1:{server.server_port}", "ecr_retry_delay": 1})
        words = {401: ["refused the login", "check ecr_registry, ecr_account_id and ecr_region"],
                 403: ["permission denied", "ecr:PutImage"]}[status]
        failed_with(proc, f"Logging into 127.0.0.1:{server.server_port} failed", *words)
        assert "RETRYING" not in proc.output
    finally:
        server.shutdown()
