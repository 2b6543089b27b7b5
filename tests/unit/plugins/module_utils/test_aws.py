import pytest
from ansible_collections.dockwright.toolkit.plugins.module_utils.aws import AWS_ERRORS, error_code, poll_until
from botocore.exceptions import ClientError, EndpointConnectionError


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


def test_error_code():
    missing = ClientError({"Error": {"Code": "ResourceNotFoundException", "Message": "no"}}, "GetLogEvents")
    assert error_code(missing) == "ResourceNotFoundException"
    assert error_code(EndpointConnectionError(endpoint_url="http://127.0.0.1:1")) == ""
    assert error_code(ValueError("x")) == ""


@pytest.mark.parametrize("error", [ClientError({"Error": {"Code": "Throttling"}}, "X"),
                                   EndpointConnectionError(endpoint_url="http://127.0.0.1:1")])
def test_aws_errors_catch_client_and_connection_errors(error):
    assert isinstance(error, AWS_ERRORS)
