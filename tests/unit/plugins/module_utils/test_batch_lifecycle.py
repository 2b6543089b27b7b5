import pytest
from ansible_collections.dockwright.toolkit.plugins.module_utils import batch_lifecycle
from ansible_collections.dockwright.toolkit.plugins.module_utils.batch import poll_until
from ansible_collections.dockwright.toolkit.plugins.module_utils.batch_lifecycle import (
    Lifecycle,
    gone,
    planned,
    ready,
    settled,
)
from botocore.exceptions import ClientError


@pytest.mark.parametrize("item, is_ready, is_settled, is_gone", [
    (None, False, True, True),
    ({"status": "CREATING"}, False, False, False),
    ({"status": "UPDATING"}, False, False, False),
    ({"status": "DELETING"}, False, False, False),
    ({"status": "VALID"}, True, True, False),
    ({"status": "INVALID"}, True, True, False),
])
def test_statuses(item, is_ready, is_settled, is_gone):
    assert (ready(item), settled(item), gone(item)) == (is_ready, is_settled, is_gone)


class Failed(Exception):
    pass


class Module:
    """What Lifecycle uses of AnsibleAWSModule: params, fail_json and fail_json_aws (both end the module)."""

    def __init__(self, **params):
        self.params = {"name": "ce1", "state": "present", "wait": True, "wait_timeout": 0, **params}

    def fail_json(self, **result):
        raise Failed(result)

    def fail_json_aws(self, err, **result):
        raise Failed({**result, "error": err})


class Client:
    """Records each API call; a method named in fail raises ClientError."""

    def __init__(self, fail=()):
        self.calls, self.fail = [], fail

    def __getattr__(self, method):
        def call(**kwargs):
            self.calls.append((method, kwargs))
            if method in self.fail:
                raise ClientError({"Error": {"Code": "ClientException", "Message": "no"}}, method)
            return {}
        return call


def lifecycle(states, module=None, client=None, **kwargs):
    """A Lifecycle whose describe answers states one after the other (the last one from then on)."""
    answers = list(states)

    def describe(client, name):
        assert name == "ce1"
        if isinstance(answers[0], Exception):
            raise answers[0]
        return answers.pop(0) if len(answers) > 1 else answers[0]

    return Lifecycle(module or Module(), client or Client(), "compute environment", describe,
                     "compute_environment", **kwargs)


def failure(call):
    with pytest.raises(Failed) as raised:
        call()
    return raised.value.args[0]


def test_title_names_the_resource():
    assert lifecycle([None]).title == "Compute environment ce1"


def test_describe_failure_names_the_resource():
    err = ClientError({"Error": {"Code": "AccessDenied", "Message": "no"}}, "DescribeComputeEnvironments")
    result = failure(lifecycle([err]).describe)
    assert result["msg"] == "Could not describe compute environment ce1."
    assert result["error"] is err


def test_call_retries_and_names_what_failed():
    client = Client()
    assert lifecycle([None], client=client).call("create_compute_environment", "create", a=1) == {}
    assert client.calls == [("create_compute_environment", {"aws_retry": True, "a": 1})]
    result = failure(lambda: lifecycle([None], client=Client(fail=("delete_x",))).call("delete_x", "delete"))
    assert result["msg"] == "Could not delete compute environment ce1."


def test_without_wait_one_look_is_enough():
    answers = lifecycle([{"status": "UPDATING"}, {"status": "VALID"}], module=Module(wait=False))
    assert answers.wait_for(ready, "VALID") == {"status": "UPDATING"}


def test_waiting_ends_when_done():
    assert lifecycle([{"status": "VALID"}]).wait_for(ready, "VALID") == {"status": "VALID"}


