# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""Inspect a program folder: what the Dockerfile generator needs to know about it."""

from __future__ import annotations

DOCUMENTATION = r"""
name: program_info
short_description: Describe a data scientist's program folder for the Dockerfile generator
description:
  - Reads a program folder and returns what it holds that changes the generated Dockerfile
    (requirements, Python version, Debian packages, a package definition, an init script,
    the program's entry point, its git origin), together with a list of input errors.
  - It never raises on bad input; it returns every problem in C(errors) so a playbook can
    report them all at once, before anything is written.
options:
  _terms:
    description: The program folder.
    required: true
  requirements_file:
    description:
      - Requirements file, relative to the folder or absolute (inside the folder).
      - Empty means C(requirements.txt) when present.
    type: str
    default: ""
  init_file:
    description:
      - Shell script run at build time, relative to the folder or absolute (inside the folder).
      - Empty means C(init.sh) at the top of the folder when present (by convention); C(none) means no init script.
    type: str
    default: ""
  python_version:
    description: Python version asked for explicitly (C(3.11)); wins over the files.
    type: str
    default: ""
  default_python_version:
    description: Python version used when nothing in the folder names one.
    type: str
    default: "3.11"
  base_image:
    description: Base image asked for explicitly; empty means O(base_image_pattern) (or the lock's pinned base).
    type: str
    default: ""
  base_image_pattern:
    description: The base image for a Python version, C({version}) standing for it.
    type: str
    default: "python:{version}-slim"
"""

EXAMPLES = r"""
- name: Describe the program folder
  ansible.builtin.set_fact:
    program: "{{ lookup('dockwright.toolkit.program_info', './examples/iris', requirements_file='requirements.txt') }}"
"""

RETURN = r"""
_raw:
  description: One dictionary describing the folder.
  type: dict
  contains:
    errors: {description: "Input problems, each a sentence naming the input and the fix.", type: list}
    lock_errors:
      description: >-
        The lock's problems, apart from C(errors) because make lock mends them: C(requirements.lock) behind its
        manifest or made for another Python, another tool's lock not yet exported by make lock. Fatal to a build.
      type: list
    warnings: {description: "Things the user should know (a defaulted Python version).", type: list}
    name: {description: "The folder's name.", type: str}
    path: {description: "The folder, absolute.", type: str}
    requirements: {description: "Requirements file relative to the folder, or empty.", type: str}
    requirements_local: {description: "Whether the requirements name local paths (they need the code).", type: bool}
    python_version: {description: "The chosen Python version (C(3.11)).", type: str}
    python_version_source:
      description: >-
        Where the version came from: C(python_version), C(runtime.txt), C(.python-version),
        C(pyproject.toml requires-python), C(runtime.txt python-3, the default Python 3) or C(default).
      type: str
    apt_packages: {description: "Debian packages from C(apt.txt), sorted.", type: list}
    package:
      description: "C(pyproject), C(setup.py) or empty when the folder is not an installable package."
      type: str
    package_dependencies: {description: "The dependencies a C(pyproject.toml) declares, in file order.", type: list}
    pipfile_dependencies:
      description: >-
        The requirements a C(Pipfile) without C(Pipfile.lock) stands for (its C([packages])), when it is where the
        dependencies come from; empty otherwise.
      type: list
    build_requires: {description: "The build backend requirements of C(pyproject.toml).", type: list}
    init: {description: "Init script relative to the folder, or empty.", type: str}
    init_by_convention: {description: "Whether C(init) is the folder's C(init.sh), found by convention.", type: bool}
    entrypoint: {description: "The script to run when no command is given, or empty.", type: str}
    scripts: {description: "The console scripts C(pyproject.toml) declares, sorted.", type: list}
    git:
      description: >-
        C(revision) and C(source) (scheme, host and path only) of the folder's git checkout (empty when not in git).
      type: dict
    virtualenvs: {description: "Folders holding a C(pyvenv.cfg), relative to the folder, sorted.", type: list}
    dependencies:
      description: >-
        C(file), the file the dependencies are installed from (relative to the folder; empty when none), and
        C(sha256), its content's hash.
      type: dict
    lock:
      description: >-
        The lock installed exactly: the one C(make lock) wrote (C(requirements.lock)), when there is one and it still
        matches its manifest, or the folder's C(pylock.toml) (no manifest, target or base): C(file), C(manifest),
        C(target), C(base) (the base pinned by digest, or empty); C(file) empty when none.
      type: dict
    base_image:
      description: >-
        The base to build from: C(base_image_tag), pinned by digest when the lock was made for that very base.
      type: str
    base_image_tag:
      description: The same base before any pinning (the explicit one, or from the pattern).
      type: str
    source:
      description: >-
        Where the dependencies come from (module_utils/lock.py source) - C(kind) (compile, uv, poetry, pipenv,
        pylock), C(file), C(note) (what was left aside).
      type: dict
    requirements_hashed:
      description: Whether the requirements file pins with C(--hash) (installed with C(--require-hashes)).
      type: bool
"""

