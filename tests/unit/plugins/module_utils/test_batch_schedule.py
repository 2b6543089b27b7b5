import json

import pytest
from ansible_collections.dockwright.toolkit.plugins.module_utils.batch_schedule import (
    current_settings,
    expression_errors,
    job_definition_base,
    role_not_assumable,
    schedule_changes,
    schedule_errors,
    schedule_request,
    submit_policy,
    submit_resources,
    target_arn,
    timezone_errors,
    trust_policy,
    wanted_schedule,
)

QUEUE = "arn:aws:batch:eu-west-1:123456789012:job-queue/ml-queue"
DEFINITION = "arn:aws:batch:eu-west-1:123456789012:job-definition/iris-train"
ROLE = "arn:aws:iam::123456789012:role/nightly-scheduler"
GOOD = {"name": "nightly", "group": "default", "state": "present", "expression": "cron(0 3 * * ? *)",
        "timezone": "", "job_queue": "ml-queue", "job_definition": "iris-train", "job_name": "", "role_arn": "",
        "description": ""}


@pytest.mark.parametrize("expression", [
    "cron(0 3 * * ? *)", "cron(0/15 * * * ? *)", "cron(*/5 8-17 ? * MON-FRI *)", "cron(0 12 L * ? 2026-2030)",
    "cron(0 9 ? * 2#1 *)", "cron(0 9 ? * 6L *)", "cron(15 10 15W JAN,JUL ? *)", "cron(0 0 1,15 * ? *)",
    "cron(59 23 31 12 ? 2199)", "rate(1 minute)", "rate(5 minutes)", "rate(1 hour)", "rate(12 hours)",
    "rate(1 day)", "rate(7 days)", "at(2026-12-24T18:00:00)", " cron(0 3 * * ? *) ",
])
def test_valid_expressions(expression):
    assert expression_errors(expression) == []


@pytest.mark.parametrize("expression, fragment", [
    ("", "expression is empty: give cron("),
    ("0 3 * * *", "is none of the Scheduler's expressions"),
    ("cron(0 3 * * *)", "has 5 fields; a Scheduler cron expression has 6"),
    ("cron(0 3 * * ? * *)", "has 7 fields"),
    ("cron(60 3 * * ? *)", "the minutes field '60' is not valid (values 0-59"),
    ("cron(0 24 * * ? *)", "the hours field '24' is not valid"),
    ("cron(0 3 32 * ? *)", "the day-of-month field '32' is not valid"),
    ("cron(0 3 * 13 ? *)", "the month field '13' is not valid (values 1-12 or JAN-DEC"),
    ("cron(0 3 ? * FUNDAY *)", "the day-of-week field 'FUNDAY' is not valid"),
    ("cron(0 3 ? * 2#6 *)", "the day-of-week field '2#6' is not valid"),
    ("cron(0 3 * * ? 1969)", "the year field '1969' is not valid"),
    ("cron(? 3 * * ? *)", "the minutes field '?' is not valid"),
    ("cron(0 3 * * * *)", "exactly one of day-of-month ('*') and day-of-week ('*') must be '?'"),
    ("cron(0 3 ? * ? *)", "exactly one of day-of-month"),
    ("cron(0/0 3 * * ? *)", "the minutes field '0/0' is not valid"),
    ("cron(0,,5 3 * * ? *)", "the minutes field '0,,5' is not valid"),
    ("rate(5 minute)", "write rate(5 minutes) (singular for 1, plural otherwise"),
    ("rate(1 days)", "write rate(1 day)"),
    ("rate(0 minutes)", "the rate must be 1 or more"),
    ("rate(2 weeks)", "the unit 'weeks' is none of minute(s), hour(s), day(s)"),
    ("rate(1.5 hours)", "is not a rate expression: write rate(N unit)"),
    ("rate(hourly)", "is not a rate expression"),
    ("at(2026-02-30T10:00:00)", "is not a one-time expression: write at(YYYY-MM-DDThh:mm:ss), a real date"),
    ("at(2026-12-24 18:00)", "is not a one-time expression"),
])
def test_invalid_expressions(expression, fragment):
    errors = expression_errors(expression, "batch_schedule_expression")
    assert any(fragment in error for error in errors), errors
    assert all(error.startswith("batch_schedule_expression") for error in errors)


