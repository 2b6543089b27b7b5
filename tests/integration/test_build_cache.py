"""The registry as build cache (cache_from: registry, make's CACHE_FROM=registry) through playbooks/push.yml: ECR's
control plane answered by moto, the image pushed to a local registry process with BuildKit's inline cache, and the
cache tag pointed at it. A fresh runner is played by removing every image this module made from the engine (the base
stays) and the BuildKit cache records its builds made (found by comparing the engine's records before and after), so
that what a later build reuses can only come from the registry. The program's requirement line is unique, so no other
build on the shared engine holds its dependency step."""

from __future__ import annotations

import os
import re
import subprocess
import uuid

import pytest
from ansible_collections.dockwright.toolkit.plugins.module_utils.secrets import secret_forms
from conftest import docker, recap
from servers import registry_digest

pytestmark = [pytest.mark.image, pytest.mark.ecr]

PUSH = "playbooks/push.yml"
SUFFIX = uuid.uuid4().hex[:8]
SECRET = f"TOPSECRET-cache-{SUFFIX}"
MISS = "No registry build cache:"
USED = "Build cache: the inline cache of"


def cache_records() -> set[str]:
    return set(re.findall(r"^ID:\s+(\S+)", docker("buildx", "du", "--verbose").stdout, re.M))


def clean(records_before: set[str]):
    """Remove every image and tag this module made (its names carry SUFFIX) and the BuildKit cache records made since
    records_before; the base and other tests' images stay."""
    rows = [line.split() for line in docker("images", "--format", "{{.Repository}} {{.ID}}").stdout.splitlines()]
    made = sorted({image_id for repository, image_id in rows if SUFFIX in repository})
    if made:
        docker("rmi", "-f", *made, check=False)
    for record in sorted(cache_records() - records_before):
        docker("builder", "prune", "-f", "--filter", f"id={record}", check=False)


def image_id(ref: str) -> str | None:
    found = docker("image", "inspect", "--format", "{{.Id}}", ref, check=False)
    return found.stdout.strip() if found.returncode == 0 else None


def layers(ref: str) -> list[str]:
    return docker("image", "inspect", "--format", "{{range .RootFS.Layers}}{{.}} {{end}}", ref).stdout.split()


