import json

import pytest
from ansible.errors import AnsibleFilterError
from ansible_collections.dockwright.toolkit.plugins.filter.json_merge import json_merge, merge

IMAGE = {"image": {"uri": "r/x:1", "digest": "sha256:aa"}}


@pytest.mark.parametrize("text", ["", None, "  \n", "{}"])
def test_new_file(text):
    assert json.loads(json_merge(text, IMAGE)) == IMAGE


def test_other_keys_are_kept_and_nested_ones_merged():
    text = json.dumps({"job_definition": {"arn": "a"}, "image": {"uri": "old", "name": "iris"}})
    merged = json.loads(json_merge(text, IMAGE))
    assert merged == {"job_definition": {"arn": "a"}, "image": {"uri": "r/x:1", "digest": "sha256:aa", "name": "iris"}}


def test_stable_text():
    once = json_merge("", IMAGE)
    assert once.endswith("}\n")
    assert json_merge(once, IMAGE) == once
    assert once == json.dumps(IMAGE, indent=2, sort_keys=True) + "\n"


@pytest.mark.parametrize("text, words", [
    ("{not json", "out.json is not valid JSON"),
    ("[1, 2]", "out.json holds a JSON list, not an object"),
    ('"x"', "holds a JSON str"),
])
def test_bad_files(text, words):
    with pytest.raises(AnsibleFilterError, match=words):
        json_merge(text, IMAGE, path="out.json")


def test_update_must_be_a_dict():
    with pytest.raises(AnsibleFilterError, match="dictionary"):
        json_merge("", ["x"])


@pytest.mark.parametrize("base, update, expected", [
    ({}, {"a": 1}, {"a": 1}),
    ({"a": {"b": 1}}, {"a": {"c": 2}}, {"a": {"b": 1, "c": 2}}),
    ({"a": {"b": 1}}, {"a": 3}, {"a": 3}),
    ({"a": [1]}, {"a": [2]}, {"a": [2]}),
])
def test_merge(base, update, expected):
    before = json.dumps(base)
    assert merge(base, update) == expected
    assert json.dumps(base) == before  # the input is not changed
