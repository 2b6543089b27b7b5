# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""Ask AWS ECR for a registry login (user name, password, registry host) with boto3's standard credential chain."""

from __future__ import annotations

DOCUMENTATION = r"""
name: ecr_login
short_description: Get a Docker login for an AWS ECR registry (GetAuthorizationToken)
description:
  - Calls ECR's C(GetAuthorizationToken) with boto3 and returns the user name and password that C(docker login)
    takes, the registry host they are good for and when they expire (ECR tokens last 12 hours).
  - Credentials, region and endpoint follow boto3's standard chain unless given here; explicit keys, then a
    profile (C(profile) or C(AWS_PROFILE)), then C(AWS_ACCESS_KEY_ID)/C(AWS_SECRET_ACCESS_KEY), the shared files,
    SSO, web identity (OIDC in CI) and instance or container roles.
  - The region is C(region), else C(AWS_REGION), else C(AWS_DEFAULT_REGION), else the profile's region.
  - The endpoint is C(endpoint_url), else C(AWS_ENDPOINT_URL_ECR) or C(AWS_ENDPOINT_URL) (honoured by boto3
    itself), else the regional AWS endpoint.
  - The call has no side effect, so it doubles as a check that region, credentials and endpoint work.
  - Failures raise an error saying what is missing or unreachable and how to give it; secrets never appear in
    them. Mark tasks that use the result C(no_log), since the password is a live credential.
options:
  region:
    description: AWS region; empty means C(AWS_REGION), C(AWS_DEFAULT_REGION), then the profile's region.
    type: str
    default: ""
  profile:
    description: Named profile of the shared AWS config files; empty means C(AWS_PROFILE) or the default profile.
    type: str
    default: ""
  endpoint_url:
    description: ECR API endpoint (a local emulator, a VPC endpoint); empty means boto3's own choice.
    type: str
    default: ""
  access_key:
    description: AWS access key id; empty means the standard chain. Given together with O(secret_key).
    type: str
    default: ""
  secret_key:
    description: AWS secret access key; empty means the standard chain.
    type: str
    default: ""
  session_token:
    description: AWS session token of temporary keys.
    type: str
    default: ""
  registry_id:
    description: AWS account id of the registry; empty means the account the credentials belong to.
    type: str
    default: ""
  timeout:
    description: Seconds to wait for the endpoint to accept a connection and to answer.
    type: int
    default: 20
  on_error:
    description:
      - V(raise) fails the task with the message; V(return) returns RV(_raw.error) and RV(_raw.error_kind) instead,
        so a role can add its own hints and fail with one clean message.
    type: str
    choices: [raise, return]
    default: raise
requirements:
  - boto3
"""

EXAMPLES = r"""
- name: Get a login for the account's registry
  ansible.builtin.set_fact:
    ecr_auth: "{{ lookup('dockwright.toolkit.ecr_login', region='eu-west-1') }}"
  no_log: true

- name: Log the engine into the registry
  community.docker.docker_login:
    registry_url: "{{ ecr_auth.registry }}"
    username: "{{ ecr_auth.username }}"
    password: "{{ ecr_auth.password }}"
  no_log: true

- name: Get a login with the keys of an older tool's config file and a local emulator
  ansible.builtin.set_fact:
    ecr_auth: >-
      {{ lookup('dockwright.toolkit.ecr_login', region=cfg.region, access_key=cfg.aws_access_key_id,
                secret_key=cfg.aws_secret_access_key, endpoint_url='http://127.0.0.1:5000') }}
  no_log: true
"""

RETURN = r"""
_raw:
  description: One login.
  type: dict
  contains:
    username:
      description: User name for C(docker login) (C(AWS) on ECR).
      type: str
      sample: AWS
    password:
      description: Password for C(docker login), valid until RV(_raw.expires_at). Never log it.
      type: str
    registry:
      description: Registry host the login is for (the token's proxy endpoint without its scheme).
      type: str
      sample: 123456789012.dkr.ecr.eu-west-1.amazonaws.com
    expires_at:
      description: When the login expires, ISO 8601 with time zone; empty when ECR does not say.
      type: str
      sample: "2025-01-01T12:00:00+00:00"
    region:
      description: The region the login was asked in (after the fallbacks), for the calls that follow.
      type: str
      sample: eu-west-1
    error:
      description: >-
        What went wrong and how to fix it; only with O(on_error=return) and a failure (the other keys are
        empty then).
      type: str
    error_kind:
      description: >-
        C(region), C(credentials), C(profile), C(endpoint), C(rejected) (credentials not accepted),
        C(denied) (no permission), C(usage) or C(other); only with O(on_error=return) and a failure.
      type: str
"""

