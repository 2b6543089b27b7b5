# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""The run's JSON record (out/dockwright.json): several roles each merge their part into one file.

Pure functions, no Ansible imports: a file that cannot be merged into raises ValueError naming it and the fix."""

from __future__ import annotations

import json
import os


def merge(base, update):
    """A copy of C(base) with C(update) merged in: dictionaries key by key, other values replaced."""
    result = dict(base)
    for key, value in update.items():
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = merge(result[key], value)
        else:
            result[key] = value
    return result


def parse(text, path="the output file"):
    """The JSON object held by C(text) ({} when empty); ValueError naming C(path) when it holds anything else."""
    text = "" if text is None else str(text)
    if not text.strip():
        return {}
    try:
        current = json.loads(text)
    except ValueError as err:
        raise ValueError(f"{path} is not valid JSON ({err}): fix or remove it.") from None
    if not isinstance(current, dict):
        raise ValueError(f"{path} holds a JSON {type(current).__name__}, not an object: fix or remove it.")
    return current


def render(document):
    """Stable text: sorted keys, two-space indent, final newline (an unchanged record is the same bytes)."""
    return json.dumps(document, indent=2, sort_keys=True) + "\n"


def merged_text(text, update, path="the output file"):
    """The text of C(text)'s JSON object with C(update) merged in."""
    if not isinstance(update, dict):
        raise ValueError(f"the record needs a dictionary to merge, not {type(update).__name__}")
    return render(merge(parse(text, path), update))


def record_errors(path, name="output_file"):
    """Sentences saying why the record C(path) (given as the variable C(name)) cannot be merged into; empty when it
    can: no path (no record), or a path whose folder or the folder's parent exists, holding nothing yet or a JSON
    object. Reads the file; relative paths are taken from the current directory, as the writer takes them."""
    if not path:
        return []
    real = os.path.realpath(path)
    folder = os.path.dirname(real)
    if os.path.isdir(real) or not (os.path.isdir(folder) or os.path.isdir(os.path.dirname(folder))):
        return [f"{name} '{path}' cannot be written: its folder (or the folder's parent) must exist and the path must"
                " be a file or nothing yet. Create the folder or choose another path."]
    if not os.path.isfile(real):
        return []
    try:
        with open(real, encoding="utf-8") as handle:
            parse(handle.read(), path)
    except (OSError, UnicodeDecodeError) as err:
        return [f"{name} '{path}' cannot be read ({err}): fix its permissions or choose another path."]
    except ValueError as err:
        return [str(err)]
    return []
