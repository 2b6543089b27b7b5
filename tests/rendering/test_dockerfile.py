"""The Dockerfile written for each kind of program folder, and the rules about files the user owns.
These run the real role through ansible-playbook; no engine is needed."""

from __future__ import annotations

import re
import shutil

import pytest
from conftest import ROOT, recap

RENDER = str(ROOT / "tests" / "rendering" / "render.yml")

# What BuildKit mounts into every step that downloads: the build secrets (CA bundle, package indexes), never written
# into a layer, an ARG or an ENV.
SECRET_MOUNTS = ("--mount=type=secret,id=build-ca", "--mount=type=secret,id=pip-index-url",
                 "--mount=type=secret,id=pip-extra-index-url")
PIP_CACHE = "--mount=type=cache,target=/root/.cache/pip,sharing=locked"
UV_CACHE = "--mount=type=cache,target=/root/.cache/uv"
UV_MOUNT = "--mount=type=bind,from=uv,source=/opt/uv,target=/opt/uv"
UV = "/opt/uv/bin/uv"
FINAL = "FROM ${BASE_IMAGE}\n"
CODE = "COPY --chown=10001:10001 . /program"
PACKAGE_MOUNT = "--mount=type=bind,target=/tmp/src,rw"
# Settings and build-only material that must never be an ARG or ENV of the image (the engine records both).
BUILD_ONLY = re.compile(r"PIP_(EXTRA_)?INDEX_URL|PIP_CERT|SSL_CERT_FILE|UV_(EXTRA_)?INDEX_URL|FTP_PROXY|"
                        r"PIP_NO_CACHE_DIR|build-ca|/run/secrets", re.I)


def folder(tmp_path, files, name="model"):
    path = tmp_path / name
    for rel, text in files.items():
        (path / rel).parent.mkdir(parents=True, exist_ok=True)
        (path / rel).write_text(text)
    path.mkdir(exist_ok=True)
    return path


def render(playbook, path, check=True, env=None, **extra):
    proc = playbook(RENDER, extra={"dockerfile_program_path": str(path), **extra}, check=check, env=env)
    return proc, (path / "Dockerfile").read_text() if (path / "Dockerfile").exists() else ""


def order(text, *needles):
    """Assert that the needles appear in this order."""
    positions = [text.index(needle) for needle in needles]
    assert positions == sorted(positions), list(zip(needles, positions, strict=True))


def instructions(text):
    """The instructions of a Dockerfile, each with its continuation lines (comments and blank lines left out)."""
    found, lines = [], []
    for line in text.splitlines():
        if not lines and (not line.strip() or line.startswith("#")):
            continue
        lines.append(line)
        if not line.endswith("\\"):
            found.append("\n".join(lines))
            lines = []
    assert not lines, lines  # no instruction ends on a dangling continuation
    return found


def install_steps(text):
    """The RUN steps that install with pip or uv (or make the virtualenv)."""
    return [step for step in instructions(text) if step.startswith("RUN ")
            and re.search(r"\bpip install\b|\buv venv\b|-m venv\b", step)]


def final_stage(text):
    assert text.count(FINAL) == 1, "the image has exactly one unnamed stage"
    return text.split(FINAL)[1]


def assert_buildkit_promises(text):
    """What every generated Dockerfile promises, whatever the folder: one image stage (after the helper stage uv when
    uv installs a lock); every install step reads the CA bundle and the indexes from secret mounts and keeps its
    downloads in a cache mount; no ARG or ENV carries an index, a CA or a credential; uv is never copied in."""
    stages = [line for line in text.splitlines() if line.startswith("FROM ")]
    uv = "FROM ${BASE_IMAGE} AS uv" in stages
    assert stages == (["FROM ${BASE_IMAGE} AS uv"] if uv else []) + ["FROM ${BASE_IMAGE}"], stages
    args = [step for step in instructions(text) if step.startswith("ARG ")]
    assert len(args) == 1 and args[0].startswith("ARG BASE_IMAGE="), args
    for step in instructions(text):
        if step.startswith(("ARG ", "ENV ")):
            assert not BUILD_ONLY.search(step), step
        if step.startswith(("COPY ", "ADD ")):
            assert "--from" not in step and "/opt/uv" not in step and "/tmp/" not in step, step
    assert "ftp_proxy" not in text.lower() and "PIP_NO_CACHE_DIR" not in text
    steps = install_steps(text)
    assert steps, "no install step"
    for step in steps:
        mounts = re.findall(r"--mount=\S+", step)
        assert all(secret in mounts for secret in SECRET_MOUNTS), step
        assert PIP_CACHE in mounts or UV_CACHE in mounts, step
        # The secrets become the tools' settings for this step alone, before the command runs.
        command = step.splitlines()[-1]
        assert command.startswith(" && ") and "$s/" not in command and "/run/secrets" not in command, step
        order(step, "s=/run/secrets", "export PIP_CERT=$s/build-ca SSL_CERT_FILE=$s/build-ca",
              'export PIP_INDEX_URL="$(cat $s/pip-index-url)" UV_INDEX_URL="$(cat $s/pip-index-url)"',
              'export PIP_EXTRA_INDEX_URL="$(cat $s/pip-extra-index-url)"'
              ' UV_EXTRA_INDEX_URL="$(cat $s/pip-extra-index-url)"', command)
        if UV in step:
            assert UV_MOUNT in mounts and UV_CACHE in mounts, step
    # uv lives in its helper stage: the image only mounts it for the steps that run it.
    final = final_stage(text)
    assert "/opt/uv" not in final.replace(UV_MOUNT, "").replace(UV, "")
    for step in instructions(final):
        if "/opt/uv" in step:
            assert step.startswith("RUN ") and UV_MOUNT in step, step
    if uv:
        helper = text.split("FROM ${BASE_IMAGE} AS uv\n")[1].split(FINAL)[0]
        assert "--target /opt/uv uv==" in helper and UV_MOUNT not in helper
    else:
        assert "/opt/uv" not in text


