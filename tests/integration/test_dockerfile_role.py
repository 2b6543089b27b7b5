"""The dockerfile role run as users run it, through ansible-playbook (playbooks/chain.yml with this role alone; no
engine needed): what it does to the files in the program folder and what the run prints. The text it writes, for each
kind of folder, and every input it refuses are tested in-process in tests/unit/roles/test_dockerfile_template.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import recap
from render import render

pytestmark = pytest.mark.dockerfile

CHAIN = "playbooks/chain.yml"


def folder(tmp_path: Path, files: dict[str, str]) -> Path:
    path = tmp_path / "model"
    path.mkdir()
    for rel, text in files.items():
        (path / rel).write_text(text)
    return path


def run(playbook, path: Path, check: bool | None = True, **extra):
    return playbook(CHAIN, extra={"dockwright_roles": ["dockerfile"], "dockerfile_program_path": str(path), **extra},
                    check=check)


def files(path: Path) -> dict[str, str]:
    """The folder's files and their text."""
    return {str(p): p.read_text() for p in sorted(path.iterdir())}


def backups(path: Path) -> list[Path]:
    return sorted(p for p in path.iterdir() if p.name.startswith("Dockerfile."))


def test_a_run_writes_what_the_role_renders_says_what_it_chose_and_a_rerun_changes_nothing(playbook, tmp_path):
    path = folder(tmp_path, {"requirements.txt": "numpy\n", "init.sh": "#!/bin/sh\necho hi\n", "main.py": ""})
    before = files(path)
    expected = render(path)  # the same role, in-process (tests/render.py)
    assert set(expected.writes) == {str(path / "Dockerfile"), str(path / ".dockerignore")}
    proc = run(playbook, path)
    assert files(path) == {**before, **expected.writes}
    assert recap(proc.output)["changed"] == 2
    # What the run chose, said as it ran: the defaulted Python, the init script by convention, the dependency file.
    assert f"Nothing in {path} names a Python version" in proc.flat
    assert f"{path}/init.sh: run as the init script at build time (by convention; INIT=none" in proc.flat
    assert "Dependencies: requirements.txt." in proc.flat
    assert expected.messages and all(" ".join(message.split()) in proc.flat for message in expected.messages)
    # An unchanged folder: nothing written, nothing changed.
    written = files(path)
    proc = run(playbook, path)
    assert recap(proc.output)["changed"] == 0
    assert files(path) == written


def test_a_refused_run_says_why_and_writes_nothing(playbook, tmp_path):
    path = folder(tmp_path, {"main.py": ""})
    proc = run(playbook, path, check=False, dockerfile_requirements_file="nope.txt")
    assert "requirements_file 'nope.txt' was not found" in proc.flat
    assert "Traceback" not in proc.output
    assert files(path) == {str(path / "main.py"): ""}


def test_a_foreign_dockerfile_is_left_alone_until_overwrite_which_keeps_it_as_a_backup(playbook, tmp_path):
    mine = "FROM python:3.11-slim\nCOPY . /app\n"
    path = folder(tmp_path, {"Dockerfile": mine, "main.py": ""})
    proc = run(playbook, path, check=False)
    assert "was not written by dockwright, so it is left alone" in proc.flat
    assert "Traceback" not in proc.output
    assert files(path) == {str(path / "Dockerfile"): mine, str(path / "main.py"): ""}
    proc = run(playbook, path, dockerfile_mode="overwrite")
    [backup] = backups(path)
    assert backup.read_text() == mine
    assert f"it is kept as {backup}" in proc.flat
    assert (path / "Dockerfile").read_text() == render(path, dockerfile_mode="overwrite").dockerfile


def test_an_edited_dockerfile_is_refused_kept_or_overwritten_with_a_backup(playbook, tmp_path):
    path = folder(tmp_path, {"main.py": ""})
    run(playbook, path)
    text = (path / "Dockerfile").read_text()
    edited = text.replace("USER 10001:10001", "USER 10001:10001\nEXPOSE 8080")
    assert edited != text
    (path / "Dockerfile").write_text(edited)
    proc = run(playbook, path, check=False)
    assert (path / "Dockerfile").read_text() == edited
    assert "edited by hand since" in proc.flat and "DOCKERFILE_MODE=keep" in proc.flat
    proc = run(playbook, path, dockerfile_mode="keep")
    assert (path / "Dockerfile").read_text() == edited and recap(proc.output)["changed"] == 0
    assert backups(path) == []
    proc = run(playbook, path, dockerfile_mode="overwrite")
    assert (path / "Dockerfile").read_text() == text
    [backup] = backups(path)
    assert backup.read_text() == edited
    assert f"it is kept as {backup}" in proc.flat


def test_the_folders_own_dockerignore_is_kept_and_the_run_says_what_it_must_keep_out(playbook, tmp_path):
    path = folder(tmp_path, {".dockerignore": "data/\n", "main.py": ""})
    proc = run(playbook, path)
    assert (path / ".dockerignore").read_text() == "data/\n"
    assert (path / "Dockerfile").exists()
    assert "make sure it keeps credential files" in proc.flat