@pytest.mark.parametrize(("state", "status"), [({"status": "UPDATING"}, "UPDATING"), (None, "gone")])
def test_waiting_past_the_timeout_fails_saying_where_it_stuck(state, status):
    result = failure(lambda: lifecycle([state]).wait_for(ready, "VALID"))
    assert result == {"msg": f"Compute environment ce1 is still {status} after 0 s while waiting until it is VALID:"
                             " look at its status reason in the Batch console, or raise wait_timeout."}


def test_invalid_fails_with_batchs_reason_the_hint_and_the_resource():
    item = {"status": "INVALID", "statusReason": "CLIENT_ERROR - no subnet", "computeEnvironmentName": "ce1",
            "tags": {"teamName": "x"}}
    result = failure(lambda: lifecycle([None], invalid_hint="Check the subnets.").ensure_valid(item))
    assert result == {"msg": "Compute environment ce1 is INVALID: CLIENT_ERROR - no subnet. Check the subnets.",
                      "compute_environment": {"status": "INVALID", "status_reason": "CLIENT_ERROR - no subnet",
                                              "compute_environment_name": "ce1", "tags": {"teamName": "x"}}}
    result = failure(lambda: lifecycle([None]).ensure_valid({"status": "INVALID"}))
    assert result["msg"] == "Compute environment ce1 is INVALID: no reason given."


@pytest.mark.parametrize("item", [None, {"status": "VALID"}, {"status": "UPDATING"}])
def test_anything_but_invalid_passes(item):
    """ensure_valid ends the module (Failed) for an INVALID one only (above), and asks AWS nothing."""
    client = Client()
    assert lifecycle([None], client=client).ensure_valid(item) is None
    assert client.calls == []


def test_one_being_deleted_is_waited_out_before_it_is_created_again():
    assert lifecycle([{"status": "DELETING"}, None]).current() is None


def test_one_being_deleted_is_left_as_it_is_when_it_is_to_be_absent():
    deleting = {"status": "DELETING"}
    assert lifecycle([deleting, None], module=Module(state="absent")).current() == deleting


def test_update_waits_for_a_settled_resource_then_for_valid():
    client = Client()
    states = [{"status": "VALID", "n": 1}, {"status": "VALID", "n": 2}]
    assert lifecycle(states, client=client).update({"status": "UPDATING"}, "update", a=1) == {"status": "VALID",
                                                                                               "n": 2}
    assert client.calls == [("update_compute_environment", {"aws_retry": True, "a": 1})]


def test_update_that_ends_invalid_fails():
    result = failure(lambda: lifecycle([{"status": "INVALID", "statusReason": "bad"}]).update(
        {"status": "VALID"}, "update"))
    assert result["msg"] == "Compute environment ce1 is INVALID: bad."


def test_teardown_disables_then_deletes_then_waits_until_gone():
    client = Client()
    states = [{"status": "VALID", "state": "DISABLED"}, None]
    lifecycle(states, client=client).teardown({"status": "VALID", "state": "ENABLED"}, "arn:ce1", "computeEnvironment")
    assert client.calls == [
        ("update_compute_environment", {"aws_retry": True, "computeEnvironment": "arn:ce1", "state": "DISABLED"}),
        ("delete_compute_environment", {"aws_retry": True, "computeEnvironment": "arn:ce1"})]


def test_teardown_of_a_disabled_one_only_deletes_it():
    client = Client(fail=("delete_compute_environment",))
    result = failure(lambda: lifecycle([None], client=client).teardown(
        {"status": "VALID", "state": "DISABLED"}, "arn:ce1", "computeEnvironment", "remove"))
    assert client.calls == [("delete_compute_environment", {"aws_retry": True, "computeEnvironment": "arn:ce1"})]
    assert result["msg"] == "Could not remove compute environment ce1."


def test_teardown_waits_for_a_changing_one_to_settle_first():
    client = Client()
    lifecycle([None], client=client).teardown({"status": "UPDATING", "state": "ENABLED"}, "arn:ce1",
                                              "computeEnvironment")
    assert client.calls == []


