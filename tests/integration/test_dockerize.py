"""make dockerize end to end on the real engine: build each example, run it, rebuild, break it."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest
from ansible_collections.dockwright.toolkit.plugins.module_utils.folder_lock import acquire, release
from ansible_collections.dockwright.toolkit.plugins.module_utils.secrets import secret_forms
from conftest import ROOT, docker, recap
from servers import MODULE, PACKAGE, private_index, publish

pytestmark = [pytest.mark.dockerfile, pytest.mark.image]

DOCKERIZE = "playbooks/dockerize.yml"
EXPECTED = {
    "iris": "iris model: trained on 105 rows, accuracy",
    "sensors": "sensors calibrated: 3",
    "churn": "churn 0.3.0 scored 3 customers",
}


def image_id(ref):
    return docker("image", "inspect", "--format", "{{.Id}}", ref).stdout.strip()


def image_size(ref):
    return int(docker("image", "inspect", "--format", "{{.Size}}", ref).stdout.strip())


def layers(ref):
    return json.loads(docker("image", "inspect", "--format", "{{json .RootFS.Layers}}", ref).stdout)


def copy_example(tmp_path, name):
    path = tmp_path / name
    shutil.copytree(ROOT / "examples" / name, path, ignore=shutil.ignore_patterns("Dockerfile", ".dockerignore"))
    return path


@pytest.fixture(scope="module")
def built(engine, playbook, tmp_path_factory):
    """Each example dockerized once from a private copy, with no setting beyond the image's name (sensors' init.sh
    runs by convention); yields {name: (folder, image ref)}."""
    images = {}
    root = tmp_path_factory.mktemp("examples")
    for name in EXPECTED:
        path = copy_example(root, name)
        ref = f"dockwright-test-{name}:it"
        playbook(DOCKERIZE, extra={"program_path": str(path), "image_name": ref.split(":")[0], "image_version": "it"},
                 check=True)
        images[name] = (path, ref)
    yield images
    for _, ref in images.values():
        docker("rmi", "-f", ref, check=False)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_runs_with_its_real_output(built, name):
    _, ref = built[name]
    run = docker("run", "--rm", ref)
    assert EXPECTED[name] in run.stdout, run.stdout + run.stderr


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_runs_as_non_root_in_program(built, name):
    _, ref = built[name]
    out = docker("run", "--rm", "--entrypoint", "sh", ref, "-c", "id -u; pwd; ls /program").stdout.split("\n")
    assert out[0] == "10001" and out[1] == "/program"
    config = json.loads(docker("image", "inspect", "--format", "{{json .Config}}", ref).stdout)
    assert config["User"] == "10001:10001" and config["WorkingDir"] == "/program"
    assert config["Labels"]["org.opencontainers.image.title"] == f"dockwright-test-{name}"
    assert config["Labels"]["org.opencontainers.image.version"] == "it"


def image_platform(ref: str) -> str:
    return docker("image", "inspect", "--format", "{{.Os}}/{{.Architecture}}", ref).stdout.strip()


def test_rerun_changes_nothing(built, playbook):
    path, ref = built["iris"]
    before = image_id(ref)
    proc = playbook(DOCKERIZE, extra={"program_path": str(path), "image_name": ref.split(":")[0],
                                      "image_version": "it"}, check=True)
    assert recap(proc.output)["changed"] == 0, proc.output
    assert image_id(ref) == before
    # Told as a report: what the roles say, one line each, and the recap; none of Ansible's task by task trace.
    lines = proc.output[:proc.output.index("PLAY RECAP")].split("\n")
    assert [line for line in lines if line.strip()] == [
        f"Nothing in {path} names a Python version (runtime.txt, .python-version or pyproject.toml requires-python),"
        " so the image uses Python 3.11.",
        "Dependencies: requirements.txt.",
        # The build key decided the no-op: no build, no module run for it.
        f"{ref} is up to date: {before}, {image_platform(ref).split('/')[-1]} (nothing that goes into the build"
        " changed).",
    ], proc.output


def test_verbose_brings_back_the_whole_trace(built, playbook):
    path, ref = built["iris"]
    proc = playbook(DOCKERIZE, "-v", extra={"program_path": str(path), "image_name": ref.split(":")[0],
                                            "image_version": "it"}, check=True)
    assert recap(proc.output)["changed"] == 0
    for banner in ("PLAY [Dockerize a program folder]", "TASK [dockerfile : Check the program folder, its files and",
                   "Validating arguments against arg spec 'validate'", "TASK [image : Report the image]"):
        assert banner in proc.output
    assert "ok: [localhost]" in proc.output and f"msg: '{ref} is up to date" in proc.flat


def test_code_change_rebuilds_code_layer_only(built, playbook):
    path, ref = built["iris"]
    before = layers(ref)
    train = path / "train.py"
    train.write_text(train.read_text().replace('GREETING = "iris model"', 'GREETING = "iris model v2"'))
    proc = playbook(DOCKERIZE, extra={"program_path": str(path), "image_name": ref.split(":")[0],
                                      "image_version": "it"}, check=True)
    assert recap(proc.output)["changed"] == 1  # the image; the Dockerfile did not change
    assert "changed: image : Build the image with BuildKit: " + ref in proc.output
    assert f"{ref} is built: sha256:" in proc.output and "TASK [" not in proc.output
    after = layers(ref)
    # Same base, user and virtualenv layers (the dependencies were not reinstalled); only the code layer differs.
    assert after[:-1] == before[:-1] and after[-1] != before[-1]
    assert "iris model v2: trained" in docker("run", "--rm", ref).stdout


def test_plain_docker_build_of_generated_dockerfile(built):
    """The generated Dockerfile is a plain BuildKit Dockerfile: docker build builds it by hand, the CA bundle given as
    the build secret its header names (the test machines' TLS is intercepted, as behind many corporate proxies)."""
    path, _ = built["sensors"]
    ref = "dockwright-test-plain:it"
    header = (path / "Dockerfile").read_text().split("\nARG ")[0]
    assert "docker build -t <name> <this folder>" in header and "--secret id=build-ca,src=<bundle.pem>" in header
    proc = subprocess.run(["docker", "build", "-q", "--secret", "id=build-ca,src=/etc/ssl/certs/ca-certificates.crt",
                           "-t", ref, str(path)], capture_output=True, text=True,
                          env={"PATH": "/usr/local/bin:/usr/bin:/bin"})
    try:
        assert proc.returncode == 0, proc.stderr
        assert "sensors calibrated: 3" in docker("run", "--rm", ref).stdout
    finally:
        docker("rmi", "-f", ref, check=False)


SECRET = "TOPSECRET-dockwright-4242"


def test_credentials_stay_out_of_the_image(engine, playbook, tmp_path):
    """Credential files stay out of the build context, and the index credentials and the CA bundle out of everything
    the engine keeps: the image's layers, history and configuration, and BuildKit's cache records."""
    path = tmp_path / "leaky"
    path.mkdir()
    (path / "main.py").write_text("print('ok')\n")
    # A requirement line of its own, so the dependency step really runs here, not taken from the cache.
    (path / "requirements.txt").write_text(f"six==1.16.0  # {os.urandom(6).hex()}\n")
    (path / ".env").write_text(f"API_TOKEN={SECRET}\n")
    (path / "AwsConfig.ini").write_text(f"[aws]\naws_secret_access_key = {SECRET}\n")
    (path / "deploy.pem").write_text(f"-----BEGIN PRIVATE KEY-----\n{SECRET}\n")
    (path / ".aws").mkdir()
    (path / ".aws" / "credentials").write_text(f"aws_secret_access_key={SECRET}\n")
    # The CA bundle lent to the build: the host's, with a line that no image may carry.
    marker = f"# dockwright-ca-marker-{os.urandom(6).hex()}"
    bundle = tmp_path / "ca.pem"
    bundle.write_text(marker + "\n" + Path("/etc/ssl/certs/ca-certificates.crt").read_text())
    ref = "dockwright-test-leaky:it"
    extra = {"program_path": str(path), "image_name": "dockwright-test-leaky", "image_version": "it",
             "image_ca_bundle": str(bundle),
             "image_pip_index_url": f"https://dockwright:{SECRET}@pypi.org/simple",
             "image_pip_extra_index_url": f"https://pypi.org/simple https://extra:{SECRET}x@pypi.org/simple"}
    forms = [form.encode() for secret in (SECRET, f"dockwright:{SECRET}") for form in secret_forms(secret)]
    try:
        proc = playbook(DOCKERIZE, "-v", extra=extra, check=True)
        assert SECRET not in proc.output
        assert SECRET not in (path / "Dockerfile").read_text()
        listing = docker("run", "--rm", "--entrypoint", "sh", ref, "-c", "ls -A /program").stdout.split()
        assert sorted(listing) == ["main.py", "requirements.txt"]
        # The dependency step ran with the index given (pip installed six through it).
        installed = docker("run", "--rm", ref, "python", "-c", "import six; print(six.__version__)").stdout
        assert installed.strip() == "1.16.0"
        seen = (docker("history", "--no-trunc", ref).stdout + docker("image", "inspect", ref).stdout).encode()
        assert not [form for form in forms if form in seen]
        environment = docker("image", "inspect", "--format", "{{json .Config.Env}}", ref).stdout
        assert "PIP_INDEX_URL" not in environment and "PIP_CERT" not in environment
        saved = subprocess.run(["docker", "save", ref], capture_output=True, check=True).stdout
        assert not [form for form in forms if form in saved]
        assert marker.encode() not in saved
        # No layer holds a file under /run/secrets (the mounts leave nothing behind).
        names = []
        with tarfile.open(fileobj=io.BytesIO(saved)) as image:
            for member in image.getmembers():
                if member.name.endswith("layer.tar"):
                    with tarfile.open(fileobj=image.extractfile(member)) as layer:
                        names += layer.getnames()
        assert names and not [name for name in names if name.startswith(("run/secrets/", "./run/secrets/"))]
        # BuildKit's cache records (what a later build or a cache export would take) name no secret either.
        records = docker("buildx", "du", "--verbose").stdout.encode()
        assert not [form for form in forms if form in records]
        # Another token (a rotated one) is not part of the cache key: nothing is rebuilt, the image is the same.
        image_id = docker("image", "inspect", "--format", "{{.Id}}", ref).stdout.strip()
        rotated = {**extra, "image_pip_index_url": f"https://dockwright:{SECRET}-rotated@pypi.org/simple"}
        proc = playbook(DOCKERIZE, extra=rotated, check=True)
        assert recap(proc.output)["changed"] == 0
        assert docker("image", "inspect", "--format", "{{.Id}}", ref).stdout.strip() == image_id
    finally:
        docker("rmi", "-f", ref, check=False)


@pytest.mark.parametrize(
    "files, extra, fragments",
    [
        ({"requirements.txt": "dockwright-no-such-package==9.9.9\n"}, {},
         ["The build failed at RUN", "pip install --requirement", "No matching distribution found"]),
        ({"init.sh": "#!/bin/sh\necho preparing data\nexit 3\n"}, {"init_file": "init.sh"},
         ["The build failed at RUN", "sh /tmp/init/init.sh", "preparing data", "exit code: 3"]),
    ],
)
def test_failed_build_is_readable_and_keeps_previous_image(engine, playbook, tmp_path, files, extra, fragments):
    path = tmp_path / "broken"
    path.mkdir()
    (path / "main.py").write_text("print('previous image')\n")
    ref = "dockwright-test-broken:it"
    base = {"program_path": str(path), "image_name": "dockwright-test-broken", "image_version": "it"}
    try:
        playbook(DOCKERIZE, extra=base, check=True)
        for name, text in files.items():
            (path / name).write_text(text)
        proc = playbook(DOCKERIZE, extra={**base, **extra}, check=False)
        for fragment in fragments:
            assert fragment in proc.output
        assert "Traceback" not in proc.output and '"logs"' not in proc.output
        assert "previous image" in docker("run", "--rm", ref).stdout
    finally:
        docker("rmi", "-f", ref, check=False)


def test_broken_instruction_in_edited_dockerfile(engine, playbook, tmp_path):
    path = tmp_path / "edited"
    path.mkdir()
    (path / "main.py").write_text("print('x')\n")
    base = {"program_path": str(path), "image_name": "dockwright-test-edited", "image_version": "it"}
    try:
        playbook(DOCKERIZE, extra=base, check=True)
        dockerfile = path / "Dockerfile"
        dockerfile.write_text(dockerfile.read_text().replace("USER 10001:10001", "RUN exit 7\nUSER 10001:10001"))
        proc = playbook(DOCKERIZE, extra={**base, "dockerfile_mode": "keep"}, check=False)
        assert "The build failed at RUN exit 7" in proc.output and "exit code: 7" in proc.output
    finally:
        docker("rmi", "-f", "dockwright-test-edited:it", check=False)


def test_no_engine_is_one_clear_message(playbook, tmp_path):
    path = tmp_path / "m"
    path.mkdir()
    (path / "main.py").write_text("")
    proc = playbook(DOCKERIZE, extra={"program_path": str(path)}, check=False,
                    env={"DOCKER_HOST": f"unix://{tmp_path}/no-engine.sock"})
    assert "No Docker engine answers" in proc.output and "make engine" in proc.output
    assert not (path / "Dockerfile").exists()


def test_config_ini_of_the_older_tool(engine, tmp_path, base_env):
    path = copy_example(tmp_path, "sensors")
    config = tmp_path / "Config.ini"
    config.write_text(f"[Config]\nprogram_path = {path}\ninit_file = init.sh\nimage_name = dockwright-test-ini\n"
                      "image_version = 0.9\n")
    try:
        proc = subprocess.run(["make", "dockerize", f"CONFIG={config}"], cwd=ROOT, env=base_env, capture_output=True,
                              text=True)
        assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
        assert "sensors calibrated: 3" in docker("run", "--rm", "dockwright-test-ini:0.9").stdout
    finally:
        docker("rmi", "-f", "dockwright-test-ini:0.9", check=False)


@pytest.mark.parametrize(
    "make_args, fragment",
    [
        (["PROGRAM=/nonexistent/model"], "program_path '/nonexistent/model' does not exist"),
        (["PROGRAM=examples/iris", "IMAGE=Iris Model"], "is not a valid Docker image name"),
        (["PROGRAM=examples/iris", "VERSION=-1"], "is not a valid Docker tag"),
        (["CONFIG=/nonexistent/Config.ini"], "config file '/nonexistent/Config.ini' was not found"),
        ([], "give the program folder"),
    ],
)
def test_make_dockerize_bad_input(make_args, fragment, base_env):
    proc = subprocess.run(["make", "dockerize", *make_args], cwd=ROOT, env=base_env, capture_output=True, text=True)
    assert proc.returncode != 0
    assert fragment in proc.stdout + proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr


def test_vars_file_that_does_not_parse(tmp_path, base_env):
    bad = tmp_path / "vars.yml"
    bad.write_text("program_path: [unclosed\n")
    proc = subprocess.run(["make", "dockerize", f"VARS={bad}"], cwd=ROOT, env=base_env, capture_output=True,
                          text=True)
    assert proc.returncode != 0
    assert str(bad) in proc.stdout + proc.stderr


def test_a_long_build_shows_that_it_is_working(engine, playbook, tmp_path):
    """The user sees which image is being built, in which order, and a line every few seconds while it works."""
    path = tmp_path / "slow"
    path.mkdir()
    (path / "main.py").write_text("print('slow program ran')\n")
    # A line of its own, so that BuildKit's cache of an earlier run on this engine never spares the sleep.
    (path / "init.sh").write_text(f"#!/bin/sh\nset -e\n# {os.urandom(6).hex()}\nsleep 4\necho setup done\n")
    proc = playbook(DOCKERIZE, extra={"program_path": str(path), "image_name": "dockwright-test-slow",
                                      "image_version": "it", "init_file": "init.sh"},
                    env={"DOCKWRIGHT_HEARTBEAT": "1"}, check=True)
    try:
        output = proc.output
        build = "Build the image with BuildKit: dockwright-test-slow:it"
        beats = [line for line in output.splitlines() if line.startswith(f"... still running: image : {build} (")]
        assert len(beats) >= 3, output[-3000:]  # about one a second for the 4 s the init script sleeps
        # Each beat comes after the line saying what is built, and before the build's result.
        assert output.index("Building dockwright-test-slow:it from") < output.index(beats[0])
        assert output.index(beats[-1]) < output.index(f"changed: image : {build}")
        assert output.index(f"changed: image : {build}") < output.index("dockwright-test-slow:it is built: sha256:")
        assert "slow program ran" in docker("run", "--rm", "dockwright-test-slow:it").stdout
    finally:
        docker("rmi", "-f", "dockwright-test-slow:it", check=False)


def test_ca_bundle_given_relative_to_the_working_directory(engine, playbook, tmp_path):
    """CA_BUNDLE=./corporate-ca.pem: the path is the user's, relative to where they run make; the dependency install
    trusts it (on this network, nothing installs without it)."""
    bundle = tmp_path / "corporate-ca.pem"
    shutil.copy(os.environ.get("PIP_CERT") or "/etc/ssl/certs/ca-certificates.crt", bundle)
    path = tmp_path / "withca"
    path.mkdir()
    (path / "main.py").write_text("import six\nprint('six', six.__version__)\n")
    (path / "requirements.txt").write_text("six==1.16.0\n")
    ref = "dockwright-test-withca:it"
    try:
        playbook(DOCKERIZE, extra={"program_path": str(path), "image_name": "dockwright-test-withca",
                                   "image_version": "it", "image_ca_bundle": os.path.relpath(bundle, ROOT)},
                 check=True)
        assert "six 1.16.0" in docker("run", "--rm", ref).stdout
    finally:
        docker("rmi", "-f", ref, check=False)


def test_tags_validate_checks_every_role_and_changes_nothing(engine, playbook, tmp_path):
    """--tags validate runs the chain's preflight alone: every role checked, nothing written or built; a bad input
    of the second role still fails it."""
    path = copy_example(tmp_path, "sensors")
    extra = {"program_path": str(path), "image_name": "dockwright-test-validate-only", "image_version": "it",
             "init_file": "init.sh"}
    proc = playbook(DOCKERIZE, "--tags", "validate", "-v", extra=extra, check=True)  # -v: the task trace
    assert recap(proc.output)["changed"] == 0
    assert "TASK [dockerfile : Remember that these inputs passed" in proc.output
    assert "TASK [image : Remember that these inputs passed, and publish the architecture" in proc.output
    assert not (path / "Dockerfile").exists() and not (path / ".dockerignore").exists()
    assert docker("image", "inspect", "dockwright-test-validate-only:it", check=False).returncode != 0

    failed = playbook(DOCKERIZE, "--tags", "validate", extra={**extra, "image_version": "-bad"}, check=False)
    assert "image_version '-bad' is not a valid Docker tag" in failed.flat
    assert not (path / "Dockerfile").exists()


def test_chain_checks_every_role_before_the_first_change(engine, playbook, tmp_path):
    """A bad input of a later role (the image's tag) stops the run before the earlier role (the Dockerfile) writes."""
    path = copy_example(tmp_path, "iris")
    proc = playbook(DOCKERIZE, extra={"program_path": str(path), "image_version": "-bad"}, check=False)
    assert "image_version '-bad' is not a valid Docker tag" in proc.flat
    assert not (path / "Dockerfile").exists() and not (path / ".dockerignore").exists()


CREDENTIAL_FILES = [
    "sub/id_rsa", "sub/id_ed25519.pub", "deep/a/b/.netrc", "conf/.pypirc", "keys/server.key", "keys/site.pem",
    "nested/.ssh/config", "nested/.aws/credentials", "x/credentials.json", "svc/service-account-prod.json",
    "cfg/AwsConfig.ini", "deploy/.env", "deploy/.env.production", "infra/prod.tfvars", "infra/state/x.tfstate",
    "tools/venv/lib/leak.txt", "home/.git-credentials", "home/.docker/config.json", "home/.kube/config",
]


def test_credentials_at_any_depth_stay_out_and_code_named_like_build_folders_stays(engine, playbook, tmp_path):
    """Credential files below the top of the folder stay out of the image; a virtualenv is left out by what it is
    (a pyvenv.cfg); packages named env/ and build/ are code, imported by the program, and go in."""
    path = tmp_path / "deep-leaks"
    files = {"main.py": "from env.helper import word\nfrom build.tool import other\nprint(word, other)\n",
             "env/__init__.py": "", "env/helper.py": "word = 'env-code'\n",
             "build/__init__.py": "", "build/tool.py": "other = 'build-code'\n",
             "tools/venv/pyvenv.cfg": "home = /usr/bin\n"}
    files.update({name: f"secret={SECRET}\n" for name in CREDENTIAL_FILES})
    for name, text in files.items():
        (path / name).parent.mkdir(parents=True, exist_ok=True)
        (path / name).write_text(text)
    ref = "dockwright-test-deep-leaks:it"
    try:
        playbook(DOCKERIZE, extra={"program_path": str(path), "image_name": "dockwright-test-deep-leaks",
                                   "image_version": "it"}, check=True)
        assert docker("run", "--rm", ref).stdout.strip() == "env-code build-code"
        listing = docker("run", "--rm", "--entrypoint", "sh", ref, "-c", "cd /program && find . -type f").stdout
        shipped = sorted(line[2:] for line in listing.split())
        assert shipped == ["build/__init__.py", "build/tool.py", "env/__init__.py", "env/helper.py", "main.py"]
        saved = subprocess.run(["docker", "save", ref], capture_output=True, check=True).stdout
        assert SECRET.encode() not in saved
    finally:
        docker("rmi", "-f", ref, check=False)


@pytest.mark.parametrize("content, fragments", [
    ("[Config]\nprogram_path = PATH\nimage_nme = churn\n",
     ["unknown key(s) 'image_nme'", "did you mean 'image_name'?"]),
    ("[Config]\nprogram_path = PATH\nimage_name churn\n", ["line 3 is not 'key = value'"]),
    ('{"program_path": "PATH"}\n', ["is not a valid .ini file: it holds JSON"]),
])
def test_a_config_ini_with_a_mistake_is_refused_before_anything_is_written(content, fragments, tmp_path, base_env):
    path = copy_example(tmp_path, "iris")
    config = tmp_path / "Config.ini"
    config.write_text(content.replace("PATH", str(path)))
    proc = subprocess.run(["make", "dockerize", f"CONFIG={config}"], cwd=ROOT, env=base_env, capture_output=True,
                          text=True)
    output = " ".join((proc.stdout + proc.stderr).split())
    assert proc.returncode != 0
    for fragment in fragments:
        assert fragment in output, output[-3000:]
    assert not (path / "Dockerfile").exists()


def test_a_bad_image_name_is_not_followed_by_a_false_engine_message(engine, base_env):
    proc = subprocess.run(["make", "dockerize", "PROGRAM=examples/iris", "IMAGE=Iris Model"], cwd=ROOT, env=base_env,
                          capture_output=True, text=True)
    output = " ".join((proc.stdout + proc.stderr).split())
    assert proc.returncode != 0
    assert "image_name 'Iris Model' is not a valid Docker image name" in output
    assert "(for example 'iris-model')" in output
    assert "No Docker engine answers" not in output and "make engine" not in output


def test_a_folder_that_names_no_command_is_refused_until_one_is_given(engine, tmp_path, base_env):
    """Two scripts and no main.py: a bare `python` would exit 0 doing nothing (and a Batch job would succeed)."""
    path = tmp_path / "two-scripts"
    path.mkdir()
    (path / "prepare.py").write_text("print('prepared')\n")
    (path / "score.py").write_text("print('scored')\n")
    make = ["make", "dockerize", f"PROGRAM={path}", "IMAGE=dockwright-test-command", "VERSION=it"]
    proc = subprocess.run(make, cwd=ROOT, env=base_env, capture_output=True, text=True)
    output = " ".join((proc.stdout + proc.stderr).split())
    assert proc.returncode != 0 and "names no command to run" in output and "COMMAND=" in output
    assert not (path / "Dockerfile").exists()
    try:
        proc = subprocess.run([*make, "COMMAND=python score.py"], cwd=ROOT, env=base_env, capture_output=True,
                              text=True)
        assert proc.returncode == 0, proc.stdout[-3000:]
        assert docker("run", "--rm", "dockwright-test-command:it").stdout.strip() == "scored"
    finally:
        docker("rmi", "-f", "dockwright-test-command:it", check=False)


def test_a_package_defined_by_setup_py_alone_builds_and_runs(engine, tmp_path, base_env):
    """setup.py and no pyproject.toml: the base's own pip may predate building such a project in isolation (Debian
    bookworm's pip 23.0 runs setup.py bdist_wheel, which fails without the wheel package); the virtualenv's pinned pip
    builds it."""
    path = tmp_path / "setup-only"
    path.mkdir()
    (path / "setup.py").write_text("import setuptools\n\n"
                                   "setuptools.setup(name='greeter', version='0.1', py_modules=['greeter'])\n")
    (path / "greeter.py").write_text("def greet():\n    return 'hello from greeter 0.1'\n")
    (path / "main.py").write_text("import greeter\n\nprint(greeter.greet())\n")
    ref = "dockwright-test-setup-py:it"
    try:
        proc = subprocess.run(["make", "dockerize", f"PROGRAM={path}", "IMAGE=dockwright-test-setup-py",
                               "VERSION=it"], cwd=ROOT, env=base_env, capture_output=True, text=True)
        assert proc.returncode == 0, (proc.stdout + proc.stderr)[-3000:]
        assert docker("run", "--rm", ref).stdout.strip() == "hello from greeter 0.1"
        # Installed as a package into the virtualenv (not only importable next to main.py), by the pinned pip.
        where = docker("run", "--rm", "--workdir", "/", ref, "python", "-c", "import greeter; print(greeter.__file__)")
        assert where.stdout.strip().startswith("/opt/venv/lib/"), where.stdout
        pin = (ROOT / "roles" / "dockerfile" / "defaults" / "main.yml").read_text().split(
            "dockerfile_pip_version: ")[1].split()[0].strip('"')
        assert docker("run", "--rm", ref, "pip", "--version").stdout.startswith(f"pip {pin} ")
    finally:
        docker("rmi", "-f", ref, check=False)


@pytest.mark.parametrize("key", ["push_to_ecr", "create_job_def"])
def test_a_misspelt_boolean_in_a_vars_file_stops_the_run(key, playbook, tmp_path):
    """push_to_ecr: ture used to run without pushing and exit 0."""
    path = copy_example(tmp_path, "iris")
    variables = tmp_path / "vars.yml"
    variables.write_text(f"program_path: {path}\n{key}: ture\n")
    proc = playbook("site.yml", "-e", f"@{variables}", check=False)
    assert f"{key} is 'ture', which is neither true nor false (did you mean true?)" in proc.flat
    assert not (path / "Dockerfile").exists()


def test_a_credential_file_let_in_by_the_folders_own_dockerignore_stops_the_run(engine, base_env, tmp_path):
    """The folder's own .dockerignore is left alone and lets sub/id_rsa in: the build context is checked before the
    build, on every run (a rerun does not pass because an image exists already)."""
    path = tmp_path / "own-ignore"
    (path / "sub").mkdir(parents=True)
    (path / "main.py").write_text("print('ok')\n")
    (path / "sub" / "id_rsa").write_text(f"-----BEGIN OPENSSH PRIVATE KEY-----\n{SECRET}\n")
    (path / ".dockerignore").write_text(".git\n")
    ref = "dockwright-test-own-ignore:it"
    try:
        proc = subprocess.run(["make", "dockerize", f"PROGRAM={path}", "IMAGE=dockwright-test-own-ignore",
                               "VERSION=it"], cwd=ROOT, env=base_env, capture_output=True, text=True)
        output = " ".join((proc.stdout + proc.stderr).split())
        assert proc.returncode != 0
        assert (f"The build context {path} holds credential files that its .dockerignore lets in: sub/id_rsa."
                " Nothing was built.") in output
        assert SECRET not in output
        assert docker("image", "inspect", ref, check=False).returncode != 0  # nothing was built
        # An image made by hand from that folder, then a rerun: still refused.
        subprocess.run(["docker", "build", "-q", "--secret", "id=build-ca,src=/etc/ssl/certs/ca-certificates.crt",
                        "-t", ref, str(path)], capture_output=True, check=False)
        again = subprocess.run(["make", "dockerize", f"PROGRAM={path}", "IMAGE=dockwright-test-own-ignore",
                                "VERSION=it"], cwd=ROOT, env=base_env, capture_output=True, text=True)
        assert again.returncode != 0 and "holds credential files" in again.stdout + again.stderr
    finally:
        docker("rmi", "-f", ref, check=False)


def test_a_dockerfile_of_ones_own_gets_the_index_as_a_secret_and_the_run_warns_of_one_it_never_mounts(
        engine, base_env, tmp_path):
    path = tmp_path / "own-dockerfile"
    path.mkdir()
    (path / "main.py").write_text("print('ok')\n")
    (path / "Dockerfile").write_text(
        'FROM python:3.11-slim\n'
        'RUN --mount=type=secret,id=pip-index-url case "$(cat /run/secrets/pip-index-url)" in *:*@*) echo whole;;'
        ' *) exit 9;; esac\n'
        'COPY main.py /program/main.py\nCMD ["python", "/program/main.py"]\n')
    ref = "dockwright-test-own-dockerfile:it"
    env = {**base_env, "DOCKWRIGHT_PIP_INDEX_URL": f"https://dockwright:{SECRET}@pypi.org/simple",
           "DOCKWRIGHT_PIP_EXTRA_INDEX_URL": "https://pypi.org/simple"}
    try:
        proc = subprocess.run(["make", "dockerize", f"PROGRAM={path}", "DOCKERFILE_MODE=keep",
                               "IMAGE=dockwright-test-own-dockerfile", "VERSION=it"], cwd=ROOT, env=env,
                              capture_output=True, text=True)
        output = " ".join((proc.stdout + proc.stderr).split())
        assert proc.returncode == 0, output[-3000:]
        assert "Dockerfile never mounts the build secret of PIP_EXTRA_INDEX_URL (" in output
        assert "PIP_INDEX_URL or" not in output  # the index it mounts is not named
        assert SECRET not in output
        assert SECRET not in docker("history", "--no-trunc", ref).stdout
    finally:
        docker("rmi", "-f", ref, check=False)


def test_a_base_image_that_does_not_exist_is_named(engine, base_env, tmp_path):
    path = copy_example(tmp_path, "sensors")
    proc = subprocess.run(["make", "dockerize", f"PROGRAM={path}", "BASE_IMAGE=python:3.99-slim",
                           "IMAGE=dockwright-test-nobase", "VERSION=it"], cwd=ROOT, env=base_env, capture_output=True,
                          text=True)
    output = " ".join((proc.stdout + proc.stderr).split())
    assert proc.returncode != 0
    assert "The base image python:3.99-slim could not be pulled: check its name and tag" in output


def test_two_runs_on_one_folder_take_turns(engine, base_env, tmp_path):
    """While another run holds the folder, two runs started together both wait, then take turns: each image carries
    its own version label."""
    path = copy_example(tmp_path, "sensors")
    refs = {version: f"dockwright-test-turns:{version}" for version in ("v1", "v2")}
    assert acquire(str(path), os.getpid(), 0)  # this test is the other run
    held = True
    runs = [subprocess.Popen(["make", "dockerize", f"PROGRAM={path}", "INIT=init.sh", "IMAGE=dockwright-test-turns",
                              f"VERSION={version}"], cwd=ROOT, env=base_env, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True) for version in refs]
    try:
        lines = {run.pid: [] for run in runs}
        for run in runs:  # each says it waits, naming the holder, before anything is built
            for line in run.stdout:
                lines[run.pid].append(line)
                if "is in use by another dockwright run" in line:
                    assert f"(process {os.getpid()})" in line
                    break
            else:
                pytest.fail("".join(lines[run.pid]))
        assert all(run.poll() is None for run in runs)
        assert release(str(path), os.getpid())
        held = False
        outputs = ["".join(lines[run.pid]) + run.communicate(timeout=600)[0] for run in runs]
        assert [run.returncode for run in runs] == [0, 0], outputs
        for version, ref in refs.items():
            label = docker("image", "inspect", "--format",
                           '{{index .Config.Labels "org.opencontainers.image.version"}}', ref).stdout.strip()
            assert label == version
    finally:
        if held:
            release(str(path), os.getpid())
        for run in runs:
            run.kill()
            run.wait()
        docker("rmi", "-f", *refs.values(), check=False)


@pytest.mark.parametrize("playbook_path", ["playbooks/dockerize.yml", "site.yml"])
def test_a_config_error_is_told_once(playbook_path, playbook, tmp_path):
    config = tmp_path / "Config.ini"
    config.write_text(f"[Config]\nprogram_path = {copy_example(tmp_path, 'iris')}\nimage_nme = x\n")
    proc = playbook(playbook_path, extra={"dockwright_config_file": str(config)}, check=False)
    assert proc.output.count("has unknown key(s) 'image_nme'") == 1, proc.output[-3000:]


def test_a_private_index_with_credentials_is_installed_from_through_the_generated_dockerfile(engine, playbook,
                                                                                              tmp_path):
    """An index that refuses anonymous requests: the generated Dockerfile's install step reads its credentials from
    the build secret and installs from it; without them the same build is refused by the index. The token is in no
    output, layer, history or configuration."""
    root = tmp_path / "index"
    publish(root, "1.0")
    token = f"tok-{os.urandom(6).hex()}"
    path = tmp_path / "private"
    path.mkdir()
    (path / "main.py").write_text(f"import {MODULE}\nprint('private', {MODULE}.VERSION)\n")
    # A line of its own: BuildKit keys no cache on a secret, so an earlier run's install step must not be taken.
    (path / "requirements.txt").write_text(f"{PACKAGE}==1.0  # {os.urandom(6).hex()}\n")
    ref = "dockwright-test-private:it"
    with private_index(root, "dw", token) as (server, url):
        base = {"program_path": str(path), "image_name": "dockwright-test-private", "image_version": "it",
                "image_build_network": "host", "image_pip_extra_index_url": "https://pypi.org/simple"}
        try:
            refused = playbook(DOCKERIZE, extra={**base, "image_pip_index_url": url}, check=False)
            assert refused.returncode != 0 and server.refused > 0
            assert "The build failed at RUN" in refused.output and "pip install" in refused.output
            with_token = url.replace("http://", f"http://dw:{token}@")
            proc = playbook(DOCKERIZE, "-v", extra={**base, "image_pip_index_url": with_token}, check=True)
            assert docker("run", "--rm", ref).stdout.strip() == "private 1.0"
            forms = [form.encode() for form in secret_forms(token)]
            assert token not in proc.output + (path / "Dockerfile").read_text()
            seen = (docker("history", "--no-trunc", ref).stdout + docker("image", "inspect", ref).stdout).encode()
            saved = subprocess.run(["docker", "save", ref], capture_output=True, check=True).stdout
            assert not [form for form in forms if form in seen + saved]
        finally:
            docker("rmi", "-f", ref, check=False)
