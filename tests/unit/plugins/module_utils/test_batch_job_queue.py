import pytest
from ansible_collections.dockwright.toolkit.plugins.module_utils.batch_job_queue import (
    active_jobs,
    current_settings,
    describe_queue,
    environment_arns,
    queue_changes,
    queue_errors,
    same_environment,
    settled_jobs,
    wanted_settings,
)

CE = "arn:aws:batch:eu-west-1:123456789012:compute-environment/dockwright"
CE_SPOT = "arn:aws:batch:eu-west-1:123456789012:compute-environment/dockwright-spot"
QUEUE_ARN = "arn:aws:batch:eu-west-1:123456789012:job-queue/dockwright"


def described(state="ENABLED", priority=1, environments=(CE,)):
    return {"jobQueueName": "dockwright", "jobQueueArn": QUEUE_ARN, "state": state, "status": "VALID",
            "priority": priority,
            "computeEnvironmentOrder": [{"order": index, "computeEnvironment": item}
                                        for index, item in reversed(list(enumerate(environments, start=1)))]}


@pytest.mark.parametrize("settings", [
    {"name": "dockwright", "priority": 1, "compute_environments": ["dockwright"]},
    {"name": "dockwright", "priority": 0, "compute_environments": [CE, "dockwright-spot", "x1"]},
    {"name": "dockwright", "priority": "1000", "compute_environments": [CE]},
    {"name": "dockwright", "priority": None, "compute_environments": None},
    {"name": "dockwright", "state": "absent", "priority": 5000, "compute_environments": []},
])
def test_valid_queue_settings(settings):
    assert queue_errors(settings) == []


@pytest.mark.parametrize("settings, names, fragment", [
    ({"name": "bad name"}, None, "name 'bad name' is not a valid AWS Batch name"),
    ({"name": "bad name", "state": "absent"}, None, "name 'bad name' is not a valid"),
    ({"name": "x"}, {"name": "batch_environment_queue_name"}, "batch_environment_queue_name 'x' is not a valid"),
    ({"name": "q1", "compute_environments": ["a1", "b2", "c3", "d4"]}, None,
     "compute_environments must name 1 to 3 different compute environments, not 4"),
    ({"name": "q1", "compute_environments": []}, None, "1 to 3 different"),
    ({"name": "q1", "compute_environments": ["a1", "a1"]}, None, "1 to 3 different"),
    ({"name": "q1", "compute_environments": ["bad name"]}, None, "holds bad name: give compute environment names"),
    ({"name": "q1", "compute_environments": ["arn:aws:batch:eu-west-1:1:compute-environment/x"]}, None,
     "or ARNs (arn:aws:batch:REGION:ACCOUNT:compute-environment/NAME)"),
    ({"name": "q1", "priority": 1001}, {"priority": "batch_environment_queue_priority"},
     "batch_environment_queue_priority (1001) must lie between 0 and 1000"),
    ({"name": "q1", "priority": -1}, None, "priority (-1) must lie between 0 and 1000"),
    ({"name": "q1", "priority": "high"}, None, "priority (high) must lie between"),
])
def test_invalid_queue_settings(settings, names, fragment):
    errors = queue_errors(settings, names)
    assert any(fragment in error for error in errors), errors


@pytest.mark.parametrize("given, arn, same", [
    ("dockwright", CE, True), (CE, CE, True), ("dockwright-spot", CE, False), (CE_SPOT, CE, False),
    ("arn:aws:batch:us-east-1:123456789012:compute-environment/dockwright", CE, False),
])
def test_same_environment(given, arn, same):
    assert same_environment(given, arn) is same


def test_current_settings_orders_the_environments():
    assert current_settings(described(environments=(CE, CE_SPOT))) == {
        "state": "ENABLED", "priority": 1, "compute_environments": [CE, CE_SPOT]}
    assert current_settings(None) == {}


