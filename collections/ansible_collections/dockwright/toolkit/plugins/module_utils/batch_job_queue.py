# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""Helpers of the job queue modules (batch_job_queue, batch_job_queue_info, batch_job_queue_drain) and of the
batch_environment role's checks.

The first part is pure (no Ansible API, no boto3; the rules come from module_utils.batch): the checks of a queue's
settings, and what differs between a described queue and the wanted one. The second part holds the few
describe/list calls the queue modules share; they take a boto3 client."""

from __future__ import annotations

from collections.abc import Mapping

from ansible_collections.dockwright.toolkit.plugins.module_utils.batch import (
    COMPUTE_ENVIRONMENT_ARN_PATTERN,
    NAME_RULE,
    is_name,
    namer,
)

ACTIVE_JOB_STATUSES = ("SUBMITTED", "PENDING", "RUNNABLE", "STARTING", "RUNNING")
# How many passes over the statuses settled_jobs makes at most before it takes what the last two saw together.
MAX_JOB_PASSES = 10
MAX_COMPUTE_ENVIRONMENTS = 3
MAX_PRIORITY = 1000


def queue_errors(settings: Mapping, names: Mapping[str, str] | None = None) -> list[str]:
    """Sentences naming each problem of a job queue's settings (empty when they are fine).

    settings holds name, state, priority and compute_environments (names or ARNs, in order); names says how to call
    each in the sentences (a role's variables; by default the keys). With state absent only the name counts; an
    absent priority or list of compute environments (None) is not checked (an existing queue keeps its own)."""
    call, errors = namer(names), []
    name = settings.get("name")
    if not is_name(name):
        errors.append(f"{call('name')} '{name}' is not a valid AWS Batch name (for a job queue): {NAME_RULE}.")
    if settings.get("state", "present") == "absent":
        return errors
    environments = settings.get("compute_environments")
    if environments is not None:
        environments = [str(item) for item in environments]
        bad = [item for item in environments
               if not (COMPUTE_ENVIRONMENT_ARN_PATTERN.match(item) if item.startswith("arn:") else is_name(item))]
        if bad:
            errors.append(f"{call('compute_environments')} holds {', '.join(bad)}: give compute environment names"
                          " (2 to 128 letters, digits, hyphens, underscores) or ARNs"
                          " (arn:aws:batch:REGION:ACCOUNT:compute-environment/NAME).")
        if not 1 <= len(environments) <= MAX_COMPUTE_ENVIRONMENTS or len(set(environments)) != len(environments):
            errors.append(f"{call('compute_environments')} must name 1 to {MAX_COMPUTE_ENVIRONMENTS} different compute"
                          f" environments, not {len(environments)} ({', '.join(environments)}).")
    priority = settings.get("priority")
    if priority is not None:
        try:
            number = int(str(priority).strip())
        except ValueError:
            number = -1
        if not 0 <= number <= MAX_PRIORITY:
            errors.append(f"{call('priority')} ({priority}) must lie between 0 and {MAX_PRIORITY}.")
    return errors


def bare_name(environment: str) -> str:
    """The name of a compute environment given by name or ARN."""
    return str(environment).rsplit("/", 1)[-1]


def same_environment(given: str, described: str) -> bool:
    """Whether a compute environment given by name or ARN is the one Batch describes (by ARN)."""
    if str(given).startswith("arn:"):
        return given == described
    return bare_name(given) == bare_name(described)


def current_settings(queue: Mapping | None) -> dict:
    """The compared settings of a described job queue (describe_job_queues item); {} for none."""
    if not queue:
        return {}
    order = sorted(queue.get("computeEnvironmentOrder") or [], key=lambda item: item.get("order", 0))
    return {"state": queue.get("state"), "priority": queue.get("priority"),
            "compute_environments": [item.get("computeEnvironment") for item in order]}


def wanted_settings(queue: Mapping | None, enabled: bool, priority: int | None, environments: list | None) -> dict:
    """The settings the options ask for; an option left out (None) keeps the described queue's value."""
    current = current_settings(queue)
    return {
        "state": "ENABLED" if enabled else "DISABLED",
        "priority": current.get("priority") if priority is None else int(priority),
        "compute_environments": current.get("compute_environments") if environments is None else list(environments),
    }


def queue_changes(queue: Mapping, wanted: Mapping) -> tuple[dict, list[str]]:
    """What it takes to bring a described queue to the wanted settings: the keyword arguments of
    batch.update_job_queue ({} when nothing differs) and the changes in plain words."""
    before = current_settings(queue)
    update, words = {}, []
    if wanted["state"] != before["state"]:
        update["state"] = wanted["state"]
        words.append(f"state {before['state']} -> {wanted['state']}")
    if wanted["priority"] != before["priority"]:
        update["priority"] = wanted["priority"]
        words.append(f"priority {before['priority']} -> {wanted['priority']}")
    have, want = before["compute_environments"], wanted["compute_environments"]
    if len(have) != len(want) or not all(
            same_environment(given, described) for given, described in zip(want, have, strict=True)):
        update["computeEnvironmentOrder"] = order_request(want)
        words.append(f"compute environments {' then '.join(map(bare_name, have))} ->"
                     f" {' then '.join(map(bare_name, want))}")
    if update:
        update = {"jobQueue": queue.get("jobQueueArn") or queue.get("jobQueueName"), **update}
    return update, words


def order_request(environments: list) -> list[dict]:
    """computeEnvironmentOrder for create_job_queue / update_job_queue."""
    return [{"order": index, "computeEnvironment": item} for index, item in enumerate(environments, start=1)]


# Client helpers (shared by the job queue modules).

def describe_queue(client, queue: str, retry: bool = True) -> dict | None:
    """The described job queue (by name or ARN), or None when there is none (or it is DELETED)."""
    queues = client.describe_job_queues(jobQueues=[queue], aws_retry=retry)["jobQueues"]
    queues = [item for item in queues if item.get("status") != "DELETED"]
    return queues[0] if queues else None


def active_jobs(client, queue: str, statuses=ACTIVE_JOB_STATUSES, retry: bool = True) -> list[dict]:
    """The queue's jobs in the given statuses, each {job_id, job_name, status}, oldest first."""
    jobs = []
    paginator = client.get_paginator("list_jobs")
    for status in statuses:
        for page in paginator.paginate(jobQueue=queue, jobStatus=status):
            for summary in page.get("jobSummaryList", []):
                # The status filter is asked of the API; it is checked again as emulators may ignore it.
                if summary.get("status", status) == status:
                    jobs.append({"job_id": summary["jobId"], "job_name": summary.get("jobName", ""),
                                 "status": status, "created_at": summary.get("createdAt", 0)})
    return sorted(jobs, key=lambda job: (job["created_at"], job["job_id"]))


def settled_jobs(client, queue: str, statuses=ACTIVE_JOB_STATUSES, retry: bool = True,
                 max_passes: int = MAX_JOB_PASSES) -> list[dict]:
    """The queue's jobs in the given statuses, listed over and over until two passes in a row find the same jobs.

    Batch lists one status per call, so one pass misses a job that moves back to a status listed already (a retried
    job goes from RUNNING to RUNNABLE) or is submitted meanwhile (disable the queue first: Batch then takes no new
    job). Two passes in a row that agree on the jobs found leave no such gap. After max_passes without agreement,
    the jobs of the last two passes together are returned (some may have ended since: too many rather than too
    few)."""
    previous = active_jobs(client, queue, statuses, retry)
    together = previous
    for _attempt in range(max_passes - 1):
        jobs = active_jobs(client, queue, statuses, retry)
        found = {job["job_id"] for job in jobs}
        if found == {job["job_id"] for job in previous}:
            return jobs
        together = jobs + [job for job in previous if job["job_id"] not in found]
        previous = jobs
    return sorted(together, key=lambda job: (job["created_at"], job["job_id"]))


def environment_arns(client, environments: list, retry: bool = True) -> dict:
    """The ARN of each compute environment given by name (names Batch does not know are left out)."""
    names = [item for item in environments if not str(item).startswith("arn:")]
    if not names:
        return {}
    found = client.describe_compute_environments(computeEnvironments=names, aws_retry=retry)["computeEnvironments"]
    return {item["computeEnvironmentName"]: item["computeEnvironmentArn"] for item in found
            if item.get("status") != "DELETED"}
