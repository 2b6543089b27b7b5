import pytest
from ansible_collections.dockwright.toolkit.plugins.module_utils.settings import (
    parse_boolean,
    suggest_key,
    unknown_keys,
)


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


@pytest.mark.parametrize("value, result", [
    (True, True), (False, False), ("true", True), ("Yes", True), ("ON", True), ("1", True), (1, True),
    ("false", False), ("no", False), ("off", False), ("0", False), ("", False), (None, False), (0, False),
])
def test_parse_boolean(value, result):
    assert parse_boolean(value, "push_to_ecr") is result


@pytest.mark.parametrize("value, words", [("ture", "did you mean true?"), ("flase", "did you mean false?"),
                                          ("maybe", "neither true nor false: write true or false")])
def test_a_misspelt_boolean_is_an_error(value, words):
    with pytest.raises(ValueError, match="push_to_ecr is") as err:
        parse_boolean(value, "push_to_ecr")
    assert words in str(err.value)
