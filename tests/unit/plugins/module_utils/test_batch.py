import pytest
from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.dockwright.toolkit.plugins.module_utils.aws import region_errors
from ansible_collections.dockwright.toolkit.plugins.module_utils.batch import (
    as_text,
    check_job_definition,
    check_name,
    format_number,
    is_job_definition,
    job_definition_name,
    lambda_target_errors,
    namer,
    poll_until,
    resource_limit_errors,
    split_command,
)
from botocore.exceptions import ClientError, EndpointConnectionError

ARN_DEF = "arn:aws:batch:eu-west-1:123456789012:job-definition/iris:3"


@pytest.mark.parametrize("name", ["ab", "train-iris", "A_1", "x" * 128, "9lives"])
def test_valid_names(name):
    assert check_name(name) == name


@pytest.mark.parametrize("name", ["", "a", "-lead", "_lead", "has space", "dot.ted", "x" * 129, None, 12])
def test_invalid_names(name):
    with pytest.raises(ValueError, match="not a valid AWS Batch name"):
        check_name(name)


@pytest.mark.parametrize("definition", ["iris", "iris:1", "iris:12", ARN_DEF])
def test_valid_job_definitions(definition):
    assert check_job_definition(definition) == definition


@pytest.mark.parametrize(
    "definition",
    ["", "i", "iris:", "iris:0", "iris:x", "iris:1:2", "arn:aws:batch:eu-west-1:123456789012:job-definition/iris",
     "arn:aws:batch:eu-west-1:123456789012:job-definition/iris:0", None],
)
def test_invalid_job_definitions(definition):
    with pytest.raises(ValueError, match="job_definition"):
        check_job_definition(definition)


@pytest.mark.parametrize(
    "command, words",
    [
        (None, []),
        ("", []),
        ([], []),
        (["python", "-c", "print(1)"], ["python", "-c", "print(1)"]),
        ("python train.py --epochs 3", ["python", "train.py", "--epochs", "3"]),
        ("python -c 'print(\"hi there\")'", ["python", "-c", 'print("hi there")']),
        (["sleep", 5], ["sleep", "5"]),
        (("echo", True), ["echo", "true"]),
    ],
)
def test_split_command(command, words):
    assert split_command(command) == words


@pytest.mark.parametrize("command, fragment", [("echo 'open", "check its quotes"), (42, "not int")])
def test_split_command_rejects(command, fragment):
    with pytest.raises(ValueError, match=fragment):
        split_command(command)


@pytest.mark.parametrize(("value", "expected"), [(1, "1"), (1.0, "1"), ("2", "2"), (0.25, "0.25"), (0.5, "0.5"),
                                                 ("16.0", "16")])
def test_format_number(value, expected):
    assert format_number(value) == expected


@pytest.mark.parametrize("command, fragment", [
    (["echo", None], "None is not one"),
    (["echo", {"a": 1}], "is not one"),
    ({"run": "x"}, "must be a list of strings or a string, not dict"),
    ("python -c 'unclosed", "give it as a list instead"),
])
def test_split_command_rejects_more(command, fragment):
    with pytest.raises(ValueError, match=fragment):
        split_command(command)


@pytest.mark.parametrize("what", ["command", "batch_job_command"])
def test_split_command_names_the_setting(what):
    with pytest.raises(ValueError, match=f"^{what} "):
        split_command(42, what)


@pytest.mark.parametrize("value, text", [(None, ""), (True, "true"), (False, "false"), (3, "3"), (0.5, "0.5"),
                                         ("x", "x")])
def test_as_text(value, text):
    assert as_text(value) == text


@pytest.mark.parametrize("value, expected", [
    ("iris", True), ("iris:3", True), (ARN_DEF, True), ("iris:0", False), ("i", False), (None, False), (3, False),
])
def test_is_job_definition(value, expected):
    assert is_job_definition(value) is expected


@pytest.mark.parametrize("what", ["job_definition", "batch_environment_lambda_job_definition"])
def test_check_job_definition_names_the_setting(what):
    with pytest.raises(ValueError, match=f"^{what} 'iris:0' is neither a job definition name"):
        check_job_definition("iris:0", what)