def test_requirements_folder(playbook, tmp_path):
    path = folder(tmp_path, {"requirements.txt": "numpy==2.2.6\n", "train.py": "print('x')\n"})
    proc, text = render(playbook, path)
    assert text.startswith("# Generated by dockwright")
    assert re.search(r"^# dockwright-checksum: sha256:[0-9a-f]{64}$", text, re.M)
    assert "ARG BASE_IMAGE=python:3.11-slim" in text
    assert_buildkit_promises(text)
    assert "AS deps" not in text and "AS package" not in text and "/opt/uv" not in text
    # The header says how to build it by hand, with the very secret ids the install steps mount.
    header = text.split("# dockwright-checksum:")[0]
    for secret in SECRET_MOUNTS:
        assert f"--secret id={secret.split('id=')[1]}," in header, secret
    order(text, FINAL, "useradd", "python3 -m venv /opt/venv",
          "--mount=type=bind,source=requirements.txt,target=/tmp/requirements/requirements.txt",
          "pip install --requirement /tmp/requirements/requirements.txt", "WORKDIR /program", CODE,
          "USER 10001:10001", "LABEL ", 'CMD ["python", "train.py"]')
    # The requirements file is mounted for its step alone, never copied: the code is the only COPY.
    assert [step for step in instructions(text) if step.startswith(("COPY", "ADD"))] == [CODE]
    [step] = [step for step in install_steps(text) if "--requirement" in step]
    assert PIP_CACHE in step and "--mount=type=bind,source=requirements.txt" in step
    assert 'org.opencontainers.image.title="model"' in text
    assert 'org.opencontainers.image.version="latest"' in text
    assert "names a Python version" in proc.flat  # the defaulted Python version is reported
    ignore = (path / ".dockerignore").read_text()
    for pattern in (".git", ".venv", "__pycache__", ".env", "*.pem", ".aws", "AwsConfig.ini", "Dockerfile"):
        assert pattern in ignore.splitlines()


def test_index_urls_in_the_environment_never_reach_the_dockerfile(playbook, tmp_path):
    """The indexes (credentials and all) are the build's secrets: the Dockerfile is the same with or without them."""
    path = folder(tmp_path, {"requirements.txt": "six\n", "main.py": ""})
    _, plain = render(playbook, path)
    url = "https://ci:tok-4242@pypi.example.com/simple"
    env = {name: url for name in ("DOCKWRIGHT_PIP_INDEX_URL", "DOCKWRIGHT_PIP_EXTRA_INDEX_URL", "PIP_INDEX_URL",
                                  "PIP_EXTRA_INDEX_URL", "UV_INDEX_URL")}
    proc, text = render(playbook, path, env=env)
    assert text == plain
    assert "tok-4242" not in text and "pypi.example.com" not in text and "tok-4242" not in proc.output


def test_rerun_is_identical_and_unchanged(playbook, tmp_path):
    path = folder(tmp_path, {"requirements.txt": "numpy\n", "main.py": ""})
    _, first = render(playbook, path)
    proc, second = render(playbook, path)
    assert first == second
    assert recap(proc.output)["changed"] == 0


INIT_RUN = "RUN --mount=type=bind,source=init.sh,target=/tmp/init/init.sh sh /tmp/init/init.sh"


