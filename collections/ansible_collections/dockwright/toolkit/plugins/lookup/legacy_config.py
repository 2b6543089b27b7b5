# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""Read the older tool's .ini configuration files (Config.ini, AwsConfig.ini) into one dictionary."""

from __future__ import annotations

DOCUMENTATION = r"""
name: legacy_config
short_description: Read an .ini file of the older tool (Config.ini, AwsConfig.ini) as one flat dictionary
description:
  - Returns every key of every section (and of C([DEFAULT])) as one dictionary with lowercase keys, so the
    older tool's names (C(program_path), C(image_name), C(push_to_ecr), ...) can be mapped onto dockwright's.
  - An empty term returns an empty dictionary. A missing, unreadable or malformed file fails with a message
    naming the file and the line, never showing a line's text or a value (an AwsConfig.ini holds keys); a key
    given twice with different values in two sections fails too, and so does a key that O(keys) does not list,
    with the known key it most likely meant.
options:
  _terms:
    description: Path of the .ini file; empty for none.
    required: true
  keys:
    description: The keys the file may hold; empty accepts any key.
    type: list
    elements: str
    default: []
"""

EXAMPLES = r"""
- name: Show the older tool's settings
  ansible.builtin.debug:
    msg: "{{ lookup('dockwright.toolkit.legacy_config', 'Config.ini', keys=['program_path', 'image_name']) }}"
"""

RETURN = r"""
_raw:
  description: The settings, keys lowercased, values as strings.
  type: dict
"""

import configparser
import json
import os

from ansible.errors import AnsibleError
from ansible.plugins.lookup import LookupBase
from ansible_collections.dockwright.toolkit.plugins.module_utils.settings import unknown_keys


def _is_json(text):
    """Whether C(text) is a JSON object or list (a file given in the wrong format)."""
    if not text.lstrip().startswith(("{", "[")):
        return False
    try:
        return isinstance(json.loads(text), (dict, list))
    except ValueError:
        return False


def _parse_error(path, err, offset):
    """The file's parse error in words, with line numbers but without the lines: they may hold a secret."""
    if isinstance(err, configparser.ParsingError):
        lines = ", ".join(str(lineno - offset) for lineno, _line in err.errors)
        return (f"config file '{path}' is not a valid .ini file: line {lines} is not 'key = value' or a [section]"
                " (the line is not shown, as it may hold a secret).")
    if isinstance(err, configparser.DuplicateOptionError):
        return (f"config file '{path}' is not a valid .ini file: '{err.option}' is set twice in [{err.section}]"
                f" (line {err.lineno - offset}): keep one.")
    if isinstance(err, configparser.DuplicateSectionError):
        return (f"config file '{path}' is not a valid .ini file: [{err.section}] appears twice"
                f" (line {err.lineno - offset}): merge the two.")
    if isinstance(err, configparser.MissingSectionHeaderError):
        return f"config file '{path}' is not a valid .ini file: line {err.lineno - offset} comes before any [section]."
    return f"config file '{path}' is not a valid .ini file ({type(err).__name__}): check its syntax."


def read_legacy_config(path, keys=None):
    """Return the flat, lowercased key/value dictionary of an .ini file; raise ValueError naming the problem.
    With C(keys), a key not among them is a problem too."""
    if not path:
        return {}
    if not os.path.isfile(path):
        raise ValueError(f"config file '{path}' was not found: check the path (CONFIG=... in make).")
    parser = configparser.ConfigParser(interpolation=None)
    offset = 0
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
        if _is_json(text):
            raise ValueError(f"config file '{path}' is not a valid .ini file: it holds JSON. Write it as"
                             " 'key = value' lines under a [section] (see the README), or give it as a vars file"
                             " (VARS=..., -e @file).")
        if text.strip() and not text.lstrip().startswith("["):
            text = "[DEFAULT]\n" + text  # a file of bare key = value lines
            offset = 1
        parser.read_string(text, source=path)
    except (OSError, UnicodeDecodeError) as err:
        raise ValueError(f"config file '{path}' cannot be read ({type(err).__name__}): check its permissions and "
                         "encoding.") from None
    except configparser.Error as err:
        raise ValueError(_parse_error(path, err, offset)) from None
    settings = {key.lower(): value.strip() for key, value in parser.defaults().items()}
    for section in parser.sections():
        for key, value in parser.items(section):
            key, value = key.lower(), value.strip()
            if key in settings and settings[key] != value and key not in parser.defaults():
                raise ValueError(f"config file '{path}' sets '{key}' twice with different values, in two sections:"
                                 " keep one.")
            settings[key] = value
    unknown = unknown_keys(settings, keys) if keys else []
    if unknown:
        words = [f"'{key}'" + (f" (did you mean '{guess}'?)" if guess else "") for key, guess in unknown]
        raise ValueError(f"config file '{path}' has unknown key(s) {', '.join(words)}. Known keys: "
                         f"{', '.join(sorted(keys))}.")
    return settings


class LookupModule(LookupBase):
    def run(self, terms, variables=None, **kwargs):
        self.set_options(var_options=variables, direct=kwargs)
        keys = [str(key).lower() for key in self.get_option("keys") or []]
        try:
            return [read_legacy_config(str(term) if term else "", keys) for term in terms]
        except ValueError as err:
            raise AnsibleError(str(err)) from None
