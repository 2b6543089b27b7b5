"""The dockwright.toolkit.batch_lambda_environment module through ansible-playbook against the moto server, with an
AwsProxy in front of it where Lambda behaves as moto does not: variables it cannot decrypt, an update still
running, a RevisionId that no longer matches. (The batch_environment role's tests run it plainly.)"""

from __future__ import annotations

import io
import json
import uuid
import zipfile
from pathlib import Path

import pytest
from conftest import BATCH_TRUST, REGION, recap
from servers import aws_proxy

pytestmark = pytest.mark.batch_environment

OTHERS = {"API_TOKEN": "s3cr3t-token", "JOB_QUEUE": "old-queue"}


@pytest.fixture
def function(boto):
    """A Lambda function with variables of its own (moto creates it without running it); yields its name."""
    name = f"dw-lambda-{uuid.uuid4().hex[:8]}"
    role = boto("iam").create_role(RoleName=name, AssumeRolePolicyDocument=BATCH_TRUST)["Role"]["Arn"]
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("submit.py", "def handler(event, context):\n    return None\n")
    boto("lambda").create_function(FunctionName=name, Runtime="python3.11", Role=role, Handler="submit.handler",
                                   Code={"ZipFile": archive.getvalue()}, Environment={"Variables": OTHERS})
    yield name
    boto("lambda").delete_function(FunctionName=name)


def variables(boto, name: str) -> dict[str, str]:
    return boto("lambda").get_function_configuration(FunctionName=name)["Environment"]["Variables"]


def point(aws_playbook, tmp_path: Path, name: str, url: str, check: bool | None = True):
    """Runs the module once (JOB_QUEUE=dw-queue) with AWS_ENDPOINT_URL=url; returns the run."""
    play = {"name": "Point the function at the queue", "hosts": "localhost", "connection": "local",
            "gather_facts": False, "vars": {"ansible_python_interpreter": "{{ ansible_playbook_python }}"},
            "tasks": [{"name": "Set the function's variables", "dockwright.toolkit.batch_lambda_environment": {
                "name": name, "region": REGION, "variables": {"JOB_QUEUE": "dw-queue"}}}]}
    path = tmp_path / "lambda.yml"
    path.write_text(json.dumps([play]))
    return aws_playbook(str(path), env={"AWS_ENDPOINT_URL": url}, check=check, timeout=300)


def is_configuration(request: dict, method: str) -> bool:
    return request["method"] == method and request["path"].split("?")[0].endswith("/configuration")


def test_variables_lambda_cannot_decrypt_are_not_overwritten(aws_playbook, boto, moto, function, tmp_path):
    """Lambda answers Environment.Error and no Variables when it cannot decrypt them: the module fails, writing
    nothing, instead of writing back JOB_QUEUE alone (which would delete API_TOKEN)."""
    updates = []

    def undecryptable(request, answer):
        status, document = answer
        if is_configuration(request, "GET") and status == 200:
            document["Environment"] = {"Error": {"ErrorCode": "KMSAccessDeniedException",
                                                 "Message": "Lambda was unable to decrypt the environment variables"}}
            return status, document
        return None

    def record(request):
        if is_configuration(request, "PUT"):
            updates.append(request["body"])
        return None

    with aws_proxy(moto, answer=record, rewrite=undecryptable) as url:
        run = point(aws_playbook, tmp_path, function, url, check=False)
    assert (f"Lambda cannot read the environment variables of function {function} (KMSAccessDeniedException: Lambda"
            " was unable to decrypt the environment variables), so they cannot be kept") in run.flat
    assert updates == []
    assert variables(boto, function) == OTHERS


def test_the_function_is_read_once_its_running_update_is_over(aws_playbook, boto, moto, function, tmp_path):
    """The first read finds an update in progress (and the variables from before it): the module waits, reads again
    and keeps the variable that update added."""
    boto("lambda").update_function_configuration(FunctionName=function,
                                                 Environment={"Variables": {**OTHERS, "ADDED": "meanwhile"}})
    reads = []

    def in_progress_first(request, answer):
        status, document = answer
        if is_configuration(request, "GET") and status == 200:
            reads.append(document.get("RevisionId"))
            if len(reads) == 1:
                document.update(LastUpdateStatus="InProgress", Environment={"Variables": OTHERS})
                return status, document
        return None

    with aws_proxy(moto, rewrite=in_progress_first) as url:
        run = point(aws_playbook, tmp_path, function, url)
    assert recap(run.output)["changed"] == 1
    assert len(reads) >= 3  # the first read, the waiter's, the read after it
    assert variables(boto, function) == {**OTHERS, "ADDED": "meanwhile", "JOB_QUEUE": "dw-queue"}


def test_the_revision_read_is_sent_and_a_refused_update_is_read_again(aws_playbook, boto, moto, function, tmp_path):
    """Every update carries the RevisionId read; one Lambda refuses (the function changed in between) is read
    again and sent again. (moto's get_function_configuration has no RevisionId: the proxy adds one.)"""
    revision = str(uuid.uuid4())
    updates = []

    def with_revision(request, answer):
        status, document = answer
        if is_configuration(request, "GET") and status == 200:
            return status, {**document, "RevisionId": revision}
        return None

    def refuse_the_first(request):
        if is_configuration(request, "PUT"):
            updates.append(request["body"])
            if len(updates) == 1:
                return 412, {"__type": "PreconditionFailedException", "Type": "User",
                             "message": "The Revision Id provided does not match the latest Revision Id."}
        return None

    with aws_proxy(moto, answer=refuse_the_first, rewrite=with_revision) as url:
        run = point(aws_playbook, tmp_path, function, url)
    assert recap(run.output)["changed"] == 1
    assert [body.get("RevisionId") for body in updates] == [revision, revision]
    assert updates[-1]["Environment"] == {"Variables": {**OTHERS, "JOB_QUEUE": "dw-queue"}}
    assert variables(boto, function) == {**OTHERS, "JOB_QUEUE": "dw-queue"}

    with aws_proxy(moto, answer=refuse_the_first, rewrite=with_revision) as url:
        rerun = point(aws_playbook, tmp_path, function, url)
    assert recap(rerun.output)["changed"] == 0 and len(updates) == 2
