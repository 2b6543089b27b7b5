import pytest
from ansible_collections.dockwright.toolkit.plugins.module_utils.aws import endpoint_url_errors
from ansible_collections.dockwright.toolkit.plugins.module_utils.ecr import (
    account_id_errors,
    aws_config_errors,
    encryption_errors,
    image_errors,
    lifecycle_errors,
    registry_errors,
    repository_errors,
    retry_errors,
    settings_errors,
    tag_errors,
)

KMS_ARN = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"

# (function, arguments, words of the one error; None when valid)
CASES = [
    (tag_errors, ("1.0",), None),
    (tag_errors, ("_x",), None),
    (tag_errors, ("T" * 128,), None),
    (tag_errors, ("-bad",), "ecr_tag '-bad' is not a valid tag"),
    (tag_errors, (".hidden",), "not starting with '.' or '-'"),
    (tag_errors, ("T" * 129,), "up to 128"),
    (tag_errors, ("",), "ecr_tag '' is not a valid tag"),
    (tag_errors, ("a/b",), "is not a valid tag"),
    (registry_errors, ("",), None),
    (registry_errors, ("127.0.0.1:5000",), None),
    (registry_errors, ("123456789012.dkr.ecr.eu-west-1.amazonaws.com",), None),
    (registry_errors, ("[::1]:5000",), None),
    (registry_errors, ("localhost",), None),
    (registry_errors, ("https://r.example.org",), "ecr_registry 'https://r.example.org' is not host[:port]"),
    (registry_errors, ("r.example.org/team",), "leave out the scheme and the path"),
    (registry_errors, ("r:port",), "is not host[:port]"),
    (account_id_errors, ("",), None),
    (account_id_errors, ("123456789012",), None),
    (account_id_errors, (123456789012,), None),
    (account_id_errors, ("1234",), "ecr_account_id '1234' is not an AWS account id (12 digits)"),
    (account_id_errors, ("1234567890123",), "12 digits"),
    (account_id_errors, ("12345678901a",), "12 digits"),
    (endpoint_url_errors, ("",), None),
    (endpoint_url_errors, ("http://127.0.0.1:5000",), None),
    (endpoint_url_errors, ("https://ecr.eu-west-1.amazonaws.com",), None),
    (endpoint_url_errors, ("127.0.0.1:5000", "ecr_endpoint_url"),
     "ecr_endpoint_url '127.0.0.1:5000' is not an http(s) URL"),
    (endpoint_url_errors, ("ftp://x", "ecr_endpoint_url"), "is not an http(s) URL"),
    (endpoint_url_errors, ("not a url", "ecr_endpoint_url"), "ecr_endpoint_url 'not a url' is not an http(s) URL"),
    (endpoint_url_errors, ("http://host:port", "ecr_endpoint_url"), "is not an http(s) URL"),
    (encryption_errors, ("AES256", ""), None),
    (encryption_errors, ("KMS", KMS_ARN), None),
    (encryption_errors, ("KMS", "arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/x"), None),
    (encryption_errors, ("KMS", "alias/mine"), "ecr_kms_key must be the key's ARN"),
    (encryption_errors, ("KMS", ""), "not ''"),
    (encryption_errors, ("AES256", KMS_ARN), "ecr_kms_key is set but ecr_encryption is AES256"),
    (encryption_errors, ("DES", ""), "ecr_encryption is 'DES': give one of AES256, KMS"),
    (lifecycle_errors, (0,), None),
    (lifecycle_errors, ("10",), None),
    (lifecycle_errors, (-1,), "ecr_lifecycle_keep_last is -1: give 0 (no policy)"),
    (lifecycle_errors, ("many",), "ecr_lifecycle_keep_last is many"),
    (retry_errors, (0, 0, 1), None),
    (retry_errors, ("5", "5", "30"), None),
    (retry_errors, (-1, 5, 30), "ecr_retries and ecr_retry_delay must be 0 or more"),
    (retry_errors, (5, -1, 30), "ecr_retries and ecr_retry_delay must be 0 or more"),
    (retry_errors, (5, 5, 0), "ecr_timeout more than 0"),
    (retry_errors, (5, 5, "soon"), "ecr_timeout more than 0"),
    (image_errors, ("iris:1.0",), None),
    (image_errors, ("iris",), None),
    (image_errors, ("localhost:5000/team/iris:2",), None),
    (image_errors, ("localhost:5000/team/iris",), None),
    (image_errors, ("",), "ecr_image is empty: give the local image to push as name:tag"),
    (image_errors, ("iris@sha256:" + "a" * 64,), "ecr_image 'iris@sha256:" + "a" * 64 + "' names a digest"),
    (image_errors, ("Iris:1.0",), "ecr_image 'Iris' is not a valid Docker image name"),
    (image_errors, ("iris:-x",), "ecr_image tag '-x' is not a valid Docker tag"),
    (repository_errors, ("team/iris",), None),
    (repository_errors, ("Team/Iris!",), "'Team/Iris!' is not a valid ECR repository name"),
    (repository_errors, ("",), "ecr_repository is empty"),
]


@pytest.mark.parametrize("function, args, words", CASES)
def test_rules(function, args, words):
    errors = function(*args)
    if words is None:
        assert errors == []
    else:
        assert len(errors) == 1, errors
        assert words in errors[0]


@pytest.mark.parametrize("function, args, words", [case for case in CASES if case[2]])
def test_messages_name_the_role_variable(function, args, words):
    assert function(*args)[0].startswith("ecr_")