@pytest.fixture(scope="module")
def program(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cached")
    # A requirement line of its own: the dependency step is this module's alone.
    (folder / "requirements.txt").write_text(f"six==1.16.0  # {SUFFIX}\n")
    (folder / "main.py").write_text("print('cache run 0')\n")
    return folder


@pytest.fixture(scope="module")
def cache(engine, aws_playbook, registry, program):
    """Runs playbooks/push.yml with the registry cache; yields run(version, *args) and the names involved."""
    repository = f"dw/cache-{SUFFIX}"
    name = f"dockwright-test-cache-{SUFFIX}"
    records = cache_records()

    def run(version, *args, check=True):
        extra = {"program_path": str(program), "image_name": name, "image_version": version,
                 "repository": repository, "ecr_registry": registry, "cache_from": "registry",
                 "output_file": str(program.parent / "out.json"),
                 # Index credentials: they must reach neither the output nor anything pushed.
                 "image_pip_index_url": f"https://dockwright:{SECRET}@pypi.org/simple"}
        proc = aws_playbook(PUSH, *args, extra=extra, check=check)
        assert SECRET not in proc.output
        return proc

    yield {"run": run, "repository": repository, "name": name, "registry": registry,
           "ref": f"{registry}/{repository}", "clean": lambda: clean(records)}
    clean(records)


@pytest.fixture(scope="module")
def first(cache):
    """The first push of this repository: no cache anywhere yet."""
    proc = cache["run"]("1")
    return {"proc": proc, "image": f"{cache['name']}:1", "layers": layers(f"{cache['name']}:1")}


def test_first_run_builds_without_the_cache_says_so_in_one_line_and_points_the_cache_tag(first, cache):
    lines = [line for line in first["proc"].output.splitlines() if MISS in line]
    assert len(lines) == 1, first["proc"].output[-4000:]
    assert f"{cache['ref']}:buildcache is not in the registry yet" in lines[0]
    assert USED not in first["proc"].output
    digests = {tag: registry_digest(cache["registry"], cache["repository"], tag) for tag in ("1", "buildcache")}
    assert digests["1"] and digests["1"] == digests["buildcache"], digests
    assert f"Build cache: {cache['ref']}:buildcache now points at this image" in first["proc"].flat
    # The pushed image carries BuildKit's inline cache, which is what makes it a cache.
    config = docker("image", "inspect", "--format", "{{json .Config.Labels}}", first["image"]).stdout
    assert "dockwright.build.key" in config


def test_a_second_push_with_nothing_changed_builds_and_pushes_nothing(first, cache):
    before = {tag: registry_digest(cache["registry"], cache["repository"], tag) for tag in ("1", "buildcache")}
    proc = cache["run"]("1")
    assert recap(proc.output)["changed"] == 0, proc.output[-4000:]
    assert "now points at this image" not in proc.output and MISS not in proc.output
    assert f"{first['image']} is up to date" in proc.flat
    assert {tag: registry_digest(cache["registry"], cache["repository"], tag) for tag in before} == before


def test_on_an_empty_engine_a_code_change_takes_the_dependency_layers_from_the_registry(first, cache, program):
    cache["clean"]()
    assert image_id(first["image"]) is None
    (program / "main.py").write_text("print('cache run 2')\n")
    proc = cache["run"]("2", "-v")  # the whole trace: the login's password must not be in it either
    assert "-auth-token" not in proc.output  # moto's ECR passwords are "<account>-auth-token"
    used = re.search(rf"{re.escape(USED)} (\S+) .*?(\d+) of (\d+) steps cached, (\d+) layers pulled", proc.flat)
    assert used, proc.output[-4000:]
    assert used.group(1).startswith(f"{cache['ref']}:buildcache")
    cached, steps = int(used.group(2)), int(used.group(3))
    assert cached == steps - 1  # every step but the code
    # The layers below the code are the pushed ones, not a reinstall (which would make new layers).
    new_layers = layers(f"{cache['name']}:2")
    assert new_layers[:-1] == first["layers"][:-1] and new_layers[-1] != first["layers"][-1]
    assert docker("run", "--rm", f"{cache['name']}:2").stdout.strip() == "cache run 2"
    assert registry_digest(cache["registry"], cache["repository"], "buildcache") == registry_digest(
        cache["registry"], cache["repository"], "2")


def test_nothing_pushed_holds_the_index_credentials(first, cache):
    """What the registry holds (the image and the cache tag, layers, configuration, history) has the index
    credentials nowhere: they reached the build as a secret."""
    ref = f"{cache['ref']}:buildcache"
    subprocess.run(["docker", "pull", "-q", ref], check=True, capture_output=True)
    saved = subprocess.run(["docker", "save", ref], capture_output=True, check=True).stdout
    forms = [form.encode() for secret in (SECRET, f"dockwright:{SECRET}") for form in secret_forms(secret)]
    assert saved and not [form for form in forms if form in saved]
    assert SECRET not in docker("history", "--no-trunc", ref).stdout


def test_a_dependency_change_reinstalls_on_an_empty_engine(first, cache, program):
    cache["clean"]()
    with open(program / "requirements.txt", "a") as handle:
        handle.write(f"# changed {os.urandom(4).hex()}\n")
    proc = cache["run"]("3")
    used = re.search(rf"{re.escape(USED)} \S+ .*?(\d+) of (\d+) steps cached", proc.flat)
    assert used, proc.output[-4000:]
    cached, steps = int(used.group(1)), int(used.group(2))
    assert cached < steps - 1  # the dependency step and what follows ran again
    new_layers = layers(f"{cache['name']}:3")
    assert new_layers[:3] == first["layers"][:3]  # base, user, virtualenv: from the registry
    assert new_layers[3] != first["layers"][3]  # the dependencies: installed again
