"""make lock end to end: resolved on the host by uv for the image's target, installed exactly by the build, from a
package index on 127.0.0.1 that the test fills itself (a PEP 503 simple index served from a folder: conftest's
index)."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from conftest import ROOT, docker, recap
from servers import MODULE, PACKAGE, publish

pytestmark = [pytest.mark.lock, pytest.mark.dockerfile, pytest.mark.image]


def run(target, env, *args):
    proc = subprocess.run(["make", target, *args], cwd=ROOT, env=env, capture_output=True, text=True)
    return proc, proc.stdout + proc.stderr


def test_the_lock_holds_what_was_resolved_and_the_build_installs_exactly_that(engine, base_env, index, tmp_path):
    root, url = index
    # The build's pip steps reach the index on the host's loopback through the host's network; anything else (pip
    # itself) comes from the public index.
    env = {**base_env, "DOCKWRIGHT_PIP_INDEX_URL": url, "DOCKWRIGHT_PIP_EXTRA_INDEX_URL": "https://pypi.org/simple"}
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "main.py").write_text(f"import {MODULE}\nprint('probe', {MODULE}.VERSION)\n")
    (locked / "requirements.txt").write_text(f"{PACKAGE}\n")
    refs = ("dockwright-test-lock:locked", "dockwright-test-lock:unlocked")
    try:
        proc, output = run("lock", env, f"PROGRAM={locked}")
        assert proc.returncode == 0, output[-3000:]
        lock = (locked / "requirements.lock").read_text()
        assert f"\n{PACKAGE}==1.0 \\\n    --hash=sha256:" in lock
        assert "dockwright-manifest: requirements.txt sha256:" in lock and url not in lock
        assert "requirements.lock written: requirements.txt for Python 3.11 on Linux x86_64, 1 distributions" in (
            " ".join(output.split()))

        publish(root, "1.1")  # a newer release appears after locking
        unlocked = tmp_path / "unlocked"
        shutil.copytree(locked, unlocked, ignore=shutil.ignore_patterns("requirements.lock"))
        for folder, ref in zip((locked, unlocked), refs, strict=True):
            proc, output = run("dockerize", env, f"PROGRAM={folder}", "IMAGE=dockwright-test-lock",
                               f"VERSION={ref.split(':')[1]}", "ANSIBLE_ARGS=-e image_build_network=host")
            assert proc.returncode == 0, output[-3000:]
        assert docker("run", "--rm", refs[0]).stdout.strip() == "probe 1.0"  # exactly the lock
        assert docker("run", "--rm", refs[1]).stdout.strip() == "probe 1.1"  # resolved at build time
        labels = docker("image", "inspect", "--format", '{{index .Config.Labels "dockwright.dependencies.file"}}',
                        refs[0]).stdout.strip()
        assert labels == "requirements.lock"

        # Locking again keeps the locked version and changes nothing; UPGRADE=1 moves to the newer release.
        proc, output = run("lock", env, f"PROGRAM={locked}")
        assert proc.returncode == 0 and recap(output)["changed"] == 0, output[-3000:]
        assert (locked / "requirements.lock").read_text() == lock
        proc, output = run("lock", env, f"PROGRAM={locked}", "UPGRADE=1")
        assert proc.returncode == 0, output[-3000:]
        assert f"\n{PACKAGE}==1.1 \\\n" in (locked / "requirements.lock").read_text()
    finally:
        docker("rmi", "-f", *refs, check=False)


def test_a_tampered_hash_fails_the_build_naming_the_package(engine, base_env, index, tmp_path):
    _, url = index
    env = {**base_env, "DOCKWRIGHT_PIP_INDEX_URL": url, "DOCKWRIGHT_PIP_EXTRA_INDEX_URL": "https://pypi.org/simple"}
    folder = tmp_path / "tampered"
    folder.mkdir()
    (folder / "main.py").write_text(f"import {MODULE}\n")
    (folder / "requirements.txt").write_text(f"{PACKAGE}\n")
    ref = "dockwright-test-lock:tampered"
    try:
        proc, output = run("lock", env, f"PROGRAM={folder}")
        assert proc.returncode == 0, output[-3000:]
        lock = (folder / "requirements.lock").read_text()
        digest = lock.split("--hash=sha256:")[1][:64]
        (folder / "requirements.lock").write_text(lock.replace(digest, digest[::-1]))
        proc, output = run("dockerize", env, f"PROGRAM={folder}", "IMAGE=dockwright-test-lock", "VERSION=tampered",
                           "ANSIBLE_ARGS=-e image_build_network=host")
        assert proc.returncode != 0
        assert "Hash mismatch for `dockwright-probe==1." in output, output[-3000:]  # 1.0, or 1.1 once published
    finally:
        docker("rmi", "-f", ref, check=False)


def test_a_stale_lock_is_refused_before_the_build_and_make_lock_mends_it(base_env, index, tmp_path):
    _, url = index
    env = {**base_env, "DOCKWRIGHT_PIP_INDEX_URL": url}
    folder = tmp_path / "stale"
    folder.mkdir()
    (folder / "main.py").write_text("print('x')\n")
    (folder / "requirements.txt").write_text(f"{PACKAGE}\n")
    proc, output = run("lock", env, f"PROGRAM={folder}")
    assert proc.returncode == 0, output[-3000:]
    (folder / "requirements.txt").write_text(f"{PACKAGE}==1.0\n")
    proc, output = run("dockerize", env, f"PROGRAM={folder}", "IMAGE=dockwright-test-lock", "VERSION=stale")
    flat = " ".join(output.split())
    assert proc.returncode != 0
    assert ("requirements.lock no longer matches requirements.txt (requirements.txt changed after locking): relock"
            f" with make lock PROGRAM={folder}") in flat
    assert not (folder / "Dockerfile").exists()  # refused before anything was written
    proc, output = run("lock", env, f"PROGRAM={folder}")
    assert proc.returncode == 0, output[-3000:]
    assert f"{PACKAGE}==1.0" in (folder / "requirements.lock").read_text()


def test_a_file_of_the_users_own_is_never_overwritten(base_env, tmp_path):
    folder = tmp_path / "own"
    folder.mkdir()
    (folder / "requirements.txt").write_text("six\n")
    (folder / "requirements.lock").write_text("six==1.16.0\n")
    proc, output = run("lock", base_env, f"PROGRAM={folder}", "PLATFORM=sparc")
    flat = " ".join(output.split())
    assert proc.returncode != 0
    assert "requirements.lock was not written by make lock (or was edited by hand): move it away" in flat
    assert "lock_platform 'sparc' is not a CPU architecture dockwright locks for: give one of aarch64, amd64" in flat
    assert (folder / "requirements.lock").read_text() == "six==1.16.0\n"


def test_the_base_is_pinned_by_digest_and_a_retagged_base_does_not_change_the_build(engine, base_env, registry,
                                                                                    tmp_path):
    base = f"{registry}/library/python:3.11-slim"
    docker("tag", "python:3.11-slim", base)
    digest = next(word for word in docker("push", base).stdout.split() if word.startswith("sha256:"))
    folder = tmp_path / "pinned"
    folder.mkdir()
    (folder / "main.py").write_text("import os\nprint('retagged' if os.path.exists('/retagged') else 'pinned')\n")
    (folder / "requirements.txt").write_text("six==1.17.0\n")
    ref, impostor = "dockwright-test-lock:pinned", tmp_path / "impostor"
    try:
        proc, output = run("lock", base_env, f"PROGRAM={folder}", f"BASE_IMAGE={base}")
        assert proc.returncode == 0, output[-3000:]
        assert f"# dockwright-base: {base}@{digest}\n" in (folder / "requirements.lock").read_text()
        # Another image takes the base's tag on this machine: the pinned build does not use it.
        impostor.mkdir()
        (impostor / "Dockerfile").write_text(f"FROM {base}\nRUN touch /retagged\n")
        subprocess.run(["docker", "build", "-q", "-t", base, str(impostor)], check=True, capture_output=True,
                       env={"DOCKER_BUILDKIT": "0", "PATH": "/usr/local/bin:/usr/bin:/bin"})
        proc, output = run("dockerize", base_env, f"PROGRAM={folder}", f"BASE_IMAGE={base}",
                           "IMAGE=dockwright-test-lock", "VERSION=pinned")
        assert proc.returncode == 0, output[-3000:]
        assert f"ARG BASE_IMAGE={base}@{digest}\n" in (folder / "Dockerfile").read_text()
        assert docker("run", "--rm", ref).stdout.strip() == "pinned"
        label = '{{index .Config.Labels "org.opencontainers.image.base.digest"}}'
        found = docker("image", "inspect", "--format", label, ref).stdout.strip()
        assert found == digest
    finally:
        docker("rmi", "-f", ref, base, check=False)


def test_a_lock_is_made_for_the_target_cpu_and_made_again_identically(base_env, tmp_path):
    """torch needs NVIDIA's CUDA wheels on x86_64 Linux only: the x86_64 lock names them, the arm64 lock does not.
    Resolving happens on this machine (x86_64), whatever the target; a lock made again from nothing is the same file."""
    folder = tmp_path / "cpu"
    folder.mkdir()
    (folder / "requirements.txt").write_text("torch==2.5.1\n")
    (folder / "main.py").write_text("import torch\n")
    locks = {}
    for platform in ("x86_64", "arm64", "x86_64"):
        (folder / "requirements.lock").unlink(missing_ok=True)
        proc, output = run("lock", base_env, f"PROGRAM={folder}", f"PLATFORM={platform}")
        assert proc.returncode == 0, output[-3000:]
        text = (folder / "requirements.lock").read_text()
        assert locks.setdefault(platform, text) == text  # the second x86_64 lock is byte for byte the first
    assert "\nnvidia-cudnn-cu12==" in locks["x86_64"] and "\nnvidia-cudnn-cu12==" not in locks["arm64"]
    assert "\ntorch==2.5.1 \\\n" in locks["arm64"] and "aarch64-manylinux_2_28" in locks["arm64"]


def test_a_base_missing_from_the_engine_is_pulled_and_pinned_by_the_digest_the_pull_brings(engine, base_env, registry,
                                                                                           tmp_path):
    base = f"{registry}/library/python:3.11-slim-pulled"
    docker("tag", "python:3.11-slim", base)
    digest = next(word for word in docker("push", base).stdout.split() if word.startswith("sha256:"))
    docker("rmi", base)  # the engine lacks it now: make lock pulls it, and the engine is not asked again
    folder = tmp_path / "pulled"
    folder.mkdir()
    (folder / "main.py").write_text("print('x')\n")
    (folder / "requirements.txt").write_text("six==1.17.0\n")
    try:
        proc, output = run("lock", base_env, f"PROGRAM={folder}", f"BASE_IMAGE={base}")
        assert proc.returncode == 0, output[-3000:]
        assert f"# dockwright-base: {base}@{digest}\n" in (folder / "requirements.lock").read_text()
    finally:
        docker("rmi", "-f", base, check=False)