def test_init_and_apt(playbook, tmp_path):
    path = folder(tmp_path, {"init.sh": "#!/bin/sh\necho hi\n", "apt.txt": "jq\ncurl\n", "main.py": ""})
    _, text = render(playbook, path, dockerfile_init_file="init.sh")
    order(text, FINAL, "apt-get install --yes --no-install-recommends", "      curl \\", "      jq \\",
          "rm -rf /var/lib/apt/lists/*", "useradd", "python3 -m venv /opt/venv", "WORKDIR /program", INIT_RUN, CODE)
    assert "--requirement" not in text  # no requirements file in this folder
    assert 'COPY ["init.sh"' not in text  # the init script is mounted for its step, not copied
    assert_buildkit_promises(text)


def test_init_sh_runs_by_convention_and_the_run_says_so(playbook, tmp_path):
    path = folder(tmp_path, {"init.sh": "#!/bin/sh\necho hi\n", "requirements.txt": "six\n", "main.py": ""})
    proc, text = render(playbook, path)
    order(text, "pip install --requirement", "WORKDIR /program", "# It runs because the folder has one (by convention)",
          INIT_RUN, CODE)
    assert text.count("/tmp/init/init.sh") == 2  # the mount's target and the command, nothing else
    assert f"{path}/init.sh: run as the init script at build time (by convention; INIT=none" in proc.flat
    # Named, it runs as before, without the note; none runs no init script and reports none.
    proc, named = render(playbook, path, dockerfile_init_file="init.sh")
    assert INIT_RUN in named and "by convention" not in named + proc.flat
    for none in ("none", "None"):
        proc, skipped = render(playbook, path, dockerfile_init_file=none)
        assert "init.sh" not in skipped and "Init script" not in skipped and "/tmp/init" not in skipped
        assert "run as the init script" not in proc.flat


def test_init_sh_by_convention_after_code_and_another_file_named(playbook, tmp_path):
    path = folder(tmp_path, {"init.sh": "#!/bin/sh\necho hi\n", "setup.sh": "#!/bin/sh\n", "main.py": ""})
    _, text = render(playbook, path, dockerfile_init_after_code=True)
    order(text, CODE, "(by convention)", "RUN sh init.sh", "USER 10001:10001")
    assert "/tmp/init" not in text  # after the code, the script is run where it was copied
    proc, text = render(playbook, path, dockerfile_init_file="setup.sh")
    assert "RUN --mount=type=bind,source=setup.sh,target=/tmp/init/setup.sh sh /tmp/init/setup.sh" in text
    assert "init.sh" not in text and "by convention" not in proc.flat


def test_init_after_code(playbook, tmp_path):
    path = folder(tmp_path, {"setup.sh": "#!/bin/bash\necho hi\n", "main.py": ""})
    _, text = render(playbook, path, dockerfile_init_file="setup.sh", dockerfile_init_after_code=True)
    order(text, CODE, "RUN sh setup.sh", "USER 10001:10001")
    assert "/tmp/init" not in text


def test_pyproject_package(playbook, tmp_path):
    pyproject = ('[build-system]\nrequires = ["setuptools>=69"]\nbuild-backend = "setuptools.build_meta"\n'
                 '[project]\nname = "churn"\nversion = "0.1"\nrequires-python = ">=3.10"\n'
                 'dependencies = ["numpy>=1.26", "pandas<3"]\n[project.scripts]\nchurn-score = "churn.cli:main"\n')
    path = folder(tmp_path, {"pyproject.toml": pyproject, "src/churn/__init__.py": ""})
    _, text = render(playbook, path)
    order(text, "pip install 'numpy>=1.26' 'pandas<3'", "WORKDIR /program", CODE, PACKAGE_MOUNT,
          "pip install --no-deps /tmp/src", "USER 10001:10001", 'CMD ["churn-score"]')
    assert "Python 3.11, from pyproject.toml requires-python" in text
    assert_buildkit_promises(text)
    # The package is built from the context mounted read-write for its step (the build's leftovers vanish with
    # the mount) and installed without its dependencies: no package stage, no wheel carried across.
    [step] = [step for step in install_steps(text) if "/tmp/src" in step]
    assert PACKAGE_MOUNT in step and PIP_CACHE in step and step.endswith(" && pip install --no-deps /tmp/src")
    assert "AS package" not in text and "pip wheel" not in text and "/tmp/wheels" not in text