@pytest.mark.parametrize("enabled, priority, environments, update, words", [
    (True, 1, ["dockwright"], {}, []),
    (True, 1, [CE], {}, []),
    (True, None, None, {}, []),
    (False, None, None, {"jobQueue": QUEUE_ARN, "state": "DISABLED"}, ["state ENABLED -> DISABLED"]),
    (True, 5, None, {"jobQueue": QUEUE_ARN, "priority": 5}, ["priority 1 -> 5"]),
    (True, 1, [CE, CE_SPOT],
     {"jobQueue": QUEUE_ARN, "computeEnvironmentOrder": [{"order": 1, "computeEnvironment": CE},
                                                         {"order": 2, "computeEnvironment": CE_SPOT}]},
     ["compute environments dockwright -> dockwright then dockwright-spot"]),
    (True, 1, ["dockwright-spot"],
     {"jobQueue": QUEUE_ARN, "computeEnvironmentOrder": [{"order": 1, "computeEnvironment": "dockwright-spot"}]},
     ["compute environments dockwright -> dockwright-spot"]),
])
def test_queue_changes(enabled, priority, environments, update, words):
    queue = described()
    assert queue_changes(queue, wanted_settings(queue, enabled, priority, environments)) == (update, words)


def test_wanted_settings_of_a_new_queue():
    assert wanted_settings(None, True, 3, ["dockwright"]) == {
        "state": "ENABLED", "priority": 3, "compute_environments": ["dockwright"]}
    assert wanted_settings(None, False, None, None) == {"state": "DISABLED", "priority": None,
                                                        "compute_environments": None}


