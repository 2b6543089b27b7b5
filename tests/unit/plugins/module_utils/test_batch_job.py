import pytest
from ansible_collections.dockwright.toolkit.plugins.module_utils.batch_job import (
    JOB_VISIBLE_WITHIN,
    build_submit_request,
    check_queue,
    failure_message,
    job_outcome,
    log_lines,
    log_target,
    log_warning,
    lost_message,
    not_yet_described,
    number_text,
    submit_errors,
)

ARN_DEF = "arn:aws:batch:eu-west-1:123456789012:job-definition/iris:3"
ARN_QUEUE = "arn:aws:batch:eu-west-1:123456789012:job-queue/dockwright"


@pytest.mark.parametrize("queue", ["dockwright", ARN_QUEUE, "arn:aws-cn:batch:cn-north-1:123456789012:job-queue/q-1"])
def test_valid_queues(queue):
    assert check_queue(queue) == queue


@pytest.mark.parametrize("queue", ["q", "arn:aws:batch:eu-west-1:123:job-queue/short-account", "job-queue/x y"])
def test_invalid_queues(queue):
    with pytest.raises(ValueError):
        check_queue(queue)


@pytest.mark.parametrize("value, text", [(1, "1"), (2.0, "2"), (0.25, "0.25"), ("4096", "4096"), (0.5, "0.5")])
def test_number_text(value, text):
    assert number_text(value) == text


@pytest.mark.parametrize("value", [0, -1, "-2"])
def test_number_text_rejects(value):
    with pytest.raises(ValueError, match="greater than 0"):
        number_text(value)


@pytest.mark.parametrize(
    "options, request_",
    [
        ({}, {"jobName": "train", "jobQueue": "dockwright", "jobDefinition": "iris"}),
        (
            {"parameters": {"epochs": 3, "verbose": True, "name": "x"}},
            {"jobName": "train", "jobQueue": "dockwright", "jobDefinition": "iris",
             "parameters": {"epochs": "3", "name": "x", "verbose": "true"}},
        ),
        (
            {"command": "python train.py", "environment": {"B": 2, "A": "one"}},
            {"jobName": "train", "jobQueue": "dockwright", "jobDefinition": "iris",
             "containerOverrides": {"command": ["python", "train.py"],
                                    "environment": [{"name": "A", "value": "one"}, {"name": "B", "value": "2"}]}},
        ),
        (
            {"vcpus": 2.0, "memory": 4096},
            {"jobName": "train", "jobQueue": "dockwright", "jobDefinition": "iris",
             "containerOverrides": {"resourceRequirements": [{"type": "VCPU", "value": "2"},
                                                             {"type": "MEMORY", "value": "4096"}]}},
        ),
        (
            {"vcpus": 0.25, "memory": 0, "command": [], "environment": {}, "parameters": {}},
            {"jobName": "train", "jobQueue": "dockwright", "jobDefinition": "iris",
             "containerOverrides": {"resourceRequirements": [{"type": "VCPU", "value": "0.25"}]}},
        ),
    ],
)
def test_build_submit_request(options, request_):
    assert build_submit_request("train", "dockwright", "iris", **options) == request_


@pytest.mark.parametrize(
    "args, options, fragment",
    [
        (("t", "dockwright", "iris"), {}, "name 't'"),
        (("train", "q", "iris"), {}, "queue 'q'"),
        (("train", "dockwright", "iris:0"), {}, "job_definition 'iris:0'"),
        (("train", "dockwright", "iris"), {"parameters": {"bad key": 1}}, "parameter name 'bad key'"),
        (("train", "dockwright", "iris"), {"environment": {"1BAD": "x"}}, "environment variable names"),
        (("train", "dockwright", "iris"), {"environment": {"AWS_BATCH_JOB_ID": "x"}}, "reserved by AWS Batch"),
        (("train", "dockwright", "iris"), {"memory": -5}, "greater than 0"),
    ],
)
def test_build_submit_request_rejects(args, options, fragment):
    with pytest.raises(ValueError, match=fragment):
        build_submit_request(*args, **options)


