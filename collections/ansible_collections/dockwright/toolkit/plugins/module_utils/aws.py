# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""The AWS settings every AWS role shares: a region's name, an API endpoint's URL, and the retry policy of every
client (which calls may be sent again, and how often).

Pure functions and values, no Ansible or boto3 imports; each check returns sentences naming the setting the user
set (empty when fine)."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

# Region names as botocore's partitions write them: an area of two to four letters, an optional partition part,
# a direction, a number (eu-west-1, us-gov-west-1, cn-north-1, us-isob-east-1, eu-isoe-west-1, eusc-de-east-1).
# The shape, not a list of areas: a region AWS opens later is accepted without a new release.
REGION_PATTERN = re.compile(r"^[a-z]{2,4}(-[a-z]+)+-[0-9]+$")

# The retry policy of every AWS client dockwright makes (modules, lookups): botocore's standard mode, which also
# covers the calls amazon.aws's backoff decorator never sees (paginators, waiters), with this many attempts in all.
# It resends throttled requests (THROTTLING_CODES, HTTP 429), server errors (500, 502, 503, 504) and requests
# whose connection failed; calls made with aws_retry=True get amazon.aws's backoff on top, on the same codes.
RETRY_MODE = "standard"
RETRY_ATTEMPTS = 10
# Error codes that say a request was refused before it was acted on (throttling), as botocore's standard mode
# lists them: sending it again cannot act twice. A server error or a lost connection may come after the service
# acted, so a request that is not idempotent (Batch's SubmitJob: no client token) is resent on these codes alone.
# amazon.aws's backoff knows some of them only (not ThrottlingException, which Batch and ECR answer).
THROTTLING_CODES = (
    "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
    "TooManyRequestsException", "ProvisionedThroughputExceededException", "TransactionInProgressException",
    "RequestLimitExceeded", "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled", "SlowDown",
    "EC2ThrottledException",
)


def client_config(idempotent: bool = True, attempts: int = RETRY_ATTEMPTS) -> dict:
    """The botocore client settings (botocore.config.Config's keyword arguments) of the retry policy. A client for
    calls that are not idempotent makes one attempt: its caller resends a throttled call alone (is_throttled)."""
    return {"retries": {"mode": RETRY_MODE, "total_max_attempts": attempts if idempotent else 1}}


def is_throttled(code: Any, status: Any = None) -> bool:
    """Whether an AWS error (its code, and its HTTP status when known) says the request was throttled: refused
    before it was acted on."""
    return code in THROTTLING_CODES or status == 429


def may_have_acted(status: Any) -> bool:
    """Whether a failed request may have been acted on all the same: the service answered a server error (5xx), or
    did not answer at all (no status: the connection failed or timed out after the request was sent)."""
    return status is None or int(status) >= 500


def region_errors(region: Any, what: str = "region") -> list[str]:
    """A sentence when region is not an AWS region name (empty list when it is)."""
    if isinstance(region, str) and REGION_PATTERN.fullmatch(region):
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
