# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""The right CPU: which architecture an image is built for, which ones a Batch target runs, and whether they meet.

No Ansible imports. Architectures are named as Docker names them (C(amd64), C(arm64)); every other spelling a user
or an API gives (C(x86_64), C(X86_64) as Batch's Fargate says, C(aarch64), C(ARM64), a platform C(linux/arm64)) is
read as one of these. An EC2 instance type's architecture follows from its family: AWS's Graviton families carry a
C(g) right after the generation number (C(m6g), C(c7gn), C(r8g), C(t4g), C(x2gd), C(im4gn), C(g5g)) or are C(a1);
every other family Batch runs is x86_64, and so is C(optimal) (Batch's pick among the C4, M4, R4 families or newer
ones). A Fargate job runs on the C(runtimePlatform.cpuArchitecture) of its job definition."""

from __future__ import annotations

import difflib
import re

ARCHITECTURES = ("amd64", "arm64")
# Batch's own spelling (Fargate's runtimePlatform.cpuArchitecture).
BATCH_NAMES = {"amd64": "X86_64", "arm64": "ARM64"}
_ALIASES = {"amd64": "amd64", "x86_64": "amd64", "x86-64": "amd64", "x64": "amd64",
            "arm64": "arm64", "aarch64": "arm64", "arm64/v8": "arm64"}
PLATFORMS = {f"linux/{arch}": arch for arch in ARCHITECTURES}
# Batch's instance type categories, as instanceTypes takes them.
_CATEGORIES = {"optimal": "amd64", "default_x86_64": "amd64", "default_arm64": "arm64"}
_GRAVITON_RE = re.compile(r"^(a1|[a-z]+[0-9]+g[a-z]*)$")
_FAMILY_RE = re.compile(r"^[a-z][a-z0-9-]*$")
_SIZE_RE = re.compile(r"^[a-z0-9-]+$")
FARGATE_TYPES = ("FARGATE", "FARGATE_SPOT")


def architecture(name) -> str:
    """The architecture a name means (C(amd64) or C(arm64)), or "" when it means none.

    Takes an architecture in any usual spelling or a Linux platform (C(linux/arm64), C(linux/arm64/v8))."""
    text = str(name or "").strip().lower()
    if text.startswith("linux/"):
        text = text[len("linux/"):]
    return _ALIASES.get(text, "")


def platform(name) -> str:
    """The Docker platform (C(linux/amd64)) of an architecture in any spelling, or "" when it names none."""
    arch = architecture(name)
    return f"linux/{arch}" if arch else ""


def platform_errors(value, what: str = "image_platform") -> list[str]:
    """Sentences about a build platform: "" (the engine's own) or linux/amd64, linux/arm64 (or amd64, arm64, ...)."""
    text = str(value if value is not None else "").strip()
    if not text or architecture(text):
        return []
    if not text.startswith("linux/") and "/" in text:
        return [f"{what} '{text}': dockwright builds Linux images only: give linux/amd64 or linux/arm64"
                f" (PLATFORM=linux/arm64), or \"\" for the Docker engine's own."]
    close = difflib.get_close_matches(text.lower(), list(PLATFORMS) + list(_ALIASES), n=1, cutoff=0.6)
    hint = f" (did you mean {platform(close[0])}?)" if close else ""
    return [f"{what} '{text}' is not a platform dockwright builds for{hint}: give linux/amd64 (Intel and AMD,"
            f" x86_64) or linux/arm64 (Graviton, Apple silicon), e.g. PLATFORM=linux/arm64, or \"\" for the Docker"
            f" engine's own."]


def instance_type_architecture(instance_type) -> str:
    """The architecture of an EC2 instance type or family (C(m6g.large), C(c5), C(optimal)); "" when unreadable."""
    text = str(instance_type or "").strip().lower()
    if text in _CATEGORIES:
        return _CATEGORIES[text]
    family, _dot, size = text.partition(".")
    if not family or not _FAMILY_RE.match(family) or (size and not _SIZE_RE.match(size)):
        return ""
    return "arm64" if _GRAVITON_RE.match(family) else "amd64"


def environment_architectures(kind, instance_types, fargate_architecture="") -> list[str]:
    """The architectures a compute environment runs, sorted; [] when they cannot be told.

    C(kind) is Batch's type (EC2, SPOT, FARGATE, FARGATE_SPOT); Fargate runs what the job definition asks for
    (C(fargate_architecture), X86_64 by default). An EC2 environment runs its instance types' architectures; one
    whose types cannot all be read is not judged."""
    kind = str(kind or "EC2").upper()
    if kind in FARGATE_TYPES:
        return [architecture(fargate_architecture) or "amd64"]
    found = [instance_type_architecture(item) for item in (instance_types or [])]
    if not found or "" in found:
        return []
    return sorted(set(found))


def _names(values) -> str:
    return ", ".join(str(value) for value in values)


def image_source(image, architectures: dict, record: dict | None = None, given: str = "") -> tuple[str, str]:
    """Where an image's architecture comes from, and what it is: C((architecture, source)), ("", "") when unknown.

    In order: the architecture given (the build of this very run), the engine's own copy of the image (C(docker
    image inspect)), the run record (C(out/dockwright.json)) when it holds this image."""
    if architecture(given):
        return architecture(given), "the build of this run"
    if architecture((architectures or {}).get(image)):
        return architecture(architectures[image]), "the Docker engine's copy"
    record = record if isinstance(record, dict) else {}
    entry = record.get("image") if isinstance(record.get("image"), dict) else {}
    if image and entry.get("uri") == image and architecture(entry.get("architecture")):
        return architecture(entry["architecture"]), "the run record"
    return "", ""


def check(image, image_architecture, job_definition=None, environments=None, where="") -> dict:
    """Whether an image can run where it is sent: C({errors, warnings}), lists of sentences.

    C(job_definition): C({name, platform (EC2 or FARGATE), cpu_architecture}) (Fargate runs one architecture).
    C(environments): C([{name, type, instance_types}]) the compute environments the jobs may go to (a queue's, or
    the BatchConfig.yml's). An image of unknown architecture is a warning, not an error: it cannot be checked. An
    image that none of the environments can run is an error naming both; one that only some can run, a warning
    (Batch may place the job on the others)."""
    job_definition = job_definition or {}
    environments = environments or []
    arch = architecture(image_architecture)
    fargate = str(job_definition.get("platform") or "EC2").upper() == "FARGATE"
    fargate_arch = architecture(job_definition.get("cpu_architecture")) or "amd64"
    targets = []
    if fargate:
        targets.append((f"job definition {job_definition.get('name') or '(unnamed)'}"
                        f" (Fargate, cpu_architecture {BATCH_NAMES[fargate_arch]})", [fargate_arch]))
    for environment in environments:
        kind = str(environment.get("type") or "EC2").upper()
        if fargate and kind not in FARGATE_TYPES:
            continue  # Batch itself refuses a Fargate job on an EC2 environment; the job definition said it all
        runs = environment_architectures(kind, environment.get("instance_types"), fargate_arch)
        if runs and kind not in FARGATE_TYPES:
            targets.append((f"compute environment {environment.get('name') or '(unnamed)'}"
                            f" (instance types {_names(environment.get('instance_types'))}: {_names(runs)})", runs))
    if not targets:
        return {"errors": [], "warnings": []}
    where = f" {where}" if where else ""
    if not arch:
        return {"errors": [], "warnings": [
            f"The architecture of image {image} is not known (the Docker engine does not hold it and the run record"
            f" does not name it): it was not checked against {targets[0][0]}{where}. Push it from this machine, or"
            f" make sure it was built for {_names(sorted({a for _what, runs in targets for a in runs}))}."]}
    unable = [what for what, runs in targets if arch not in runs]
    if not unable:
        return {"errors": [], "warnings": []}
    other = sorted({a for _what, runs in targets for a in runs} - {arch})
    fix = (f"build it for {' or '.join('linux/' + a for a in other)} (PLATFORM=linux/{other[0]}), or "
           if other else "")
    if len(unable) == len(targets):
        runs_there = ("Graviton instance types such as m7g, c7g, r7g" if arch == "arm64"
                      else "x86_64 instance types such as m6i, c6i, or optimal")
        return {"errors": [
            f"Image {image} is built for {arch}, but {'; '.join(unable)} cannot run {arch}{where}: {fix}send it"
            f" where {arch} runs ({runs_there}, or Fargate with cpu_architecture {BATCH_NAMES[arch]}). Its jobs"
            f" would fail with 'exec format error'."], "warnings": []}
    return {"errors": [], "warnings": [
        f"Image {image} is built for {arch}, but {'; '.join(unable)} cannot run {arch}{where}: jobs placed there"
        f" fail with 'exec format error'."]}


def config_targets(config) -> dict:
    """Where a BatchConfig.yml sends its jobs: C({job_definition, environments}) as L(check) takes them.

    Its C(job_definition:) section (or its top level, when that is the section) gives the platform and Fargate's
    cpu_architecture; its C(compute_environment:) section, the environment's type and instance types (C(optimal)
    when left out on EC2, as the batch_environment role creates it)."""
    config = config if isinstance(config, dict) else {}
    section = config.get("job_definition", config if "name" in config else {})
    section = section if isinstance(section, dict) else {}
    fargate = section.get("fargate") if isinstance(section.get("fargate"), dict) else {}
    job_definition = {"name": section.get("name") or "", "platform": section.get("platform") or "EC2",
                      "cpu_architecture": fargate.get("cpu_architecture") or ""}
    environment = config.get("compute_environment")
    environments = []
    if isinstance(environment, dict):
        kind = str(environment.get("type") or "EC2").upper()
        types = environment.get("instance_types")
        if types is None:
            types = [] if kind in FARGATE_TYPES else ["optimal"]
        environments.append({"name": environment.get("name") or "", "type": kind,
                             "instance_types": types if isinstance(types, list) else [types]})
    return {"job_definition": job_definition, "environments": environments}


def target_architectures(job_definition=None, environments=None) -> list[str]:
    """The architectures every known target runs (sorted); [] when nothing is known about the targets."""
    job_definition = job_definition or {}
    fargate = str(job_definition.get("platform") or "EC2").upper() == "FARGATE"
    fargate_arch = architecture(job_definition.get("cpu_architecture")) or "amd64"
    sets = [{fargate_arch}] if fargate else []
    for environment in environments or []:
        kind = str(environment.get("type") or "EC2").upper()
        if fargate and kind not in FARGATE_TYPES:
            continue
        runs = environment_architectures(kind, environment.get("instance_types"), fargate_arch)
        if runs:
            sets.append(set(runs))
    return sorted(set.intersection(*sets)) if sets else []


def job_definition_target(description) -> dict:
    """A job definition as describe_job_definitions gives it -> C({name, revision, image, platform,
    cpu_architecture}) (the image empty for a multi-node or EKS job definition)."""
    description = description or {}
    container = description.get("containerProperties") or {}
    capabilities = description.get("platformCapabilities") or ["EC2"]
    runtime = container.get("runtimePlatform") or {}
    return {"name": description.get("jobDefinitionName") or "", "revision": description.get("revision"),
            "image": container.get("image") or "", "platform": str(capabilities[0]).upper(),
            "cpu_architecture": runtime.get("cpuArchitecture") or ""}


def environment_target(description) -> dict:
    """A compute environment as describe_compute_environments gives it -> C({name, type, instance_types}).

    An unmanaged environment (its instances are the user's own) has no type or instance types: not judged."""
    description = description or {}
    resources = description.get("computeResources") or {}
    return {"name": description.get("computeEnvironmentName") or "", "type": resources.get("type") or "",
            "instance_types": list(resources.get("instanceTypes") or [])}