@pytest.mark.parametrize(
    "job, summary, expected",
    [
        # Real Batch: exit code and stream on the container.
        (
            {"jobId": "1", "jobName": "t", "status": "SUCCEEDED", "startedAt": 1000, "stoppedAt": 3500,
             "container": {"exitCode": 0, "logStreamName": "iris/default/abc"}},
            None,
            {"status": "SUCCEEDED", "exit_code": 0, "log_stream_name": "iris/default/abc", "run_seconds": 2.5,
             "status_reason": ""},
        ),
        # Only the latest attempt knows them.
        (
            {"jobId": "1", "jobName": "t", "status": "FAILED", "statusReason": "Essential container in task exited",
             "attempts": [{"container": {"exitCode": 1}},
                          {"container": {"exitCode": 3, "logStreamName": "s2", "reason": "boom"}}]},
            None,
            {"status": "FAILED", "exit_code": 3, "log_stream_name": "s2", "run_seconds": None,
             "status_reason": "Essential container in task exited"},
        ),
        # moto: describe_jobs has no exit code, list_jobs' summary has it.
        (
            {"jobId": "1", "jobName": "t", "status": "FAILED", "container": {"logStreamName": "s"}},
            {"jobId": "1", "container": {"exitCode": 3}},
            {"status": "FAILED", "exit_code": 3, "log_stream_name": "s", "status_reason": ""},
        ),
        # Not started yet.
        (
            {"jobId": "1", "jobName": "t", "status": "RUNNABLE"},
            None,
            {"status": "RUNNABLE", "exit_code": None, "log_stream_name": "", "run_seconds": None},
        ),
        # Exit code 0 from the container wins over the summary.
        (
            {"jobId": "1", "status": "SUCCEEDED", "container": {"exitCode": 0}},
            {"container": {"exitCode": 9}},
            {"exit_code": 0},
        ),
    ],
)
def test_job_outcome(job, summary, expected):
    outcome = job_outcome(job, summary)
    assert {key: outcome[key] for key in expected} == expected


@pytest.mark.parametrize(
    "events, lines",
    [
        ([], []),
        (None, []),
        ([{"timestamp": 2, "message": "second\n"}, {"timestamp": 1, "message": "first"}], ["first", "second"]),
        ([{"timestamp": 1, "message": "a\nb\r\n"}], ["a", "b"]),
        ([{"timestamp": 1, "message": ""}], [""]),
        ([{"timestamp": 1, "ingestionTime": 5, "message": "y"}, {"timestamp": 1, "ingestionTime": 4, "message": "x"}],
         ["x", "y"]),
        ([{"message": "no timestamp"}], ["no timestamp"]),
    ],
)
def test_log_lines(events, lines):
    assert log_lines(events) == lines


FAILED = {"job_name": "train", "job_id": "abc", "status": "FAILED", "exit_code": 3,
          "status_reason": "Essential container in task exited", "log_stream_name": "iris/default/abc"}


@pytest.mark.parametrize(
    "outcome, lines, kwargs, fragments, absent",
    [
        (FAILED, ["starting", "boom"], {},
         ["Batch job train (abc) FAILED: Essential container in task exited, exit code 3.",
          "Log lines (/aws/batch/job iris/default/abc):\nstarting\nboom"], []),
        (FAILED, [str(n) for n in range(30)], {"tail": 5},
         ["Last 5 of 30 log lines", "25\n26\n27\n28\n29"], ["\n24\n"]),
        ({**FAILED, "status_reason": "", "exit_code": None}, [], {}, ["Batch job train (abc) FAILED.",
                                                                      "The job wrote no log lines."], []),
        ({**FAILED, "status": "RUNNING", "log_stream_name": ""}, [], {"timeout": 60},
         ["still RUNNING after 60 s", "terminate-job --job-id abc"], ["no log lines"]),
    ],
)
def test_failure_message(outcome, lines, kwargs, fragments, absent):
    message = failure_message(outcome, lines, **kwargs)
    for fragment in fragments:
        assert fragment in message
    for fragment in absent:
        assert fragment not in message


