# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""The registry as build cache: which tags hold it, whether a Dockerfile has the stage it caches, and what a failed
pull of it means. The image role pulls and builds with it, the ecr role pushes it; both name it through here."""

from __future__ import annotations

import re

from ansible_collections.dockwright.toolkit.plugins.module_utils.image_reference import split_reference

# The stage of the generated Dockerfile that holds the dependencies (roles/dockerfile/templates/Dockerfile.j2).
DEPS_STAGE = "deps"
# How much of the dependency files' sha256 names the cache (64 bits: no two dependency sets meet by chance).
KEY_LENGTH = 16

_STAGE = re.compile(r"^\s*FROM\s+\S+\s+AS\s+(\S+)\s*$", re.IGNORECASE | re.MULTILINE)


def cache_tags(key) -> dict:
    """The tags of the cache in the repository: the dependency stage (deps-<key>) and an image built on it
    (deps-<key>-image), whose layers below the code are those every build with these dependencies makes."""
    key = str(key or "")[:KEY_LENGTH]
    if not key:
        return {"deps": "", "image": ""}
    return {"deps": f"deps-{key}", "image": f"deps-{key}-image"}


def has_stage(dockerfile, stage=DEPS_STAGE) -> bool:
    """Whether the Dockerfile names a stage `stage` (FROM ... AS stage)."""
    return any(name.lower() == stage for name in _STAGE.findall(str(dockerfile or "")))


def build_cache(repository, key, dockerfile=None) -> dict:
    """The cache of `repository` (registry/name, a tag after it is dropped) for the dependency files whose sha256 is
    `key`: its tags, the full references (empty when the repository or the key is), and whether `dockerfile` (when
    given) has the stage it caches."""
    tags = cache_tags(key)
    name = split_reference(str(repository or ""))[0] if repository else ""
    refs = {kind: (f"{name}:{tag}" if name and tag else "") for kind, tag in tags.items()}
    return {"key": str(key or "")[:KEY_LENGTH], "tags": tags, "name": name if refs["deps"] else "", **refs,
            "stage": has_stage(dockerfile) if dockerfile is not None else True}


_MISSES = (
    (re.compile(r"manifest unknown|not found|404|name unknown|does not exist", re.IGNORECASE),
     "not in the registry yet (the first push with these dependencies makes it)"),
    (re.compile(r"denied|unauthori[sz]ed|401|403|forbidden", re.IGNORECASE),
     "access denied (pulling needs ecr:BatchGetImage and ecr:GetDownloadUrlForLayer)"),
)


def cache_miss(message) -> str:
    """What a failed pull of the cache means, in a few words; the first line of the engine's message otherwise."""
    text = str(message or "")
    for pattern, reason in _MISSES:
        if pattern.search(text):
            return reason
    first = text.strip().splitlines()[0] if text.strip() else "no reason given"
    return first[:200]