class FakeBatch:
    """Answers describe_job_queues and list_jobs like Batch; list_jobs ignores the status filter like some emulators."""

    def __init__(self, queues, jobs):
        self.queues, self.jobs = queues, jobs

    def describe_job_queues(self, jobQueues, aws_retry=True):
        return {"jobQueues": [q for q in self.queues if q["jobQueueName"] in jobQueues]}

    def get_paginator(self, name):
        assert name == "list_jobs"
        return self

    def paginate(self, jobQueue, jobStatus):
        yield {"jobSummaryList": self.jobs[: len(self.jobs) // 2]}
        yield {"jobSummaryList": self.jobs[len(self.jobs) // 2:]}


@pytest.mark.parametrize(
    "queues, expected",
    [
        ([], None),
        ([{"jobQueueName": "q1", "status": "DELETED"}], None),
        ([{"jobQueueName": "q1", "status": "VALID"}], {"jobQueueName": "q1", "status": "VALID"}),
    ],
)
def test_describe_queue(queues, expected):
    assert describe_queue(FakeBatch(queues, []), "q1") == expected


def test_active_jobs_keeps_the_asked_statuses_oldest_first():
    jobs = [
        {"jobId": "b", "jobName": "two", "status": "RUNNING", "createdAt": 20},
        {"jobId": "a", "jobName": "one", "status": "RUNNABLE", "createdAt": 10},
        {"jobId": "c", "jobName": "done", "status": "SUCCEEDED", "createdAt": 5},
    ]
    found = active_jobs(FakeBatch([], jobs), "q1", statuses=("RUNNABLE", "RUNNING"))
    assert [(job["job_id"], job["status"]) for job in found] == [("a", "RUNNABLE"), ("b", "RUNNING")]
    assert active_jobs(FakeBatch([], jobs), "q1", statuses=()) == []


class RecordingBatch:
    """Batch that filters list_jobs by queue and status as the API does, and records what it was asked."""

    def __init__(self, jobs=(), environments=()):
        self.jobs, self.environments, self.calls = list(jobs), list(environments), []

    def describe_job_queues(self, **kwargs):
        self.calls.append(("describe_job_queues", kwargs))
        return {"jobQueues": [{"jobQueueName": "q1", "status": "VALID"}]}

    def describe_compute_environments(self, **kwargs):
        self.calls.append(("describe_compute_environments", kwargs))
        return {"computeEnvironments": self.environments}

    def get_paginator(self, name):
        assert name == "list_jobs"
        return self

    def paginate(self, **kwargs):
        self.calls.append(("list_jobs", kwargs))
        yield {"jobSummaryList": [job for job in self.jobs
                                  if (job.get("queue", "q1"), job.get("status", kwargs["jobStatus"])) ==
                                  (kwargs["jobQueue"], kwargs["jobStatus"])]}
        yield {}


def test_active_jobs_asks_per_status_and_fills_what_a_summary_leaves_out():
    batch = RecordingBatch([{"jobId": "a", "jobName": "one", "status": "RUNNING", "createdAt": 3},
                            {"jobId": "b", "createdAt": 2}, {"jobId": "c"},
                            {"jobId": "x", "queue": "other", "status": "RUNNING"}])
    assert active_jobs(batch, "q1", statuses=("RUNNING",)) == [
        {"job_id": "c", "job_name": "", "status": "RUNNING", "created_at": 0},
        {"job_id": "b", "job_name": "", "status": "RUNNING", "created_at": 2},
        {"job_id": "a", "job_name": "one", "status": "RUNNING", "created_at": 3}]
    assert batch.calls == [("list_jobs", {"jobQueue": "q1", "jobStatus": "RUNNING"})]
    batch.calls.clear()
    active_jobs(batch, "q1")
    assert [kwargs["jobStatus"] for _, kwargs in batch.calls] == ["SUBMITTED", "PENDING", "RUNNABLE", "STARTING",
                                                                   "RUNNING"]


def test_describe_queue_retries_unless_told_not_to():
    batch = RecordingBatch()
    describe_queue(batch, "q1")
    describe_queue(batch, "q1", retry=False)
    assert batch.calls == [("describe_job_queues", {"jobQueues": ["q1"], "aws_retry": True}),
                           ("describe_job_queues", {"jobQueues": ["q1"], "aws_retry": False})]


def test_environment_arns_of_the_names_batch_knows():
    batch = RecordingBatch(environments=[
        {"computeEnvironmentName": "ce1", "computeEnvironmentArn": CE, "status": "VALID"},
        {"computeEnvironmentName": "old", "computeEnvironmentArn": CE + "-old", "status": "DELETED"}])
    assert environment_arns(batch, ["ce1", CE_SPOT, "old"]) == {"ce1": CE}
    assert batch.calls == [("describe_compute_environments", {"computeEnvironments": ["ce1", "old"],
                                                              "aws_retry": True})]
    batch.calls.clear()
    assert environment_arns(batch, [CE, CE_SPOT]) == {}
    assert batch.calls == []
    environment_arns(batch, ["ce1"], retry=False)
    assert batch.calls[0][1]["aws_retry"] is False


def test_queue_problems_in_full():
    names = {"compute_environments": "batch_environment_queue_compute_environments"}
    assert queue_errors({"name": "q1", "compute_environments": ["bad name", "arn:aws:x", "ce1", "ce1"],
                         "priority": "high"}, names) == [
        "batch_environment_queue_compute_environments holds bad name, arn:aws:x: give compute environment names"
        " (2 to 128 letters, digits, hyphens, underscores) or ARNs"
        " (arn:aws:batch:REGION:ACCOUNT:compute-environment/NAME).",
        "batch_environment_queue_compute_environments must name 1 to 3 different compute environments, not 4"
        " (bad name, arn:aws:x, ce1, ce1).",
        "priority (high) must lie between 0 and 1000."]
    assert queue_errors({"name": "q1", "compute_environments": []}) == [
        "compute_environments must name 1 to 3 different compute environments, not 0 ()."]
    assert queue_errors({"name": "q1", "priority": 0, "compute_environments": ["a1", "a2", CE]}) == []
    assert queue_errors({"name": "q1", "priority": 1000}) == []
    assert queue_errors({"name": "q1", "priority": 1001}) == ["priority (1001) must lie between 0 and 1000."]


def test_without_a_state_the_queue_is_checked_as_present():
    assert queue_errors({"name": "q1", "priority": -1}) == ["priority (-1) must lie between 0 and 1000."]
    assert queue_errors({"name": "q1", "priority": -1, "state": "absent"}) == []


def test_a_queue_without_an_arn_is_updated_by_name():
    queue = {"jobQueueName": "q1", "state": "ENABLED", "priority": 1,
             "computeEnvironmentOrder": [{"order": 1, "computeEnvironment": CE}]}
    update, words = queue_changes(queue, {"state": "ENABLED", "priority": 1, "compute_environments": [CE, CE_SPOT]})
    assert update == {"jobQueue": "q1", "computeEnvironmentOrder": [{"order": 1, "computeEnvironment": CE},
                                                                    {"order": 2, "computeEnvironment": CE_SPOT}]}
    assert words == ["compute environments dockwright -> dockwright then dockwright-spot"]


def test_an_environment_without_an_order_comes_first():
    queue = {"computeEnvironmentOrder": [{"order": 1, "computeEnvironment": CE},
                                         {"computeEnvironment": CE_SPOT}]}
    assert current_settings(queue)["compute_environments"] == [CE_SPOT, CE]


def test_a_new_order_is_told_in_words():
    queue = {"jobQueueArn": QUEUE_ARN, "state": "ENABLED", "priority": 1,
             "computeEnvironmentOrder": [{"order": 1, "computeEnvironment": CE},
                                         {"order": 2, "computeEnvironment": CE_SPOT}]}
    update, words = queue_changes(queue, {"state": "ENABLED", "priority": 1, "compute_environments": [CE_SPOT, CE]})
    assert words == ["compute environments dockwright then dockwright-spot -> dockwright-spot then dockwright"]
    assert update["jobQueue"] == QUEUE_ARN


class MovingBatch:
    """Batch whose jobs move while they are listed: moves[n] is applied to the jobs after the n-th list_jobs call
    ({job id: new status, or None once it has ended})."""

    def __init__(self, jobs, moves):
        self.jobs, self.moves, self.calls = dict(jobs), dict(moves), 0

    def get_paginator(self, name):
        return self

    def paginate(self, jobQueue, jobStatus):
        page = [{"jobId": job_id, "status": status} for job_id, status in sorted(self.jobs.items())
                if status == jobStatus]
        self.calls += 1
        for job_id, status in self.moves.pop(self.calls, {}).items():
            if status is None:
                self.jobs.pop(job_id)
            else:
                self.jobs[job_id] = status
        yield {"jobSummaryList": page}


def test_settled_jobs_lists_again_until_two_passes_agree():
    # A retried job goes back from RUNNING to RUNNABLE just after RUNNABLE was listed: the first pass misses it.
    batch = MovingBatch({"retried": "RUNNING"}, {3: {"retried": "RUNNABLE"}})
    assert [job["job_id"] for job in settled_jobs(batch, "q1")] == ["retried"]
    assert batch.calls == 15  # three passes: the first missed it, the next two agree


def test_settled_jobs_stops_after_two_agreeing_passes():
    batch = MovingBatch({"a": "SUBMITTED", "b": "RUNNING"}, {})
    assert {job["job_id"] for job in settled_jobs(batch, "q1")} == {"a", "b"}
    assert batch.calls == 10
    assert settled_jobs(MovingBatch({}, {}), "q1") == []


def test_a_job_that_moves_on_between_passes_is_still_one_job():
    batch = MovingBatch({"a": "RUNNABLE"}, {2: {"a": "STARTING"}, 7: {"a": "RUNNING"}})
    assert [(job["job_id"], job["status"]) for job in settled_jobs(batch, "q1")] == [("a", "RUNNING")]


def test_settled_jobs_that_never_agree_returns_the_last_two_passes_together():
    # Each pass sees another job: after max_passes it answers with what the last two passes saw.
    moves = {number * 5: {f"j{number}": None, f"j{number + 1}": "RUNNING"} for number in range(1, 10)}
    batch = MovingBatch({"j1": "RUNNING"}, moves)
    assert [job["job_id"] for job in settled_jobs(batch, "q1", max_passes=3)] == ["j2", "j3"]
    assert batch.calls == 15
