import pytest
from ansible_collections.dockwright.toolkit.plugins.module_utils.batch_job_logs import (
    attempt_header,
    attempt_streams,
    cancel_action,
    check_job_id,
    control_errors,
    following_note,
    interrupted_message,
    job_id_errors,
    status_note,
)

ID = "4b5f7c1e-1d2f-4b8a-9f5e-0c1d2e3f4a5b"
ARN = f"arn:aws:batch:eu-west-1:123456789012:job/{ID}"


@pytest.mark.parametrize("value, expected", [
    (ID, ID), (ID.upper(), ID.upper()), (f" {ID} ", ID), (f"{ID}:7", f"{ID}:7"), (f"{ID}#0", f"{ID}#0"),
    (ARN, ID), (f"arn:aws-cn:batch:cn-north-1:123456789012:job/{ID}:3", f"{ID}:3"),
])
def test_job_ids_taken(value, expected):
    assert job_id_errors(value) == []
    assert check_job_id(value) == expected


@pytest.mark.parametrize("value, fragment", [
    ("", "job_id is empty; give the id of a Batch job"),
    (None, "job_id is empty"),
    ("not-a-job", "job_id 'not-a-job' is not a Batch job id"),
    (f"{ID}:x", "is not a Batch job id"),
    (f"{ID}; rm -rf /", "is not a Batch job id"),
    (ID[:-1], "is not a Batch job id"),
    ("arn:aws:batch:eu-west-1:123456789012:job/nope", "is not a Batch job id"),
    ("arn:aws:batch:eu-west-1:123456789012:job-queue/q", "is not a Batch job id"),
])
def test_job_ids_refused(value, fragment):
    [error] = job_id_errors(value)
    assert fragment in error
    with pytest.raises(ValueError, match="job_id"):
        check_job_id(value)


def test_job_id_errors_name_the_variable():
    assert job_id_errors("x", "batch_job_control_job_id")[0].startswith("batch_job_control_job_id 'x' is not")


GOOD = {"action": "logs", "job_id": ID, "timeout": 3600, "poll_interval": "5", "log_wait": 0, "log_tail": 1000,
        "reason": "Cancelled with make cancel"}


@pytest.mark.parametrize("settings", [GOOD, {**GOOD, "action": "cancel"}, {**GOOD, "reason": ""}])
def test_control_fine(settings):
    assert control_errors(settings) == []


@pytest.mark.parametrize("change, fragment", [
    ({"action": "tail"}, "action 'tail' is neither logs nor cancel."),
    ({"job_id": "x"}, "job_id 'x' is not a Batch job id"),
    ({"timeout": 0}, "timeout is seconds, 1 or more (not '0')."),
    ({"poll_interval": "soon"}, "poll_interval is seconds, 1 or more"),
    ({"log_wait": -1}, "log_wait is seconds, 0 or more"),
    ({"log_tail": True}, "log_tail is a number of lines, 1 or more"),
    ({"timeout": 1.5}, "timeout is seconds"),
    ({"action": "cancel", "reason": " "}, "reason is empty: Batch wants a reason"),
    ({"reason": "x" * 1025}, "reason is 1025 characters long; Batch takes up to 1024."),
])
def test_control_problems(change, fragment):
    errors = control_errors({**GOOD, **change}, {"timeout": "batch_job_control_timeout"})
    assert len(errors) == 1 and fragment in errors[0], errors


def test_control_names():
    assert control_errors({**GOOD, "timeout": 0}, {"timeout": "T"}) == ["T is seconds, 1 or more (not '0')."]


@pytest.mark.parametrize("job, streams", [
    ({}, []),
    ({"container": {"logStreamName": "d/default/1"}}, ["d/default/1"]),
    # An ended attempt, then the one that runs: in order.
    ({"attempts": [{"container": {"logStreamName": "a1"}}], "container": {"logStreamName": "a2"}}, ["a1", "a2"]),
    # Ended: the container's stream is the last attempt's, once; attempts without a stream are left out.
    ({"attempts": [{"container": {"logStreamName": "a1"}}, {"container": {}}, {"container": {"logStreamName": "a2"}}],
      "container": {"logStreamName": "a2"}}, ["a1", "a2"]),
    # moto: a running attempt with no stream yet (None).
    ({"attempts": [{"container": {"logStreamName": None}}], "container": {}}, []),
    ({"attempts": [None, {}], "container": None}, []),
])
def test_attempt_streams(job, streams):
    assert attempt_streams(job) == streams


def test_lines_told():
    job = {"jobName": "train", "jobId": ID, "status": "RUNNABLE"}
    assert attempt_header(job, 2, "/aws/batch/job", "s/2") == f"--- train ({ID}), attempt 2: /aws/batch/job s/2"
    assert following_note(job, "q") == (f"Following Batch job train ({ID}) on queue q; Ctrl-C stops following, the"
                                        " job keeps running.")
    assert following_note(job) == f"Following Batch job train ({ID}); Ctrl-C stops following, the job keeps running."
    assert status_note(job) == f"Job train ({ID}) is RUNNABLE."
    assert status_note({}) == "Job job (no id) is UNKNOWN."


def test_interrupted_message_says_how_to_go_on():
    message = interrupted_message(ID, "train")
    assert message.splitlines() == [
        f"Stopped following Batch job train ({ID}): the job keeps running in AWS Batch.",
        f"  Follow it again:  make logs JOB_ID={ID}",
        f"  Cancel it:        make cancel JOB_ID={ID}"]
    assert interrupted_message(ID).startswith(f"Stopped following Batch job {ID}: ")


@pytest.mark.parametrize("status, action", [
    ("SUBMITTED", "cancel"), ("PENDING", "cancel"), ("RUNNABLE", "cancel"),
    ("STARTING", "terminate"), ("RUNNING", "terminate"), ("SUCCEEDED", None), ("FAILED", None),
])
def test_cancel_action(status, action):
    assert cancel_action(status) == action


def test_cancel_action_of_an_unknown_status():
    with pytest.raises(ValueError, match="unknown Batch job status 'LOST'"):
        cancel_action("LOST")


def test_a_failure_does_not_repeat_lines_shown_as_they_came():
    from ansible_collections.dockwright.toolkit.plugins.module_utils.batch_job import failure_message

    outcome = {"job_name": "train", "job_id": "1", "status": "FAILED", "exit_code": 3, "log_stream_name": "s/1"}
    assert failure_message(outcome, ["a", "b"], shown=True) == (
        "Batch job train (1) FAILED: exit code 3.\nIts log lines are above (/aws/batch/job s/1).")
    assert failure_message(outcome, [], shown=True).endswith("FAILED: exit code 3.\nThe job wrote no log lines.")
    assert failure_message(outcome, ["a", "b"]).endswith("Log lines (/aws/batch/job s/1):\na\nb")
