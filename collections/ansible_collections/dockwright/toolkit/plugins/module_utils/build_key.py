# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""The key of a build's inputs (a hex sha256): what the image role compares with the label C(dockwright.build.key)
of the local image to skip a build that would make the same image. Pure Python, no Ansible imports; the lookup
C(build_key) calls it.

What the key covers, each part deterministic (never mtimes, owners, or the order a folder lists its entries):

- the Dockerfile: its path relative to the context (POSIX) and its content (read as the build reads it: a link to
  it is followed, and it may lie outside the context, as with C(docker buildx build -f ../Dockerfile));
- the context as the ignore file leaves it, listed by the docker SDK's own matcher
  (C(docker.utils.build.exclude_paths)), patterns read as the SDK reads them. The ignore file is
  C(<Dockerfile>.dockerignore) beside the Dockerfile when there is one (BuildKit, hence C(docker buildx), prefers it),
  else the context's C(.dockerignore); none is no pattern. As in the SDK, C(.dockerignore) and the Dockerfile are
  always part of the context, even when a pattern names them. For each entry: its relative POSIX path, its type and
  its permission bits (C(COPY) keeps them: the executable bits, and the others too), and
  - a regular file: the sha256 of its content, read in chunks, never through a link;
  - a symlink: its target, as written; never followed, so nothing outside the context is read or listed;
  - a directory: nothing more. Directories count (an empty one too) because C(COPY .) makes them, with their modes;
  - a FIFO or a device: nothing more; it is never opened (so a FIFO cannot hang the walk), as the SDK sends it as an
    entry of its type without reading it. Sockets are left out, as the SDK leaves them out.
