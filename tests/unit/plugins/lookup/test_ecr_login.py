import base64
import datetime
import time

import botocore.exceptions as boto_errors
import pytest
from ansible.errors import AnsibleError
from ansible_collections.dockwright.toolkit.plugins.lookup.ecr_login import (
    LoginError,
    choose_region,
    decode_token,
    expires_text,
    explain,
    parse_authorization,
    registry_host,
)
from conftest import DUMMY_KEY_ID, DUMMY_SECRET, REGION
from servers import free_port, scripted_aws


@pytest.fixture(scope="module")
def lookup():
    from ansible.plugins.loader import lookup_loader

    # The collection loader is installed by conftest.py.
    plugin = lookup_loader.get("dockwright.toolkit.ecr_login")
    assert plugin is not None, "ansible does not find the ecr_login lookup"
    return plugin


def token(text):
    return base64.b64encode(text.encode()).decode()


@pytest.mark.parametrize("endpoint, host", [
    ("https://123456789012.dkr.ecr.eu-west-1.amazonaws.com", "123456789012.dkr.ecr.eu-west-1.amazonaws.com"),
    ("https://123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/", "123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn"),
    ("http://127.0.0.1:5000", "127.0.0.1:5000"),
    ("registry.example.org:443", "registry.example.org:443"),
])
def test_registry_host(endpoint, host):
    assert registry_host(endpoint) == host


@pytest.mark.parametrize("endpoint", ["", None, "https://"])
def test_registry_host_rejects_empty(endpoint):
    with pytest.raises(ValueError, match="proxy endpoint"):
        registry_host(endpoint)


@pytest.mark.parametrize("text, expected", [
    ("AWS:secret", ("AWS", "secret")),
    ("AWS:pass:with:colons", ("AWS", "pass:with:colons")),
    ("user:p@ss word", ("user", "p@ss word")),
])
def test_decode_token(text, expected):
    assert decode_token(token(text)) == expected


@pytest.mark.parametrize("raw", ["", None, "not base64!", token("no-colon"), token(":nouser"), token("AWS:")])
def test_decode_token_rejects_bad_tokens_without_echoing_them(raw):
    with pytest.raises(ValueError) as err:
        decode_token(raw)
    assert "user:password" in str(err.value)
    if raw:
        assert raw not in str(err.value)


@pytest.mark.parametrize("value, expected", [
    (datetime.datetime(2025, 1, 1, 12, 0, tzinfo=datetime.UTC), "2025-01-01T12:00:00+00:00"),
    (datetime.datetime(2025, 1, 1, 12, 0), "2025-01-01T12:00:00+00:00"),
    (0, "1970-01-01T00:00:00+00:00"),
    ("2025-01-01", "2025-01-01"),
    (None, ""),
    ("", ""),
])
def test_expires_text(value, expected):
    assert expires_text(value) == expected


def test_parse_authorization():
    response = {"authorizationData": [{
        "authorizationToken": token("AWS:s3cret"),
        "proxyEndpoint": "https://111122223333.dkr.ecr.eu-west-1.amazonaws.com",
        "expiresAt": datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC),
    }]}
    assert parse_authorization(response) == {
        "username": "AWS", "password": "s3cret", "registry": "111122223333.dkr.ecr.eu-west-1.amazonaws.com",
        "expires_at": "2030-01-01T00:00:00+00:00",
    }


@pytest.mark.parametrize("response", [{}, None, {"authorizationData": []}])
def test_parse_authorization_without_data(response):
    with pytest.raises(ValueError, match="no authorization data"):
        parse_authorization(response)


