"""Unit tests of plugins/module_utils/aws_client.py: the retry policy of every client the modules make, against an
endpoint that throttles and fails as scripted (tests/servers.py), which moto never does. Pauses are skipped."""

import re
import time
from pathlib import Path

import boto3
import botocore.config
import pytest
from ansible_collections.amazon.aws.plugins.module_utils.retries import RetryingBotoClientWrapper
from ansible_collections.dockwright.toolkit.plugins.module_utils import aws_client
from botocore.exceptions import BotoCoreError, ClientError
from conftest import DUMMY_KEY_ID, DUMMY_SECRET, REGION
from servers import scripted_aws

MODULES = Path(aws_client.__file__).resolve().parent.parent / "modules"
THROTTLED = (400, "ThrottlingException")
PAGES = [{"jobSummaryList": [{"jobId": "one", "jobName": "one"}], "nextToken": "next"},
         {"jobSummaryList": [{"jobId": "two", "jobName": "two"}]}]
SUBMITTED = {"jobId": "job-1", "jobName": "train", "jobArn": f"arn:aws:batch:{REGION}:123456789012:job/job-1"}
SUBMIT = {"jobName": "train", "jobQueue": "queue", "jobDefinition": "iris"}


@pytest.fixture(autouse=True)
def no_pauses(monkeypatch):
    """botocore's and amazon.aws's backoff sleep through time.sleep: the tests count attempts, not seconds."""
    monkeypatch.setattr(time, "sleep", lambda seconds: None)


def client(url, config, retry=None):
    """A Batch client as AnsibleAWSModule.client makes it from aws_client's options: botocore's config, and
    amazon.aws's wrapper with the retry decorator (for calls made with aws_retry=True)."""
    made = boto3.client("batch", endpoint_url=url, region_name=REGION, aws_access_key_id=DUMMY_KEY_ID,
                        aws_secret_access_key=DUMMY_SECRET, config=config)
    return made if retry is None else RetryingBotoClientWrapper(made, retry)


def module_client(url, idempotent=True):
    options = aws_client.client_options(idempotent)
    return client(url, options["config"], options["retry_decorator"])


def job_ids(batch):
    pages = batch.get_paginator("list_jobs").paginate(jobQueue="queue")
    return [job["jobId"] for page in pages for job in page["jobSummaryList"]]


def test_a_paginator_outlasts_more_throttling_than_botocores_default():
    """Paginators never pass through amazon.aws's decorator: the client's own policy is all they get."""
    failures = {"listjobs": [None] + [THROTTLED] * 6}
    with scripted_aws(failures, {"listjobs": PAGES}) as aws:
        assert job_ids(module_client(aws.url)) == ["one", "two"]
        assert len(aws.requests) == 8
    with scripted_aws(failures, {"listjobs": PAGES}) as aws, pytest.raises(ClientError, match="ThrottlingException"):
        job_ids(client(aws.url, botocore.config.Config()))  # botocore's default gives up after 5 attempts


def test_a_throttled_call_is_resent_on_amazon_aws_backoff_too():
    """Calls made with aws_retry=True outlast throttling longer than botocore's attempts, ThrottlingException (the
    code Batch answers, which amazon.aws's own list lacks) included."""
    with scripted_aws({"describejobs": [THROTTLED] * 12}, {"describejobs": [{"jobs": []}]}) as aws:
        assert module_client(aws.url).describe_jobs(jobs=["one"], aws_retry=True)["jobs"] == []
        assert len(aws.requests) == 13


@pytest.mark.parametrize("failure", [(500, "ServerException"), (503, "ServiceUnavailable"), "drop"])
def test_submit_job_is_not_sent_again_after_a_failure_that_may_have_started_the_job(failure):
    """SubmitJob has no client token: after a server error or a lost connection the job may exist, and a second
    submission would start a second one."""
    with scripted_aws({"submitjob": [failure]}, {"submitjob": [SUBMITTED]}) as aws:
        with pytest.raises((ClientError, BotoCoreError)):
            module_client(aws.url, idempotent=False).submit_job(aws_retry=True, **SUBMIT)
        assert [operation for operation, _body in aws.requests] == ["submitjob"]
    # What every other call gets, and what submit_job got before: the failure resent.
    with scripted_aws({"submitjob": [failure]}, {"submitjob": [SUBMITTED]}) as aws:
        assert module_client(aws.url).submit_job(aws_retry=True, **SUBMIT)["jobId"] == "job-1"
        assert len(aws.requests) == 2


def test_a_throttled_submit_job_is_sent_again():
    """Throttling means Batch refused the request before acting on it: sending it again starts one job."""
    failures = {"submitjob": [THROTTLED, (429, "TooManyRequestsException"), (429, "ClientException")]}
    with scripted_aws(failures, {"submitjob": [SUBMITTED]}) as aws:
        assert module_client(aws.url, idempotent=False).submit_job(aws_retry=True, **SUBMIT)["jobId"] == "job-1"
        assert len(aws.requests) == 4


def test_client_options():
    options = aws_client.client_options()
    assert options["config"].retries == {"mode": "standard", "total_max_attempts": 10}
    assert aws_client.client_options(idempotent=False)["config"].retries == {"mode": "standard",
                                                                            "total_max_attempts": 1}


@pytest.mark.parametrize("path", sorted(MODULES.glob("*.py")), ids=lambda path: path.name)
def test_every_module_makes_its_clients_with_the_policy(path):
    """No module makes a client of its own (module.client, boto3.client), so none goes without the policy."""
    text = path.read_text()
    assert not re.search(r"\b(module|boto3)\.client\(", text)
    if "AnsibleAWSModule(" in text:
        assert "aws_client(module, " in text
