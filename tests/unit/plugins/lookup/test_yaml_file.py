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


def test_a_billion_laughs_file_fails_fast_naming_the_file(tmp_path):
    import time

    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    path = tmp_path / "BatchConfig.yml"
    path.write_text("\n".join(lines) + "\n")
    started = time.monotonic()
    with pytest.raises(ValueError, match="expands to more than 100000 values through its YAML aliases"):
        read_yaml_file(str(path))
    assert time.monotonic() - started < 5


def test_ordinary_aliases_are_fine(tmp_path):
    path = tmp_path / "BatchConfig.yml"
    path.write_text("base: &base {vcpus: 1, memory: 512}\njob_definition: {<<: *base, name: iris}\n")
    assert read_yaml_file(str(path))["job_definition"] == {"vcpus": 1, "memory": 512, "name": "iris"}