ROLE_NAMES = {key: f"batch_job_{key}" for key in (
    "queue", "name", "parameters", "command", "environment", "vcpus", "memory", "timeout", "poll_interval")}
ROLE_NAMES["job_definition"] = "batch_job_definition"
GOOD = {"queue": "dw-queue", "job_definition": "iris", "name": "", "parameters": {}, "command": [],
        "environment": {}, "vcpus": 0, "memory": 0, "timeout": 3600, "poll_interval": 5}


@pytest.mark.parametrize("settings", [
    GOOD,
    {**GOOD, "queue": ARN_QUEUE, "job_definition": ARN_DEF, "name": "train-1", "command": "python -c 'x'",
     "environment": {"WHO": "me"}, "parameters": {"word": "hi"}, "vcpus": "0.5", "memory": "512"},
    {**GOOD, "job_definition": "iris:3"},
])
def test_valid_submits(settings):
    assert submit_errors(settings, ROLE_NAMES) == []


@pytest.mark.parametrize("change, fragment", [
    ({"queue": ""}, "batch_job_queue is empty"),
    ({"queue": "bad queue"}, "batch_job_queue 'bad queue' is neither a job queue name nor a job queue ARN"),
    ({"job_definition": ""}, "batch_job_definition is empty"),
    ({"job_definition": "iris:0"}, "batch_job_definition 'iris:0' is neither"),
    ({"name": "x"}, "The job name 'x' (batch_job_name, or the job definition's name)"),
    ({"job_definition": f"{ARN_DEF[:-len('iris:3')]}i:3"}, "The job name 'i'"),
    ({"command": {"run": "x"}}, "batch_job_command must be a list of strings or a string"),
    ({"command": "echo 'open"}, "check its quotes"),
    ({"environment": {"1BAD": "v"}}, "invalid variable names (1BAD)"),
    ({"environment": {"AWS_BATCH_X": "v"}}, "reserved by AWS Batch"),
    ({"parameters": {"a": 1}}, "Parameter names must be 2 to 128"),
    ({"vcpus": -1}, "batch_job_vcpus and batch_job_memory must be 0"),
    ({"memory": "lots"}, "batch_job_vcpus and batch_job_memory must be 0"),
    ({"timeout": 0}, "batch_job_timeout and batch_job_poll_interval are seconds"),
])
def test_invalid_submits(change, fragment):
    errors = submit_errors({**GOOD, **change}, ROLE_NAMES)
    assert any(fragment in error for error in errors), errors


LIMIT_SENTENCE = ("is more than any instance Batch can launch has ({}): a job asking for it would wait forever."
                  " Give less.")


@pytest.mark.parametrize(("settings", "names", "sentences"), [
    pytest.param({**GOOD, "queue": "bad queue",
                  "environment": {"1BAD": 1, "AWS_BATCH_X": 1, "AWS_BATCH_Y": 2, "x-y": 3},
                  "parameters": {"a": 1, "ok": 2, "b": 3}}, ROLE_NAMES,
                 ["batch_job_queue 'bad queue' is neither a job queue name nor a job queue ARN"
                  " (arn:aws:batch:REGION:ACCOUNT:job-queue/NAME).",
                  "batch_job_environment has invalid variable names (1BAD, x-y): use letters, digits and underscores.",
                  "batch_job_environment sets AWS_BATCH_X, AWS_BATCH_Y: names starting with AWS_BATCH are reserved by"
                  " AWS Batch; rename them.",
                  "Parameter names must be 2 to 128 letters, digits, hyphens and underscores: a, b."], id="names"),
    pytest.param({**GOOD, "vcpus": 449, "memory": 24 * 1024 * 1024 + 1}, ROLE_NAMES,
                 [f"batch_job_vcpus 449 {LIMIT_SENTENCE.format('448 vCPUs')}",
                  f"batch_job_memory 25165825 {LIMIT_SENTENCE.format('25165824 MiB')}"], id="above-any-instance"),
    pytest.param({"queue": "q1", "job_definition": "iris", "vcpus": 1000}, None,
                 [f"vcpus 1000 {LIMIT_SENTENCE.format('448 vCPUs')}"], id="module-option-names"),
    pytest.param({**GOOD, "vcpus": "x"}, ROLE_NAMES,
                 ["batch_job_vcpus and batch_job_memory must be 0 (the job definition's) or more."], id="vcpus-text"),
    pytest.param({**GOOD, "memory": -1}, ROLE_NAMES,
                 ["batch_job_vcpus and batch_job_memory must be 0 (the job definition's) or more."], id="memory-below"),
    pytest.param({**GOOD, "timeout": 0.5}, ROLE_NAMES,
                 ["batch_job_timeout and batch_job_poll_interval are seconds, 1 or more."], id="timeout-below"),
    pytest.param({**GOOD, "poll_interval": "x"}, ROLE_NAMES,
                 ["batch_job_timeout and batch_job_poll_interval are seconds, 1 or more."], id="poll-interval-text"),
    pytest.param({}, None, ["queue is empty; give the job queue's name or ARN (role batch_environment makes one).",
                            "job_definition is empty; give a job definition name, name:revision or ARN."],
                 id="nothing"),
])
def test_submit_problems_are_whole_sentences(settings, names, sentences):
    assert submit_errors(settings, names) == sentences