@pytest.mark.parametrize("value, name", [("iris", "iris"), ("iris:3", "iris"), (ARN_DEF, "iris"), ("", ""),
                                         (None, "")])
def test_job_definition_name(value, name):
    assert job_definition_name(value) == name


@pytest.mark.parametrize("region", ["eu-west-1", "us-gov-west-1", "cn-north-1", "ap-southeast-2", "us-isob-east-1"])
def test_valid_regions(region):
    assert region_errors(region) == []


@pytest.mark.parametrize("region, what, fragment", [
    ("europe", "region", "region 'europe' is not an AWS region name"),
    ("", "batch_job_definition_region", "batch_job_definition_region '' is not an AWS region name"),
    (None, "region", "give one like eu-west-1"),
    ("eu-west", "region", "'eu-west' is not"),
    ("EU-WEST-1", "region", "is not an AWS region name"),
])
def test_invalid_regions(region, what, fragment):
    [error] = region_errors(region, what)
    assert fragment in error


@pytest.mark.parametrize("names, key, called", [
    (None, "name", "name"), ({"name": "batch_environment_name"}, "name", "batch_environment_name"),
    ({"name": "batch_environment_name"}, "type", "type"),
])
def test_namer(names, key, called):
    assert namer(names)(key) == called


class Clock:
    """A clock that moves only when the poll sleeps, recording each pause."""

    def __init__(self):
        self.now = 100.0
        self.pauses = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.pauses.append(seconds)
        self.now += seconds


def probe_of(values):
    it = iter(values)
    return lambda: next(it)


def test_done_at_first_look_never_sleeps():
    clock = Clock()
    assert poll_until(probe_of(["VALID"]), lambda v: v == "VALID", clock() + 60, clock=clock,
                      sleep=clock.sleep) == ("VALID", True)
    assert clock.pauses == []


def test_pauses_grow_up_to_the_longest():
    clock = Clock()
    values = ["CREATING"] * 6 + ["VALID"]
    value, done = poll_until(probe_of(values), lambda v: v == "VALID", clock() + 600, clock=clock,
                             sleep=clock.sleep)
    assert (value, done) == ("VALID", True)
    assert clock.pauses == [1.0, 2.0, 4.0, 8.0, 10.0, 10.0]


def test_job_style_pauses():
    clock = Clock()
    values = ["RUNNING"] * 5 + ["SUCCEEDED"]
    poll_until(probe_of(values), lambda v: v == "SUCCEEDED", clock() + 600, first=0.5, factor=1.5, longest=2.0,
               clock=clock, sleep=clock.sleep)
    assert clock.pauses == [0.5, 0.75, 1.125, 1.6875, 2.0]


def test_deadline_returns_the_last_value_and_no_pause_runs_past_it():
    clock = Clock()
    deadline = clock() + 5
    value, done = poll_until(lambda: "UPDATING", lambda v: v == "VALID", deadline, clock=clock, sleep=clock.sleep)
    assert (value, done) == ("UPDATING", False)
    assert clock.pauses == [1.0, 2.0, 2.0] and clock() == deadline


def test_deadline_already_passed_looks_once():
    clock = Clock()
    looks = []
    value, done = poll_until(lambda: looks.append(1) or "RUNNING", lambda v: False, clock() - 1, clock=clock,
                             sleep=clock.sleep)
    assert (value, done, len(looks), clock.pauses) == ("RUNNING", False, 1, [])


def test_a_missing_resource_is_told_apart_from_other_errors():
    """The modules catch is_boto3_error_code("ResourceNotFoundException") before (BotoCoreError, ClientError)."""
    missing = ClientError({"Error": {"Code": "ResourceNotFoundException", "Message": "no"}}, "GetLogEvents")
    throttled = ClientError({"Error": {"Code": "Throttling", "Message": "slow down"}}, "GetLogEvents")
    unreachable = EndpointConnectionError(endpoint_url="http://127.0.0.1:1")
    assert is_boto3_error_code("ResourceNotFoundException", missing) is ClientError
    for other in (throttled, unreachable):
        assert not isinstance(other, is_boto3_error_code("ResourceNotFoundException", other))


LAMBDA = {"function": "submit", "job_definition": "", "queue_variable": "JOB_QUEUE",
          "job_definition_variable": "JOB_DEFINITION"}