import hashlib
import os
import re
import subprocess
import tomllib

from ansible.errors import AnsibleError
from ansible.plugins.lookup import LookupBase
from ansible_collections.dockwright.toolkit.plugins.module_utils.dockerfile import APT_PACKAGE_RE, CONTROL_RE
from ansible_collections.dockwright.toolkit.plugins.module_utils.lock import (
    LOCK_NAME,
    PYLOCK_NAME,
    pipfile_requirements,
    read_header,
)
from ansible_collections.dockwright.toolkit.plugins.module_utils.lock import source as lock_source
from ansible_collections.dockwright.toolkit.plugins.module_utils.secrets import public_url

try:
    from packaging.specifiers import InvalidSpecifier, SpecifierSet
    from packaging.version import Version
except ImportError:  # pragma: no cover - packaging ships with ansible-core
    SpecifierSet = None

# Minor versions for which slim images exist, newest last; used to satisfy requires-python.
KNOWN_PYTHONS = ("3.8", "3.9", "3.10", "3.11", "3.12", "3.13", "3.14")
# The init script a folder has by convention, and the init_file value that runs none.
INIT_CONVENTION = "init.sh"
INIT_NONE = "none"
ENTRYPOINT_CANDIDATES = ("main.py", "app.py", "run.py", "train.py", "predict.py", "__main__.py")
_VERSION_RE = re.compile(r"^(?:python-?)?(3)\.(\d+)(?:\.\d+)?$")
# runtime.txt's way of saying "Python 3, whichever": the default Python 3 (default_python_version).
_DEFAULT_PYTHON3_RE = re.compile(r"^python-?3$")


def parse_python_version(text):
    """Return C(X.Y) from C(python-3.11.4), C(3.11) or C(3.11.4); None when not a Python 3 version."""
    match = _VERSION_RE.match(text.strip())
    if not match:
        return None
    return f"{match.group(1)}.{match.group(2)}"


def means_default_python3(text):
    """True for C(python-3) (or C(python3)): a runtime.txt asking for Python 3 without naming a version."""
    return bool(_DEFAULT_PYTHON3_RE.match(text.strip()))


def version_for_requires(spec, default):
    """Pick a Python minor version for a requires-python specifier: the default when allowed,
    otherwise the newest known one allowed. None when nothing known satisfies it."""
    specifier = SpecifierSet(spec)
    if Version(default + ".0") in specifier or Version(default) in specifier:
        return default
    for candidate in reversed(KNOWN_PYTHONS):
        if Version(candidate + ".0") in specifier:
            return candidate
    return None


def requirements_need_code(text):
    """True when a requirements file installs local paths (C(-e .), C(./pkg), C(file:))."""
    for raw in text.splitlines():
        line = raw.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith(("-e", "--editable")):
            return True
        if line.startswith((".", "/", "file:")):
            return True
    return False


def read_apt_packages(text):
    """Return (packages, bad_lines) from an apt.txt: one package a line, comments allowed."""
    packages, bad = set(), []
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        for word in line.split():
            if APT_PACKAGE_RE.match(word):
                packages.add(word)
            else:
                bad.append(word)
    return sorted(packages), bad