import base64
import binascii
import datetime
import os
from urllib.parse import urlsplit

from ansible.errors import AnsibleError
from ansible.plugins.lookup import LookupBase

try:
    import boto3
    import botocore.config
    import botocore.exceptions as boto_errors
except ImportError:  # pragma: no cover - tested through the error message
    boto3 = None

CREDENTIAL_HINT = (
    "export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, name a profile (AWS_PROFILE), give the keys "
    "explicitly, or run where a role is available (OIDC web identity in CI, an instance or task role)"
)
REGION_HINT = "set AWS_REGION (or AWS_DEFAULT_REGION), name it explicitly, or use a profile that has a region"
# Error codes meaning "these credentials are not accepted", as opposed to a missing permission.
BAD_CREDENTIAL_CODES = {
    "UnrecognizedClientException", "InvalidClientTokenId", "InvalidSignatureException", "SignatureDoesNotMatch",
    "ExpiredToken", "ExpiredTokenException", "RequestExpired", "AuthFailure",
}


def registry_host(proxy_endpoint):
    """The host[:port] of a proxy endpoint (C(https://1234.dkr.ecr.eu-west-1.amazonaws.com) -> the host)."""
    endpoint = str(proxy_endpoint or "").strip()
    if not endpoint:
        raise ValueError("ECR returned no proxy endpoint for the registry")
    parts = urlsplit(endpoint if "://" in endpoint else "https://" + endpoint)
    if not parts.netloc:
        raise ValueError(f"ECR returned a proxy endpoint that is not a URL: '{endpoint}'")
    return parts.netloc


def decode_token(token):
    """Split a base64 C(user:password) authorization token; raise ValueError without echoing it."""
    try:
        text = base64.b64decode(str(token or ""), validate=True).decode("utf-8")
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise ValueError("ECR returned an authorization token that is not base64 user:password") from None
    username, sep, password = text.partition(":")
    if not sep or not username or not password:
        raise ValueError("ECR returned an authorization token that is not base64 user:password")
    return username, password


def expires_text(value):
    """ISO 8601 text of an expiry given as datetime, epoch seconds or text; empty when unknown."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=datetime.UTC)
        return value.isoformat()
    if isinstance(value, (int, float)):
        return datetime.datetime.fromtimestamp(value, tz=datetime.UTC).isoformat()
    return str(value)


def parse_authorization(response):
    """The login of a C(GetAuthorizationToken) response: username, password, registry, expires_at."""
    data = (response or {}).get("authorizationData") or []
    if not data:
        raise ValueError("ECR returned no authorization data")
    first = data[0]
    username, password = decode_token(first.get("authorizationToken"))
    return {
        "username": username,
        "password": password,
        "registry": registry_host(first.get("proxyEndpoint")),
        "expires_at": expires_text(first.get("expiresAt")),
    }


def choose_region(region="", environ=None, profile_region=None):
    """The region to use: explicit, then AWS_REGION, AWS_DEFAULT_REGION, then the profile's; "" when none."""
    environ = os.environ if environ is None else environ
    for candidate in (region, environ.get("AWS_REGION"), environ.get("AWS_DEFAULT_REGION"), profile_region):
        if candidate and str(candidate).strip():
            return str(candidate).strip()
    return ""


class LoginError(Exception):
    """A failed login, with its kind (see RETURN's error_kind) and a message that never holds a secret."""

    def __init__(self, kind, message):
        super().__init__(message)
        self.kind = kind


