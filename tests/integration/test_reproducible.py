"""What an image records about its environment (labels), and make diff between two images, on the real engine."""

from __future__ import annotations

import hashlib
import json
import subprocess

import pytest
from conftest import ROOT, docker, recap

pytestmark = [pytest.mark.dockerfile, pytest.mark.image, pytest.mark.image_diff]


def labels(ref):
    return json.loads(docker("image", "inspect", "--format", "{{json .Config.Labels}}", ref).stdout)


def make(target, base_env, *args):
    proc = subprocess.run(["make", target, *args], cwd=ROOT, env=base_env, capture_output=True, text=True)
    return proc, proc.stdout + proc.stderr


@pytest.fixture(scope="module")
def two_images(engine, base_env, tmp_path_factory):
    """One folder built twice: six 1.16.0, then six 1.17.0. Yields (folder, first ref, second ref)."""
    path = tmp_path_factory.mktemp("diff") / "differ"
    path.mkdir()
    (path / "main.py").write_text("import six\nprint(six.__version__)\n")
    refs = ("dockwright-test-diff:one", "dockwright-test-diff:two")
    try:
        for ref, version in zip(refs, ("1.16.0", "1.17.0"), strict=True):
            (path / "requirements.txt").write_text(f"six=={version}\n")
            proc, output = make("dockerize", base_env, f"PROGRAM={path}", "IMAGE=dockwright-test-diff",
                                f"VERSION={ref.split(':')[1]}")
            assert proc.returncode == 0, output[-3000:]
        yield path, *refs
    finally:
        docker("rmi", "-f", *refs, check=False)


def test_the_image_names_its_dependency_file_and_its_hash(two_images):
    path, _, second = two_images
    found = labels(second)
    assert found["dockwright.dependencies.file"] == "requirements.txt"
    expected = hashlib.sha256((path / "requirements.txt").read_bytes()).hexdigest()
    assert found["dockwright.dependencies.sha256"] == expected


def test_diff_shows_exactly_the_package_that_changed(two_images, base_env):
    _, first, second = two_images
    proc, output = make("diff", base_env, f"IMAGE={first}", f"OTHER={second}")
    assert proc.returncode == 0, output[-3000:]
    table = output[:output.index("PLAY RECAP")]  # the table is all make diff says before the recap
    rows = [line.split() for line in table.splitlines()]
    assert ["six", "1.16.0", "1.17.0"] in rows
    assert next(row for row in rows if "dependency" in row)[:3] == ["dependency", "file", "sha256"]
    assert "1 changed, 0 added, 0 removed of" in table
    assert not [row for row in rows if row and row[0] in ("Python", "base", "pip", "setuptools")]


def test_diff_of_an_image_with_itself_says_nothing_differs(two_images, base_env):
    _, first, _ = two_images
    proc, output = make("diff", base_env, f"IMAGE={first}", f"OTHER={first}")
    assert proc.returncode == 0, output[-3000:]
    flat = " ".join(output.split())
    assert f"{first} and {first} do not differ: base python:3.11-slim" in flat


def test_diff_names_an_image_that_is_missing(engine, base_env):
    proc, output = make("diff", base_env, "IMAGE=dockwright-test-diff-none:x", "OTHER=python:3.11-slim")
    flat = " ".join(output.split())
    assert proc.returncode != 0
    assert "dockwright-test-diff-none:x is not in the engine and cannot be pulled" in flat
    assert "Traceback" not in output


def test_the_base_digest_is_recorded_from_the_registry(engine, base_env, registry, tmp_path):
    """A base pulled from a registry: its digest is the image's org.opencontainers.image.base.digest label, the base
    is pulled before the build when missing, and a rerun changes nothing."""
    base = f"{registry}/library/python:3.11-slim"
    docker("tag", "python:3.11-slim", base)
    pushed = docker("push", base).stdout
    digest = next(word for word in pushed.split() if word.startswith("sha256:"))
    docker("rmi", base)  # the build must pull it
    path = tmp_path / "based"
    path.mkdir()
    (path / "main.py").write_text("print('based')\n")
    ref = "dockwright-test-based:it"
    args = (f"PROGRAM={path}", f"BASE_IMAGE={base}", "IMAGE=dockwright-test-based", "VERSION=it")
    try:
        proc, output = make("dockerize", base_env, *args)
        assert proc.returncode == 0, output[-3000:]
        assert labels(ref)["org.opencontainers.image.base.digest"] == digest
        assert labels(ref)["org.opencontainers.image.base.name"] == base
        proc, output = make("dockerize", base_env, *args)
        assert proc.returncode == 0 and recap(output)["changed"] == 0, output[-3000:]
    finally:
        docker("rmi", "-f", ref, base, check=False)


def test_diff_across_the_local_engine_and_a_pushed_image(two_images, base_env, registry):
    """The second image only in a registry (not in the engine): make diff pulls it to compare."""
    _, first, second = two_images
    remote = f"{registry}/dockwright-test-diff:two"
    docker("tag", second, remote)
    docker("push", remote)
    docker("rmi", remote)
    try:
        proc, output = make("diff", base_env, f"IMAGE={first}", f"OTHER={remote}")
        assert proc.returncode == 0, output[-3000:]
        assert ["six", "1.16.0", "1.17.0"] in [line.split() for line in output.splitlines()]
    finally:
        docker("rmi", "-f", remote, check=False)
