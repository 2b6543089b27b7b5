# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""One way to keep the secrets a run knows (index URLs, AWS keys, registry passwords) out of what it prints.

Pure functions, no Ansible imports. A secret is looked for in every form a message may carry it in: as is,
URL-encoded, JSON- or shell-escaped, base64 (as in an HTTP Basic header); for a URL with credentials, also its
password and its user:password alone."""

from __future__ import annotations

import base64
import json
from urllib.parse import quote, quote_plus, unquote, urlsplit, urlunsplit

MASK = "*****"
# Shorter fragments are not masked alone: they would blank ordinary words.
MIN_LENGTH = 4


def _parts(secret: str) -> list[str]:
    """The secret, and for a URL with credentials its user:password and its password."""
    parts = [secret]
    try:
        url = urlsplit(secret)
    except ValueError:
        return parts
    if url.password:
        parts += [f"{url.username}:{url.password}", url.password, unquote(url.password)]
    return [part for part in parts if len(part) >= MIN_LENGTH]


def secret_forms(secret) -> list[str]:
    """Every form of C(secret) to look for, longest first (so a longer form is masked whole)."""
    forms = set()
    for part in _parts(str(secret)):
        forms.update({part, quote(part), quote(part, safe=""), quote_plus(part), json.dumps(part)[1:-1],
                      part.replace("\\", "\\\\").replace('"', '\\"'),
                      base64.b64encode(part.encode()).decode()})
    return sorted(forms, key=len, reverse=True)


def mask(text, secrets) -> str:
    """C(text) with every form of every secret replaced by *****; empty secrets are ignored."""
    text = str(text)
    for secret in secrets or []:
        if secret:
            for form in secret_forms(secret):
                text = text.replace(form, MASK)
    return text


def public_url(url, schemes=("https", "http")) -> str:
    """C(url) reduced to what may be shown or stored: scheme, host (and port) and path. User names, passwords and
    tokens (C(user:token@), C(?token=...), C(#...)) are dropped; "" when it is not a URL of one of C(schemes) with a
    host, or holds a space or a control character."""
    url = (url or "").strip()
    if not url or any(ord(char) <= 32 or ord(char) == 127 for char in url):
        return ""
    try:
        parts = urlsplit(url)
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return ""
    if parts.scheme not in schemes or not parts.hostname:
        return ""
    return urlunsplit((parts.scheme, parts.hostname + port, parts.path, "", ""))
