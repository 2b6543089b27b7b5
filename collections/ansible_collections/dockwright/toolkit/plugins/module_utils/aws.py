# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""The AWS settings every AWS role shares: a region's name and an API endpoint's URL.

Pure functions, no Ansible imports; each returns sentences naming the setting the user set (empty when fine)."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

# Region names: two-letter area, optional partition part, direction, number (eu-west-1, us-gov-west-1, cn-north-1).
REGION_PATTERN = re.compile(r"^(af|ap|ca|cn|eu|il|me|mx|sa|us)-(gov-|iso[a-z]*-)?[a-z]+-[0-9]+$")


def region_errors(region: Any, what: str = "region") -> list[str]:
    """A sentence when region is not an AWS region name (empty list when it is)."""
    if isinstance(region, str) and REGION_PATTERN.match(region):
        return []
    return [f"{what} '{region or ''}' is not an AWS region name: give one like eu-west-1, or set AWS_REGION in the"
            " environment."]


def endpoint_url_errors(url: Any, what: str = "endpoint_url", environ: Mapping[str, str] | None = None) -> list[str]:
    """A sentence when url is not an http(s) URL with a host; an empty url stands for AWS_ENDPOINT_URL from
    C(environ) (the process's environment by default, as boto3 reads it), and both empty for AWS's own endpoint."""
    url = "" if url is None else str(url).strip()
    if not url:
        url, what = (os.environ if environ is None else environ).get("AWS_ENDPOINT_URL", "").strip(), "AWS_ENDPOINT_URL"
    if not url:
        return []
    try:
        parts = urlsplit(url)
        valid = parts.scheme.lower() in ("http", "https") and bool(parts.hostname) and " " not in url
        parts.port  # noqa: B018  (raises on a port that is not a number)
    except ValueError:
        valid = False
    if valid:
        return []
    return [f"{what} '{url}' is not an http(s) URL: give one like https://batch.eu-west-1.amazonaws.com or"
            " http://127.0.0.1:5000, or leave it empty for AWS's own endpoint."]
