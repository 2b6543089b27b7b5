"""Unit tests of plugins/module_utils/aws.py: region names and endpoint URLs."""

import pytest
from ansible_collections.dockwright.toolkit.plugins.module_utils.aws import endpoint_url_errors, region_errors

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
