# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""The lock C(make lock) writes: what it was made from and for, and how uv is asked to make it.

No Ansible imports. The lock (C(requirements.lock) in the program folder) is a requirements file with every
distribution pinned and hashed, resolved by uv for the image's target (its Python, Linux, a CPU architecture), under
dockwright's header: the manifest it was made from and that file's sha256 (so a changed manifest is caught before a
build), the target, the base image pinned by digest when known, and the checksum every generated file carries (so a
lock edited by hand, or a file of the user's own by that name, is never overwritten)."""

from __future__ import annotations

import re

LOCK_NAME = "requirements.lock"
# CPU architectures as users name them -> uv's platform (the manylinux level Debian bookworm's glibc 2.36 covers).
PLATFORMS = {
    "x86_64": "x86_64-manylinux_2_28",
    "amd64": "x86_64-manylinux_2_28",
    "arm64": "aarch64-manylinux_2_28",
    "aarch64": "aarch64-manylinux_2_28",
}
_FIELD_RE = re.compile(r"^# dockwright-(manifest|target|base): (.+)$", re.M)
_PACKAGE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_PYTHON_RE = re.compile(r"^3\.\d{1,2}$")


def header(manifest: str, manifest_sha256: str, python: str, platform: str, base: str = "") -> list[str]:
    """The comment lines above a lock's body (the checksum line is added by the seal)."""
    lines = [
        "Locked by dockwright for the image's target; install with pip install --require-hashes --no-deps -r.",
        "Do not edit: make lock PROGRAM=<this folder> (UPGRADE=1, or UPGRADE=<package>, to refresh).",
        f"dockwright-manifest: {manifest} sha256:{manifest_sha256}",
        f"dockwright-target: python {python}, {PLATFORMS.get(platform, platform)}",
    ]
    if base:
        lines.append(f"dockwright-base: {base}")
    return lines


def read_header(text) -> dict:
    """The fields of a lock's header: C(manifest), C(manifest_sha256), C(target), C(base) (empty when absent)."""
    fields = {"manifest": "", "manifest_sha256": "", "target": "", "base": ""}
    for key, value in _FIELD_RE.findall(str(text or "")):
        if key == "manifest":
            name, _sep, digest = value.rpartition(" sha256:")
            fields.update(manifest=name, manifest_sha256=digest)
        else:
            fields[key] = value.strip()
    return fields


def body(text) -> str:
    """A lock's text without dockwright's header (the comment lines up to and including the checksum line)."""
    lines = str(text or "").split("\n")
    for index, line in enumerate(lines[:40]):
        if line.startswith("# dockwright-checksum: "):
            return "\n".join(lines[index + 1:])
        if line and not line.startswith("#"):
            break
    return str(text or "")


def distributions(text) -> list[str]:
    """The names a lock pins (its requirement lines; hash lines are indented, comments start with #)."""
    return [re.split(r"[=<>!~;\s\[]", line, maxsplit=1)[0] for line in str(text or "").splitlines()
            if line[:1].isalnum()]


def upgrade_args(upgrade) -> list[str]:
    """uv's arguments for C(upgrade): empty/false keeps the locked versions, C(1)/true/C(all) upgrades everything,
    package names (separated by commas or spaces) upgrade those."""
    value = str(upgrade or "").strip()
    if value.lower() in ("", "0", "false", "no"):
        return []
    if value.lower() in ("1", "true", "yes", "all"):
        return ["--upgrade"]
    return [arg for name in re.split(r"[,\s]+", value) if name for arg in ("--upgrade-package", name)]


def compile_command(uv: str, manifest: str, output: str, python: str, platform: str, upgrade="") -> list[str]:
    """The uv command that resolves C(manifest) into C(output) for C(python) on Linux C(platform), with hashes.
    The index comes from the environment (UV_INDEX_URL, UV_EXTRA_INDEX_URL), so no URL is on the command line and
    none is written into the lock."""
    return [uv, "pip", "compile", manifest, "--output-file", output, "--generate-hashes", "--no-header",
            "--python-version", python, "--python-platform", PLATFORMS[platform], "--quiet",
            *upgrade_args(upgrade)]


# Locks of other tools, in the order they are preferred when a folder holds several; each is exported (never
# re-resolved) by its own well-kept reader into requirements.lock.
NATIVE_LOCKS = (("uv.lock", "uv"), ("poetry.lock", "poetry"), ("Pipfile.lock", "pipenv"))


def source(files, requirements_file: str = "", has_project_dependencies: bool = False) -> dict:
    """Where a folder's dependencies come from, given the names C(files) at its top: C(kind) (C(compile): resolve a
    requirements file or pyproject.toml with uv; C(uv), C(poetry), C(pipenv): export that tool's lock), C(file) (the
    manifest of the lock make lock writes), C(note) (what else was there and left aside), C(error)."""
    files = set(files or [])
    if requirements_file:
        return {"kind": "compile", "file": requirements_file, "note": "", "error": ""}
    natives = [(name, kind) for name, kind in NATIVE_LOCKS if name in files]
    if natives:
        name, kind = natives[0]
        others = [other for other, _kind in natives[1:]] + [other for other in ("requirements.txt",) if other in files]
        note = f"{name} is used; {', '.join(others)} left aside (precedence: uv.lock, poetry.lock, Pipfile.lock," \
               " requirements.txt, pyproject.toml)" if others else ""
        return {"kind": kind, "file": name, "note": note, "error": ""}
    if "Pipfile" in files:
        instead = (", or give REQUIREMENTS=requirements.txt to use requirements.txt instead"
                   if "requirements.txt" in files else "")
        return {"kind": "", "file": "Pipfile", "note": "", "error": (
            "Pipfile has no Pipfile.lock next to it: lock it with its own tool (pipenv lock), then make lock, which"
            f" installs Pipfile.lock exactly{instead}.")}
    if "requirements.txt" in files:
        return {"kind": "compile", "file": "requirements.txt", "note": "", "error": ""}
    if has_project_dependencies:
        return {"kind": "compile", "file": "pyproject.toml", "note": "", "error": ""}
    return {"kind": "", "file": "", "note": "", "error": ""}


def export_command(kind: str, bin_dir: str, output: str) -> list[str]:
    """The command that writes the lock of C(kind) as a hashed requirements file: C(uv) into C(output), checking
    that uv.lock still matches pyproject.toml (C(--locked)); C(poetry) and C(pipenv) on their standard output,
    without the index URLs a Pipfile may name (they may carry credentials)."""
    if kind == "uv":
        return [f"{bin_dir}/uv", "export", "--locked", "--format", "requirements-txt", "--no-emit-project",
                "--no-header", "--no-dev", "--quiet", "--output-file", output]
    return [f"{bin_dir}/micropipenv", "requirements", "--method", kind, "--no-indexes", "--no-dev", "--no-comments"]


def verify_command(kind: str, bin_dir: str) -> list[str]:
    """The command that checks a poetry.lock or Pipfile.lock against its manifest (empty for other kinds)."""
    return [f"{bin_dir}/micropipenv", "verify", "--method", kind] if kind in ("poetry", "pipenv") else []


def settings_errors(platform: str, upgrade, python: str) -> list[str]:
    """What is wrong with the lock settings; empty when nothing is."""
    errors = []
    if platform not in PLATFORMS:
        errors.append(f"lock_platform '{platform}' is not a CPU architecture dockwright locks for: give one of"
                      f" {', '.join(sorted(PLATFORMS))} (PLATFORM=arm64).")
    names = [arg for arg in upgrade_args(upgrade) if arg not in ("--upgrade", "--upgrade-package")]
    bad = [name for name in names if not _PACKAGE_RE.match(name)]
    if bad:
        errors.append(f"lock_upgrade names {', '.join(repr(name) for name in bad)}, which are not package names:"
                      " give UPGRADE=1 for all, or package names separated by commas.")
    if not _PYTHON_RE.match(str(python or "")):
        errors.append(f"The Python version to lock for, '{python}', is not of the form 3.X: give"
                      " PYTHON_VERSION=3.11.")
    return errors
