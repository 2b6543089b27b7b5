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
    naming the file; a key given twice with different values in two sections fails too.
options:
  _terms:
    description: Path of the .ini file; empty for none.
    required: true
"""

EXAMPLES = r"""
- name: Show the older tool's settings
  ansible.builtin.debug:
    msg: "{{ lookup('dockwright.toolkit.legacy_config', 'Config.ini') }}"
"""

RETURN = r"""
_raw:
  description: The settings, keys lowercased, values as strings.
  type: dict
"""

import configparser
import os

from ansible.errors import AnsibleError
from ansible.plugins.lookup import LookupBase


def read_legacy_config(path):
    """Return the flat, lowercased key/value dictionary of an .ini file; raise ValueError naming the problem."""
    if not path:
        return {}
    if not os.path.isfile(path):
        raise ValueError(f"config file '{path}' was not found: check the path (CONFIG=... in make).")
    parser = configparser.ConfigParser(interpolation=None)
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
        if text.strip() and not text.lstrip().startswith("["):
            text = "[DEFAULT]\n" + text  # a file of bare key = value lines
        parser.read_string(text, source=path)
    except (OSError, UnicodeDecodeError) as err:
        raise ValueError(f"config file '{path}' cannot be read ({err}): check its permissions and encoding.") from err
    except configparser.Error as err:
        raise ValueError(f"config file '{path}' is not a valid .ini file: {err}".replace("\n", " ")) from err
    settings = {key.lower(): value.strip() for key, value in parser.defaults().items()}
    for section in parser.sections():
        for key, value in parser.items(section):
            key, value = key.lower(), value.strip()
            if key in settings and settings[key] != value and key not in parser.defaults():
                raise ValueError(f"config file '{path}' sets '{key}' twice with different values "
                                 f"('{settings[key]}' and '{value}'): keep one.")
            settings[key] = value
    return settings


class LookupModule(LookupBase):
    def run(self, terms, variables=None, **kwargs):
        try:
            return [read_legacy_config(str(term) if term else "") for term in terms]
        except ValueError as err:
            raise AnsibleError(str(err)) from err
