"""make test sets itself up (scripts/provision.sh), and a run that skipped the engine tests says so at its end."""

from __future__ import annotations

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