def test_pip_is_pinned_when_the_virtualenv_is_made_first(playbook, tmp_path):
    """The virtualenv's pip is the pinned one, whatever the base's (an old one cannot build a setup.py package)."""
    pin = (ROOT / "roles" / "dockerfile" / "defaults" / "main.yml").read_text().split(
        "dockerfile_pip_version: ")[1].split()[0].strip('"')
    path = folder(tmp_path, {"requirements.txt": "six\n", "setup.py": "import setuptools\nsetuptools.setup()\n",
                             "main.py": ""})
    _, text = render(playbook, path)
    step = f"pip install --upgrade 'pip<={pin}'"
    assert text.count(step) == 1
    venv = install_steps(text)[0]
    assert venv.endswith(f" && python3 -m venv /opt/venv && {step}") and PIP_CACHE in venv
    order(text, "useradd", venv, "--mount=type=bind,source=requirements.txt", "pip install --requirement", CODE,
          PACKAGE_MOUNT, "pip install --no-deps /tmp/src")
    assert_buildkit_promises(text)
    _, text = render(playbook, path, dockerfile_pip_version="25.1.1")
    assert "pip install --upgrade 'pip<=25.1.1'" in text
    _, text = render(playbook, path, dockerfile_pip_version="")
    assert "--upgrade" not in text and "pip install --no-deps /tmp/src" in text
    assert install_steps(text)[0].endswith(" && python3 -m venv /opt/venv")


def test_local_requirements_need_the_code(playbook, tmp_path):
    path = folder(tmp_path, {"requirements.txt": "-e ./lib\n", "lib/setup.py": "", "main.py": ""})
    _, text = render(playbook, path)
    final = final_stage(text)
    order(final, "useradd", "python3 -m venv /opt/venv", "WORKDIR /program", CODE,
          "pip install --requirement requirements.txt", "USER 10001:10001")
    assert text.count(CODE) == 1  # the code is copied once, before the install that needs it
    assert "/tmp/requirements" not in text  # read where the code is, not mounted
    [step] = [step for step in install_steps(text) if "--requirement" in step]
    assert step.endswith(" && pip install --requirement requirements.txt")
    assert_buildkit_promises(text)


def test_a_requirements_file_in_a_subfolder_is_mounted_by_its_path(playbook, tmp_path):
    path = folder(tmp_path, {"requirements/prod+cpu@2.txt": "six\n", "main.py": ""})
    _, text = render(playbook, path, dockerfile_requirements_file="requirements/prod+cpu@2.txt")
    order(text, "--mount=type=bind,source=requirements/prod+cpu@2.txt,target=/tmp/requirements/prod+cpu@2.txt",
          "pip install --requirement /tmp/requirements/prod+cpu@2.txt", CODE)
    assert_buildkit_promises(text)


@pytest.mark.parametrize("files, extra, kind, name", [
    ({"my reqs.txt": "six\n"}, {"dockerfile_requirements_file": "my reqs.txt"}, "requirements file", "my reqs.txt"),
    ({"reqs,id=x.txt": "six\n"}, {"dockerfile_requirements_file": "reqs,id=x.txt"}, "requirements file",
     "reqs,id=x.txt"),
    ({"deps/a,b.txt": "six\n"}, {"dockerfile_requirements_file": "deps/a,b.txt"}, "requirements file", "deps/a,b.txt"),
    ({"my init.sh": "#!/bin/sh\n"}, {"dockerfile_init_file": "my init.sh"}, "init script", "my init.sh"),
    ({"init=1.sh": "#!/bin/sh\n"}, {"dockerfile_init_file": "init=1.sh"}, "init script", "init=1.sh"),
])
def test_a_file_name_a_mount_cannot_carry_is_refused_and_nothing_is_written(playbook, tmp_path, files, extra,
                                                                            kind, name):
    """A bind mount reads ',', '=', '"' and spaces in its source as syntax: such a name is refused up front."""
    path = folder(tmp_path, {"main.py": "", **files})
    proc, text = render(playbook, path, check=False, **extra)
    assert (f"The {kind} '{name}' has a character a build cannot mount it by (a space, ',', '\"', '=' or another):"
            " rename it using letters, digits and . _ - + @ /") in proc.flat
    assert text == "" and not (path / ".dockerignore").exists()


@pytest.mark.parametrize(
    "extra, expected",
    [
        ({"dockerfile_base_image": "python:3.6"}, "ARG BASE_IMAGE=python:3.6"),
        ({"dockerfile_python_version": "3.12"}, "ARG BASE_IMAGE=python:3.12-slim"),
        ({"dockerfile_command": "python train.py --epochs 3"}, "CMD python train.py --epochs 3"),
        ({"dockerfile_command": ["python", "-m", "model"]}, 'CMD ["python", "-m", "model"]'),
        ({"dockerfile_environment": {"B": "2", "A": "x y"}}, 'ENV A="x y" \\\n    B="2"'),
        ({"dockerfile_image_version": "1.4.0", "dockerfile_image_title": "churn"},
         'org.opencontainers.image.version="1.4.0"'),
        ({"dockerfile_labels": {"team": "ml"}}, 'team="ml"'),
        ({"dockerfile_user": "runner", "dockerfile_uid": 2000}, "USER 2000:2000"),
    ],
)
def test_settings(playbook, tmp_path, extra, expected):
    path = folder(tmp_path, {"main.py": ""})
    _, text = render(playbook, path, **extra)
    assert expected in text
    assert_buildkit_promises(text)


