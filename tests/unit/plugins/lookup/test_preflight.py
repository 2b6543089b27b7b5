import pytest
from ansible.errors import AnsibleError
from ansible_collections.dockwright.toolkit.plugins.lookup.preflight import digest, input_names


def test_input_names_are_the_defaults_sorted(tmp_path):
    (tmp_path / "defaults").mkdir()
    (tmp_path / "defaults" / "main.yml").write_text("---\nrole_b: 1\nrole_a: '{{ x }}'\n")
    assert input_names(str(tmp_path)) == ["role_a", "role_b"]


@pytest.mark.parametrize("content, words", [(None, "cannot read"), ("- a list\n", "not a mapping")])
def test_input_names_refuses(tmp_path, content, words):
    if content is not None:
        (tmp_path / "defaults").mkdir()
        (tmp_path / "defaults" / "main.yml").write_text(content)
    with pytest.raises(AnsibleError, match=words):
        input_names(str(tmp_path))


def test_digest_follows_role_and_values():
    base = digest("ecr", [["ecr_tag", "1.0"], ["ecr_retries", 3]])
    assert base == digest("ecr", [["ecr_tag", "1.0"], ["ecr_retries", 3]])
    assert base != digest("ecr", [["ecr_tag", "1.1"], ["ecr_retries", 3]])
    assert base != digest("image", [["ecr_tag", "1.0"], ["ecr_retries", 3]])
    # Values JSON cannot hold are written as their text: the same text, the same digest; other text, another.
    assert digest("x", [["when", object]]) == digest("x", [["when", str(object)]])
    assert digest("x", [["when", object]]) != digest("x", [["when", str(type)]])
    # Canonical: the order of a mapping's keys does not matter, the order of the pairs does.
    assert digest("x", [["v", {"a": 1, "b": 2}]]) == digest("x", [["v", {"b": 2, "a": 1}]])
    assert digest("x", [["a", 1], ["b", 2]]) != digest("x", [["b", 2], ["a", 1]])
