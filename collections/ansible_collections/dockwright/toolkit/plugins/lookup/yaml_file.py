# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""Read a YAML file (a BatchConfig.yml, say), naming the file and the line in any error."""

from __future__ import annotations

DOCUMENTATION = r"""
name: yaml_file
short_description: Parse a YAML file, failing with a message that names the file and the line
description:
  - Returns the file's content parsed as YAML (safe loading, so plain data only), C(None) for an empty file.
  - A missing or unreadable file, or one that is not YAML, fails with one message naming the file and, for a
    syntax error, the line and column, instead of the parser's bare words.
options:
  _terms:
    description: Path of the YAML file.
    required: true
"""

EXAMPLES = r"""
- name: Read the BatchConfig.yml
  ansible.builtin.set_fact:
    batch_config: "{{ lookup('dockwright.toolkit.yaml_file', 'BatchConfig.yml') }}"
"""

RETURN = r"""
_raw:
  description: The parsed content (a mapping for a BatchConfig.yml; the caller checks its shape).
  type: raw
"""

import yaml
from ansible.errors import AnsibleError
from ansible.plugins.lookup import LookupBase


def read_yaml_file(path):
    """The parsed content of the YAML file at path; raise ValueError naming the file (and the line) otherwise."""
    try:
        with open(path, encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except (OSError, UnicodeDecodeError) as err:
        raise ValueError(f"{path} cannot be read ({err}): check the path, its permissions and encoding.") from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(err, "problem", None) or str(err)
        raise ValueError(f"{path} is not valid YAML: {problem}{where}. Fix the file (a YAML checker points at the"
                         " line), then run again.") from None


class LookupModule(LookupBase):
    def run(self, terms, variables=None, **kwargs):
        try:
            return [read_yaml_file(str(term)) for term in terms]
        except ValueError as err:
            raise AnsibleError(str(err)) from err