def git_info(path):
    """Return the checkout's revision and a browsable source URL, or empties."""

    def git(*args):
        try:
            out = subprocess.run(
                ["git", "-C", path, *args], capture_output=True, text=True, timeout=10, check=False
            )
        except (OSError, subprocess.TimeoutExpired):
            return ""
        return out.stdout.strip() if out.returncode == 0 else ""

    revision = git("rev-parse", "HEAD")
    source = public_source(git("config", "--get", "remote.origin.url")) if revision else ""
    return {"revision": revision, "source": source}


def public_source(remote):
    """A git remote reduced to what may be shown: scheme, host (and port) and path, nothing else. User names,
    passwords and tokens (user:token@, ?token=..., #...) are dropped; scp-like remotes (git@host:team/x.git) keep
    host and path; anything that is not recognisably a URL gives ""."""
    remote = (remote or "").strip()
    scp = re.match(r"^(?:[^@/:]+@)?([A-Za-z0-9.-]+):(?!//)([^?#]+)$", remote)
    if scp and remote.isprintable():
        return f"ssh://{scp.group(1)}/{scp.group(2).lstrip('/')}"
    return public_url(remote, ("https", "http", "ssh", "git"))


# Folders never searched for virtual environments (large, or not the program's).
_NOT_SEARCHED = {".git", ".hg", ".svn", "node_modules", "__pycache__"}


def find_virtualenvs(folder, depth=3):
    """Virtual environments inside C(folder), as sorted paths relative to it: folders holding a pyvenv.cfg, found
    down to C(depth) levels. They are excluded from the build by what they are, not by a name (C(env/) may be
    code)."""
    found = []
    top = folder.rstrip(os.sep).count(os.sep)
    for current, dirs, files in os.walk(folder):
        if "pyvenv.cfg" in files and current != folder:
            relative = os.path.relpath(current, folder)
            if relative.isprintable():  # one line of the .dockerignore each
                found.append(relative)
            dirs[:] = []
            continue
        if current.count(os.sep) - top >= depth:
            dirs[:] = []
        dirs[:] = sorted(name for name in dirs if name not in _NOT_SEARCHED and not os.path.islink(
            os.path.join(current, name)))
    return sorted(found)


def _inside(folder, candidate):
    folder = os.path.realpath(folder)
    candidate = os.path.realpath(candidate)
    return candidate == folder or candidate.startswith(folder + os.sep)


