"""The registry as build cache (cache_from: registry, make's CACHE_FROM=registry) through playbooks/push.yml: ECR's
control plane answered by moto, the image and its cache pushed to a local registry process. A fresh runner is played
by removing every image this module made from the engine (the base stays) before the next run; the program's
requirement line is unique, so no other image on the shared engine holds its dependency layers."""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import tarfile
import uuid

import pytest
from ansible_collections.dockwright.toolkit.plugins.module_utils.secrets import secret_forms
from conftest import docker, recap
from servers import registry_digest

PUSH = "playbooks/push.yml"
SUFFIX = uuid.uuid4().hex[:8]
SECRET = f"TOPSECRET-cache-{SUFFIX}"
MISS = "No registry build cache:"


def clean():
    """Remove every image and tag this module made (its names carry SUFFIX); the base and other tests' stay."""
    rows = [line.split() for line in docker("images", "--format", "{{.Repository}} {{.ID}}").stdout.splitlines()]
    made = sorted({image_id for repository, image_id in rows if SUFFIX in repository})
    if made:
        docker("rmi", "-f", *made, check=False)


def image_id(ref: str) -> str | None:
    found = docker("image", "inspect", "--format", "{{.Id}}", ref, check=False)
    return found.stdout.strip() if found.returncode == 0 else None


def layers(ref: str) -> list[str]:
    return docker("image", "inspect", "--format", "{{range .RootFS.Layers}}{{.}} {{end}}", ref).stdout.split()


@pytest.fixture(scope="module")
def program(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cached")
    # A requirement line of its own: the dependency stage is this module's alone.
    (folder / "requirements.txt").write_text(f"six==1.16.0  # {SUFFIX}\n")
    (folder / "main.py").write_text("print('cache run 0')\n")
    return folder


@pytest.fixture(scope="module")
def cache(engine, aws_playbook, registry, program):
    """Runs playbooks/push.yml with the registry cache; yields run(version, *args) and the names involved."""
    repository = f"dw/cache-{SUFFIX}"
    name = f"dockwright-test-cache-{SUFFIX}"

    def run(version, *args, check=True):
        extra = {"program_path": str(program), "image_name": name, "image_version": version,
                 "repository": repository, "ecr_registry": registry, "cache_from": "registry",
                 "output_file": str(program.parent / "out.json"),
                 # Index credentials: they must reach neither the output nor the cache image.
                 "image_pip_index_url": f"https://dockwright:{SECRET}@pypi.org/simple"}
        proc = aws_playbook(PUSH, *args, extra=extra, check=check)
        assert SECRET not in proc.output
        return proc

    def key():
        return hashlib.sha256((program / "requirements.txt").read_bytes()).hexdigest()[:16]

    yield {"run": run, "repository": repository, "name": name, "registry": registry, "key": key}
    clean()


@pytest.fixture(scope="module")
def first(cache):
    """The first push of this repository: no cache anywhere yet."""
    proc = cache["run"]("1")
    deps = f"{cache['registry']}/{cache['repository']}:deps-{cache['key']()}"
    return {"proc": proc, "deps": deps, "deps_id": image_id(deps), "image": f"{cache['name']}:1"}


def test_first_run_builds_without_the_cache_says_so_in_one_line_and_pushes_it(first, cache):
    lines = [line for line in first["proc"].output.splitlines() if MISS in line]
    assert len(lines) == 1, first["proc"].output[-4000:]
    assert f"{first['deps']} is not in the registry yet" in lines[0]
    key = cache["key"]()
    for tag in (f"deps-{key}", f"deps-{key}-image", "1"):
        assert registry_digest(cache["registry"], cache["repository"], tag), tag
    # The deps tag holds the dependency stage the engine built, as it is tagged locally.
    assert first["deps_id"]
    assert "Build cache pushed" in first["proc"].output


def test_a_second_push_with_nothing_changed_pushes_nothing(first, cache):
    key = cache["key"]()
    before = {tag: registry_digest(cache["registry"], cache["repository"], tag) for tag in (f"deps-{key}", "1")}
    proc = cache["run"]("1")
    assert recap(proc.output)["changed"] == 0, proc.output[-4000:]
    assert "Build cache pushed" not in proc.output
    assert MISS not in proc.output
    assert {tag: registry_digest(cache["registry"], cache["repository"], tag) for tag in before} == before


def test_on_an_empty_engine_a_code_change_reuses_the_dependency_layers(first, cache, program):
    old_layers = layers(first["image"])
    clean()
    assert image_id(first["deps"]) is None and image_id(first["image"]) is None
    (program / "main.py").write_text("print('cache run 2')\n")
    proc = cache["run"]("2", "-v")  # the whole trace: the login's password must not be in it either
    assert "-auth-token" not in proc.output  # moto's ECR passwords are "<account>-auth-token"
    assert MISS not in proc.flat
    assert "(pulled from the registry)" in proc.flat
    # The dependency stage is the pushed one, not a reinstall (which would make new layers), and so is every layer
    # of the image below the code.
    assert image_id(first["deps"]) == first["deps_id"]
    new_layers = layers(f"{cache['name']}:2")
    assert new_layers[:-1] == old_layers[:-1] and new_layers[-1] != old_layers[-1]
    assert docker("run", "--rm", f"{cache['name']}:2").stdout.strip() == "cache run 2"
    assert "Build cache pushed" not in proc.flat  # the registry has these dependencies already


def test_the_cache_image_holds_no_index_credentials_and_the_ca_bundle_as_documented(first, cache):
    """The pushed dependency stage (pulled back on the empty engine above) has the index credentials nowhere; it
    holds the CA bundle lent to the install, /tmp/build-ca.crt: certificates only, no key (README, "From CI")."""
    if image_id(first["deps"]) is None:
        subprocess.run(["docker", "pull", "-q", first["deps"]], check=True, capture_output=True)
    saved = subprocess.run(["docker", "save", first["deps"]], capture_output=True, check=True).stdout
    forms = [form.encode() for secret in (SECRET, f"dockwright:{SECRET}") for form in secret_forms(secret)]
    assert not [form for form in forms if form in saved]
    # The layer that holds the lent bundle holds it alone: the bundle, certificates only.
    with tarfile.open(fileobj=io.BytesIO(saved)) as image:
        bundles = []
        for member in image.getmembers():
            if member.name.endswith("layer.tar"):
                with tarfile.open(fileobj=image.extractfile(member)) as layer:
                    if "tmp/build-ca.crt" in layer.getnames():
                        bundles.append((layer.getnames(), layer.extractfile("tmp/build-ca.crt").read()))
    assert len(bundles) == 1 and set(bundles[0][0]) <= {"tmp", "tmp/build-ca.crt"}, bundles and bundles[0][0]
    assert b"BEGIN CERTIFICATE" in bundles[0][1] and b"PRIVATE KEY" not in bundles[0][1]
    assert SECRET not in docker("history", "--no-trunc", first["deps"]).stdout


def test_a_dependency_change_reinstalls(first, cache, program):
    clean()
    with open(program / "requirements.txt", "a") as handle:
        handle.write(f"# changed {os.urandom(4).hex()}\n")
    proc = cache["run"]("3")
    deps = f"{cache['registry']}/{cache['repository']}:deps-{cache['key']()}"
    assert deps != first["deps"]
    lines = [line for line in proc.output.splitlines() if MISS in line]
    assert len(lines) == 1 and f"{deps} is not in the registry yet" in lines[0], proc.output[-4000:]
    assert image_id(deps) not in (None, first["deps_id"])
    assert registry_digest(cache["registry"], cache["repository"], f"deps-{cache['key']()}")