@pytest.mark.parametrize("timezone, known, ok", [
    ("", frozenset({"Europe/Paris"}), True), ("UTC", frozenset(), True), ("Europe/Paris", None, True),
    ("America/New_York", None, True), ("Europe/Pariss", frozenset({"Europe/Paris"}), False),
    ("CEST+2", frozenset({"Europe/Paris"}), False), ("Mars/Olympus", None, False),
    ("Europe/Paris", frozenset(), True), ("not a zone!", frozenset(), False),
])
def test_timezones(timezone, known, ok):
    errors = timezone_errors(timezone, "batch_schedule_timezone", known)
    assert (errors == []) is ok, errors
    if not ok:
        assert errors[0].startswith(f"batch_schedule_timezone '{timezone}' is not a time zone name")


@pytest.mark.parametrize("settings", [
    GOOD,
    {**GOOD, "job_queue": QUEUE, "job_definition": DEFINITION + ":3", "role_arn": ROLE, "job_name": "nightly-iris",
     "timezone": "Europe/Paris", "expression": "rate(1 day)", "name": "iris.nightly_1"},
    {**GOOD, "job_definition": "iris-train:2"},
    {"name": "nightly", "state": "absent", "expression": "", "job_queue": "", "job_definition": ""},
])
def test_valid_schedules(settings):
    assert schedule_errors(settings) == []


@pytest.mark.parametrize("change, fragment", [
    ({"name": "a b"}, "name 'a b' is not a valid schedule name: use 1 to 64 letters"),
    ({"name": "x" * 65}, "is not a valid schedule name"),
    ({"name": "a/b", "state": "absent"}, "name 'a/b' is not a valid schedule name"),
    ({"group": "my group"}, "group 'my group' is not a valid schedule name"),
    ({"state": "gone"}, "state 'gone' must be present or absent"),
    ({"expression": "cron(0 3 * * *)"}, "expression 'cron(0 3 * * *)' has 5 fields"),
    ({"timezone": "Nowhere/Land"}, "timezone 'Nowhere/Land' is not a time zone name"),
    ({"job_queue": ""}, "job_queue is empty: name the job queue the schedule submits to (make: QUEUE=)"),
    ({"job_queue": "ml queue"}, "job_queue 'ml queue' is neither a job queue name"),
    ({"job_queue": "arn:aws:batch:eu-west-1:1234:job-queue/q"}, "is neither a job queue name"),
    ({"job_definition": ""}, "job_definition is empty: name the job definition"),
    ({"job_definition": "iris:0"}, "job_definition 'iris:0' is neither a job definition name"),
    ({"job_definition": "arn:aws:batch:eu-west-1:123456789012:job-definition/iris"}, "is neither"),
    ({"job_name": "x"}, "job_name 'x' is not a valid AWS Batch job name"),
    ({"role_arn": "nightly-scheduler"}, "role_arn 'nightly-scheduler' is not an IAM role ARN"),
    ({"role_arn": "arn:aws:iam::123456789012:instance-profile/x"}, "is not an IAM role ARN"),
    ({"description": "d" * 513}, "description is longer than 512 characters"),
])
def test_invalid_schedules(change, fragment):
    errors = schedule_errors({**GOOD, **change})
    assert any(fragment in error for error in errors), errors


def test_sentences_name_the_role_variables():
    names = {"job_queue": "batch_schedule_job_queue", "expression": "batch_schedule_expression"}
    errors = schedule_errors({**GOOD, "job_queue": "", "expression": "daily"}, names)
    assert errors[0].startswith("batch_schedule_expression 'daily'") and errors[1].startswith(
        "batch_schedule_job_queue is empty")


def test_target_and_iam_documents():
    assert target_arn(QUEUE) == "arn:aws:scheduler:::aws-sdk:batch:submitJob"
    assert target_arn("arn:aws-cn:batch:cn-north-1:123456789012:job-queue/q").startswith("arn:aws-cn:scheduler:::")
    assert job_definition_base(DEFINITION + ":12") == DEFINITION and job_definition_base(DEFINITION) == DEFINITION
    resources = submit_resources(QUEUE, DEFINITION + ":4")
    assert resources == [QUEUE, DEFINITION, DEFINITION + ":*"]
    assert submit_policy(resources)["Statement"] == [
        {"Effect": "Allow", "Action": "batch:SubmitJob", "Resource": resources}]
    statement = trust_policy("123456789012")["Statement"][0]
    assert statement["Principal"] == {"Service": "scheduler.amazonaws.com"}
    assert statement["Condition"] == {"StringEquals": {"aws:SourceAccount": "123456789012"}}


