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


@pytest.mark.parametrize(("key", "valid", "meant"), [
    # camelCase keys are read as their snake_case spelling first, before any closer-looking spelling.
    ("jobRoleArn", ["job_role_arn", "jobrolearns"], "job_role_arn"),
    ("logDriver", ["log_driver", "logdrivers"], "log_driver"),
])
def test_camel_case_means_its_snake_case_spelling(key, valid, meant):
    assert suggest_key(key, valid) == meant


def test_unknown_keys_of_any_type_sort_as_text():
    assert unknown_keys({2: 1, "b": 2, 10: 3, "a": 4}, ["a"]) == [("10", None), ("2", None), ("b", None)]


@pytest.mark.parametrize(("value", "message"), [
    ("tr", "the value is 'tr', which is neither true nor false: write true or false."),
    ("yess", "the value is 'yess', which is neither true nor false (did you mean yes?): write true or false."),
    ("noo", "the value is 'noo', which is neither true nor false (did you mean no?): write true or false."),
])
def test_a_misspelt_boolean_is_refused_with_a_close_guess_only(value, message):
    with pytest.raises(ValueError) as raised:
        parse_boolean(value)
    assert str(raised.value) == message