- the build arguments (names and values as text, sorted), the target platform, the base image's registry digest,
  the target stage, the labels the build adds (sorted; the key's own label is left out, it cannot contain itself);
- the ids of the secrets given (sorted, once each), never their values, which this module never reads.

A file that cannot be read (permissions, a read error, a folder that cannot be listed) is a ValueError naming it.

Where the SDK's listing and BuildKit's differ: hashing more than BuildKit sends (an ignored C(.dockerignore) or
Dockerfile) costs at worst a build that was not needed; hashing less would skip a build that was. The one such case
known: the SDK matches patterns without regard to case (C(docker/utils/fnmatch.py) lowers both sides), BuildKit
minds case, so a pattern C(data) also leaves out C(Data/), which BuildKit sends: a change there does not change the
key. The SDK reads the ignore file in the locale's encoding; this module reads it as UTF-8.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Iterable, Mapping

try:
    from docker.utils.build import exclude_paths
except ImportError:
    exclude_paths = None

LABEL = "dockwright.build.key"
# Changing what the key covers or how it is written changes this: keys of the old scheme never match the new one.
SCHEME = "dockwright.build.key/1"
CHUNK = 1 << 20
# The name the SDK gives a Dockerfile from outside the context is random; this one is fixed and matches no file, so
# such a Dockerfile re-includes nothing in the context (exclude_paths otherwise re-includes C(Dockerfile)).
OUTSIDE_CONTEXT = ".dockerfile.outside-context"
LEAVE_OUT = "make it readable, or leave it out of the build with .dockerignore"
NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
NONBLOCK = getattr(os, "O_NONBLOCK", 0)


def read_ignore_patterns(path) -> list[str]:
    """The patterns of the ignore file at C(path), read as the docker SDK reads C(.dockerignore)
    (C(docker/api/build.py)): each line stripped, blank lines and lines starting with C(#) dropped. No file (or a
    dangling link) is no pattern; a file that cannot be read is a ValueError naming it."""
    if not os.path.exists(path):
        return []
    try:
        with open(path, encoding="utf-8") as handle:
            lines = handle.read().splitlines()
    except (OSError, UnicodeDecodeError) as err:
        raise ValueError(f"Cannot read the ignore file {path} ({reason(err)}): fix its permissions or encoding.") \
            from None
    return [line for line in (line.strip() for line in lines) if line and not line.startswith("#")]


def reason(err) -> str:
    """The words of an error, without the path it repeats."""
    return getattr(err, "strerror", None) or str(err) or err.__class__.__name__


def open_file(path, follow=False) -> int:
    """A descriptor of C(path) for reading: never through a link unless C(follow), never waiting on a FIFO."""
    return os.open(path, os.O_RDONLY | NONBLOCK | (0 if follow else NOFOLLOW))


def hash_file(path, follow=False, hint=LEAVE_OUT) -> tuple[str, int]:
    """The sha256 of the regular file at C(path) and its size in bytes, read in chunks of C(CHUNK); a ValueError
    naming C(path) (and saying C(hint)) when it cannot be read or is no longer a regular file."""
    try:
        descriptor = open_file(path, follow=follow)
    except OSError as err:
        raise ValueError(f"Cannot read {path} ({reason(err)}): {hint}.") from None
    digest, size = hashlib.sha256(), 0
    buffer = bytearray(CHUNK)
    view = memoryview(buffer)
    try:
        with os.fdopen(descriptor, "rb", buffering=0) as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise ValueError(f"Cannot read {path}: it is not a regular file (it changed while the build's inputs"
                                 " were read?); run again.")
            while count := handle.readinto(view):
                digest.update(view[:count])
                size += count
    except OSError as err:
        raise ValueError(f"Cannot read {path} ({reason(err)}): {hint}.") from None
    return digest.hexdigest(), size


def context_entry(root, relative) -> tuple[list | None, int]:
    """The record of one entry of the context (C([path, type, mode, content])) and the bytes read for it;
    C((None, 0)) for an entry the build does not send (a socket)."""
    path = os.path.join(root, relative)
    try:
        info = os.lstat(path)
        target = os.readlink(path) if stat.S_ISLNK(info.st_mode) else ""
    except OSError as err:
        raise ValueError(f"Cannot read {path} ({reason(err)}): it changed while the build's inputs were read?"
                         " Run again.") from None
    mode, posix, size = info.st_mode, relative.replace(os.sep, "/"), 0
    if stat.S_ISREG(mode):
        kind = "file"
        content, size = hash_file(path)
    elif stat.S_ISLNK(mode):
        kind, content = "symlink", target
    elif stat.S_ISDIR(mode):
        kind, content = "dir", ""
    elif stat.S_ISFIFO(mode):
        kind, content = "fifo", ""
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        kind, content = "device", f"{'char' if stat.S_ISCHR(mode) else 'block'} {info.st_rdev}"
    else:  # a socket: the SDK leaves it out of the archive
        return None, 0
    permissions = "" if kind == "symlink" else f"{stat.S_IMODE(mode):04o}"
    return [posix, kind, permissions, content], size


def context_files(root, dockerfile_name, patterns) -> list[str]:
    """The context's entries the build sends, relative to C(root), sorted: the docker SDK's own matcher."""
    if exclude_paths is None:
        raise ValueError("the Python 'docker' package is missing: install requirements.txt (make venv)")
    try:
        # exclude_paths appends to the list it is given: a copy keeps the caller's.
        return sorted(exclude_paths(root, list(patterns), dockerfile=dockerfile_name))
    except OSError as err:
        where = getattr(err, "filename", None) or root
        raise ValueError(f"Cannot list {where} in the build context ({reason(err)}): {LEAVE_OUT}.") from None


def text_map(value, name) -> dict[str, str]:
    """C(value) (a mapping, or None) with its keys and values as text."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ValueError(f"{name} must be a mapping of names to values, not {type(value).__name__}.")
    return {str(key): str(item) for key, item in value.items()}


def secret_ids(secrets) -> list[str]:
    """The ids of the secrets given, sorted, once each; nothing else about a secret is taken."""
    if secrets is None:
        return []
    if isinstance(secrets, str):
        secrets = [secrets]
    if not isinstance(secrets, Iterable) or isinstance(secrets, Mapping):
        raise ValueError(f"secrets must be a list of secret ids, not {type(secrets).__name__}.")
    ids = set()
    for secret in secrets:
        if not isinstance(secret, str):
            raise ValueError(f"secrets must be a list of secret ids (strings), not holding a {type(secret).__name__}.")
        if secret.strip():
            ids.add(secret.strip())
    return sorted(ids)


def build_key(context_path, dockerfile="Dockerfile", args=None, platform="", base_digest="", secrets=None,
              target="", labels=None) -> dict:
    """The key of a build's inputs: C({key, files, bytes, paths}), C(key) a hex sha256, C(files) the number of
    entries of the context hashed that are not directories, C(paths) their paths relative to the context (POSIX,
    sorted as the build sends them), C(bytes) the bytes of content read for them. C(dockerfile) is
    relative to the context (or absolute). Raises ValueError naming what cannot be read or is not valid."""
    root = os.path.abspath(str(context_path))
    if not os.path.isdir(root):
        raise ValueError(f"The build context {context_path} is not a folder: give the program folder.")
    dockerfile = str(dockerfile or "Dockerfile")
    dockerfile_path = os.path.normpath(dockerfile if os.path.isabs(dockerfile) else os.path.join(root, dockerfile))
    relative = os.path.relpath(dockerfile_path, root)
    inside = relative.split(os.sep)[0] != ".."
    if not os.path.isfile(dockerfile_path):
        raise ValueError(f"The Dockerfile {dockerfile_path} is not there: write it first (make dockerize), or name"
                         " the right one.")
    dockerfile_digest, _size = hash_file(dockerfile_path, follow=True, hint="make it readable")

    ignore_file = f"{dockerfile_path}.dockerignore"
    if not os.path.isfile(ignore_file):
        ignore_file = os.path.join(root, ".dockerignore")
    patterns = read_ignore_patterns(ignore_file)

    context, paths, size = hashlib.sha256(), [], 0
    for entry in context_files(root, relative if inside else OUTSIDE_CONTEXT, patterns):
        record, read = context_entry(root, entry)
        if record is None:
            continue
        context.update(json.dumps(record).encode() + b"\n")
        if record[1] != "dir":
            paths.append(record[0])
        size += read

    inputs = {
        "scheme": SCHEME,
        "dockerfile": {"path": relative.replace(os.sep, "/"), "sha256": dockerfile_digest},
        "context": context.hexdigest(),
        "args": text_map(args, "args"),
        "platform": str(platform or ""),
        "base_digest": str(base_digest or ""),
        "secrets": secret_ids(secrets),
        "target": str(target or ""),
        "labels": {name: value for name, value in text_map(labels, "labels").items() if name != LABEL},
    }
    key = hashlib.sha256(json.dumps(inputs, sort_keys=True, separators=(",", ":")).encode()).hexdigest()
    return {"key": key, "files": len(paths), "bytes": size, "paths": paths}