def _read(path):
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def describe(path, requirements_file="", init_file="", python_version="", default_python_version="3.11",
             base_image="", base_image_pattern="python:{version}-slim"):
    """Describe the program folder at C(path); see RETURN."""
    info = {
        "errors": [],
        "lock_errors": [],
        "warnings": [],
        "name": os.path.basename(os.path.normpath(path)) if path else "",
        "path": os.path.abspath(path) if path else "",
        "requirements": "",
        "requirements_local": False,
        "python_version": "",
        "python_version_source": "",
        "apt_packages": [],
        "package": "",
        "package_dependencies": [],
        "pipfile_dependencies": [],
        "build_requires": [],
        "init": "",
        "init_by_convention": False,
        "entrypoint": "",
        "scripts": [],
        "git": {"revision": "", "source": ""},
        "virtualenvs": [],
        "dependencies": {"file": "", "sha256": ""},
        "lock": {"file": "", "manifest": "", "target": "", "base": ""},
        "source": {"kind": "", "file": "", "note": ""},
        "requirements_hashed": False,
        "base_image": "",
        "base_image_tag": "",
    }
    errors = info["errors"]
    if not path:
        errors.append("program_path is empty: give the program folder (make dockerize PROGRAM=./my-model).")
        return info
    if not os.path.exists(path):
        errors.append(f"program_path '{path}' does not exist: give the folder that holds the program's scripts.")
        return info
    if not os.path.isdir(path):
        errors.append(f"program_path '{path}' is a file, not a folder: give the folder that holds it.")
        return info
    folder = info["path"]
    if os.path.isfile(os.path.join(folder, "collections", "ansible_collections", "dockwright", "toolkit",
                                   "galaxy.yml")):
        errors.append(f"program_path '{path}' is dockwright itself, not a program: give your program's folder"
                      " (make dockerize PROGRAM=./my-model).")
        return info

    def resolve(name, value):
        if CONTROL_RE.search(value):
            errors.append(f"{name} {value!r} holds a line break or another control character, which would break the"
                          " Dockerfile it is written into: rename the file.")
            return ""
        full = value if os.path.isabs(value) else os.path.join(folder, value)
        if not os.path.isfile(full):
            errors.append(f"{name} '{value}' was not found in {folder}: fix the name or leave it empty.")
            return ""
        if not _inside(folder, full):
            errors.append(f"{name} '{value}' lies outside the program folder {folder}: move it into the folder, "
                          "which is the build context.")
            return ""
        return os.path.relpath(os.path.realpath(full), os.path.realpath(folder))

    # Requirements: explicit, else requirements.txt when present.
    if requirements_file:
        info["requirements"] = resolve("requirements_file", requirements_file)
    elif os.path.isfile(os.path.join(folder, "requirements.txt")):
        info["requirements"] = "requirements.txt"
    if info["requirements"]:
        info["requirements_local"] = requirements_need_code(_read(os.path.join(folder, info["requirements"])))

    # Init script: the one init_file names, else init.sh at the top of the folder by convention; "none" for none.
    # It must be a shell script.
    named = init_file
    if init_file.strip().lower() == INIT_NONE:
        named = ""
    elif not init_file and os.path.isfile(os.path.join(folder, INIT_CONVENTION)):
        named = INIT_CONVENTION
        info["init_by_convention"] = True
    # Problems are told as the user would fix them: the setting, or the file found by convention.
    what, skip = f"init_file '{init_file}'", ""
    if info["init_by_convention"]:
        what = f"{INIT_CONVENTION} (run as the init script by convention)"
        skip = f", or skip it with INIT={INIT_NONE} (init_file: {INIT_NONE})"
        if _inside(folder, os.path.join(folder, named)):
            info["init"] = named
        else:
            errors.append(f"{what} lies outside the program folder {folder}: move it into the folder, which is the"
                          f" build context{skip}.")
    elif named:
        info["init"] = resolve("init_file", named)
    if info["init"]:
        with open(os.path.join(folder, info["init"]), "rb") as handle:
            first = handle.readline()
        is_shell = first.startswith(b"#!") and re.search(rb"\b(ba|da|z|k)?sh\b", first)
        if not info["init"].endswith(".sh") and not is_shell:
            errors.append(f"{what} is not a shell script: name it *.sh or start it with #!/bin/sh{skip}.")
        elif first.startswith(b"#!") and not is_shell:
            errors.append(f"{what} starts with {first.strip().decode(errors='replace')}: "
                          f"it must be a shell script (#!/bin/sh or #!/bin/bash){skip}.")

    # pyproject.toml / setup.py
    pyproject = {}
    pyproject_path = os.path.join(folder, "pyproject.toml")
    if os.path.isfile(pyproject_path):
        try:
            pyproject = tomllib.loads(_read(pyproject_path))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
            errors.append(f"pyproject.toml in {folder} does not parse ({err}): fix it.")
        project = pyproject.get("project", {})
        if project.get("name"):
            info["package"] = "pyproject"
            info["package_dependencies"] = list(project.get("dependencies", []))
            info["build_requires"] = list(pyproject.get("build-system", {}).get("requires", ["setuptools>=61"]))
            info["scripts"] = sorted(project.get("scripts", {}))
    if not info["package"] and os.path.isfile(os.path.join(folder, "setup.py")):
        info["package"] = "setup.py"

    # Where the dependencies come from (the precedence: module_utils/lock.py); a Pipfile without its lock stands for
    # the requirements its [packages] name.
    info["source"] = lock_source(sorted(os.listdir(folder)), requirements_file, bool(info["package_dependencies"]))
    if info["source"]["file"] == "Pipfile" and not requirements_file:
        info["pipfile_dependencies"], bad = pipfile_requirements(_read(os.path.join(folder, "Pipfile")))
        errors.extend(bad)

    # The file the dependencies come from, and its sha256: the image records both in labels.
    source = (info["requirements"] or ("Pipfile" if info["source"]["file"] == "Pipfile" else "")
              or ("pyproject.toml" if info["package_dependencies"] else ""))
    if source:
        with open(os.path.join(folder, source), "rb") as handle:
            info["dependencies"] = {"file": source, "sha256": hashlib.sha256(handle.read()).hexdigest()}

    # Python version: explicit > runtime.txt > .python-version > requires-python > default.
    sources = []
    if python_version:
        parsed = parse_python_version(python_version)
        if not parsed:
            errors.append(f"python_version '{python_version}' is not a Python 3 version like 3.11.")
        sources.append(("python_version", parsed))
    default_asked = ""  # runtime.txt says python-3: any Python 3 will do, so it yields to every other source
    for file_name in ("runtime.txt", ".python-version"):
        full = os.path.join(folder, file_name)
        if os.path.isfile(full):
            text = _read(full).strip().splitlines()
            value = text[0].strip() if text else ""
            if file_name == "runtime.txt" and means_default_python3(value):
                default_asked = f"runtime.txt {value}, the default Python 3"
                continue
            parsed = parse_python_version(value)
            if not parsed:
                example = "python-3.11, or python-3 for the default Python 3" if file_name == "runtime.txt" else "3.11"
                errors.append(f"{file_name} says '{value}', which is not a Python 3 version: write e.g. {example}.")
            sources.append((file_name, parsed))
    requires = pyproject.get("project", {}).get("requires-python")
    if requires and SpecifierSet is not None:
        try:
            sources.append(("pyproject.toml requires-python", version_for_requires(requires, default_python_version)))
            if sources[-1][1] is None:
                errors.append(f"pyproject.toml requires-python '{requires}' allows no known Python "
                              f"({', '.join(KNOWN_PYTHONS)}): fix the specifier.")
        except InvalidSpecifier:
            errors.append(f"pyproject.toml requires-python '{requires}' is not a valid specifier.")
    found = [(src, ver) for src, ver in sources if ver]
    explicit = [(src, ver) for src, ver in found if src == "python_version"]
    pinned = [(src, ver) for src, ver in found if src in ("runtime.txt", ".python-version")]
    if not explicit and len({ver for _src, ver in pinned}) > 1:
        listed = ", ".join(f"{src} says {ver}" for src, ver in pinned)
        errors.append(f"The folder names different Python versions ({listed}): make them agree.")
    if not explicit and pinned and requires and SpecifierSet is not None:
        try:
            if Version(pinned[0][1] + ".0") not in SpecifierSet(requires):
                errors.append(f"{pinned[0][0]} says {pinned[0][1]} but pyproject.toml requires-python is "
                              f"'{requires}': make them agree.")
        except InvalidSpecifier:
            pass
    chosen = explicit or pinned or found
    if chosen:
        info["python_version_source"], info["python_version"] = chosen[0]
    else:
        info["python_version"] = default_python_version
        info["python_version_source"] = default_asked or "default"

    # Debian packages.
    apt_path = os.path.join(folder, "apt.txt")
    if os.path.isfile(apt_path):
        info["apt_packages"], bad = read_apt_packages(_read(apt_path))
        if bad:
            errors.append(f"apt.txt names invalid Debian package(s) {', '.join(bad)}: one package name a line.")

    # Entry point when no command is given.
    for candidate in ENTRYPOINT_CANDIDATES:
        if os.path.isfile(os.path.join(folder, candidate)):
            info["entrypoint"] = candidate
            break
    else:
        scripts = sorted(entry for entry in os.listdir(folder)
                         if entry.endswith(".py") and entry != "setup.py"
                         and os.path.isfile(os.path.join(folder, entry)))
        if len(scripts) == 1:
            info["entrypoint"] = scripts[0]

    info["git"] = git_info(folder)
    info["virtualenvs"] = find_virtualenvs(folder)
    info["base_image_tag"] = base_image or base_image_pattern.replace("{version}", info["python_version"])
    if info["source"]["kind"] == "pylock":
        read_pylock(folder, info)
    else:
        read_lock(folder, info)
    if info["source"]["kind"] in ("uv", "poetry", "pipenv") and info["lock"]["manifest"] != info["source"]["file"]:
        info["lock_errors"].append(f"{info['source']['file']} is this folder's lock: make lock PROGRAM={info['path']}"
                                   f" turns it into requirements.lock (checked against its manifest, hashes kept),"
                                   f" which the build then installs exactly.")
    elif info["source"]["kind"] == "compile" and info["lock"]["manifest"]:
        # The lock must be of the file the dependencies come from now (a requirements_file compared as a path).
        wanted = info["requirements"] if requirements_file else info["source"]["file"]
        made_from = os.path.relpath(os.path.realpath(os.path.join(folder, info["lock"]["manifest"])),
                                    os.path.realpath(folder))
        if wanted and made_from != wanted:
            info["lock_errors"].append(f"{LOCK_NAME} was locked from {info['lock']['manifest']}, but the dependencies"
                                       f" now come from {wanted} (the precedence: README): relock with make lock"
                                       f" PROGRAM={info['path']} (or delete {LOCK_NAME} to install unlocked).")
    if info["requirements"] and not info["lock"]["file"]:
        info["requirements_hashed"] = "--hash" in _read(os.path.join(folder, info["requirements"]))
    info["base_image"] = info["lock"]["base"] or info["base_image_tag"]  # the lock pins the very base it was made for
    return info