@pytest.mark.parametrize("settings", [
    LAMBDA, {**LAMBDA, "function": "arn:aws:lambda:eu-west-1:123456789012:function:submit"},
    {**LAMBDA, "job_definition": "iris:3"}, {**LAMBDA, "function": ""},
])
def test_fine_lambda_targets(settings):
    assert lambda_target_errors(settings) == []


@pytest.mark.parametrize("change, fragment", [
    ({"function": "has space"}, "function 'has space' is neither a Lambda function name"),
    ({"job_definition": "iris:0"}, "job_definition 'iris:0' is neither a job definition name"),
    ({"queue_variable": "1X"}, "must be two different environment variable names"),
    ({"queue_variable": "JOB_DEFINITION"}, "must be two different environment variable names"),
])
def test_lambda_target_problems(change, fragment):
    errors = lambda_target_errors({**LAMBDA, **change})
    assert any(fragment in error for error in errors), errors


@pytest.mark.parametrize(("vcpus", "memory", "gpus", "words"), [
    (448, 24 * 1024 * 1024, 16, None),
    (449, 1024, 0, "vcpus 449 is more than any instance Batch can launch has (448 vCPUs)"),
    (1, 10**20, 0, f"memory {10**20} is more than any instance Batch can launch has (25165824 MiB)"),
    (1, 1024, 17, "gpus 17 is more than any instance"),
    ("x", "y", "z", None),  # not numbers: the callers' own checks say so
])
def test_resource_limits(vcpus, memory, gpus, words):
    errors = resource_limit_errors(vcpus, memory, gpus)
    assert (errors == []) if words is None else (len(errors) == 1 and words in errors[0]), errors


def test_each_limit_names_its_unit():
    assert resource_limit_errors(1, 1, 17, {"gpus": "batch_gpus"}) == [
        "batch_gpus 17 is more than any instance Batch can launch has (16 GPUs): a job asking for it would wait"
        " forever. Give less."]
    assert resource_limit_errors(448, 24 * 1024 * 1024, 16) == []


def test_a_figure_that_is_no_number_does_not_hide_the_next():
    assert resource_limit_errors("x", 10**9) == [
        "memory 1000000000 is more than any instance Batch can launch has (25165824 MiB): a job asking for it would"
        " wait forever. Give less."]


def test_name_and_job_definition_messages_in_full():
    with pytest.raises(ValueError) as raised:
        check_name("x")
    assert str(raised.value) == ("name 'x' is not a valid AWS Batch name: use 2 to 128 letters, digits, hyphens and"
                                 " underscores, starting with a letter or digit.")
    with pytest.raises(ValueError) as raised:
        check_job_definition("iris:0")
    assert str(raised.value) == (
        "job_definition 'iris:0' is neither a job definition name, name:revision (revision a positive number) nor a"
        " job definition ARN (arn:aws:batch:REGION:ACCOUNT:job-definition/NAME:REVISION).")


def test_lambda_target_problems_in_full():
    assert lambda_target_errors({"function": "bad fn!", "job_definition": "iris:0", "queue_variable": "1Q",
                                 "job_definition_variable": "x-y"}, {"function": "batch_lambda_function"}) == [
        "batch_lambda_function 'bad fn!' is neither a Lambda function name (1 to 64 letters, digits, hyphens,"
        " underscores) nor a function ARN.",
        "job_definition 'iris:0' is neither a job definition name, name:revision nor a job definition ARN.",
        "queue_variable ('1Q') and job_definition_variable ('x-y') must be two different environment variable names"
        " (letters, digits, underscores)."]
    assert lambda_target_errors({"queue_variable": "Q", "job_definition_variable": "Q"},
                                {"queue_variable": "a", "job_definition_variable": "b"}) == [
        "a ('Q') and b ('Q') must be two different environment variable names (letters, digits, underscores)."]


def test_the_last_pause_is_cut_to_the_deadline():
    clock = Clock()
    value, done = poll_until(lambda: "UPDATING", lambda v: v == "VALID", clock() + 1.5, clock=clock,
                             sleep=clock.sleep)
    assert (value, done) == ("UPDATING", False)
    assert clock.pauses == [1.0, 0.5]
