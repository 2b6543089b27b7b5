import json

import pytest
from ansible_collections.dockwright.toolkit.plugins.module_utils.json_record import merged_text, parse, record_errors


@pytest.mark.parametrize("text, document", [("", {}), (None, {}), (" \n", {}), ('{"a": 1}', {"a": 1})])
def test_parse(text, document):
    assert parse(text) == document


@pytest.mark.parametrize("text, words", [
    ("{x", "rec.json is not valid JSON"),
    ("[1]", "holds a JSON list, not an object"),
    ('"s"', "holds a JSON str, not an object"),
])
def test_parse_rejects(text, words):
    with pytest.raises(ValueError, match=words) as err:
        parse(text, "rec.json")
    assert "fix or remove it" in str(err.value)


def test_merged_text_keeps_other_parts():
    text = merged_text('{"job_definition": {"arn": "a"}}', {"image": {"uri": "u"}})
    assert json.loads(text) == {"job_definition": {"arn": "a"}, "image": {"uri": "u"}}
    assert merged_text(text, {"image": {"uri": "u"}}) == text


@pytest.mark.parametrize("setup, path, words", [
    pytest.param(None, "", None, id="no-record"),
    pytest.param(None, "out/rec.json", None, id="folder-to-create"),
    pytest.param(None, "out/deeper/rec.json", "cannot be written", id="no-folder-nor-parent"),
    pytest.param("dir", "rec.json", "cannot be written", id="a-folder"),
    pytest.param('{"a": 1}', "rec.json", None, id="json-object"),
    pytest.param("[1, 2]", "rec.json", "holds a JSON list", id="json-list"),
    pytest.param("{oops", "rec.json", "is not valid JSON", id="not-json"),
])
def test_record_errors(tmp_path, monkeypatch, setup, path, words):
    monkeypatch.chdir(tmp_path)
    if setup == "dir":
        (tmp_path / path).mkdir()
    elif setup is not None:
        (tmp_path / path).write_text(setup)
    errors = record_errors(path, "ecr_output_file")
    if words is None:
        assert errors == []
    else:
        assert len(errors) == 1 and words in errors[0]
        assert path in errors[0]


def test_messages_name_the_output_file_by_default():
    with pytest.raises(ValueError) as raised:
        parse("[1]")
    assert str(raised.value) == "the output file holds a JSON list, not an object: fix or remove it."
    with pytest.raises(ValueError) as raised:
        merged_text("[1]", {})
    assert str(raised.value) == "the output file holds a JSON list, not an object: fix or remove it."
    with pytest.raises(ValueError) as raised:
        merged_text("", [])
    assert str(raised.value) == "the record needs a dictionary to merge, not list"


def test_a_record_in_a_missing_folder_is_refused_in_full(tmp_path):
    path = tmp_path / "no" / "such" / "x.json"
    assert record_errors(str(path)) == [
        f"output_file '{path}' cannot be written: its folder (or the folder's parent) must exist and the path must be a"
        " file or nothing yet. Create the folder or choose another path."]
