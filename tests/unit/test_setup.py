"""make test sets itself up (scripts/provision.sh), and a run that skipped the engine tests says so at its end."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NO_ENGINE = {**os.environ, "DOCKER_HOST": "unix:///nonexistent/docker.sock"}
NO_ENGINE.pop("CI", None)


def test_provision_check_names_what_is_missing_and_the_one_command():
    proc = subprocess.run(["bash", "scripts/provision.sh", "--check"], cwd=ROOT, env=NO_ENGINE,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert "the tests need: a Docker engine that answers" in proc.stderr
    assert "sudo make provision" in proc.stderr


def test_a_run_without_engine_says_in_its_last_lines_that_the_engine_tests_were_skipped():
    proc = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q",
                           "tests/integration/test_ecr.py"], cwd=ROOT, env=NO_ENGINE,
                          capture_output=True, text=True, timeout=300)
    lines = proc.stdout.strip().splitlines()
    assert " skipped in " in lines[-1] and "passed" not in lines[-1]  # pytest's own final line stays last
    assert "tests that build, run or push images were skipped: no Docker engine answers" in lines[-2]
    assert "sudo make provision" in lines[-2]


def configure_mirror(tmp_path, daemon_json):
    """scripts/base-mirror.sh configure on a daemon.json of the test's own (Docker Hub is not reachable here)."""
    path = tmp_path / "docker" / "daemon.json"
    if daemon_json is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(daemon_json)
    env = {**os.environ, "DOCKWRIGHT_DOCKER_DAEMON_JSON": str(path), "DOCKWRIGHT_BASE_MIRROR": "127.0.0.1:5999"}
    proc = subprocess.run(["bash", "scripts/base-mirror.sh", "configure"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return path


def test_the_base_mirror_is_added_to_dockerd_settings_keeping_the_others(tmp_path):
    path = configure_mirror(tmp_path, None)
    assert json.loads(path.read_text()) == {"registry-mirrors": ["http://127.0.0.1:5999"]}
    path = configure_mirror(tmp_path / "b", '{"log-level": "warn"}')
    assert json.loads(path.read_text()) == {"log-level": "warn", "registry-mirrors": ["http://127.0.0.1:5999"]}
    before = path.read_text()
    configure_mirror(tmp_path / "b", before)  # again: nothing to add
    assert path.read_text() == before


def test_a_machine_with_a_mirror_of_its_own_keeps_it(tmp_path):
    own = '{"registry-mirrors": ["https://mirror.example.com"]}'
    path = configure_mirror(tmp_path, own)
    assert path.read_text() == own