def test_runtime_txt_picks_the_base(playbook, tmp_path):
    path = folder(tmp_path, {"runtime.txt": "python-3.10\n", "main.py": ""})
    _, text = render(playbook, path)
    assert "ARG BASE_IMAGE=python:3.10-slim" in text and "from runtime.txt" in text


def test_runtime_txt_python_3_is_the_default_python_3(playbook, tmp_path):
    path = folder(tmp_path, {"runtime.txt": "python-3\n", "main.py": ""})
    proc, text = render(playbook, path, dockerfile_default_python_version="3.12")
    assert "ARG BASE_IMAGE=python:3.12-slim" in text
    assert "(Python 3.12, from runtime.txt python-3, the default Python 3)" in text
    assert "runtime.txt asks for Python 3 without a version, so the image uses the default Python 3, 3.12" in proc.flat
    assert "names a Python version" not in proc.flat
    (path / "runtime.txt").write_text("python-3.x\n")
    proc, after = render(playbook, path, check=False)
    assert "runtime.txt says 'python-3.x', which is not a Python 3 version" in proc.flat and after == text


def test_foreign_dockerfile_is_never_overwritten(playbook, tmp_path):
    mine = "FROM python:3.11-slim\nCOPY . /app\n"
    path = folder(tmp_path, {"Dockerfile": mine, "main.py": ""})
    proc, text = render(playbook, path, check=False)
    assert text == mine
    assert "was not written by dockwright, so it is left alone" in proc.flat
    assert "Traceback" not in proc.output


def test_edited_dockerfile_is_never_regenerated_silently(playbook, tmp_path):
    path = folder(tmp_path, {"main.py": ""})
    _, text = render(playbook, path)
    edited = text.replace("USER 10001:10001", "USER 10001:10001\nEXPOSE 8080")
    (path / "Dockerfile").write_text(edited)
    proc, after = render(playbook, path, check=False)
    assert after == edited
    assert "edited by hand since" in proc.flat and "DOCKERFILE_MODE=keep" in proc.flat
    proc, after = render(playbook, path, dockerfile_mode="keep")
    assert after == edited and recap(proc.output)["changed"] == 0
    proc, after = render(playbook, path, dockerfile_mode="overwrite")
    assert after == text
    backups = [p for p in path.iterdir() if p.name.startswith("Dockerfile.")]
    assert len(backups) == 1 and backups[0].read_text() == edited


def test_users_dockerignore_is_kept(playbook, tmp_path):
    path = folder(tmp_path, {".dockerignore": "data/\n", "main.py": ""})
    proc, _ = render(playbook, path)
    assert (path / ".dockerignore").read_text() == "data/\n"
    assert "make sure it keeps credential files" in proc.flat


@pytest.mark.parametrize(
    "files, extra, fragment",
    [
        ({}, {"dockerfile_program_path": "/nonexistent/model"}, "does not exist"),
        ({"main.py": ""}, {"dockerfile_requirements_file": "nope.txt"}, "requirements_file 'nope.txt' was not found"),
        ({"main.py": "", "init.txt": "x"}, {"dockerfile_init_file": "init.txt"}, "is not a shell script"),
        ({"main.py": "", "init.sh": "#!/usr/bin/env python3\n"}, {},
         "init.sh (run as the init script by convention) starts with #!/usr/bin/env python3"),
        ({"main.py": ""}, {"dockerfile_mode": "replace"}, "dockerfile_mode"),
        ({"main.py": ""}, {"dockerfile_base_image": "Python:3"}, "dockerfile_base_image 'Python' is not a valid"),
    ],
)
def test_bad_input_writes_nothing(playbook, tmp_path, files, extra, fragment):
    path = folder(tmp_path, files)
    proc = playbook(RENDER, extra={"dockerfile_program_path": str(path), **extra}, check=False)
    assert fragment in proc.flat
    assert not (path / "Dockerfile").exists() and not (path / ".dockerignore").exists()


def test_examples_render(playbook, tmp_path):
    for example in ("iris", "sensors", "churn"):
        path = tmp_path / example
        shutil.copytree(ROOT / "examples" / example, path,
                        ignore=shutil.ignore_patterns("Dockerfile", ".dockerignore"))
        _, text = render(playbook, path)
        assert_buildkit_promises(text)
    sensors = (tmp_path / "sensors" / "Dockerfile").read_text()
    order(sensors, "apt-get install", "--mount=type=bind,source=requirements.txt", INIT_RUN, CODE)
    churn = (tmp_path / "churn" / "Dockerfile").read_text()
    order(churn, "pip install 'numpy>=1.26'", CODE, PACKAGE_MOUNT, "pip install --no-deps /tmp/src")