def test_variable_names_can_be_changed():
    assert account_id_errors("1", name_var="aws_id")[0].startswith("aws_id '1'")
    assert tag_errors("-x", name_var="tag")[0].startswith("tag '-x'")
    assert registry_errors("a/b", name_var="registry")[0].startswith("registry 'a/b'")


GOOD = {"ecr_image": "iris:1.0", "ecr_repository": "team/iris", "ecr_tag": "1.0", "ecr_encryption": "AES256",
        "ecr_kms_key": "", "ecr_lifecycle_keep_last": 0, "ecr_retries": 5, "ecr_retry_delay": 5, "ecr_timeout": 30,
        "ecr_registry": "", "ecr_account_id": "", "ecr_endpoint_url": ""}


def test_settings_all_good():
    assert settings_errors(GOOD) == []


def test_settings_defaults():
    assert settings_errors({"ecr_image": "iris", "ecr_repository": "iris", "ecr_tag": "latest"}) == []


def test_settings_report_every_problem_in_order():
    bad = {**GOOD, "ecr_image": "", "ecr_repository": "X", "ecr_tag": "-bad", "ecr_account_id": "1",
           "ecr_endpoint_url": "localhost", "ecr_registry": "http://r"}
    errors = settings_errors(bad)
    assert [error.split(" ", 1)[0] for error in errors] == [
        "ecr_image", "ecr_repository", "ecr_repository", "ecr_tag", "ecr_registry", "ecr_account_id",
        "ecr_endpoint_url"]


@pytest.mark.parametrize("has_key, has_secret, profile, account_id, words", [
    (True, True, "", "123456789012", []),
    (False, False, "dev", "", []),
    (True, False, "", "", ["has only one of aws_access_key_id and aws_secret_access_key"]),
    (False, True, "", "", ["has only one of"]),
    (True, True, "dev", "", ["Both ecr_profile 'dev' and the keys of AwsConfig.ini are given"]),
    (True, True, "", "42", ["aws_id in AwsConfig.ini is not an AWS account id (12 digits)."]),
])
def test_aws_config(has_key, has_secret, profile, account_id, words):
    errors = aws_config_errors("AwsConfig.ini", has_key, has_secret, profile=profile, account_id=account_id)
    assert len(errors) == len(words), errors
    for error, word in zip(errors, words, strict=True):
        assert word in error


@pytest.mark.parametrize("url, environ, words", [
    ("", {}, None),
    ("", {"AWS_ENDPOINT_URL": "http://127.0.0.1:5000"}, None),
    ("", {"AWS_ENDPOINT_URL": "not a url"}, "AWS_ENDPOINT_URL 'not a url' is not an http(s) URL"),
    ("https://ecr.example.com", {"AWS_ENDPOINT_URL": "garbage"}, None),  # the setting wins over the environment
    ("localhost:5000", {}, "batch_job_endpoint_url 'localhost:5000' is not an http(s) URL"),
])
def test_endpoint_from_the_setting_or_the_environment(url, environ, words):
    errors = endpoint_url_errors(url, "batch_job_endpoint_url", environ)
    assert (errors == []) if words is None else (len(errors) == 1 and words in errors[0])


def test_settings_left_out_are_reported_as_empty():
    assert settings_errors({}) == [
        "ecr_image is empty: give the local image to push as name:tag, e.g. iris:1.0.",
        "ecr_repository is empty: name the ECR repository, e.g. 'team/iris'.",
        "ecr_tag '' is not a valid tag: up to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-'."]


def test_none_is_empty():
    assert image_errors(None) == ["ecr_image is empty: give the local image to push as name:tag, e.g. iris:1.0."]
    assert tag_errors(None) == ["ecr_tag '' is not a valid tag: up to 128 letters, digits, '_', '.' and '-', not"
                                " starting with '.' or '-'."]
    assert registry_errors(None) == account_id_errors(None) == []


@pytest.mark.parametrize(("name", "example"), [
    ("AB", " (for example 'ab')"), ("A", ""), ("a._b", " (for example 'a.b')"), ("--", ""),
    ("Team//My Model", " (for example 'team/my-model')"),
])
def test_a_suggested_repository_name_needs_two_characters(name, example):
    assert repository_errors(name)[0] == (
        f"ecr_repository '{name}' is not a valid ECR repository name: use lowercase letters and digits, single '.',"
        f" '_' or '-' between them, and '/' between path parts{example}.")


@pytest.mark.parametrize(("change", "first_word"), [
    ({"ecr_encryption": "DES"}, "ecr_encryption"),
    ({"ecr_kms_key": KMS_ARN}, "ecr_kms_key"),
    ({"ecr_encryption": "KMS", "ecr_kms_key": "alias/x"}, "ecr_encryption"),
    ({"ecr_lifecycle_keep_last": -1}, "ecr_lifecycle_keep_last"),
    ({"ecr_retries": -1}, "ecr_retries"),
    ({"ecr_retry_delay": -1}, "ecr_retries"),
    ({"ecr_timeout": 0}, "ecr_retries"),
])
def test_each_setting_is_read_from_its_own_variable(change, first_word):
    errors = settings_errors({**GOOD, **change})
    assert len(errors) == 1 and errors[0].split(" ", 1)[0] == first_word, errors
    assert settings_errors({key: value for key, value in {**GOOD, **change}.items()
                            if key not in change}) == settings_errors(GOOD) == []


def test_aws_config_without_a_profile_or_an_account_is_fine():
    assert aws_config_errors("AwsConfig.ini", True, True) == []
    assert aws_config_errors("AwsConfig.ini", True, False) == [
        "AwsConfig.ini has only one of aws_access_key_id and aws_secret_access_key: give both or neither."]