@pytest.mark.parametrize("settings", [
    pytest.param({"queue": "q1", "job_definition": "iris"}, id="defaults"),
    pytest.param({**GOOD, "vcpus": None, "memory": None, "timeout": "1", "poll_interval": 1}, id="smallest"),
    pytest.param({**GOOD, "vcpus": 448, "memory": 24 * 1024 * 1024}, id="largest"),
])
def test_submits_at_the_limits_pass(settings):
    assert submit_errors(settings, ROLE_NAMES) == []


def test_outcome_of_a_described_job():
    job = {"jobId": "j-1", "jobName": "iris", "jobArn": "arn:j-1", "status": "FAILED", "startedAt": 1000,
           "stoppedAt": 3550, "container": {"exitCode": 2, "logStreamName": "iris/default/1", "reason": "c"},
           "attempts": [{"container": {"exitCode": 9, "reason": "first", "logStreamName": "old"}},
                        {"container": {"exitCode": 3, "reason": "last", "logStreamName": "new"}}]}
    assert job_outcome(job) == {"job_id": "j-1", "job_name": "iris", "job_arn": "arn:j-1", "status": "FAILED",
                                "status_reason": "last", "exit_code": 2, "log_stream_name": "iris/default/1",
                                "run_seconds": 2.5}
    del job["container"]
    outcome = job_outcome(job)
    assert (outcome["status_reason"], outcome["exit_code"], outcome["log_stream_name"]) == ("last", 3, "new")
    job["statusReason"] = "Essential container in task exited"
    assert job_outcome(job)["status_reason"] == "Essential container in task exited"


def test_outcome_reason_from_the_container_when_no_attempt_has_one():
    assert job_outcome({"container": {"reason": "OutOfMemoryError"}, "attempts": [{}]})["status_reason"] == \
        "OutOfMemoryError"


def test_outcome_of_a_job_that_says_nothing():
    assert job_outcome({}) == {"job_id": "", "job_name": "", "job_arn": "", "status": "", "status_reason": "",
                               "exit_code": None, "log_stream_name": "", "run_seconds": None}
    assert job_outcome({}, {"container": {"exitCode": 0}})["exit_code"] == 0
    assert job_outcome({"startedAt": 5000, "stoppedAt": 4000})["run_seconds"] is None
    assert job_outcome({"startedAt": 5000, "stoppedAt": 5000})["run_seconds"] == 0.0


def test_log_lines_in_time_order_then_ingestion_order():
    events = [{"timestamp": 2, "ingestionTime": 1, "message": "c\n"},
              {"timestamp": 1, "ingestionTime": 9, "message": "b"},
              {"timestamp": 1, "ingestionTime": 3, "message": "a1\r\na2"}, {"message": ""}, {"timestamp": None}]
    assert log_lines(events) == ["", "", "a1", "a2", "b", "c"]


