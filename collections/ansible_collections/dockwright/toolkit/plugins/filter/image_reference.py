# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""Check image names and tags against the rules Docker applies, before anything is built."""

from __future__ import annotations

DOCUMENTATION = r"""
name: image_ref_errors
short_description: List what is wrong with an image name and tag, in Docker's own rules
description:
  - Returns an empty list for a name and tag Docker accepts, otherwise one sentence per problem,
    each naming the value and what to change.
  - The name may carry a registry (C(host:port/)) and path components; components are lowercase
    letters and digits separated by C(.), C(_), C(__) or dashes. Tags are up to 128 characters of
    letters, digits, C(_), C(.) and C(-), not starting with C(.) or C(-).
options:
  _input: {description: The image name (without tag)., type: str, required: true}
  tag: {description: The tag; empty to check the name alone., type: str, default: ""}
  name_var: {description: How to call the name in messages., type: str, default: image_name}
  tag_var: {description: How to call the tag in messages., type: str, default: image_version}
  split:
    description: The input is a whole reference (C(name[:tag][@digest])) to be split before checking.
    type: bool
    default: false
"""

EXAMPLES = r"""
- name: Check the image reference
  ansible.builtin.assert:
    that: _errors | length == 0
    fail_msg: "{{ _errors | join(' ') }}"
  vars:
    _errors: "{{ image_name | image_ref_errors(image_version) }}"
"""

RETURN = r"""
_value:
  description: Problems found; empty when Docker accepts the reference.
  type: list
  elements: str
"""

import re

_COMPONENT = re.compile(r"^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$")
_DOMAIN = re.compile(r"^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*"
                     r"(?::[0-9]+)?$")
_TAG = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")


def split_reference(reference):
    """Split C(name[:tag][@digest]) into (name, tag); the digest is dropped."""
    reference = reference.split("@", 1)[0]
    name, sep, tag = reference.rpartition(":")
    if not sep or "/" in tag:
        return reference, ""
    return name, tag


def image_ref_errors(name, tag="", name_var="image_name", tag_var="image_version", split=False):
    """Return a list of problems with C(name) and C(tag); empty when Docker accepts them."""
    errors = []
    name = "" if name is None else str(name)
    tag = "" if tag is None else str(tag)
    if split:
        name, tag = split_reference(name)
    if not name:
        errors.append(f"{name_var} is empty: give the image a name like 'iris' or 'team/iris'.")
    else:
        parts = name.split("/")
        if len(parts) > 1 and ("." in parts[0] or ":" in parts[0] or parts[0] == "localhost"):
            if not _DOMAIN.match(parts[0]):
                errors.append(f"{name_var} '{name}': registry '{parts[0]}' is not a valid host[:port].")
            parts = parts[1:]
        bad = [part for part in parts if not _COMPONENT.match(part)]
        if bad:
            hint = name.lower() if name.lower() != name else re.sub(r"[^a-z0-9._/-]+", "-", name).strip("-")
            errors.append(f"{name_var} '{name}' is not a valid Docker image name: use lowercase letters, digits "
                          f"and . _ - between them (for example '{hint}').")
        if len(name) > 255:
            errors.append(f"{name_var} is {len(name)} characters long; Docker allows 255.")
    if tag and not _TAG.match(tag):
        errors.append(f"{tag_var} '{tag}' is not a valid Docker tag: up to 128 letters, digits, '_', '.' and '-', "
                      "not starting with '.' or '-'.")
    return errors


class FilterModule:
    def filters(self):
        return {"image_ref_errors": image_ref_errors}
