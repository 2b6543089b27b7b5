# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""The right CPU: build platforms, image architectures and the Batch targets that can run them."""

from __future__ import annotations

DOCUMENTATION = r"""
name: architecture_check
short_description: Tell whether an image's CPU architecture can run where Batch jobs are sent
description:
  - Returns C({errors, warnings}), lists of sentences. An error when no target can run the image (a Fargate job
    definition's C(cpu_architecture), a compute environment's instance types), naming the image's architecture,
    the target and the fix; a warning when only some environments can, or when the image's architecture is not
    known (it cannot be checked then).
  - Companion filters, the same rules (the collection's C(module_utils/architecture.py)) -
    C(platform_errors) (a build platform - C(linux/amd64), C(linux/arm64) or "" - checked, as sentences naming
    the variable), C(docker_platform) (any spelling to C(linux/amd64) or C(linux/arm64), "" for none),
    C(cpu_architecture) (any spelling to C(amd64) or C(arm64), "" for none), C(architecture_targets) (a
    BatchConfig.yml's job definition and compute environment, as this filter takes them),
    C(target_architectures) (what every target of such a mapping runs), C(image_architecture) (an image's
    architecture and where it was learnt - the build of this run, the engine's copy, the run record).
options:
  _input: {description: The image reference (named in the sentences)., type: str, required: true}
  image_architecture:
    description: The image's architecture in any spelling; "" when not known.
    type: str
    required: true
  job_definition:
    description: C({name, platform, cpu_architecture}) of the job definition (Fargate runs one architecture).
    type: dict
    default: {}
  environments:
    description: C([{name, type, instance_types}]), the compute environments jobs may be placed on.
    type: list
    elements: dict
    default: []
  where:
    description: Words added after the target in the sentences (for instance the queue's name).
    type: str
    default: ""
"""

EXAMPLES = r"""
- name: Refuse an arm64 image for an x86-only environment
  ansible.builtin.assert:
    that: _check.errors | length == 0
    fail_msg: "{{ _check.errors | join('\n') }}"
  vars:
    _check: >-
      {{ 'iris:1.0' | dockwright.toolkit.architecture_check('arm64', {'name': 'iris', 'platform': 'EC2'},
         [{'name': 'ml', 'type': 'EC2', 'instance_types': ['m5.large']}]) }}

- name: The platform a PLATFORM knob means
  ansible.builtin.debug:
    msg: "{{ 'arm64' | dockwright.toolkit.docker_platform }}"  # linux/arm64
"""

RETURN = r"""
_value:
  description: C(errors) and C(warnings), lists of sentences (both empty when the image fits or nothing is known).
  type: dict
"""

from ansible_collections.dockwright.toolkit.plugins.module_utils import architecture as rules


def architecture_check(image, image_architecture, job_definition=None, environments=None, where=""):
    return rules.check(image, image_architecture, job_definition, environments, where)


def image_architecture(image, architectures=None, record=None, given=""):
    """[architecture, source] of an image: the given one, the engine's copy's, the record's; ["", ""] unknown."""
    return list(rules.image_source(image, architectures or {}, record, given))


def target_architectures(targets):
    """What every target of an architecture_targets mapping runs."""
    targets = targets if isinstance(targets, dict) else {}
    return rules.target_architectures(targets.get("job_definition"), targets.get("environments"))


class FilterModule:
    def filters(self):
        return {
            "architecture_check": architecture_check,
            "platform_errors": rules.platform_errors,
            "docker_platform": rules.platform,
            "cpu_architecture": rules.architecture,
            "architecture_targets": rules.config_targets,
            "target_architectures": target_architectures,
            "image_architecture": image_architecture,
        }