def read_lock(folder, info):
    """Take the lock C(make lock) wrote into C(info) (C(lock), C(dependencies)), after checking that it still
    matches its manifest and the image's Python; a mismatch is a lock error naming both files and how to relock."""
    path = os.path.join(folder, LOCK_NAME)
    if not os.path.isfile(path):
        return
    with open(path, "rb") as handle:
        raw = handle.read()
    fields = read_header(raw.decode("utf-8", errors="replace"))
    if not fields["manifest"]:
        return  # a file of the user's own by that name: not ours to install
    relock = f"relock with make lock PROGRAM={info['path']} (or delete {LOCK_NAME} to install unlocked)"
    manifest = os.path.join(folder, fields["manifest"])
    if not os.path.isfile(manifest):
        info["lock_errors"].append(f"{LOCK_NAME} was locked from {fields['manifest']}, which is gone: {relock}.")
        return
    with open(manifest, "rb") as handle:
        if hashlib.sha256(handle.read()).hexdigest() != fields["manifest_sha256"]:
            info["lock_errors"].append(f"{LOCK_NAME} no longer matches {fields['manifest']} ({fields['manifest']}"
                                       f" changed after locking): {relock}.")
            return
    locked_python = fields["target"].split(",", maxsplit=1)[0].replace("python", "").strip()
    if locked_python != info["python_version"]:
        info["lock_errors"].append(f"{LOCK_NAME} was locked for Python {locked_python}, the image uses Python"
                                   f" {info['python_version']}: {relock}.")
        return
    base = fields["base"] if fields["base"].split("@", maxsplit=1)[0] == info["base_image_tag"] else ""
    info["lock"] = {"file": LOCK_NAME, "manifest": fields["manifest"], "target": fields["target"], "base": base}
    info["dependencies"] = {"file": LOCK_NAME, "sha256": hashlib.sha256(raw).hexdigest()}