@pytest.mark.parametrize("region, environ, profile_region, expected", [
    ("eu-central-1", {"AWS_REGION": "us-east-1"}, "ap-south-1", "eu-central-1"),
    ("", {"AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "us-west-2"}, "ap-south-1", "us-east-1"),
    ("", {"AWS_DEFAULT_REGION": "us-west-2"}, "ap-south-1", "us-west-2"),
    ("", {}, "ap-south-1", "ap-south-1"),
    ("", {"AWS_REGION": "  "}, None, ""),
    ("", {}, None, ""),
])
def test_choose_region(region, environ, profile_region, expected):
    assert choose_region(region, environ=environ, profile_region=profile_region) == expected


def client_error(code, message="nope"):
    return boto_errors.ClientError({"Error": {"Code": code, "Message": message}}, "GetAuthorizationToken")


@pytest.mark.parametrize("error, kind, words", [
    (boto_errors.NoRegionError(), "region", "AWS_REGION"),
    (boto_errors.NoCredentialsError(), "credentials", "AWS_ACCESS_KEY_ID"),
    (boto_errors.PartialCredentialsError(provider="env", cred_var="AWS_SECRET_ACCESS_KEY"), "credentials",
     "AWS_SECRET_ACCESS_KEY"),
    (boto_errors.ProfileNotFound(profile="ghost"), "profile", "'ghost'"),
    (boto_errors.EndpointConnectionError(endpoint_url="http://127.0.0.1:9"), "endpoint", "cannot be reached"),
    (boto_errors.ConnectTimeoutError(endpoint_url="http://10.0.0.1"), "endpoint", "cannot be reached"),
    (client_error("UnrecognizedClientException"), "rejected", "does not accept the credentials"),
    (client_error("ExpiredTokenException"), "rejected", "renew"),
    (client_error("AccessDeniedException"), "denied", "ecr:GetAuthorizationToken"),
    (client_error("ServerException", "boom"), "other", "ServerException: boom"),
    (RuntimeError("odd"), "other", "RuntimeError: odd"),
])
def test_explain(error, kind, words):
    got_kind, message = explain(error, endpoint="http://127.0.0.1:9", region="eu-west-1", profile="ghost")
    assert got_kind == kind
    assert words in message


def test_half_given_keys_fail_before_any_call(lookup):
    with pytest.raises(LoginError, match="both") as err:
        lookup.login(region=REGION, access_key=DUMMY_KEY_ID)
    assert err.value.kind == "credentials"


def test_half_given_keys_do_not_pair_with_a_secret_from_the_environment(lookup, monkeypatch):
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", DUMMY_SECRET)
    with pytest.raises(LoginError, match="both") as err:
        lookup.login(region=REGION, access_key=DUMMY_KEY_ID)
    assert err.value.kind == "credentials"


@pytest.fixture
def aws_files(monkeypatch, tmp_path):
    """Shared AWS files with one profile, 'dw', and no credentials in the environment."""
    for name in ("AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
                 "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "config").write_text(f"[profile dw]\nregion = {REGION}\n")
    (tmp_path / "credentials").write_text(f"[dw]\naws_access_key_id = {DUMMY_KEY_ID}\n"
                                          f"aws_secret_access_key = {DUMMY_SECRET}\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "credentials"))
    return monkeypatch


def test_explicit_keys_win_over_a_profile_from_the_environment(lookup, moto, aws_files):
    aws_files.setenv("AWS_PROFILE", "dw")
    login = lookup.login(endpoint_url=moto, access_key=DUMMY_KEY_ID, secret_key=DUMMY_SECRET)
    assert login["username"] == "AWS"
    assert login["region"] == REGION  # the profile still gives the region
    assert lookup.get_option("profile") == ""


def test_explicit_keys_win_over_a_profile_from_the_environment_given_empty(lookup, moto, aws_files):
    """The ecr role passes every option, an unset profile as "": AWS_PROFILE then comes from the environment."""
    aws_files.setenv("AWS_PROFILE", "dw")
    login = lookup.login(endpoint_url=moto, profile="", access_key=DUMMY_KEY_ID, secret_key=DUMMY_SECRET)
    assert login["username"] == "AWS"
    assert lookup.get_option("profile") == ""


def test_an_explicit_profile_wins_over_keys_from_the_environment(lookup, moto, aws_files):
    aws_files.setenv("AWS_ACCESS_KEY_ID", "AKIAFROMTHEENVIRONMENT")
    aws_files.setenv("AWS_SECRET_ACCESS_KEY", "from-the-environment")
    login = lookup.login(endpoint_url=moto, profile="dw")
    assert login["username"] == "AWS"
    assert lookup.get_option("access_key") == ""


def test_an_explicit_profile_and_explicit_keys_are_refused(lookup, aws_files):
    with pytest.raises(LoginError, match="either a profile or AWS keys") as err:
        lookup.login(region=REGION, profile="dw", access_key=DUMMY_KEY_ID, secret_key=DUMMY_SECRET)
    assert err.value.kind == "usage"
    assert DUMMY_SECRET not in str(err.value)


@pytest.mark.parametrize("region", [REGION, ""])
def test_unknown_profile(lookup, aws_files, region):
    with pytest.raises(LoginError, match="'ghost' is not defined") as err:
        lookup.login(region=region, profile="ghost")
    assert err.value.kind == "profile"


def test_missing_region(lookup, monkeypatch, tmp_path):
    for name in ("AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    with pytest.raises(LoginError, match="No AWS region") as err:
        lookup.login(access_key=DUMMY_KEY_ID, secret_key=DUMMY_SECRET)
    assert err.value.kind == "region"


# The boto call itself, against the moto server.

def test_login_from_moto(lookup, moto):
    login = lookup.login(region=REGION, endpoint_url=moto, access_key=DUMMY_KEY_ID, secret_key=DUMMY_SECRET)
    assert login["username"] == "AWS"
    assert login["password"]
    assert login["registry"] == f"123456789012.dkr.ecr.{REGION}.amazonaws.com"
    assert login["region"] == REGION
    assert login["expires_at"]


def test_login_for_another_registry_id(lookup, moto):
    login = lookup.login(region=REGION, endpoint_url=moto, access_key=DUMMY_KEY_ID, secret_key=DUMMY_SECRET,
                      registry_id="111122223333")
    assert login["registry"].startswith("111122223333.dkr.ecr.")


# The ecr role passes every option, empty when not set: empty means the environment and boto3's chain.
@pytest.mark.parametrize("given", [{}, {"region": "", "profile": "", "endpoint_url": "", "access_key": "",
                                        "secret_key": "", "session_token": "", "registry_id": ""}])
def test_login_honours_aws_endpoint_url(lookup, moto, monkeypatch, given):
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto)
    monkeypatch.setenv("AWS_REGION", REGION)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", DUMMY_KEY_ID)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", DUMMY_SECRET)
    assert lookup.login(**given)["username"] == "AWS"


def test_the_login_outlasts_throttling(lookup, monkeypatch):
    """ECR answers ThrottlingException when throttled: more of it than botocore's default attempts, which
    amazon.aws's own backoff does not resend, still ends in a login (pauses skipped)."""
    monkeypatch.setattr(time, "sleep", lambda seconds: None)
    answer = {"authorizationData": [{"authorizationToken": token("AWS:pass"), "proxyEndpoint": "https://r.example"}]}
    failures = {"GetAuthorizationToken": [(400, "ThrottlingException")] * 6}
    with scripted_aws(failures, {"GetAuthorizationToken": [answer]}) as aws:
        login = lookup.login(region=REGION, endpoint_url=aws.url, access_key=DUMMY_KEY_ID, secret_key=DUMMY_SECRET)
        assert (login["password"], login["registry"]) == ("pass", "r.example")
        assert len(aws.requests) == 7


def test_a_refused_login_is_not_resent(lookup):
    with scripted_aws({"GetAuthorizationToken": [(400, "AccessDeniedException")]}) as aws:
        with pytest.raises(LoginError, match="ecr:GetAuthorizationToken"):
            lookup.login(region=REGION, endpoint_url=aws.url, access_key=DUMMY_KEY_ID, secret_key=DUMMY_SECRET)
        assert len(aws.requests) == 1


def test_unreachable_endpoint(lookup):
    url = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(LoginError, match="cannot be reached") as err:
        lookup.login(region=REGION, endpoint_url=url, access_key=DUMMY_KEY_ID, secret_key=DUMMY_SECRET, timeout=2)
    assert err.value.kind == "endpoint"
    assert url in str(err.value)
    assert DUMMY_SECRET not in str(err.value)


# The lookup as Ansible loads and calls it.

@pytest.mark.parametrize("on_error", ["raise", "return"])
def test_lookup_errors(lookup, on_error):
    url = f"http://127.0.0.1:{free_port()}"
    kwargs = {"region": REGION, "endpoint_url": url, "access_key": DUMMY_KEY_ID, "secret_key": DUMMY_SECRET,
              "timeout": 2, "on_error": on_error}
    if on_error == "raise":
        with pytest.raises(AnsibleError, match="cannot be reached"):
            lookup.run([], variables={}, **kwargs)
    else:
        [answer] = lookup.run([], variables={}, **kwargs)
        assert answer["error_kind"] == "endpoint"
        assert "cannot be reached" in answer["error"]
        assert answer["password"] == ""


def test_lookup_from_moto(lookup, moto):
    [answer] = lookup.run([], variables={}, region=REGION, endpoint_url=moto, access_key=DUMMY_KEY_ID,
                          secret_key=DUMMY_SECRET)
    assert set(answer) == {"username", "password", "registry", "expires_at", "region"}


def test_lookup_takes_no_terms(lookup):
    with pytest.raises(AnsibleError, match="keyword options only"):
        lookup.run(["eu-west-1"], variables={})
