# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""Keys a user wrote that no setting has: found, and matched with the one they most likely meant.

Pure functions, no Ansible imports; every file dockwright reads (Config.ini, BatchConfig.yml) checks its keys here."""

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