INSTRUCTIONS = ("FROM", "RUN", "COPY", "ADD", "ENV", "ARG", "LABEL", "USER", "CMD", "ENTRYPOINT", "WORKDIR", "#", "")


def test_a_hostile_folder_name_writes_no_instruction(playbook, tmp_path):
    """A folder name with a line break goes into the header comment and the title label: it stays in them."""
    path = folder(tmp_path, {"main.py": "print('x')\n"}, name="model\nRUN echo pwned \"'$(id)")
    _proc, text = render(playbook, path)
    assert not any(line.startswith("RUN echo pwned") for line in text.splitlines())
    for line in text.splitlines():  # every line is a comment, an instruction or a continuation
        assert line.split(" ", 1)[0] in INSTRUCTIONS or line.startswith((" ", "\t")), line
    assert "org.opencontainers.image.title=\"model\\nRUN echo pwned" in text


@pytest.mark.parametrize("extra, kept", [
    ({"dockerfile_environment": {"A": "1\nRUN echo pwned \"'$(id)"}}, 'A="1\\nRUN echo pwned \\"\'$(id)"'),
    ({"dockerfile_labels": {"team": "ml\nRUN echo pwned"}}, 'team="ml\\nRUN echo pwned"'),
    ({"dockerfile_environment": {"A": "x \\\n--mount=type=secret,id=build-ca"}},
     'A="x \\\\\\n--mount=type=secret,id=build-ca"'),
])
def test_hostile_env_and_label_values_stay_in_their_instruction(playbook, tmp_path, extra, kept):
    """A value with a line break (or a trailing backslash) is written as one JSON string: it adds no instruction."""
    path = folder(tmp_path, {"main.py": "print('x')\n"})
    _proc, text = render(playbook, path, **extra)
    assert kept in text
    lines = text.splitlines()
    assert not any(line.startswith(("RUN echo pwned", "--mount")) for line in lines)
    for line in lines:
        assert line.split(" ", 1)[0] in INSTRUCTIONS or line.startswith((" ", "\t")), line
    assert_buildkit_promises(text.replace(kept, ""))


@pytest.mark.parametrize("extra, words", [
    ({"dockerfile_command": "python main.py\nRUN echo pwned"}, "dockerfile_command holds a line break"),
    ({"dockerfile_environment": {"A\nRUN echo pwned": "1"}}, "dockerfile_environment has invalid variable names"),
    ({"dockerfile_labels": {"x=1\nRUN echo": "1"}}, "dockerfile_labels has invalid label keys"),
    ({"dockerfile_apt_packages": ["curl && rm -rf /"]}, "dockerfile_apt_packages has invalid Debian package names"),
    ({"dockerfile_requirements_file": "req\nRUN echo.txt"}, "holds a line break or another control character"),
    ({"dockerfile_pip_version": "26.3' && curl x | sh && echo '"}, "dockerfile_pip_version"),
])
def test_hostile_settings_are_refused_before_anything_is_written(playbook, tmp_path, extra, words):
    path = folder(tmp_path, {"main.py": "print('x')\n", "req\nRUN echo.txt": "six\n"})
    proc, text = render(playbook, path, check=False, **extra)
    assert words in proc.flat and text == ""


@pytest.mark.parametrize("state", ["foreign", "edited"])
def test_overwrite_names_the_backup_it_keeps(playbook, tmp_path, state):
    path = folder(tmp_path, {"main.py": ""})
    if state == "foreign":
        (path / "Dockerfile").write_text("FROM python:3.11-slim\nCMD [\"python\", \"main.py\"]\n")
    else:
        _, text = render(playbook, path)
        (path / "Dockerfile").write_text(text + "EXPOSE 8080\n")
    mine = (path / "Dockerfile").read_text()
    proc, _ = render(playbook, path, dockerfile_mode="overwrite")
    [backup] = [p for p in path.iterdir() if p.name.startswith("Dockerfile.")]
    assert backup.read_text() == mine
    assert f"it is kept as {backup}" in proc.flat


@pytest.mark.parametrize("remote", [
    "https://oauth2:tok-4242@git.example.com/team/model.git",
    "https://git.example.com/team/model.git?private_token=tok-4242",
    "ssh://deploy:tok-4242@git.example.com/team/model.git",
])
def test_the_source_label_carries_no_credentials(playbook, tmp_path, remote):
    import subprocess

    path = folder(tmp_path, {"main.py": "print('x')\n"})
    git = ["git", "-C", str(path), "-c", "user.email=a@b", "-c", "user.name=a"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "commit", "-q", "--allow-empty", "-m", "x"], check=True)
    subprocess.run([*git, "remote", "add", "origin", remote], check=True)
    proc, text = render(playbook, path)
    assert "tok-4242" not in text and "tok-4242" not in proc.output
    assert re.search(r'org\.opencontainers\.image\.source="(https|ssh)://git\.example\.com/team/model\.git"', text)
    assert 'org.opencontainers.image.revision="' in text


