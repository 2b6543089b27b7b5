# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""Check a sweep (a grid file's rows) and the dependencies of a Batch job to submit."""

from __future__ import annotations

DOCUMENTATION = r"""
name: batch_sweep_errors
short_description: List what is wrong with a Batch job's grid and dependencies
description:
  - Returns an empty list when the grid and the dependencies can be submitted as far as can be told without AWS,
    otherwise one sentence per problem naming the variable (or the grid file) to change and what to give.
  - The rules are those the module M(dockwright.toolkit.batch_job) applies - a grid of 1 to 10,000 rows, each a
    map of environment variable names to plain values (the same names in each row) or a map of names to lists
    (a product); names that clash neither with the job's environment nor with the parameters its command uses;
    container overrides within 8192 characters and a request within 30 KiB; at most 20 dependencies, given as
    Batch job IDs; N_TO_N and sequential only for an array job.
options:
  _input:
    description:
      - C(grid_file) (empty for none) and C(grid) (its parsed content), C(depends_on), C(depends_on_type),
        C(sequential), and the job's C(name), C(queue), C(job_definition), C(command), C(environment) and
        C(parameters).
    type: dict
    required: true
  prefix:
    description: What the sentences put before each key to name the variable the user set.
    type: str
    default: batch_job_
"""

EXAMPLES = r"""
- name: Check the grid and the dependencies before any AWS call
  ansible.builtin.assert:
    that: _errors | length == 0
    fail_msg: "{{ _errors | join('\n') }}"
  vars:
    _errors: >-
      {{ {'grid_file': batch_job_grid_file, 'grid': lookup('dockwright.toolkit.yaml_file', batch_job_grid_file),
          'depends_on': batch_job_depends_on} | dockwright.toolkit.batch_sweep_errors }}
"""

RETURN = r"""
_value:
  description: Problems found, one sentence each; empty when the grid and the dependencies are fine.
  type: list
  elements: str
"""

from ansible_collections.dockwright.toolkit.plugins.module_utils.batch import as_text, split_command
from ansible_collections.dockwright.toolkit.plugins.module_utils.batch_sweep import (
    depends_on_errors,
    grid_conflicts,
    grid_errors,
    grid_size,
    request_size_errors,
    sweep_request,
)

_KEYS = ("depends_on", "depends_on_type", "sequential", "environment", "parameters", "command", "grid_file")


def batch_sweep_errors(settings, prefix="batch_job_"):
    """The problems of the job's grid and dependencies (empty when there is none), each naming prefix + the key."""
    settings = dict(settings or {})
    names = {key: prefix + key for key in _KEYS}
    grid_file = settings.get("grid_file") or ""
    grid, errors, size = settings.get("grid"), [], 1
    what = f"{names['grid_file']} {grid_file}"
    if grid_file:
        errors = grid_errors(grid, what)
        if not errors:
            size = grid_size(grid)
            try:
                words = split_command(settings.get("command"))
            except ValueError:
                words = []  # batch_job_errors names it
            environment = settings.get("environment") or {}
            errors += grid_conflicts(grid, environment, settings.get("parameters"), words, names, what)
            # The request as the module sends it, with the command given (the job definition's, when none is, is
            # measured again by the module before submitting).
            request = {"jobName": str(settings.get("name") or ""), "jobQueue": str(settings.get("queue") or ""),
                       "jobDefinition": str(settings.get("job_definition") or "")}
            if environment:
                request["containerOverrides"] = {"environment": [{"name": str(key), "value": as_text(value)}
                                                                 for key, value in environment.items()]}
            errors += request_size_errors(sweep_request(request, grid, words), what)
    errors += depends_on_errors(settings.get("depends_on"), settings.get("depends_on_type") or "",
                                bool(settings.get("sequential")), size, names)
    return errors


class FilterModule:
    def filters(self):
        return {"batch_sweep_errors": batch_sweep_errors}