def still(status, what):
    return (f"Compute environment ce1 is still {status} after 0 s while waiting until it is {what}: look at its status"
            " reason in the Batch console, or raise wait_timeout.")


def test_each_wait_says_what_it_waits_for():
    updating, deleting = {"status": "UPDATING", "state": "ENABLED"}, {"status": "DELETING"}
    assert failure(lambda: lifecycle([deleting]).current())["msg"] == still("DELETING",
                                                                            "deleted before it is created again")
    assert failure(lambda: lifecycle([updating]).update(updating, "update"))["msg"] == still(
        "UPDATING", "settled before the update")
    assert failure(lambda: lifecycle([updating]).update({"status": "VALID"}, "update"))["msg"] == still(
        "UPDATING", "VALID")
    assert failure(lambda: lifecycle([updating]).teardown(updating, "arn:ce1", "computeEnvironment"))["msg"] == \
        still("UPDATING", "settled before the deletion")
    assert failure(lambda: lifecycle([updating]).teardown({"status": "VALID", "state": "ENABLED"}, "arn:ce1",
                                                          "computeEnvironment"))["msg"] == still("UPDATING", "DISABLED")
    assert failure(lambda: lifecycle([{"status": "VALID"}]).teardown({"status": "VALID", "state": "DISABLED"},
                                                                     "arn:ce1", "computeEnvironment"))["msg"] == \
        still("VALID", "deleted")


def test_failed_calls_name_what_they_tried():
    client = Client(fail=("update_compute_environment",))
    result = failure(lambda: lifecycle([None], client=client).update({"status": "VALID"}, "update", a=1))
    assert result["msg"] == "Could not update compute environment ce1."
    assert isinstance(result["error"], ClientError)
    result = failure(lambda: lifecycle([None], client=client).teardown({"status": "VALID", "state": "ENABLED"},
                                                                       "arn:ce1", "computeEnvironment"))
    assert result["msg"] == "Could not disable compute environment ce1."
    client = Client(fail=("delete_compute_environment",))
    result = failure(lambda: lifecycle([None], client=client).teardown({"status": "VALID", "state": "DISABLED"},
                                                                       "arn:ce1", "computeEnvironment"))
    assert result["msg"] == "Could not delete compute environment ce1."


def test_describe_asks_with_the_modules_client():
    client, asked = Client(), []
    Lifecycle(Module(), client, "job queue", lambda c, name: asked.append((c, name)), "job_queue").describe()
    assert asked == [(client, "ce1")]


def test_waiting_polls_until_done_within_the_timeout(monkeypatch):
    # The real clock, no real pause: the second look finds it done well before wait_timeout.
    monkeypatch.setattr(batch_lifecycle, "poll_until",
                        lambda probe, done, deadline: poll_until(probe, done, deadline, sleep=lambda seconds: None))
    found = lifecycle([{"status": "UPDATING"}, {"status": "VALID"}], module=Module(wait_timeout=600)).wait_for(
        ready, "VALID")
    assert found == {"status": "VALID"}


@pytest.mark.parametrize(
    "actions, expected",
    [
        ([], []),
        (["created job queue q (priority 1, ce)"], ["would create job queue q (priority 1, ce)"]),
        (["updated maxvCpus 16 -> 32"], ["would update maxvCpus 16 -> 32"]),
        (["disabled job queue q", "deleted job queue q"], ["would disable job queue q", "would delete job queue q"]),
        (["replaced compute environment ce (subnets change only through a new environment): deleted it",
          "created EC2 compute environment ce"],
         ["would replace compute environment ce (subnets change only through a new environment): delete it",
          "would create EC2 compute environment ce"]),
        # A sentence that starts otherwise is kept as it is.
        (["terminated 2 jobs"], ["terminated 2 jobs"]),
    ],
)
def test_planned_says_what_would_be_done(actions, expected):
    assert planned(actions) == expected