def _sealed_lock(manifest_text, base=""):
    import hashlib

    from ansible_collections.dockwright.toolkit.plugins.filter.dockerfile_header import seal
    from ansible_collections.dockwright.toolkit.plugins.module_utils.lock import header

    lines = header("requirements.txt", hashlib.sha256(manifest_text.encode()).hexdigest(), "3.11", "x86_64", base)
    return seal("six==1.17.0 \\\n    --hash=sha256:" + "a" * 64 + "\n", lines)


def test_a_lock_is_installed_exactly_by_uv_mounted_from_its_stage_from_the_pinned_base(playbook, tmp_path):
    base = "python:3.11-slim@sha256:" + "d" * 64
    lock = _sealed_lock("six\n", base)
    path = folder(tmp_path, {"requirements.txt": "six\n", "main.py": "", "requirements.lock": lock})
    proc, text = render(playbook, path)
    assert f"ARG BASE_IMAGE={base}\n" in text
    assert 'org.opencontainers.image.base.name="python:3.11-slim"' in text
    assert 'dockwright.dependencies.file="requirements.lock"' in text
    assert_buildkit_promises(text)
    assert [line for line in text.splitlines() if line.startswith("FROM ")] == ["FROM ${BASE_IMAGE} AS uv",
                                                                               "FROM ${BASE_IMAGE}"]
    # uv comes first, in its helper stage (the base image's pip fetches it, through the same secrets and a pip cache);
    # the image then mounts it to make the virtualenv and pin pip in it: no python3 -m venv (its ensurepip takes
    # seconds) and no pip upgrade step.
    helper = text.split("FROM ${BASE_IMAGE} AS uv\n")[1].split(FINAL)[0]
    [fetch] = install_steps(helper)
    assert PIP_CACHE in fetch and fetch.endswith(" && pip install --no-deps --target /opt/uv uv==0.13.9")
    final = final_stage(text)
    order(final, "UV_LINK_MODE=copy", "UV_PYTHON_DOWNLOADS=never",  # uv never fetches a Python of its own
          f'{UV} venv --python "$(command -v python3)" /opt/venv',
          f"{UV} pip install --python /opt/venv/bin/python 'pip<=26.3'",
          "--mount=type=bind,source=requirements.lock,target=/tmp/requirements/requirements.lock",
          f"{UV} pip install --python /opt/venv/bin/python --require-hashes --no-deps"
          " --requirement /tmp/requirements/requirements.lock", CODE, "USER 10001:10001")
    uv_steps = [step for step in install_steps(final) if UV in step]
    assert len(uv_steps) == 2 and all(UV_MOUNT in step and UV_CACHE in step for step in uv_steps)
    assert "python3 -m venv" not in text and "--upgrade" not in text
    # The lock alone is installed: its manifest is neither mounted nor copied.
    assert "source=requirements.txt" not in text and "/tmp/requirements/requirements.txt" not in text
    assert "Dependencies: requirements.lock (locked by make lock from requirements.txt, installed exactly)" in proc.flat
    _, no_pip = render(playbook, path, dockerfile_pip_version="")
    assert "uv venv" in no_pip and "'pip<=" not in no_pip
    assert_buildkit_promises(no_pip)
    _, with_pip = render(playbook, path, dockerfile_uv_version="")
    assert_buildkit_promises(with_pip)
    assert "/opt/uv" not in with_pip and "AS uv" not in with_pip and UV_CACHE not in with_pip
    order(with_pip, "python3 -m venv /opt/venv && pip install --upgrade 'pip<=26.3'",
          "--mount=type=bind,source=requirements.lock,target=/tmp/requirements/requirements.lock",
          "pip install --require-hashes --no-deps --requirement /tmp/requirements/requirements.lock", CODE)


def test_a_package_next_to_a_lock_is_installed_from_the_mounted_code(playbook, tmp_path):
    lock = _sealed_lock("six\n")
    path = folder(tmp_path, {"requirements.txt": "six\n", "setup.py": "import setuptools\nsetuptools.setup()\n",
                             "main.py": "", "requirements.lock": lock})
    _, text = render(playbook, path)
    assert_buildkit_promises(text)
    # pip is pinned in the virtualenv, so it installs the package; without the pin, uv does.
    order(text, "--requirement /tmp/requirements/requirements.lock", CODE, PACKAGE_MOUNT,
          " && pip install --no-deps /tmp/src\n", "USER 10001:10001")
    _, no_pip = render(playbook, path, dockerfile_pip_version="")
    assert_buildkit_promises(no_pip)
    [step] = [step for step in install_steps(no_pip) if "/tmp/src" in step]
    assert PACKAGE_MOUNT in step and UV_MOUNT in step
    assert step.endswith(f" && {UV} pip install --python /opt/venv/bin/python --no-deps /tmp/src")


