# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""Every AWS client of dockwright's modules, made one way: amazon.aws's connection (options, environment fallbacks,
profile, endpoint) with the retry policy of module_utils/aws.py, so that no call (paginators and waiters included)
goes out without it."""

from __future__ import annotations

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.dockwright.toolkit.plugins.module_utils.aws import (
    THROTTLING_CODES,
    client_config,
    is_throttled,
)

# Attempts after the first of a call made with aws_retry=True (amazon.aws's jittered backoff, on top of botocore's).
RETRIES = 10


class ThrottlingRetry(AWSRetry):
    """amazon.aws's backoff, resending a call on throttling alone (for calls that are not idempotent)."""

    @staticmethod
    def status_code_from_exception(error):
        return (error.response.get("Error", {}).get("Code"),
                error.response.get("ResponseMetadata", {}).get("HTTPStatusCode"))

    @staticmethod
    def found(response_code, catch_extra_error_codes=None):
        return is_throttled(*response_code)


def retry_decorator(idempotent=True, delay=3):
    """The decorator of calls made with aws_retry=True: amazon.aws's jittered backoff (on its codes and every
    throttling code), on throttling alone for calls that are not idempotent."""
    if idempotent:
        return AWSRetry.jittered_backoff(retries=RETRIES, delay=delay, catch_extra_error_codes=list(THROTTLING_CODES))
    return ThrottlingRetry.jittered_backoff(retries=RETRIES, delay=delay)


def client_options(idempotent=True):
    """What AnsibleAWSModule.client takes besides the service: the retry decorator and botocore's config."""
    import botocore.config  # here: AnsibleAWSModule reports a missing botocore before any client is made

    return {"retry_decorator": retry_decorator(idempotent),
            "config": botocore.config.Config(**client_config(idempotent))}


def aws_client(module, service, idempotent=True, **params):
    """A client of C(service) for an AnsibleAWSModule: botocore's standard retry mode for every call, amazon.aws's
    backoff for calls made with aws_retry=True. With idempotent=False, a call is sent again only when it was
    throttled: a server error or a lost connection may come after AWS acted (Batch's SubmitJob has no client token,
    and a second one would start a second job). params go to the client as they are (region="eu-west-1")."""
    # The access key id is half of a credential (an AwsConfig.ini's, say), which amazon.aws's options do not mark
    # no_log: masked in everything the module returns, its arguments shown at -vvv included.
    if module.params.get("access_key"):
        module.no_log_values.add(module.params["access_key"])
    return module.client(service, **client_options(idempotent), **params)
