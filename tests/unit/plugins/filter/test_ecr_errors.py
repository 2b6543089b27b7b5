import pytest
from ansible.errors import AnsibleFilterError
from ansible_collections.dockwright.toolkit.plugins.filter.aws_config_errors import aws_config_errors
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
    ({"aws_secret_acces_key": SECRET}, "", "", ["unknown key(s): 'aws_secret_acces_key' (did you mean"]),
])
def test_aws_config_errors(tmp_path, monkeypatch, config, profile, account_id, words):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "cfg.ini").write_text("[default]\n" + "".join(f"{key} = {value}\n" for key, value in config.items()))
    errors = aws_config_errors("cfg.ini", "ecr_aws_config_file", profile=profile, account_id=account_id)
    assert len(errors) == len(words), errors
    for error, word in zip(errors, words, strict=True):
        assert word in error
    assert not any(SECRET in error or "AKIA" in error for error in errors)


def test_aws_config_errors_names_the_variable_and_where_it_looked(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert aws_config_errors("", "batch_job_aws_config_file") == []
    (tmp_path / "dir.ini").mkdir()
    for given in ("nope.ini", "dir.ini"):
        [error] = aws_config_errors(given, "batch_job_aws_config_file")
        assert error.startswith(f"batch_job_aws_config_file '{given}' was not found (looked for {tmp_path / given})")
        assert "AWS_CONFIG=" in error


@pytest.mark.parametrize("value", [None, ["cfg.ini"], {"path": "cfg.ini"}])
def test_aws_config_errors_wants_a_path(value):
    with pytest.raises(AnsibleFilterError, match="path"):
        aws_config_errors(value, "ecr_aws_config_file")
