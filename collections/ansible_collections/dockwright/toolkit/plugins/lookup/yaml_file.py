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

# The most values a file may expand to once its aliases are followed: far beyond any real BatchConfig.yml, far
# below what keeps a core busy (a "billion laughs" file expands a few lines to billions of values).
MAX_VALUES = 100_000


def expanded_size(node, sizes=None):
    """How many values the composed C(node) stands for once every alias is followed; linear in the file's size,
    as each node (an alias shares its anchor's node) is counted once."""
    sizes = {} if sizes is None else sizes
    stack = [(node, False)]
    while stack:
        current, children_done = stack.pop()
        if id(current) in sizes:
            continue
        children = []
        if isinstance(current, yaml.SequenceNode):
            children = current.value
        elif isinstance(current, yaml.MappingNode):
            children = [item for pair in current.value for item in pair]
        if children_done or not children:
            sizes[id(current)] = 1 + sum(sizes[id(child)] for child in children)
        else:
            stack.append((current, True))
            stack.extend((child, False) for child in children if id(child) not in sizes)
    return sizes[id(node)]


def read_yaml_file(path):
    """The parsed content of the YAML file at path; raise ValueError naming the file (and the line) otherwise."""
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        if node is not None and expanded_size(node) > MAX_VALUES:
            raise ValueError(f"{path} expands to more than {MAX_VALUES} values through its YAML aliases (& and *):"
                             " write the values out, or use fewer nested aliases.")
        return yaml.safe_load(text)
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
