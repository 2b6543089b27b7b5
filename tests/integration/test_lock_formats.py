"""Other tools' locks (uv.lock, poetry.lock, Pipfile.lock), each made by the real tool at test time, exported by
make lock into requirements.lock and installed exactly by make dockerize; pylock.toml (made by uv) installed as it is;
a Pipfile without its lock installed, then locked by make lock."""

from __future__ import annotations

import json
import subprocess
import tomllib

import pytest
from conftest import ROOT, VENV_BIN, docker, recap
from servers import MODULE, PACKAGE

pytestmark = [pytest.mark.lock, pytest.mark.dockerfile, pytest.mark.image]

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


def pip_list(ref):
    listed = json.loads(docker("run", "--rm", "--entrypoint", "python", ref, "-m", "pip", "list",
                               "--format", "json").stdout)
    return {item["name"].lower(): item["version"] for item in listed}


def local_env(base_env, url):
    """The build reaches the local index on the host's loopback; pip itself comes from the public index."""
    return {**base_env, "DOCKWRIGHT_PIP_INDEX_URL": url, "DOCKWRIGHT_PIP_EXTRA_INDEX_URL": "https://pypi.org/simple"}


def dockerize(path, env, version):
    return run(["make", "dockerize", f"PROGRAM={path}", "IMAGE=dockwright-test-format", f"VERSION={version}",
                "ANSIBLE_ARGS=-e image_build_network=host"], env)


def pylock_folder(tmp_path, name, url, tool_env):
    """A folder whose pylock.toml uv makes from the local index, for the image's target."""
    path = tmp_path / name
    path.mkdir()
    (path / "main.py").write_text(f"import {MODULE}\nprint('pylock', {MODULE}.VERSION)\n")
    proc = subprocess.run([str(VENV_BIN / "uv"), "pip", "compile", "-", "--format", "pylock.toml", "--output-file",
                           "pylock.toml", "--python-version", "3.11", "--python-platform", "x86_64-manylinux_2_28",
                           "--no-header", "--quiet"], input=f"{PACKAGE}\n", cwd=path, capture_output=True, text=True,
                          env={**tool_env, "UV_INDEX_URL": url})
    assert proc.returncode == 0, proc.stderr[-3000:]
    return path


def test_a_pylock_toml_is_installed_exactly_as_it_is(engine, base_env, tool_env, index, tmp_path):
    _, url = index
    env = local_env(base_env, url)
    path = pylock_folder(tmp_path, "pylock", url, tool_env)
    (path / "requirements.txt").write_text("six\n")  # left aside: the folder's lock comes first
    ref = "dockwright-test-format:pylock"
    try:
        # make lock has nothing to do: the lock is there already, and nothing is written next to it.
        proc, output = run(["make", "lock", f"PROGRAM={path}"], env)
        assert proc.returncode == 0 and recap(output)["changed"] == 0, output[-3000:]
        assert ("lock (PEP 751): make dockerize installs it exactly as it is (uv, hashes checked), so make lock writes"
                " nothing.") in " ".join(output.split())
        assert not (path / "requirements.lock").exists()
        proc, output = dockerize(path, env, "pylock")
        assert proc.returncode == 0, output[-3000:]
        flat = " ".join(output.split())
        assert "Dependencies: pylock.toml (PEP 751, installed exactly as it is by uv;" in flat
        assert "pylock.toml is used; requirements.txt left aside" in flat
        assert docker("run", "--rm", ref).stdout.strip() == "pylock 1.0"
        locked = {package["name"]: package["version"]
                  for package in tomllib.loads((path / "pylock.toml").read_text())["packages"]}
        installed = pip_list(ref)
        assert {name: installed.get(name) for name in locked} == locked == {PACKAGE: "1.0"}
        assert set(installed) - set(locked) <= {"pip", "setuptools", "wheel"}  # six was not installed
    finally:
        docker("rmi", "-f", ref, check=False)


def test_a_tampered_hash_in_a_pylock_toml_fails_the_build_naming_the_package(engine, base_env, tool_env, index,
                                                                             tmp_path):
    _, url = index
    path = pylock_folder(tmp_path, "tampered", url, tool_env)
    text = (path / "pylock.toml").read_text()
    digest = text.split('sha256 = "')[1][:64]
    (path / "pylock.toml").write_text(text.replace(digest, digest[::-1]))
    try:
        proc, output = dockerize(path, local_env(base_env, url), "tampered")
        assert proc.returncode != 0
        assert f"Hash mismatch for `{PACKAGE}==1.0`" in output, output[-3000:]
    finally:
        docker("rmi", "-f", "dockwright-test-format:tampered", check=False)


