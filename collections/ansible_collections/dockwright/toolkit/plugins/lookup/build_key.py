# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""The key of a build's inputs, to skip a build whose image the engine holds already."""

from __future__ import annotations

DOCUMENTATION = r"""
name: build_key
short_description: A key (a hex sha256) over everything that goes into an image build
description:
  - Computes, on the controller and without changing anything, a key over a build's inputs. The image role labels
    the image it builds with it (C(dockwright.build.key)) and skips the build when the local image carries the same
    key.
  - "The key covers: the Dockerfile (its path relative to the context and its content); every entry of the context
    the build sends, as C(.dockerignore) leaves it (matched by the docker SDK's own C(exclude_paths); a
    C(<Dockerfile>.dockerignore) beside the Dockerfile wins, as in BuildKit; no ignore file is no pattern), each with
    its relative path, type, permission bits (the executable bits among them, as C(COPY) keeps them) and content
    hash, or its target for a symlink; the build arguments, the platform, the base image's registry digest, the
    target stage, the labels and the ids of the secrets."
  - "It does not depend on mtimes, owners or the order a folder lists its entries. Symlinks are never followed (so
    nothing outside the context is read); a FIFO or a device counts as an entry of its type and is never opened;
    sockets are left out, as the docker SDK leaves them out. Directories count, an empty one too: C(COPY .) makes
    them. The C(.dockerignore) and the Dockerfile are always part of the context, as in the docker SDK."
  - Secrets are given by id only; their values are never read and never change the key.
  - A file or folder that cannot be read fails the lookup with a message naming it.
options:
  _terms:
    description: The build context (the program folder), absolute or relative to the directory Ansible runs in.
    required: true
  dockerfile:
    description: The Dockerfile, relative to the context (or absolute; it may lie outside the context).
    type: str
    default: Dockerfile
  args:
    description: The build arguments (C(--build-arg)); their order does not matter, values count as text.
    type: dict
    default: {}
  platform:
    description: The target platform (C(linux/arm64)); empty for the engine's own.
    type: str
    default: ""
  base_digest:
    description: The base image's registry digest (C(sha256:...)); empty when not known.
    type: str
    default: ""
  secrets:
    description: The ids of the build's secrets (C(--secret id=...)); ids only, never their values.
    type: list
    elements: str
    default: []
  target:
    description: The build's target stage (C(--target)); empty for the last stage.
    type: str
    default: ""
  labels:
    description: The labels the build adds (C(--label)); C(dockwright.build.key) itself is left out.
    type: dict
    default: {}
"""

EXAMPLES = r"""
- name: Compute the key of the build's inputs
  ansible.builtin.set_fact:
    _image_build: "{{ lookup('dockwright.toolkit.build_key', program_path, dockerfile='Dockerfile',
                      args={'PYTHON_VERSION': '3.11'}, platform='linux/arm64', base_digest=base_digest,
                      secrets=['pip'], target='', labels={'org.opencontainers.image.title': 'iris'}) }}"

# _image_labels: the local image's labels (docker image inspect, community.docker.docker_image_info), {} without one.
- name: Build the image unless the local one carries this key
  ansible.builtin.command:
    argv: [docker, buildx, build, --load, -t, iris, --label, "dockwright.build.key={{ _image_build.key }}",
           "{{ program_path }}"]
  when: _image_labels['dockwright.build.key'] | default('') != _image_build.key
  changed_when: true
"""

RETURN = r"""
_raw:
  description: One dictionary.
  type: dict
  contains:
    key: {description: "The key, a hex sha256.", type: str, sample: "3f1c...e9"}
    files: {description: "How many entries of the context were hashed that are not folders.", type: int, sample: 42}
    bytes: {description: "How many bytes of file content were read for them.", type: int, sample: 184213}
    paths:
      description: "The paths of those entries, relative to the context, as the build sends them."
      type: list
      elements: str
      sample: ["requirements.txt", "train.py"]
"""

from ansible.errors import AnsibleLookupError
from ansible.plugins.lookup import LookupBase
from ansible_collections.dockwright.toolkit.plugins.module_utils.build_key import build_key


class LookupModule(LookupBase):
    def run(self, terms, variables=None, **kwargs):
        self.set_options(var_options=variables, direct=kwargs)
        if len(terms) != 1:
            raise AnsibleLookupError(f"build_key takes exactly one build context, not {len(terms)}")
        try:
            return [build_key(
                str(terms[0]),
                dockerfile=self.get_option("dockerfile") or "Dockerfile",
                args=self.get_option("args") or {},
                platform=self.get_option("platform") or "",
                base_digest=self.get_option("base_digest") or "",
                secrets=self.get_option("secrets") or [],
                target=self.get_option("target") or "",
                labels=self.get_option("labels") or {},
            )]
        except ValueError as err:
            raise AnsibleLookupError(str(err)) from None
