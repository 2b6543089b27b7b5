"""Unit tests of plugins/module_utils/aws.py: region names, endpoint URLs and the retry policy."""

import json
from pathlib import Path

import botocore
import pytest
from ansible_collections.dockwright.toolkit.plugins.module_utils.aws import (
    client_config,
    endpoint_url_errors,
    is_throttled,
    may_have_acted,
    region_errors,
)

NOT_A_URL = ("is not an http(s) URL: give one like https://batch.eu-west-1.amazonaws.com or http://127.0.0.1:5000, or"
             " leave it empty for AWS's own endpoint.")


def test_region_message_in_full():
    assert region_errors("x") == ["region 'x' is not an AWS region name: give one like eu-west-1, or set AWS_REGION"
                                  " in the environment."]
    assert region_errors(None, "ecr_region") == ["ecr_region '' is not an AWS region name: give one like eu-west-1,"
                                                 " or set AWS_REGION in the environment."]


@pytest.mark.parametrize(("url", "environ", "errors"), [
    ("ftp://x", {}, [f"endpoint_url 'ftp://x' {NOT_A_URL}"]),
    ("http://exa mple.com", {}, [f"endpoint_url 'http://exa mple.com' {NOT_A_URL}"]),
    ("http://127.0.0.1:port", {}, [f"endpoint_url 'http://127.0.0.1:port' {NOT_A_URL}"]),
    (None, {}, []),
    (None, {"AWS_ENDPOINT_URL": " bad "}, [f"AWS_ENDPOINT_URL 'bad' {NOT_A_URL}"]),
    (" ", {"AWS_ENDPOINT_URL": "http://127.0.0.1:5000"}, []),
])
def test_endpoint_messages_in_full(url, environ, errors):
    assert endpoint_url_errors(url, environ=environ) == errors


def botocore_regions():
    """Every region of every partition botocore knows (aws, aws-cn, aws-us-gov, the ISO ones, aws-eusc, ...)."""
    partitions = json.loads((Path(botocore.__file__).parent / "data" / "partitions.json").read_text())["partitions"]
    return sorted(region for partition in partitions for region in partition["regions"]
                  if not region.endswith("-global"))


def test_every_region_aws_uses_is_a_region_name():
    regions = botocore_regions()
    assert {"eu-west-1", "us-gov-west-1", "cn-north-1", "us-isob-east-1", "eu-isoe-west-1"} <= set(regions)
    assert [region for region in regions if region_errors(region)] == []


@pytest.mark.parametrize("region", ["eusc-de-east-1", "mx-central-1", "ap-southeast-7", "us-isof-south-1"])
def test_newer_region_prefixes(region):
    assert region_errors(region) == []


@pytest.mark.parametrize("region", ["europe", "eu-west", "EU-WEST-1", "eu_west_1", "aws-global", "eu-west-1 ",
                                    "eu-west-1a", "-west-1", "europe-west-1"])
def test_not_region_names(region):
    assert region_errors(region) != []


def test_client_config():
    assert client_config() == {"retries": {"mode": "standard", "total_max_attempts": 10}}
    assert client_config(attempts=4) == {"retries": {"mode": "standard", "total_max_attempts": 4}}
    assert client_config(idempotent=False) == {"retries": {"mode": "standard", "total_max_attempts": 1}}


@pytest.mark.parametrize("code, status, throttled", [
    ("ThrottlingException", 400, True), ("TooManyRequestsException", 429, True), ("RequestLimitExceeded", 503, True),
    ("ClientException", 429, True), ("ClientException", 400, False), ("ServerException", 500, False),
    ("InternalError", None, False), (None, None, False),
])
def test_is_throttled(code, status, throttled):
    assert is_throttled(code, status) is throttled


@pytest.mark.parametrize("status, acted", [(None, True), (500, True), (503, True), (400, False), (429, False),
                                           (200, False)])
def test_may_have_acted(status, acted):
    assert may_have_acted(status) is acted
