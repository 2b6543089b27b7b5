"""The package_index_unmounted filter: the name roles call, reaching module_utils/package_index.py's unmounted."""

import pytest
from ansible_collections.dockwright.toolkit.plugins.filter.package_index_unmounted import FilterModule
from ansible_collections.dockwright.toolkit.plugins.module_utils.package_index import unmounted

FILTER = FilterModule().filters()["package_index_unmounted"]
MOUNTS = ("RUN --mount=type=secret,id=pip-index-url --mount=type=secret,id=pip-extra-index-url \\\n"
          "    pip install -r requirements.txt\n")


def test_the_filter_is_the_rule():
    assert FilterModule().filters() == {"package_index_unmounted": unmounted}


@pytest.mark.parametrize("args, names", [
    (("https://h/simple", "", "FROM python:3.11-slim\nRUN pip install -r requirements.txt\n"), ["PIP_INDEX_URL"]),
    (("https://h/simple", "https://a/simple", MOUNTS), []),
    (("https://h/simple", "https://a/simple"), ["PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL"]),  # no Dockerfile text
    (("", "", ""), []),
])
def test_as_a_role_calls_it(args, names):
    assert FILTER(*args) == names
