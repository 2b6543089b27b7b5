# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""What makes an image's environment: its base and digest, dependency file, Python and installed distributions."""

from __future__ import annotations

DOCUMENTATION = r"""
name: image_environment
short_description: An image's base and its digest, dependency file, Python version and installed distributions
description:
  - Reads the labels dockwright gives an image (C(org.opencontainers.image.base.name), C(.base.digest),
    C(dockwright.dependencies.file), C(dockwright.dependencies.sha256)) and runs the image's own C(python) once,
    without network, to list its version and every installed distribution; the container is removed.
  - An image the engine does not hold is pulled first (a pushed image; log in to its registry first).
  - The rules live in the collection's C(module_utils/environment.py).
options:
  _terms:
    description: The image (C(name:tag), a registry URI or an ID).
    required: true
"""

EXAMPLES = r"""
- name: Show what churn:1.4 holds
  ansible.builtin.debug:
    msg: "{{ lookup('dockwright.toolkit.image_environment', 'churn:1.4') }}"
"""

RETURN = r"""
_raw:
  description: >-
    C(image), C(base), C(base_digest), C(dependencies_file), C(dependencies_sha256), C(python) (strings, empty when
    unknown) and C(packages) (distribution name, normalised, to version).
  type: dict
"""

from ansible.errors import AnsibleError
from ansible.plugins.lookup import LookupBase
from ansible_collections.dockwright.toolkit.plugins.module_utils.environment import PROBE, describe


def image_environment(reference, client=None):
    """The environment of the image C(reference) (see RETURN)."""
    import docker

    client = client or docker.from_env(timeout=120)
    try:
        image = client.images.get(reference)
    except docker.errors.ImageNotFound:
        try:
            image = client.images.pull(reference)
        except docker.errors.APIError as err:
            raise ValueError(f"{reference} is not in the engine and cannot be pulled ({err.explanation or err}):"
                             " build it, or log in to its registry, and check the name") from None
    try:
        output = client.containers.run(image.id, command=["python", "-c", PROBE], entrypoint=[], remove=True,
                                       network_disabled=True, stdout=True, stderr=True)
    except docker.errors.ContainerError as err:
        raise ValueError(f"{reference}: its python cannot list what it holds"
                         f" ({(err.stderr or b'').decode(errors='replace').strip()[-300:]})") from None
    except docker.errors.APIError as err:  # no python on its PATH, another CPU architecture
        raise ValueError(f"{reference}: cannot run its python ({err.explanation or err})") from None
    return describe(reference, (image.attrs.get("Config") or {}).get("Labels"), output.decode(errors="replace"))


class LookupModule(LookupBase):
    def run(self, terms, variables=None, **kwargs):
        self.set_options(var_options=variables, direct=kwargs)
        if len(terms) != 1:
            raise AnsibleError("image_environment takes one image")
        try:
            return [image_environment(str(terms[0]))]
        except ValueError as err:
            raise AnsibleError(str(err)) from None
        except Exception as err:  # the engine's own words: no engine, a refused request
            raise AnsibleError(f"Cannot read the image {terms[0]}: {err}") from None
