# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""Ask AWS ECR for a registry login (user name, password, registry host) with boto3's standard credential chain."""

from __future__ import annotations

DOCUMENTATION = r"""
name: ecr_login
short_description: Get a Docker login for an AWS ECR registry (GetAuthorizationToken)
description:
  - Calls ECR's C(GetAuthorizationToken) and returns the user name and password that C(docker login) takes, the
    registry host they are good for and when they expire (ECR tokens last 12 hours).
  - The connection is amazon.aws's (its lookup base, its options and environment fallbacks, its retries of
    throttled calls), with the retry policy of dockwright's modules (botocore's standard mode, and amazon.aws's
    backoff on every throttling code). Credentials follow boto3's standard chain unless given here; keys given
    explicitly (say from an older tool's AwsConfig.ini) win over a profile and over keys from the environment, a
    profile given explicitly wins over keys from the environment; a profile and keys both given explicitly are
    refused.
    Then C(AWS_PROFILE), C(AWS_ACCESS_KEY_ID)/C(AWS_SECRET_ACCESS_KEY), the shared files, SSO, web identity (OIDC
    in CI) and instance or container roles.
  - The region is O(region), else C(AWS_REGION), else C(AWS_DEFAULT_REGION), else the profile's region.
  - The endpoint is O(endpoint_url), else C(AWS_URL), C(AWS_ENDPOINT_URL_ECR) or C(AWS_ENDPOINT_URL) (the last two
    honoured by boto3 itself), else the regional AWS endpoint.
  - The call has no side effect, so it doubles as a check that region, credentials and endpoint work.
  - Failures raise an error saying what is missing or unreachable and how to give it; secrets never appear in
    them. Mark tasks that use the result C(no_log), since the password is a live credential.
options:
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
extends_documentation_fragment:
  - amazon.aws.boto3
  - amazon.aws.common.plugins
  - amazon.aws.region.plugins
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
import sys
from urllib.parse import urlsplit

from ansible.errors import AnsibleError
from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.plugin_utils.lookup import AWSLookupBase
from ansible_collections.dockwright.toolkit.plugins.module_utils.aws import THROTTLING_CODES, client_config

try:
    import botocore.config
    from botocore.exceptions import (
        BotoCoreError,
        ClientError,
        CredentialRetrievalError,
        HTTPClientError,
        InvalidRegionError,
        NoCredentialsError,
        NoRegionError,
        PartialCredentialsError,
        ProfileNotFound,
        SSOError,
        TokenRetrievalError,
    )
    from botocore.exceptions import ConnectionError as BotoConnectionError

    BOTO_ERRORS: tuple = (BotoCoreError, ClientError)
except ImportError:  # pragma: no cover - AWSLookupBase reports a missing boto3/botocore
    BOTO_ERRORS = ()

CREDENTIAL_HINT = (
    "export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, name a profile (AWS_PROFILE), give the keys "
    "explicitly, or run where a role is available (OIDC web identity in CI, an instance or task role)"
)
REGION_HINT = "set AWS_REGION (or AWS_DEFAULT_REGION), name it explicitly, or use a profile that has a region"
# Error codes meaning "these credentials are not accepted", as opposed to a missing permission.
BAD_CREDENTIAL_CODES = (
    "UnrecognizedClientException", "InvalidClientTokenId", "InvalidSignatureException", "SignatureDoesNotMatch",
    "ExpiredToken", "ExpiredTokenException", "RequestExpired", "AuthFailure",
)
DENIED_CODES = ("AccessDeniedException", "AccessDenied")
KEY_OPTIONS = ("access_key", "secret_key", "session_token")
CONNECTION_OPTIONS = ("region", "profile", "endpoint_url", *KEY_OPTIONS)
# The retry policy of dockwright's modules (module_utils/aws.py), kept short: the call is a quick check, and an
# endpoint that does not answer should say so within seconds. botocore's standard mode resends every failure that
# may pass, a few times; amazon.aws's backoff then resends a throttled call (ThrottlingException included).
ATTEMPTS = 4
RETRY = AWSRetry.jittered_backoff(retries=4, delay=1, max_delay=10, catch_extra_error_codes=list(THROTTLING_CODES))


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
    where = endpoint or (f"ECR in {region}" if region else "ECR")
    if isinstance(error, NoRegionError):
        return "region", f"No AWS region is set: {REGION_HINT}."
    if isinstance(error, (NoCredentialsError, PartialCredentialsError, CredentialRetrievalError)):
        detail = "" if isinstance(error, NoCredentialsError) else f" ({error})"
        return "credentials", f"No usable AWS credentials were found{detail}: {CREDENTIAL_HINT}."
    if isinstance(error, ProfileNotFound):
        name = error.kwargs.get("profile") or profile
        return "profile", (f"The AWS profile '{name}' is not defined in ~/.aws/config or ~/.aws/credentials: "
                           "create it (aws configure --profile NAME) or name another one.")
    # ConnectionError: EndpointConnectionError, ConnectTimeoutError, ProxyConnectionError, SSLError;
    # HTTPClientError: ReadTimeoutError, ConnectionClosedError.
    if isinstance(error, (BotoConnectionError, HTTPClientError)):
        return "endpoint", (f"The ECR API at {where} cannot be reached ({error}): check the network, a proxy, the "
                            "region, and AWS_ENDPOINT_URL or the endpoint given.")
    if isinstance(error, (SSOError, TokenRetrievalError)):
        return "credentials", f"The AWS SSO login has expired or is missing ({error}): run 'aws sso login' again."
    if isinstance(error, InvalidRegionError):
        return "region", f"'{region}' is not a valid AWS region name: use one like eu-west-1."
    if isinstance(error, ClientError):
        err = error.response.get("Error", {})
        code, message = err.get("Code", "?"), err.get("Message", str(error))
        if isinstance(error, is_boto3_error_code(BAD_CREDENTIAL_CODES, error)):
            return "rejected", (f"AWS does not accept the credentials ({code}: {message}): check that the access key "
                                "and secret belong together and are active; renew temporary ones.")
        if isinstance(error, is_boto3_error_code(DENIED_CODES, error)):
            return "denied", (f"The credentials may not log into ECR ({code}: {message}): grant "
                              "ecr:GetAuthorizationToken to the user or role.")
        return "other", f"ECR refused GetAuthorizationToken at {where} ({code}: {message})."
    return "other", f"Getting an ECR login failed ({type(error).__name__}: {error})."


def failed_login(error):
    """The lookup's answer for a failure when errors are returned rather than raised."""
    return {"username": "", "password": "", "registry": "", "expires_at": "", "region": "", "error": str(error),
            "error_kind": getattr(error, "kind", "other")}