def described(wanted, **changes):
    """What get_schedule answers for a schedule made from wanted (with the Scheduler's own additions)."""
    request = schedule_request("nightly", "default", wanted)
    target = {**request["Target"], "RetryPolicy": {"MaximumEventAgeInSeconds": 86400, "MaximumRetryAttempts": 185}}
    return {"Arn": "arn:aws:scheduler:eu-west-1:123456789012:schedule/default/nightly", "Name": "nightly",
            "GroupName": "default", "ScheduleExpression": request["ScheduleExpression"],
            "ScheduleExpressionTimezone": request["ScheduleExpressionTimezone"], "State": request["State"],
            "FlexibleTimeWindow": request["FlexibleTimeWindow"], "Target": target, "Description": None,
            "CreationDate": 1.0, **changes}


def test_a_schedule_made_from_the_request_compares_equal():
    wanted = wanted_schedule(GOOD, QUEUE, DEFINITION, "iris-train", ROLE)
    assert schedule_changes(current_settings(described(wanted)), wanted) == []
    # Input written in another key order or spacing is the same input.
    other = described(wanted)
    other["Target"]["Input"] = json.dumps(json.loads(other["Target"]["Input"]), indent=2)
    assert schedule_changes(current_settings(other), wanted) == []


def test_changes_in_plain_words():
    wanted = wanted_schedule(GOOD, QUEUE, DEFINITION, "iris-train", ROLE)
    before = described(wanted)
    later = wanted_schedule({**GOOD, "expression": "cron(0 4 * * ? *)", "timezone": "Europe/Paris",
                             "enabled": False}, QUEUE, DEFINITION + ":2", "iris-train", ROLE)
    words = schedule_changes(current_settings(before), later)
    assert words == ["expression 'cron(0 3 * * ? *)' -> 'cron(0 4 * * ? *)'",
                     "time zone 'UTC' -> 'Europe/Paris'", "state 'ENABLED' -> 'DISABLED'",
                     f"JobDefinition {DEFINITION} -> {DEFINITION}:2"]
    other_role = wanted_schedule(GOOD, QUEUE, DEFINITION, "iris-train", ROLE + "2")
    assert schedule_changes(current_settings(before), other_role) == [f"role {ROLE} -> {ROLE}2"]


def test_request_carries_every_setting():
    wanted = wanted_schedule({**GOOD, "description": "nightly training", "timezone": "Europe/Paris"}, QUEUE,
                             DEFINITION, "iris-train", ROLE)
    request = schedule_request("nightly", "default", wanted)
    assert request["ScheduleExpressionTimezone"] == "Europe/Paris" and request["Description"] == "nightly training"
    assert request["FlexibleTimeWindow"] == {"Mode": "OFF"} and request["State"] == "ENABLED"
    assert request["Target"]["Arn"] == "arn:aws:scheduler:::aws-sdk:batch:submitJob"
    assert json.loads(request["Target"]["Input"]) == {"JobName": "iris-train", "JobQueue": QUEUE,
                                                      "JobDefinition": DEFINITION}
    assert "Description" not in schedule_request("nightly", "default", wanted_schedule(GOOD, QUEUE, DEFINITION,
                                                                                       "iris-train", ROLE))


def test_no_schedule_has_no_settings():
    assert current_settings(None) == {}


@pytest.mark.parametrize("code, message, expected", [
    ("ValidationException", "The execution role you provide must allow AWS EventBridge Scheduler to assume the role.",
     True),
    ("ValidationException", "Invalid Schedule Expression", False),
    ("AccessDeniedException", "not allowed to assume", False),
])
def test_role_not_assumable(code, message, expected):
    assert role_not_assumable(code, message) is expected


@pytest.mark.parametrize("role_name, ok", [("nightly-scheduler", True), ("a.b@c+d=e,f_g", True), ("x" * 64, True),
                                           ("x" * 65, False), ("night ly", False), ("role/path", False)])
def test_role_names(role_name, ok):
    errors = schedule_errors({**GOOD, "role_name": role_name}, {"role_name": "batch_schedule_role_name"})
    assert (errors == []) is ok, errors
    if not ok:
        assert errors == [f"batch_schedule_role_name '{role_name}' is not a valid IAM role name: use 1 to 64 letters,"
                          " digits and + = , . @ _ -."]
