import pytest
from ansible_collections.dockwright.toolkit.plugins.lookup.legacy_config import read_legacy_config


@pytest.mark.parametrize(
    "text, expected",
    [
        ("[Config]\nprogram_path = ./model\nimage_name = churn\n", {"program_path": "./model", "image_name": "churn"}),
        ("program_path=./model\nIMAGE_VERSION = 1.0\n", {"program_path": "./model", "image_version": "1.0"}),
        ("[a]\npush_to_ecr = true\n[b]\nrepository = ml/iris\n", {"push_to_ecr": "true", "repository": "ml/iris"}),
        ("[DEFAULT]\nregion = eu-west-1\n[x]\nregion = eu-west-1\n", {"region": "eu-west-1"}),
        ("", {}),
        ("[only]\n", {}),
        ("[c]\nvalue = 100%\n", {"value": "100%"}),  # no interpolation
    ],
)
def test_reads(tmp_path, text, expected):
    path = tmp_path / "Config.ini"
    path.write_text(text)
    assert read_legacy_config(str(path)) == expected


def test_empty_path_is_no_config():
    assert read_legacy_config("") == {}


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("[a]\nkey\n", "not a valid .ini file"),
        ("[a]\nx = 1\n[a]\nx = 2\n", "not a valid .ini file"),
        ("[a]\nimage_name = one\n[b]\nimage_name = two\n", "sets 'image_name' twice"),
    ],
)
def test_bad_files(tmp_path, text, fragment):
    path = tmp_path / "Config.ini"
    path.write_text(text)
    with pytest.raises(ValueError, match=fragment):
        read_legacy_config(str(path))


def test_missing_file(tmp_path):
    with pytest.raises(ValueError, match="was not found"):
        read_legacy_config(str(tmp_path / "nope.ini"))


def test_unreadable_file(tmp_path):
    path = tmp_path / "Config.ini"
    path.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(ValueError, match="cannot be read"):
        read_legacy_config(str(path))


SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"


@pytest.mark.parametrize("text, fragment", [
    (f"[aws]\naws_access_key_id = AKIA\n{SECRET}\n", "line 3 is not 'key = value'"),
    (f"aws_secret_access_key {SECRET}\n", "line 1 is not 'key = value'"),
    (f"[aws]\naws_secret_access_key = {SECRET}\naws_secret_access_key = {SECRET}x\n",
     "is set twice in [aws] (line 3)"),
    (f"[a]\naws_secret_access_key = {SECRET}\n[b]\naws_secret_access_key = other\n", "twice with different values"),
])
def test_a_malformed_file_is_described_without_its_values(tmp_path, text, fragment):
    path = tmp_path / "AwsConfig.ini"
    path.write_text(text)
    with pytest.raises(ValueError, match=r"not a valid \.ini file|twice") as err:
        read_legacy_config(str(path))
    assert fragment in str(err.value)
    assert SECRET not in str(err.value) and "wJalr" not in str(err.value)


def test_unknown_keys_are_named_with_the_likely_one(tmp_path):
    path = tmp_path / "Config.ini"
    path.write_text("[Config]\nprogram_path = ./model\nimage_nme = churn\npush_to_ecr = true\ncolour = blue\n")
    keys = ["program_path", "image_name", "push_to_ecr"]
    with pytest.raises(ValueError) as err:
        read_legacy_config(str(path), keys)
    assert "unknown key(s) 'colour', 'image_nme' (did you mean 'image_name'?)" in str(err.value)
    assert read_legacy_config(str(path), None)["image_nme"] == "churn"  # no list: any key


@pytest.mark.parametrize("text", ['{"program_path": "./model"}\n', '[{"image_name": "x"}]'])
def test_a_json_file_is_named_as_such(tmp_path, text):
    path = tmp_path / "Config.ini"
    path.write_text(text)
    with pytest.raises(ValueError, match="it holds JSON"):
        read_legacy_config(str(path))