def read_pylock(folder, info):
    """Take the folder's pylock.toml (PEP 751) into C(info) as the lock installed exactly. It names no manifest, so
    it is not checked against one (only that it parses): whoever made it makes it again when the dependencies
    change."""
    with open(os.path.join(folder, PYLOCK_NAME), "rb") as handle:
        raw = handle.read()
    try:
        tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        info["errors"].append(f"{PYLOCK_NAME} in {folder} does not parse ({err}): make it again with its tool"
                              f" (uv export --format pylock.toml, pip lock).")
        return
    info["lock"] = {"file": PYLOCK_NAME, "manifest": "", "target": "", "base": ""}
    info["dependencies"] = {"file": PYLOCK_NAME, "sha256": hashlib.sha256(raw).hexdigest()}


class LookupModule(LookupBase):
    def run(self, terms, variables=None, **kwargs):
        self.set_options(var_options=variables, direct=kwargs)
        if len(terms) != 1:
            raise AnsibleError("program_info takes exactly one program folder")
        return [
            describe(
                str(terms[0]),
                requirements_file=self.get_option("requirements_file") or "",
                init_file=self.get_option("init_file") or "",
                python_version=str(self.get_option("python_version") or ""),
                default_python_version=str(self.get_option("default_python_version")),
                base_image=str(self.get_option("base_image") or ""),
                base_image_pattern=str(self.get_option("base_image_pattern")),
            )
        ]
