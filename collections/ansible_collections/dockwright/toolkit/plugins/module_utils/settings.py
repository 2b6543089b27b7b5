# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""What users write in files and variables, read strictly: keys no setting has (matched with the one they most
likely meant) and yes/no values (a misspelt one is an error, not a silent false).

Pure functions, no Ansible imports; every file dockwright reads (Config.ini, BatchConfig.yml, vars files) checks
its keys and booleans here."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from typing import Any


def _snake(key: str) -> str:
    """jobRoleArn -> job_role_arn."""
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", key).lower()


def suggest_key(key: Any, valid: Iterable[str]) -> str | None:
    """The valid key closest to C(key): its snake_case spelling if that is valid, otherwise difflib's best match."""
    valid = list(valid)
    text = str(key)
    if _snake(text) in valid:
        return _snake(text)
    matches = difflib.get_close_matches(text.lower(), valid, n=1, cutoff=0.6)
    return matches[0] if matches else None


def unknown_keys(mapping: Mapping, valid: Iterable[str]) -> list[tuple[str, str | None]]:
    """The keys of C(mapping) that are not C(valid), sorted, each with the valid key it most likely meant (or None)."""
    valid = list(valid)
    return [(str(key), suggest_key(key, valid)) for key in sorted(mapping, key=str) if key not in valid]


TRUE_WORDS = ("true", "yes", "on", "1")
FALSE_WORDS = ("false", "no", "off", "0", "")


def parse_boolean(value: Any, name: str = "the value") -> bool:
    """C(value) as a boolean: a YAML boolean, or one of the words for true or false (any case); anything else
    raises ValueError naming C(name) (push_to_ecr: ture must not silently mean false)."""
    if isinstance(value, bool):
        return value
    text = "" if value is None else str(value).strip().lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    guess = difflib.get_close_matches(text, ["true", "false", "yes", "no"], n=1, cutoff=0.7)
    hint = f" (did you mean {guess[0]}?)" if guess else ""
    raise ValueError(f"{name} is {value!r}, which is neither true nor false{hint}: write true or false.")