def test_failure_message_in_full():
    outcome = {"job_name": "iris", "job_id": "j-1", "status": "FAILED", "status_reason": "Essential container exited",
               "exit_code": 1, "log_stream_name": "iris/default/1"}
    assert failure_message(outcome, ["a", "b", "c"], tail=2) == (
        "Batch job iris (j-1) FAILED: Essential container exited, exit code 1.\n"
        "Last 2 of 3 log lines (/aws/batch/job iris/default/1):\nb\nc")
    assert failure_message(outcome, ["a", "b"], tail=2) == (
        "Batch job iris (j-1) FAILED: Essential container exited, exit code 1.\n"
        "Log lines (/aws/batch/job iris/default/1):\na\nb")
    assert failure_message(outcome, ["a", "b"], tail=0).endswith("Log lines (/aws/batch/job iris/default/1):\na\nb")
    assert failure_message({}, []) == "Batch job job (no id) UNKNOWN.\nThe job wrote no log lines."
    assert failure_message({"exit_code": 0, "status": "FAILED"}, []) == \
        "Batch job job (no id) FAILED: exit code 0.\nThe job wrote no log lines."


def test_timeout_message_in_full():
    outcome = {"job_name": "iris", "job_id": "j-1", "status": "RUNNING"}
    assert failure_message(outcome, [], timeout=60) == (
        "Batch job iris (j-1) is still RUNNING after 60 s: it keeps running in AWS Batch. Raise the timeout, follow it"
        " in the console, or stop it with 'aws batch terminate-job --job-id j-1 --reason ...'.")
    assert failure_message({**outcome, "log_stream_name": "s"}, [], timeout=60).endswith(
        "...'.\nThe job wrote no log lines.")


def test_run_seconds_to_a_tenth():
    assert job_outcome({"startedAt": 1000, "stoppedAt": 61000})["run_seconds"] == 60.0


@pytest.mark.parametrize(("events", "lines"), [
    pytest.param([{"timestamp": 1, "ingestionTime": 0, "message": "b"}, {"message": "a"}], ["a", "b"],
                 id="no-timestamp-first"),
    pytest.param([{"timestamp": 5, "ingestionTime": 1, "message": "b"}, {"timestamp": 5, "message": "a"}], ["a", "b"],
                 id="no-ingestion-time-first"),
    pytest.param([{"message": "a  \n"}, {"message": "\nx\n"}, {"message": "XX\r\n"}], ["a  ", "", "x", "XX"],
                 id="only-trailing-line-breaks-go"),
])
def test_log_line_order_and_ends(events, lines):
    assert log_lines(events) == lines


def test_failure_message_shows_the_last_twenty_lines_by_default():
    lines = [str(number) for number in range(25)]
    message = failure_message({"job_name": "iris", "job_id": "j-1", "status": "FAILED"}, lines)
    assert "Last 20 of 25 log lines" in message and message.endswith("\n".join(lines[5:]))
    assert failure_message({"status": "FAILED", "log_stream_name": "s"}, ["a", "b"], tail=1).endswith(
        "Last 1 of 2 log lines (/aws/batch/job s):\nb")


def test_a_job_not_described_yet_is_submitted_for_a_while():
    # describe_jobs may answer [] for a job submit_job just accepted: it is SUBMITTED, not lost (and not resubmitted).
    assert not_yet_described("j-1", "iris", 0.4) == {"jobId": "j-1", "jobName": "iris", "status": "SUBMITTED",
                                                     "statusReason": ""}
    assert not_yet_described("j-1", "iris", JOB_VISIBLE_WITHIN)["status"] == "SUBMITTED"
    assert not_yet_described("j-1", "iris", JOB_VISIBLE_WITHIN + 0.1) is None
    assert job_outcome(not_yet_described("j-1", "iris", 1))["log_stream_name"] == ""
    assert JOB_VISIBLE_WITHIN <= 120, "bounded: a job in the wrong region must still be reported as lost"


