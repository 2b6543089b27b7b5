# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""The files an image holds under a folder, read from the engine without running the image."""

from __future__ import annotations

DOCUMENTATION = r"""
name: image_files
short_description: The files an image holds under a folder, read without running the image
description:
  - Creates a container from the image (not started), reads the folder as the engine's tar archive, removes the
    container, and returns the paths of the files and links in it, relative to the folder, sorted. Works with any
    base image (no shell or C(find) needed in it).
  - Used after a build to check that no credential file reached the image (the filter C(credential_files)).
options:
  _terms:
    description: The image (C(name:tag) or ID).
    required: true
  path:
    description: The folder in the image.
    type: str
    default: /program
"""

EXAMPLES = r"""
- name: List the program's files in the image
  ansible.builtin.debug:
    msg: "{{ lookup('dockwright.toolkit.image_files', 'iris:1.0', path='/program', wantlist=True) }}"
"""

RETURN = r"""
_raw: {description: "The paths, relative to O(path).", type: list, elements: str}
"""

import io
import tarfile

from ansible.errors import AnsibleError
from ansible.plugins.lookup import LookupBase


def files_in_image(image, path="/program", client=None):
    """The paths of the files (and links) under C(path) in C(image), relative to it, sorted."""
    import docker

    client = client or docker.from_env(timeout=60)
    container = client.containers.create(image, command=["true"], entrypoint=[])
    try:
        try:
            stream, _stat = container.get_archive(path)
        except docker.errors.NotFound:  # an image of the user's own Dockerfile may keep its code elsewhere
            return []
        top = path.rstrip("/").rsplit("/", 1)[-1]
        with tarfile.open(fileobj=io.BytesIO(b"".join(stream))) as archive:
            names = [member.name.split("/", 1)[1] for member in archive.getmembers()
                     if not member.isdir() and member.name.startswith(f"{top}/")]
    finally:
        container.remove(force=True)
    return sorted(names)


class LookupModule(LookupBase):
    def run(self, terms, variables=None, **kwargs):
        self.set_options(var_options=variables, direct=kwargs)
        if len(terms) != 1:
            raise AnsibleError("image_files takes one image")
        try:
            return files_in_image(str(terms[0]), self.get_option("path"))
        except Exception as err:  # the engine's own words: no such image, no such folder, no engine
            raise AnsibleError(f"Cannot list {self.get_option('path')} in the image {terms[0]}: {err}") from None
