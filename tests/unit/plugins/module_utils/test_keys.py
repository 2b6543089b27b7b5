import pytest
from ansible_collections.dockwright.toolkit.plugins.module_utils.keys import suggest_key, unknown_keys


@pytest.mark.parametrize(("key", "valid", "expected"), [
    ("memroy", ("memory", "vcpus"), "memory"),
    ("retryAttempts", ("retry_attempts",), "retry_attempts"),
    ("VCPUS", ("memory", "vcpus"), "vcpus"),
    ("banana", ("memory", "vcpus"), None),
])
def test_suggest_key(key, valid, expected):
    assert suggest_key(key, valid) == expected


def test_unknown_keys_with_their_likely_meaning():
    found = unknown_keys({"image_nme": 1, "program_path": 2, "zzz": 3}, ["program_path", "image_name"])
    assert found == [("image_nme", "image_name"), ("zzz", None)]
