"""Unit tests of plugins/lookup/aws_config.py: the older tool's AwsConfig.ini, read one way for every AWS role."""

import pytest
from ansible.errors import AnsibleError
from ansible_collections.dockwright.toolkit.plugins.lookup.aws_config import read_aws_config

SECRET = "older/tool+Secret=0123456789"


def test_every_key_is_there_empty_when_not_set(tmp_path):
    path = tmp_path / "AwsConfig.ini"
    path.write_text(f"[AWS]\nRegion = eu-west-1\naws_access_key_id = AKIAOLDERTOOL\naws_secret_access_key = {SECRET}\n")
    assert read_aws_config(str(path)) == {"region": "eu-west-1", "aws_access_key_id": "AKIAOLDERTOOL",
                                          "aws_secret_access_key": SECRET, "aws_id": ""}


def test_no_file_is_no_setting():
    assert read_aws_config("") == {"region": "", "aws_access_key_id": "", "aws_secret_access_key": "", "aws_id": ""}


@pytest.mark.parametrize("text, fragment", [
    (f"[AWS]\nregoin = eu-west-1\naws_secret_access_key = {SECRET}\n", "'regoin' (did you mean 'region'?)"),
    (f"aws_secret_key = {SECRET}\n", "'aws_secret_key' (did you mean 'aws_secret_access_key'?)"),
    # configparser takes the line's text up to the secret's own '=' for a key: it is not shown.
    (f"[AWS]\naws_secret_access_key {SECRET}\n", "a line whose key is not a name (not shown, as it may hold a secret;"
                                                 " is it aws_secret_access_key without its '='?)"),
])
def test_problems_are_named_without_a_value(tmp_path, text, fragment):
    path = tmp_path / "AwsConfig.ini"
    path.write_text(text)
    with pytest.raises(ValueError) as err:
        read_aws_config(str(path))
    assert fragment in str(err.value)
    assert "older" not in str(err.value) and "Secret" not in str(err.value)


def test_the_lookup_as_ansible_loads_it(tmp_path):
    from ansible.plugins.loader import lookup_loader

    plugin = lookup_loader.get("dockwright.toolkit.aws_config")
    path = tmp_path / "AwsConfig.ini"
    path.write_text("region = us-gov-west-1\n")
    assert plugin.run([str(path)], variables={}) == [{"region": "us-gov-west-1", "aws_access_key_id": "",
                                                      "aws_secret_access_key": "", "aws_id": ""}]
    with pytest.raises(AnsibleError, match="was not found"):
        plugin.run([str(tmp_path / "absent.ini")], variables={})
