import pytest
from ansible.errors import AnsibleFilterError
from ansible_collections.dockwright.toolkit.plugins.filter.ecr_aws_config_errors import ecr_aws_config_errors
from ansible_collections.dockwright.toolkit.plugins.filter.ecr_errors import ecr_errors

SECRET = "dockwright-test-secret-0123456789abcdefXYZ"


def test_ecr_errors_passes_the_settings_through():
    assert ecr_errors({"ecr_image": "iris:1", "ecr_repository": "iris", "ecr_tag": "1"}) == []
    assert ecr_errors({"ecr_image": "iris:1", "ecr_repository": "iris", "ecr_tag": "1", "ecr_account_id": "7"}) == [
        "ecr_account_id '7' is not an AWS account id (12 digits)."]


@pytest.mark.parametrize("value", ["iris", ["iris"], None])
def test_ecr_errors_wants_a_dict(value):
    with pytest.raises(AnsibleFilterError, match="dict"):
        ecr_errors(value)


@pytest.mark.parametrize("config, profile, account_id, words", [
    ({"aws_access_key_id": "AKIA", "aws_secret_access_key": SECRET, "aws_id": "123456789012"}, "", "", []),
    ({"aws_access_key_id": "AKIA"}, "", "", ["cfg.ini has only one of"]),
    ({"aws_access_key_id": "AKIA", "aws_secret_access_key": SECRET}, "dev", "", ["Both ecr_profile 'dev'"]),
    ({"aws_id": "12"}, "", "", ["aws_id in cfg.ini is not an AWS account id"]),
    ({"aws_id": "12"}, "", "123456789012", []),  # ecr_account_id wins, so the file's aws_id is not used
    ({}, "", "", []),
])
def test_ecr_aws_config_errors(config, profile, account_id, words):
    errors = ecr_aws_config_errors(config, path="cfg.ini", profile=profile, account_id=account_id)
    assert len(errors) == len(words), errors
    for error, word in zip(errors, words, strict=True):
        assert word in error
    assert not any(SECRET in error or "AKIA" in error for error in errors)