def test_a_lost_job_says_not_to_submit_it_again_blindly():
    assert lost_message("j-1", "iris") == (
        f"Batch job iris (j-1) was submitted but describe_jobs has not shown it for {JOB_VISIBLE_WITHIN} s: check the"
        " region and the endpoint. It may run all the same: look for it (aws batch describe-jobs --jobs j-1) before"
        " submitting it again.")


AWSLOGS = {"logDriver": "awslogs", "options": {"awslogs-group": "/dockwright/iris", "awslogs-region": "us-east-1",
                                                "awslogs-stream-prefix": "iris"}}


@pytest.mark.parametrize(("job", "definition", "target"), [
    pytest.param({"container": {"logConfiguration": AWSLOGS}}, None,
                 {"driver": "awslogs", "group": "/dockwright/iris", "region": "us-east-1"}, id="job-group-and-region"),
    pytest.param({"container": {"logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "/g"}}}},
                 None, {"driver": "awslogs", "group": "/g", "region": None}, id="job-group"),
    pytest.param({"container": {}}, {"containerProperties": {"logConfiguration": AWSLOGS}},
                 {"driver": "awslogs", "group": "/dockwright/iris", "region": "us-east-1"}, id="definition-group"),
    pytest.param({"container": {"logConfiguration": {"logDriver": "awslogs", "options": {}}}},
                 {"containerProperties": {"logConfiguration": AWSLOGS}},
                 {"driver": "awslogs", "group": "/aws/batch/job", "region": None}, id="the-job-wins"),
    pytest.param({}, None, {"driver": "awslogs", "group": "/aws/batch/job", "region": None}, id="default"),
    pytest.param({"container": {"logConfiguration": {"logDriver": "splunk", "options": {"splunk-url": "u"}}}}, None,
                 {"driver": "splunk", "group": None, "region": None}, id="not-cloudwatch"),
])
def test_log_target_is_the_jobs_log_configuration(job, definition, target):
    assert log_target(job, definition) == target


def test_log_target_default_group():
    assert log_target({}, None, "/mine")["group"] == "/mine"


def test_a_log_that_cannot_be_read_is_a_warning_with_the_jobs_real_end():
    outcome = {"job_name": "iris", "job_id": "j-1", "status": "SUCCEEDED", "exit_code": 0, "log_stream_name": "s/1"}
    assert log_warning(outcome, "/g", "AccessDeniedException: not authorized to perform logs:GetLogEvents") == (
        "Could not read the log lines of Batch job iris (j-1) from CloudWatch Logs (/g s/1): AccessDeniedException:"
        " not authorized to perform logs:GetLogEvents. The job is SUCCEEDED, exit code 0; the logs do not change that.")
    assert log_warning({"status": "FAILED"}, "/g", "x").endswith("(/g no stream): x. The job is FAILED; the logs do"
                                                                 " not change that.")


def test_failure_message_names_the_group_and_every_line_written():
    outcome = {"job_name": "iris", "job_id": "j-1", "status": "FAILED", "exit_code": 2, "log_stream_name": "s/1"}
    message = failure_message(outcome, ["998", "999"], log_group="/dockwright/iris", total=1000)
    assert message.endswith("Last 2 of 1000 log lines (/dockwright/iris s/1):\n998\n999")
    assert failure_message(outcome, ["a"], total=1).endswith("Log lines (/aws/batch/job s/1):\na")


@pytest.mark.parametrize(("change", "sentence"), [
    ({"log_wait": -1}, "batch_job_log_wait is seconds, 0 or more."),
    ({"log_tail": 0}, "batch_job_log_tail is a number of lines, 1 or more."),
])
def test_log_settings_are_checked(change, sentence):
    names = {**ROLE_NAMES, "log_wait": "batch_job_log_wait", "log_tail": "batch_job_log_tail"}
    assert submit_errors({**GOOD, **change}, names) == [sentence]
    assert submit_errors({**GOOD, "log_wait": 0, "log_tail": 1}, names) == []
