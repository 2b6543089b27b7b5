"""Other tools' locks (uv.lock, poetry.lock, Pipfile.lock), each made by the real tool at test time, exported by
make lock into requirements.lock and installed exactly by make dockerize."""

from __future__ import annotations

import json
import subprocess

import pytest
from conftest import ROOT, VENV_BIN

CA = "/etc/ssl/certs/ca-certificates.crt"
FOLDERS = {
    "uv": ({"pyproject.toml": '[project]\nname = "uvp"\nversion = "0.1.0"\nrequires-python = ">=3.11"\n'
                              'dependencies = ["six==1.16.0"]\n'},
           ["uv", "lock", "--native-tls", "--quiet"], "1.16.0"),
    # The public index's per-version JSON API is not reachable from the test machines: poetry reads the simple API.
    "poetry": ({"pyproject.toml": '[tool.poetry]\npackage-mode = false\n\n[tool.poetry.dependencies]\n'
                                  'python = "^3.11"\nsix = "1.17.0"\n\n[[tool.poetry.source]]\nname = "simple"\n'
                                  'url = "https://pypi.org/simple/"\npriority = "primary"\n'},
               ["poetry", "lock", "--no-interaction"], "1.17.0"),
    "pipenv": ({"Pipfile": '[[source]]\nurl = "https://pypi.org/simple"\nverify_ssl = true\nname = "pypi"\n\n'
                           '[packages]\nsix = "==1.16.0"\n\n[requires]\npython_version = "3.11"\n'},
               ["pipenv", "lock"], "1.16.0"),
}


def docker(*args, check=True):
    return subprocess.run(["docker", *args], capture_output=True, text=True, check=check)


def run(args, env, cwd=ROOT):
    proc = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True)
    return proc, proc.stdout + proc.stderr


@pytest.fixture(scope="module")
def tool_env(base_env):
    return {**base_env, "REQUESTS_CA_BUNDLE": CA, "PIP_CERT": CA, "PIPENV_YES": "1", "PIPENV_NOSPIN": "1"}


def folder_for(tmp_path, kind, tool_env):
    files, command, _ = FOLDERS[kind]
    path = tmp_path / kind
    path.mkdir()
    for name, text in files.items():
        (path / name).write_text(text)
    (path / "main.py").write_text(f"import six\nprint('{kind}', six.__version__)\n")
    proc, output = run([str(VENV_BIN / command[0]), *command[1:]], tool_env, cwd=path)
    assert proc.returncode == 0, output[-3000:]
    return path


@pytest.mark.parametrize("kind", list(FOLDERS))
def test_a_tools_lock_is_exported_and_installed_exactly(engine, tool_env, tmp_path, kind):
    path = folder_for(tmp_path, kind, tool_env)
    native = {"uv": "uv.lock", "poetry": "poetry.lock", "pipenv": "Pipfile.lock"}[kind]
    ref = f"dockwright-test-format:{kind}"
    try:
        # Before make lock: refused, saying how to go on.
        proc, output = run(["make", "dockerize", f"PROGRAM={path}", "IMAGE=dockwright-test-format",
                            f"VERSION={kind}"], tool_env)
        assert proc.returncode != 0
        assert f"{native} is this folder's lock: make lock PROGRAM={path} turns it into requirements.lock" in (
            " ".join(output.split()))
        proc, output = run(["make", "lock", f"PROGRAM={path}"], tool_env)
        assert proc.returncode == 0, output[-3000:]
        lock = (path / "requirements.lock").read_text()
        assert f"# dockwright-manifest: {native} sha256:" in lock and "--hash=sha256:" in lock
        assert "pypi.org" not in lock  # no index configuration carried over
        proc, output = run(["make", "dockerize", f"PROGRAM={path}", "IMAGE=dockwright-test-format",
                            f"VERSION={kind}"], tool_env)
        assert proc.returncode == 0, output[-3000:]
        assert f"Dependencies: requirements.lock (locked by make lock from {native}, installed exactly)" in (
            " ".join(output.split()))
        assert docker("run", "--rm", ref).stdout.strip() == f"{kind} {FOLDERS[kind][2]}"
        listed = json.loads(docker("run", "--rm", "--entrypoint", "python", ref, "-m", "pip", "list",
                                   "--format", "json").stdout)
        installed = {item["name"].lower(): item["version"] for item in listed}
        locked = {line.split("==")[0].lower(): line.split("==")[1].split()[0].rstrip(";") for line in lock.splitlines()
                  if line[:1].isalnum()}
        assert {name: installed.get(name) for name in locked} == locked
        assert set(installed) - set(locked) <= {"pip", "setuptools", "wheel", "uvp"}
    finally:
        docker("rmi", "-f", ref, check=False)


def test_a_uv_lock_behind_its_pyproject_is_refused_by_uv(tool_env, tmp_path):
    path = folder_for(tmp_path, "uv", tool_env)
    (path / "pyproject.toml").write_text((path / "pyproject.toml").read_text().replace("six==1.16.0", "six==1.17.0"))
    proc, output = run(["make", "lock", f"PROGRAM={path}"], tool_env)
    flat = " ".join(output.split())
    assert proc.returncode != 0
    assert "Could not lock uv.lock:" in flat and "needs to be updated" in flat, flat[-2000:]
    assert not (path / "requirements.lock").exists()


def test_a_pipfile_next_to_requirements_txt_is_not_silently_ignored(base_env, tmp_path):
    path = tmp_path / "both"
    path.mkdir()
    (path / "Pipfile").write_text('[packages]\nsix = "*"\n')
    (path / "requirements.txt").write_text("requests\n")
    (path / "main.py").write_text("print('x')\n")
    proc, output = run(["make", "dockerize", f"PROGRAM={path}"], base_env)
    flat = " ".join(output.split())
    assert proc.returncode != 0
    assert ("Pipfile has no Pipfile.lock next to it: lock it with its own tool (pipenv lock), then make lock, which"
            " installs Pipfile.lock exactly, or give REQUIREMENTS=requirements.txt") in flat
    assert not (path / "Dockerfile").exists()