def explain(error, endpoint="", region="", profile=""):
    """(kind, message) for a boto3/botocore exception: what went wrong and what to do, in one sentence."""
    name = type(error).__name__
    where = endpoint or (f"ECR in {region}" if region else "ECR")
    if name == "NoRegionError":
        return "region", f"No AWS region is set: {REGION_HINT}."
    if name in ("NoCredentialsError", "PartialCredentialsError", "CredentialRetrievalError"):
        detail = "" if name == "NoCredentialsError" else f" ({error})"
        return "credentials", f"No usable AWS credentials were found{detail}: {CREDENTIAL_HINT}."
    if name == "ProfileNotFound":
        return "profile", (f"The AWS profile '{profile}' is not defined in ~/.aws/config or ~/.aws/credentials: "
                           "create it (aws configure --profile NAME) or name another one.")
    if name in ("EndpointConnectionError", "ConnectTimeoutError", "ProxyConnectionError", "ConnectionClosedError",
                "ReadTimeoutError", "SSLError", "HTTPClientError"):
        return "endpoint", (f"The ECR API at {where} cannot be reached ({error}): check the network, a proxy, the "
                            "region, and AWS_ENDPOINT_URL or the endpoint given.")
    if name in ("SSOTokenLoadError", "UnauthorizedSSOTokenError", "TokenRetrievalError"):
        return "credentials", f"The AWS SSO login has expired or is missing ({error}): run 'aws sso login' again."
    if name == "InvalidRegionError":
        return "region", f"'{region}' is not a valid AWS region name: use one like eu-west-1."
    if name == "ClientError":
        err = getattr(error, "response", {}).get("Error", {})
        code, message = err.get("Code", "?"), err.get("Message", str(error))
        if code in BAD_CREDENTIAL_CODES:
            return "rejected", (f"AWS does not accept the credentials ({code}: {message}): check that the access key "
                                "and secret belong together and are active; renew temporary ones.")
        if code in ("AccessDeniedException", "AccessDenied"):
            return "denied", (f"The credentials may not log into ECR ({code}: {message}): grant "
                              "ecr:GetAuthorizationToken to the user or role.")
        return "other", f"ECR refused GetAuthorizationToken at {where} ({code}: {message})."
    return "other", f"Getting an ECR login failed ({name}: {error})."


def get_login(region="", profile="", endpoint_url="", access_key="", secret_key="", session_token="",
              registry_id="", timeout=20, environ=None):
    """Call GetAuthorizationToken and return the parsed login; raise LoginError with a clear message."""
    environ = os.environ if environ is None else environ
    if boto3 is None:
        raise LoginError("usage", "The ecr_login lookup needs boto3 on the controller: pip install boto3.")
    if bool(access_key) != bool(secret_key):
        raise LoginError("credentials", "Give both an AWS access key id and its secret access key, or neither.")
    chosen = region
    try:
        session = boto3.session.Session(
            profile_name=profile or None,
            aws_access_key_id=access_key or None,
            aws_secret_access_key=secret_key or None,
            aws_session_token=session_token or None,
        )
        chosen = choose_region(region, environ=environ, profile_region=session.region_name)
        if not chosen:
            raise LoginError("region", f"No AWS region is set: {REGION_HINT}.")
        config = botocore.config.Config(connect_timeout=timeout, read_timeout=timeout)
        client = session.client("ecr", region_name=chosen, endpoint_url=endpoint_url or None, config=config)
        kwargs = {"registryIds": [str(registry_id)]} if registry_id else {}
        response = client.get_authorization_token(**kwargs)
    except (boto_errors.BotoCoreError, boto_errors.ClientError) as err:
        endpoint = endpoint_url or environ.get("AWS_ENDPOINT_URL_ECR") or environ.get("AWS_ENDPOINT_URL") or ""
        raise LoginError(*explain(err, endpoint=endpoint, region=chosen, profile=profile)) from None
    try:
        return {**parse_authorization(response), "region": chosen}
    except ValueError as err:
        raise LoginError("other", f"{err}: is the endpoint really ECR's?") from None


def failed_login(error):
    """The lookup's answer for a failure when errors are returned rather than raised."""
    return {"username": "", "password": "", "registry": "", "expires_at": "", "region": "", "error": str(error),
            "error_kind": getattr(error, "kind", "other")}


class LookupModule(LookupBase):
    def run(self, terms, variables=None, **kwargs):
        self.set_options(var_options=variables, direct=kwargs)
        if terms:
            raise AnsibleError("ecr_login takes keyword options only, e.g. "
                               "lookup('dockwright.toolkit.ecr_login', region='eu-west-1')")
        options = {name: self.get_option(name) for name in (
            "region", "profile", "endpoint_url", "access_key", "secret_key", "session_token", "registry_id")}
        options = {name: str(value or "").strip() for name, value in options.items()}
        try:
            return [get_login(timeout=int(self.get_option("timeout")), **options)]
        except LoginError as err:
            if self.get_option("on_error") == "return":
                return [failed_login(err)]
            raise AnsibleError(str(err)) from None
