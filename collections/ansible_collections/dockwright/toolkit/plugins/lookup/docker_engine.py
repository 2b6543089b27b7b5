# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""Ask the Docker engine, from the controller, whether it answers and which of some images it has."""

from __future__ import annotations

DOCUMENTATION = r"""
name: docker_engine
short_description: Whether the Docker engine answers, and the IDs of the named images it holds
description:
  - One cheap, read-only question to the engine (C(DOCKER_HOST) or the default socket), asked in-process on the
    controller, so that a playbook can check the engine and the images it needs before changing anything,
    without paying for a module run on every invocation.
  - Never raises; an engine that does not answer is reported in C(error).
options:
  _terms:
    description: Image references (C(name:tag)) to look up; missing ones are left out of C(images).
    required: false
  timeout:
    description: Seconds to wait for the engine.
    type: int
    default: 10
  buildx:
    description:
      - Also ask the Docker CLI whether its buildx plugin, which drives BuildKit, is installed (C(docker buildx
        version), a few tens of milliseconds), and which CPU architectures the machine can run through emulation
        (binfmt_misc handlers, read when the engine is on this machine).
    type: bool
    default: false
"""

EXAMPLES = r"""
- name: Check that an engine answers
  ansible.builtin.assert:
    that: _engine.answers
    fail_msg: "{{ _engine.message }}"
  vars:
    _engine: "{{ lookup('dockwright.toolkit.docker_engine', 'iris:latest') }}"
"""

RETURN = r"""
_raw:
  description:
    - C(answers) (bool), C(error) (str, empty when it answers), C(message) (str, what to tell the user when it does
      not answer, empty when it does), C(host) (str), C(images) (reference to ID), C(digests) (reference to its
      registry digest, C(sha256:...), for the images that came from a registry; images built or imported locally
      have none), C(commands) (reference to whether the image has a command or an entry point to run),
      C(repo_digests) (reference to the image's C(RepoDigests), C(repository@sha256:...), every registry repository
      it was pushed to or pulled from), C(architectures) (reference to the CPU architecture the image is built for,
      C(amd64) or C(arm64) as the image's configuration says, e.g. C(docker image inspect -f '{{.Architecture}}')),
      C(architecture) (the engine's own, the platform it builds for by default; empty when it does not answer),
      C(labels) (reference to the image's labels), C(layers) (reference to the image's layers, C(RootFS.Layers), the
      base's first).
      With O(buildx), C(buildx) (the plugin's version, empty when the CLI has none) and C(emulators) (the
      architectures, C(arm64), C(amd64), whose binaries the machine runs through an emulator such as QEMU; C(null)
      when that cannot be known from here, an engine elsewhere).
  type: dict
"""

import os
import re
import subprocess

from ansible.plugins.lookup import LookupBase
from ansible_collections.dockwright.toolkit.plugins.module_utils.architecture import architecture
from ansible_collections.dockwright.toolkit.plugins.module_utils.image_reference import registry_digest

DEFAULT_HOST = "unix:///var/run/docker.sock"


def no_engine_message(host, error=""):
    """What to tell a user whose engine does not answer: where it was asked, why, and how to start one."""
    reason = f" ({error})" if error else ""
    return (f"No Docker engine answers at {host}{reason}. Start one: 'sudo make engine' on Debian/Ubuntu,"
            " Docker Desktop elsewhere, or set DOCKER_HOST.")


# binfmt_misc handler names (qemu-user-static, tonistiigi/binfmt) -> the architecture they run.
EMULATED = {"qemu-aarch64": "arm64", "qemu-x86_64": "amd64", "aarch64": "arm64", "x86_64": "amd64"}
BINFMT = "/proc/sys/fs/binfmt_misc"


def buildx_version(cli="docker", timeout=10) -> str:
    """The version of the Docker CLI's buildx plugin (v0.13.1), empty when it has none or no CLI is found."""
    try:
        proc = subprocess.run([cli, "buildx", "version"], capture_output=True, text=True, timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    found = re.search(r"\bv?[0-9]+\.[0-9]+[.0-9A-Za-z+-]*", proc.stdout) if proc.returncode == 0 else None
    return found.group(0) if found else ""


def emulators(host, root=BINFMT):
    """The architectures this machine runs through binfmt_misc handlers (QEMU), or None when the engine is not on
    this machine (its own kernel decides) or the handlers cannot be read."""
    if not host.startswith("unix://") or not os.path.isdir(root):
        return None
    found = set()
    try:
        for name in os.listdir(root):
            arch = EMULATED.get(name)
            if arch:
                with open(os.path.join(root, name)) as handler:
                    if handler.readline().strip() == "enabled":
                        found.add(arch)
    except OSError:
        return None
    return sorted(found)


def query_engine(references, timeout=10, client_factory=None, buildx=False):
    """Return {answers, error, message, host, images} for the given image references."""
    host = os.environ.get("DOCKER_HOST") or DEFAULT_HOST
    result = {"answers": False, "error": "", "message": "", "host": host, "images": {}, "digests": {}, "commands": {},
              "repo_digests": {}, "architectures": {}, "architecture": "", "labels": {}, "layers": {}}
    if buildx:
        result["buildx"] = buildx_version(timeout=timeout)
        result["emulators"] = emulators(host)
    try:
        if client_factory is None:
            import docker

            def client_factory():
                return docker.from_env(timeout=timeout)

        client = client_factory()
        client.ping()
        result["answers"] = True
        result["architecture"] = architecture((client.version() or {}).get("Arch")) or ""
        for reference in references:
            try:
                image = client.images.get(reference)
                result["images"][reference] = image.id
                config = image.attrs.get("Config") or {}
                result["commands"][reference] = bool(config.get("Cmd") or config.get("Entrypoint"))
                result["architectures"][reference] = architecture(image.attrs.get("Architecture")) or str(
                    image.attrs.get("Architecture") or "")
                result["repo_digests"][reference] = list(image.attrs.get("RepoDigests") or [])
                result["labels"][reference] = dict(config.get("Labels") or {})
                result["layers"][reference] = list((image.attrs.get("RootFS") or {}).get("Layers") or [])
                digest = registry_digest(reference, result["repo_digests"][reference])
                if digest:
                    result["digests"][reference] = digest
            except Exception as err:  # the engine answered: an absent image or an invalid name is not there
                status = getattr(getattr(err, "response", None), "status_code", None)
                if err.__class__.__name__ != "ImageNotFound" and not (status and 400 <= status < 500):
                    raise
    except ImportError:
        result["error"] = "the Python 'docker' package is missing: install requirements.txt (make venv)"
    except Exception as err:  # any failure to talk to the engine is reported
        result["answers"] = False
        result["error"] = str(err).splitlines()[0] if str(err) else err.__class__.__name__
    if not result["answers"]:
        result["message"] = no_engine_message(host, result["error"])
    return result


class LookupModule(LookupBase):
    def run(self, terms, variables=None, **kwargs):
        self.set_options(var_options=variables, direct=kwargs)
        return [query_engine([str(term) for term in terms if term], timeout=self.get_option("timeout"),
                             buildx=self.get_option("buildx"))]
