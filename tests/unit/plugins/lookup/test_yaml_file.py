import pytest
from ansible_collections.dockwright.toolkit.plugins.lookup.yaml_file import read_yaml_file


@pytest.mark.parametrize(
    "text, expected",
    [
        ("job_definition:\n  name: iris\n  vcpus: 2\n", {"job_definition": {"name": "iris", "vcpus": 2}}),
        ("- a list\n", ["a list"]),
        ("", None),
        ("# only a comment\n", None),
    ],
)
def test_reads(tmp_path, text, expected):
    path = tmp_path / "BatchConfig.yml"
    path.write_text(text)
    assert read_yaml_file(str(path)) == expected


@pytest.mark.parametrize(
    "text, words",
    [
        ("job_definition: [unclosed\n", ["is not valid YAML", "at line 2, column 1", "Fix the file"]),
        ("a: 1\n b: 2\n", ["is not valid YAML", "at line 2, column 3"]),
        ("a: !!python/object:os.system x\n", ["is not valid YAML"]),  # safe loading: no objects
    ],
)
def test_bad_yaml_names_the_file_and_the_line(tmp_path, text, words):
    path = tmp_path / "BatchConfig.yml"
    path.write_text(text)
    with pytest.raises(ValueError) as raised:
        read_yaml_file(str(path))
    message = str(raised.value)
    assert message.startswith(f"{path} is not valid YAML: ")
    for word in words:
        assert word in message


def test_missing_file(tmp_path):
    with pytest.raises(ValueError, match="cannot be read"):
        read_yaml_file(str(tmp_path / "nope.yml"))