def _explicit(value, origin):
    """Whether an option was given to the lookup (not taken from the environment, not left empty)."""
    return bool(value) and not str(origin or "").startswith("env")


class LookupModule(AWSLookupBase):
    """amazon.aws's lookup base makes the client (options, environment fallbacks, profile, endpoint, retries); this
    class settles what it leaves open (explicit keys over a profile or keys from the environment, the region's
    fallbacks) and turns every failure into a LoginError of a kind the ecr role maps to its own words."""

    _given_empty = frozenset()  # the connection options given as "" (set by login)

    def fail_aws(self, message, exception=None):
        """amazon.aws reports a client it cannot make through this hook. Its NoRegionError branch passes no
        exception, so the one being handled is taken from sys.exc_info() to tell the kind by class."""
        error = exception or sys.exc_info()[1]
        if BOTO_ERRORS and isinstance(error, BOTO_ERRORS):
            raise LoginError(*explain(error, endpoint=self._endpoint(), region=self.get_option("region") or "",
                                      profile=self.get_option("profile") or ""))
        detail = f" ({type(error).__name__}: {error})" if error else ""
        raise LoginError("usage", f"{message}{detail}.")

    def _endpoint(self):
        """The endpoint the client talks to, for messages."""
        return (self.get_option("endpoint_url") or os.environ.get("AWS_ENDPOINT_URL_ECR")
                or os.environ.get("AWS_ENDPOINT_URL") or "")

    def _option(self, name):
        """An option's value and where it came from; one given empty (as roles do) came from the environment, whatever
        the origin Ansible keeps for it."""
        value, origin = self.get_option_and_origin(name)
        return value, ("env (given empty)" if name in self._given_empty else origin)

    def _settle_credentials(self):
        """Keys given explicitly win over a profile and keys from the environment; a profile given explicitly wins
        over keys from the environment. amazon.aws refuses a profile together with keys, wherever they came from."""
        keys = {name: self._option(name) for name in KEY_OPTIONS}
        profile, profile_origin = self._option("profile")
        if any(_explicit(*pair) for pair in keys.values()):
            if _explicit(profile, profile_origin):
                raise LoginError("usage", "Give either a profile or AWS keys, not both.")
            self.set_option("profile", "")
            for name, (value, origin) in keys.items():
                if value and not _explicit(value, origin):
                    self.set_option(name, "")  # a key from the environment never pairs with one given here
        elif profile and any(value for value, _origin in keys.values()):
            if _explicit(profile, profile_origin):
                for name in KEY_OPTIONS:
                    self.set_option(name, "")
            else:
                self.set_option("profile", "")  # both from the environment: boto3's own order, keys first
        if bool(self.get_option("access_key")) != bool(self.get_option("secret_key")):
            raise LoginError("credentials", "Give both an AWS access key id and its secret access key, or neither.")

    def login(self, variables=None, **options):
        """Set the options, call GetAuthorizationToken and return the parsed login; raise LoginError."""
        self.set_options(var_options=variables or {}, direct=options)
        self._given_empty = {name for name in CONNECTION_OPTIONS if self.get_option(name) == ""}
        for name in self._given_empty:
            self.set_option(name, None)  # given empty (as roles do): the environment and boto3's chain decide
        self._settle_credentials()
        region = choose_region(self.get_option("region") or "", profile_region=self.region)
        if region:
            self.set_option("region", region)
        timeout = int(self.get_option("timeout"))
        config = botocore.config.Config(connect_timeout=timeout, read_timeout=timeout,
                                        **client_config(attempts=ATTEMPTS))
        client = self.client("ecr", RETRY, config=config)  # a failure comes back through fail_aws
        registry_id = str(self.get_option("registry_id") or "").strip()
        kwargs = {"registryIds": [registry_id]} if registry_id else {}
        try:
            response = client.get_authorization_token(aws_retry=True, **kwargs)
        except BOTO_ERRORS as err:
            raise LoginError(*explain(err, endpoint=self._endpoint(), region=client.meta.region_name,
                                      profile=self.get_option("profile") or "")) from None
        try:
            return {**parse_authorization(response), "region": client.meta.region_name}
        except ValueError as err:
            raise LoginError("other", f"{err}: is the endpoint really ECR's?") from None

    def run(self, terms, variables=None, **kwargs):
        self.require_aws_sdk()
        if terms:
            raise AnsibleError("ecr_login takes keyword options only, e.g. "
                               "lookup('dockwright.toolkit.ecr_login', region='eu-west-1')")
        try:
            return [self.login(variables, **kwargs)]
        except LoginError as err:  # raised after the options are set
            if self.get_option("on_error") == "return":
                return [failed_login(err)]
            raise AnsibleError(str(err)) from None
