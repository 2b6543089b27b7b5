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
# The standard lock (PEP 751): installed as it is by uv, which reads it, checks its hashes and evaluates its markers in
# the image; it names no manifest, so nothing can tell whether it is behind one.
PYLOCK_NAME = "pylock.toml"
# Every file a folder's dependencies may come from, preferred first: the tools' locks (checked against their
# manifests), the standard lock, then the manifests resolved at build time (or locked by make lock).
PRECEDENCE = ("uv.lock", "poetry.lock", "Pipfile.lock", PYLOCK_NAME, "requirements.txt", "Pipfile", "pyproject.toml")
_KINDS = {**dict(NATIVE_LOCKS), PYLOCK_NAME: "pylock"}


def source(files, requirements_file: str = "", has_project_dependencies: bool = False) -> dict:
    """Where a folder's dependencies come from, given the names C(files) at its top: C(kind) (C(compile): resolve a
    requirements file, a Pipfile's packages or pyproject.toml with uv; C(uv), C(poetry), C(pipenv): export that tool's
    lock; C(pylock): install pylock.toml as it is), C(file) (the manifest of the lock make lock writes, or the lock
    installed) and C(note) (what else was there and left aside)."""
    files = set(files or [])
    if requirements_file:
        return {"kind": "compile", "file": requirements_file, "note": ""}
    # A Pipfile next to its Pipfile.lock is that lock's manifest, not a source of its own; pyproject.toml is left
    # aside silently (it is also the package, and the manifest of uv.lock and poetry.lock).
    found = [name for name in PRECEDENCE if name in files and not (name == "Pipfile" and "Pipfile.lock" in files)
             and name != "pyproject.toml"]
    if not found:
        file = "pyproject.toml" if has_project_dependencies else ""
        return {"kind": "compile" if file else "", "file": file, "note": ""}
    name, others = found[0], found[1:]
    note = (f"{name} is used; {', '.join(others)} left aside (precedence: {', '.join(PRECEDENCE)})"
            if others else "")
    return {"kind": _KINDS.get(name, "compile"), "file": name, "note": note}


# What a Pipfile's [packages] entry may say when there is no Pipfile.lock: a version, extras, markers. Anything else
# (index, git, path, file, editable, ...) needs pipenv's resolver, so it is refused.
_PIPFILE_KEYS = ("version", "extras", "markers")


def pipfile_requirements(text) -> tuple[list[str], list[str]]:
    """The requirements a Pipfile's C([packages]) stand for (C(six = "*") -> C(six), C(six = "==1.16") ->
    C(six==1.16), C(pandas = {version = ">=2", extras = ["excel"]}) -> C(pandas[excel]>=2)), and what is wrong with
    it; C([dev-packages]) are not the program's. The TOML is read by tomllib, each requirement checked by packaging."""
    import tomllib

    from packaging.requirements import InvalidRequirement, Requirement

    try:
        packages = tomllib.loads(str(text)).get("packages", {})
    except tomllib.TOMLDecodeError as err:
        return [], [f"Pipfile does not parse ({err}): fix it."]
    if not isinstance(packages, dict):
        return [], ["Pipfile's [packages] is not a table: write one package a line (six = \"*\")."]
    requirements, errors = [], []
    fix = ("lock it with pipenv lock (Pipfile.lock is installed exactly), or give a version (\"==1.0\", \"*\"),"
           " extras or markers only")
    for name, spec in packages.items():
        entry = spec if isinstance(spec, dict) else {"version": spec}
        unknown = sorted(str(key) for key in entry if key not in _PIPFILE_KEYS)
        if unknown:
            errors.append(f"Pipfile [packages] {name} uses {', '.join(unknown)}, which dockwright does not install"
                          f" from a Pipfile without its lock: {fix}.")
            continue
        version, extras, markers = entry.get("version", "*"), entry.get("extras", []), entry.get("markers", "")
        if not isinstance(version, str) or not isinstance(extras, list) or not isinstance(markers, str):
            errors.append(f"Pipfile [packages] {name} = {spec!r} is not a version, extras or markers: {fix}.")
            continue
        line = name + (f"[{','.join(map(str, extras))}]" if extras else "")
        line += "" if version.strip() == "*" else version.strip()
        line += f" ; {markers}" if markers else ""
        try:
            Requirement(line)
        except InvalidRequirement:
            errors.append(f"Pipfile [packages] {name} = {spec!r} is not a requirement pip understands: {fix}.")
            continue
        requirements.append(line)
    return requirements, errors


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
