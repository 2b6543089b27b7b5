"""The build_secrets filter: the name roles call, reaching module_utils/package_index.py's build_secrets."""

import pytest
from ansible_collections.dockwright.toolkit.plugins.filter.build_secrets import FilterModule
from ansible_collections.dockwright.toolkit.plugins.module_utils.package_index import build_secrets

FILTER = FilterModule().filters()["build_secrets"]
INDEX = "https://dockwright:tok%2Fen-4242@pypi.example.com/simple"


def test_the_filter_is_the_rule():
    assert FilterModule().filters() == {"build_secrets": build_secrets}


@pytest.mark.parametrize("args, secrets", [
    ((INDEX, "", "/etc/ssl/ca.pem"), [{"id": "build-ca", "type": "file", "src": "/etc/ssl/ca.pem"},
                                      {"id": "pip-index-url", "type": "value", "value": INDEX}]),
    (("", "https://a/simple https://b/simple"), [{"id": "pip-extra-index-url", "type": "value",
                                                   "value": "https://a/simple https://b/simple"}]),
    (("", ""), []),
])
def test_as_a_role_calls_it(args, secrets):
    assert FILTER(*args) == secrets