def test_a_lone_pipfile_is_installed_then_locked_and_a_later_edit_is_refused(engine, base_env, index,
                                                                             tmp_path):
    _, url = index
    env = local_env(base_env, url)
    path = tmp_path / "pipfile"
    path.mkdir()
    (path / "main.py").write_text(f"import {MODULE}\nprint('pipfile', {MODULE}.VERSION)\n")
    (path / "Pipfile").write_text(f'[packages]\n{PACKAGE} = "*"\n\n[dev-packages]\npytest = "*"\n')
    refs = ("dockwright-test-format:pipfile", "dockwright-test-format:pipfile-locked")
    try:
        # Without Pipfile.lock: its [packages] are resolved at build time, and the run says so.
        proc, output = dockerize(path, env, "pipfile")
        assert proc.returncode == 0, output[-3000:]
        assert ("Dependencies: Pipfile (its [packages], without Pipfile.lock: resolved at build time; make lock pins"
                " them).") in " ".join(output.split())
        assert docker("run", "--rm", refs[0]).stdout.strip() == "pipfile 1.0"
        assert "pytest" not in pip_list(refs[0])  # [dev-packages] are not the program's
        # make lock seals it, with the Pipfile as its manifest; the build installs exactly that.
        proc, output = run(["make", "lock", f"PROGRAM={path}"], env)
        assert proc.returncode == 0, output[-3000:]
        lock = (path / "requirements.lock").read_text()
        assert "# dockwright-manifest: Pipfile sha256:" in lock and f"\n{PACKAGE}==1.0 \\\n    --hash=sha256:" in lock
        proc, output = run(["make", "lock", f"PROGRAM={path}"], env)
        assert proc.returncode == 0 and recap(output)["changed"] == 0, output[-3000:]
        proc, output = dockerize(path, env, "pipfile-locked")
        assert proc.returncode == 0, output[-3000:]
        assert "Dependencies: requirements.lock (locked by make lock from Pipfile, installed exactly)" in (
            " ".join(output.split()))
        assert pip_list(refs[1]).get(PACKAGE) == "1.0"
        # The Pipfile changes after locking: refused before the build, naming both files and the command.
        (path / "Pipfile").write_text(f'[packages]\n{PACKAGE} = "==1.0"\n')
        dockerfile = (path / "Dockerfile").read_text()
        proc, output = dockerize(path, env, "pipfile-stale")
        assert proc.returncode != 0
        assert ("requirements.lock no longer matches Pipfile (Pipfile changed after locking): relock with make lock"
                f" PROGRAM={path}") in " ".join(output.split())
        assert (path / "Dockerfile").read_text() == dockerfile  # refused before anything was written
        proc, output = run(["make", "lock", f"PROGRAM={path}"], env)
        assert proc.returncode == 0, output[-3000:]
        assert "# dockwright-manifest: Pipfile sha256:" in (path / "requirements.lock").read_text()
    finally:
        docker("rmi", "-f", *refs, "dockwright-test-format:pipfile-stale", check=False)


def test_a_pipfile_next_to_requirements_txt_is_left_aside_and_the_run_says_so(base_env, index, tmp_path):
    _, url = index
    path = tmp_path / "both"
    path.mkdir()
    (path / "Pipfile").write_text('[packages]\nsix = "*"\n')
    (path / "requirements.txt").write_text(f"{PACKAGE}\n")
    (path / "main.py").write_text("print('x')\n")
    proc, output = run(["make", "lock", f"PROGRAM={path}"], {**base_env, "DOCKWRIGHT_PIP_INDEX_URL": url})
    flat = " ".join(output.split())
    assert proc.returncode == 0, output[-3000:]
    assert "requirements.txt is used; Pipfile left aside (precedence: uv.lock, poetry.lock, Pipfile.lock," in flat
    lock = (path / "requirements.lock").read_text()
    assert "# dockwright-manifest: requirements.txt sha256:" in lock and "six" not in lock