def test_requirements_pinned_with_hashes_are_installed_as_they_are(playbook, tmp_path):
    hashed = "six==1.17.0 \\\n    --hash=sha256:" + "a" * 64 + "\n"
    path = folder(tmp_path, {"requirements.txt": hashed, "main.py": ""})
    proc, text = render(playbook, path)
    [step] = [step for step in install_steps(text) if "--requirement" in step]
    assert "--mount=type=bind,source=requirements.txt,target=/tmp/requirements/requirements.txt" in step
    assert step.endswith(" && pip install --require-hashes --requirement /tmp/requirements/requirements.txt")
    assert_buildkit_promises(text)
    assert "Dependencies: requirements.txt (pinned with hashes, installed as it is)." in proc.flat
    _, plain = render(playbook, folder(tmp_path, {"requirements.txt": "six\n", "main.py": ""}, name="plain"))
    assert "--require-hashes" not in plain and "pip install --requirement /tmp/requirements/requirements.txt" in plain


PYLOCK = ('lock-version = "1.0"\ncreated-by = "uv"\n\n[[packages]]\nname = "six"\nversion = "1.17.0"\nwheels = [{ url ='
          ' "https://files.example.com/six-1.17.0-py2.py3-none-any.whl", hashes = { sha256 = "' + "a" * 64 + '" } }]\n')


def test_a_pylock_toml_is_installed_exactly_by_uv_before_requirements_txt(playbook, tmp_path):
    path = folder(tmp_path, {"requirements.txt": "six\n", "main.py": "", "pylock.toml": PYLOCK})
    proc, text = render(playbook, path)
    assert 'dockwright.dependencies.file="pylock.toml"' in text
    assert_buildkit_promises(text)
    order(text, "FROM ${BASE_IMAGE} AS uv", "--target /opt/uv uv==0.13.9", FINAL, "# pylock.toml (PEP 751)",
          "--mount=type=bind,source=pylock.toml,target=/tmp/requirements/pylock.toml",
          f"{UV} pip install --python /opt/venv/bin/python --require-hashes --no-deps",
          "--requirement /tmp/requirements/pylock.toml", CODE)
    assert "/tmp/requirements/requirements.txt" not in text and "make lock from" not in text
    assert 'COPY ["pylock.toml"' not in text
    assert ("Dependencies: pylock.toml (PEP 751, installed exactly as it is by uv; it names no manifest, so whether it"
            " is current is not checked: make it again with its tool when the dependencies change). pylock.toml is"
            " used; requirements.txt left aside") in proc.flat
    proc, _ = render(playbook, path, check=False, dockerfile_uv_version="")
    assert proc.returncode != 0
    assert "pylock.toml is installed by uv, and pip does not read it: leave dockerfile_uv_version set" in proc.flat


def test_a_lone_pipfile_installs_its_packages_resolved_at_build_time(playbook, tmp_path):
    pipfile = ('[[source]]\nurl = "https://pypi.org/simple"\nname = "pypi"\n\n[packages]\nsix = "==1.16.0"\n'
               'requests = {version = ">=2", extras = ["socks"]}\n\n[dev-packages]\npytest = "*"\n')
    path = folder(tmp_path, {"Pipfile": pipfile, "main.py": ""})
    proc, text = render(playbook, path)
    [step] = [step for step in install_steps(text) if "six" in step]
    assert step.endswith(" && pip install six==1.16.0 'requests[socks]>=2'") and "pytest" not in text
    order(text, "python3 -m venv /opt/venv", step, CODE)
    assert_buildkit_promises(text)
    assert 'dockwright.dependencies.file="Pipfile"' in text and "/opt/uv" not in text
    assert "Pipfile" not in "".join(re.findall(r"--mount=\S+", text))  # resolved from its names, nothing mounted
    assert ("Dependencies: Pipfile (its [packages], without Pipfile.lock: resolved at build time; make lock pins"
            " them).") in proc.flat
    # Next to requirements.txt, requirements.txt is installed and the run says the Pipfile was left aside.
    (path / "requirements.txt").write_text("numpy\n")
    proc, text = render(playbook, path)
    assert "--requirement /tmp/requirements/requirements.txt" in text and "six==1.16.0" not in text
    assert "Dependencies: requirements.txt. requirements.txt is used; Pipfile left aside (precedence:" in proc.flat
