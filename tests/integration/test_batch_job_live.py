"""Following a Batch job while it runs (make submit's live lines, Ctrl-C), make logs and make cancel, against the
moto server, which runs the jobs as containers on the local Docker engine.

moto files a container's output in CloudWatch Logs only once the container has stopped, and leaves the log stream's
name out of describe_jobs until then; AWS names the stream as soon as the job runs and its lines arrive as they are
written. So a proxy in front of moto (tests/servers.py) adds the stream's name (the one moto uses at the end) to a
running job, and the test writes lines into that stream while the job runs: what a running job's awslogs driver
does. The job's own last line comes from moto, at its end."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
import time
import uuid
from pathlib import Path

import pytest
from conftest import DUMMY_SECRET, ROOT, VENV_BIN, batch_queue, recap
from servers import aws_proxy

pytestmark = [pytest.mark.batch_job, pytest.mark.batch_job_control]

IMAGE = "python:3.11-slim"
GROUP = "/aws/batch/job"


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


@pytest.fixture(scope="module")
def queue(engine, boto):
    name = unique("dw-live")
    return batch_queue(boto, name, 46)


def job_definition(boto, script: str) -> str:
    name = unique("dw-live")
    boto("batch").register_job_definition(
        jobDefinitionName=name, type="container",
        containerProperties={"image": IMAGE, "command": ["python", "-c", script],
                             "resourceRequirements": [{"type": "VCPU", "value": "1"},
                                                      {"type": "MEMORY", "value": "512"}]})
    return name


def stream_of(job: dict) -> str:
    """The stream moto writes the job's output to at its end (and AWS names while it runs)."""
    definition = job["jobDefinition"].rsplit("/", 1)[1].split(":")[0]
    return f"{definition}/default/{job['jobId']}"


def name_running_streams(request: dict, answer: tuple[int, dict]):
    """describe_jobs as AWS answers it: a job that runs has its log stream's name."""
    status, document = answer
    if request["path"] != "/v1/describejobs" or status != 200:
        return None
    for job in document.get("jobs", []):
        if job.get("status") in ("STARTING", "RUNNING") and not (job.get("container") or {}).get("logStreamName"):
            job.setdefault("container", {})["logStreamName"] = stream_of(job)
    return status, document


@pytest.fixture
def aws(moto, aws_env):
    """The environment of a run whose AWS calls go through the proxy."""
    with aws_proxy(moto, rewrite=name_running_streams) as url:
        yield {**aws_env, "AWS_ENDPOINT_URL": url}


class Run:
    """A process whose output lines are collected as they come, so that a test can act while it runs."""

    def __init__(self, command: list[str], env: dict[str, str]):
        self.lines: list[str] = []
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                        text=True, start_new_session=True)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self):
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, text: str, seconds: float = 60) -> int:
        """The index of the first line holding text, once it has been printed."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            for index, line in enumerate(list(self.lines)):
                if text in line:
                    return index
            if self.process.poll() is not None and not self._reader.is_alive():
                break
            time.sleep(0.1)
        raise AssertionError(f"{text!r} was not printed:\n" + "\n".join(self.lines[-60:]))

    def interrupt(self):
        """Ctrl-C: SIGINT to the whole process group, as a terminal sends it."""
        os.killpg(self.process.pid, signal.SIGINT)

    def finish(self, seconds: float = 180) -> tuple[int, str]:
        code = self.process.wait(timeout=seconds)
        self._reader.join(timeout=10)
        output = "\n".join(self.lines)
        assert DUMMY_SECRET not in output
        return code, output


def submit(env: dict, queue: str, definition: str, tmp_path: Path) -> Run:
    playbook = tmp_path / "submit.yml"
    playbook.write_text(json.dumps([{"name": "Submit", "hosts": "localhost", "gather_facts": False,
                                     "roles": [{"role": "batch_job"}]}]))
    extra = {"batch_job_queue": queue, "batch_job_definition": definition, "batch_job_poll_interval": 1}
    return Run([str(VENV_BIN / "ansible-playbook"), str(playbook), "-e", json.dumps(extra)], env)


def make(env: dict, target: str, *args: str) -> Run:
    return Run(["make", "--no-print-directory", target, *args], env)


def job_named(boto, queue: str, name: str, seconds: float = 60) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        jobs = boto("batch").list_jobs(jobQueue=queue, filters=[{"name": "JOB_NAME", "values": [name]}])
        if jobs["jobSummaryList"]:
            return describe(boto, jobs["jobSummaryList"][0]["jobId"])
        time.sleep(0.2)
    raise AssertionError(f"no job {name} on {queue}")


def describe(boto, job_id: str) -> dict:
    return boto("batch").describe_jobs(jobs=[job_id])["jobs"][0]


def wait_status(boto, job_id: str, statuses: tuple[str, ...], seconds: float = 90) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job = describe(boto, job_id)
        if job["status"] in statuses:
            return job
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} is {job['status']}, not {statuses}")


def write_lines(boto, job: dict, *lines: str) -> None:
    """What the awslogs driver of a running job does: its lines into the job's stream, as they are written."""
    logs, stream = boto("logs"), stream_of(job)
    if not logs.describe_log_groups(logGroupNamePrefix=GROUP)["logGroups"]:
        logs.create_log_group(logGroupName=GROUP)
    if not logs.describe_log_streams(logGroupName=GROUP, logStreamNamePrefix=stream)["logStreams"]:
        logs.create_log_stream(logGroupName=GROUP, logStreamName=stream)
    now = int(time.time() * 1000)
    logs.put_log_events(logGroupName=GROUP, logStreamName=stream,
                        logEvents=[{"timestamp": now + number, "message": line} for number, line in enumerate(lines)])


def test_lines_are_printed_while_the_job_runs_and_once(aws, boto, queue, tmp_path):
    """The job's lines appear in the report while describe_jobs still says RUNNING, each once, after a header naming
    the attempt's stream, and the job's last line (filed at its end) before its status."""
    definition = job_definition(boto, "import time; time.sleep(15); print('container end', flush=True)")
    run = submit(aws, queue, definition, tmp_path)
    job = wait_status(boto, job_named(boto, queue, definition)["jobId"], ("RUNNING",))
    write_lines(boto, job, "live line 1")
    first = run.wait_for("live line 1", seconds=12)
    assert describe(boto, job["jobId"])["status"] == "RUNNING", "the line was printed only after the job's end"
    write_lines(boto, job, "live line 2")
    second = run.wait_for("live line 2", seconds=12)
    assert describe(boto, job["jobId"])["status"] == "RUNNING", "the second line came only after the job's end"
    code, output = run.finish()
    assert code == 0, output[-3000:]
    for line in ("live line 1", "live line 2", "container end"):
        assert output.count(line) == 1, f"{line!r} printed {output.count(line)} times:\n{output}"
    header = run.wait_for(f"--- {definition} ({job['jobId']}), attempt 1: {GROUP} {stream_of(job)}")
    following = run.wait_for(f"Following Batch job {definition} ({job['jobId']}) on queue {queue}; Ctrl-C stops")
    running = run.wait_for(f"Job {definition} ({job['jobId']}) is RUNNING.")
    end, status = run.wait_for("container end"), run.wait_for("SUCCEEDED, exit code 0")
    assert following < running < header < first < second < end < status
    assert recap(output)["changed"] == 1 and recap(output)["failed"] == 0

    # make logs on the ended job: every line, from the start, once each.
    logs = make(aws, "logs", f"JOB_ID={job['jobId']}")
    code, output = logs.finish()
    assert code == 0, output[-3000:]
    assert [line for line in logs.lines if line.endswith(("live line 1", "live line 2", "container end"))] == [
        "live line 1", "live line 2", "container end"]
    assert f"Job {definition} ({job['jobId']}): SUCCEEDED, exit code 0" in output
    assert recap(output)["changed"] == 0


def test_ctrl_c_stops_following_and_make_logs_and_cancel_take_over(aws, boto, queue, tmp_path):
    definition = job_definition(boto, "import time; time.sleep(120)")
    run = submit(aws, queue, definition, tmp_path)
    job = wait_status(boto, job_named(boto, queue, definition)["jobId"], ("RUNNING",))
    write_lines(boto, job, "working on it")
    run.wait_for("working on it", seconds=15)
    run.interrupt()
    code, output = run.finish(seconds=60)
    assert code != 0
    job_id = job["jobId"]
    assert f"Stopped following Batch job {definition} ({job_id}): the job keeps running in AWS Batch." in output
    assert f"make logs JOB_ID={job_id}" in output and f"make cancel JOB_ID={job_id}" in output
    assert describe(boto, job_id)["status"] == "RUNNING"

    # A job waiting for this one stays PENDING: make cancel cancels it (CancelJob), it never starts.
    waiting = boto("batch").submit_job(jobName=unique("dw-waits"), jobQueue=queue, jobDefinition=definition,
                                       dependsOn=[{"jobId": job_id}])["jobId"]
    wait_status(boto, waiting, ("PENDING",))
    cancel = make(aws, "cancel", f"JOB_ID={waiting}")
    code, output = cancel.finish()
    assert code == 0, output[-3000:]
    assert "was PENDING: cancelled, now FAILED." in output and recap(output)["changed"] == 1
    assert describe(boto, waiting)["statusReason"] == "Cancelled with make cancel"

    # make logs follows the running job again, from its first line, until make cancel terminates it.
    logs = make(aws, "logs", f"JOB_ID={job_id}")
    logs.wait_for("working on it", seconds=30)
    assert describe(boto, job_id)["status"] == "RUNNING"
    cancel = make(aws, "cancel", f"JOB_ID={job_id}", "REASON=no longer needed")
    code, output = cancel.finish()
    assert code == 0, output[-3000:]
    assert f"({job_id}) was RUNNING: terminated, now FAILED." in output and recap(output)["changed"] == 1
    code, output = logs.finish()
    assert code != 0, "make logs of a FAILED job fails, as make submit does"
    assert output.count("working on it") == 1
    assert f"Batch job {definition} ({job_id}) FAILED: no longer needed" in output

    # Once more: the job has ended, nothing to stop.
    again = make(aws, "cancel", f"JOB_ID={job_id}")
    code, output = again.finish()
    assert code == 0, output[-3000:]
    assert "has ended already (FAILED): nothing to stop." in output and recap(output)["changed"] == 0


@pytest.mark.parametrize("target", ["logs", "cancel"])
def test_a_bad_job_id_is_refused_before_any_call(base_env, target):
    env = {**base_env, "AWS_ENDPOINT_URL": "http://127.0.0.1:9", "AWS_DEFAULT_REGION": "eu-west-1"}
    run = make(env, target, "JOB_ID=not-a-job")
    code, output = run.finish()
    assert code != 0
    assert "batch_job_control_job_id 'not-a-job' is not a Batch job id" in " ".join(output.split())
    assert "Follow the job" not in output and "Stop the job" not in output

    run = make(env, target)
    code, output = run.finish()
    assert code == 2 and f"make {target}: give the job's id" in output


def test_every_attempt_is_followed_in_order_after_its_header(moto, aws_env, boto, queue, tmp_path):
    """A job Batch ran twice (its first host lost, say) has a stream per attempt: both are shown, in order, each after
    a header. moto runs a job once: the proxy adds an ended first attempt to describe_jobs, as Batch tells it (the
    job's streams are shown once the test has filled the first attempt's)."""
    definition = job_definition(boto, "import time; time.sleep(12); print('second attempt end', flush=True)")
    first_ready = threading.Event()

    def retried(request, answer):
        if request["path"] != "/v1/describejobs" or not first_ready.is_set():
            return None
        answered = name_running_streams(request, answer)
        for job in answered[1].get("jobs", []):
            if job["jobName"] == definition:
                first = {"container": {"logStreamName": f"{stream_of(job)}-1", "exitCode": 137},
                         "statusReason": "Host EC2 (instance i-0123) terminated."}
                job["attempts"] = [first, *job.get("attempts", [])]
        return answered

    with aws_proxy(moto, rewrite=retried) as url:
        run = submit({**aws_env, "AWS_ENDPOINT_URL": url}, queue, definition, tmp_path)
        job = wait_status(boto, job_named(boto, queue, definition)["jobId"], ("RUNNING",))
        write_lines(boto, job, "second attempt line")  # the group too
        logs, first_stream = boto("logs"), f"{stream_of(job)}-1"
        logs.create_log_stream(logGroupName=GROUP, logStreamName=first_stream)
        logs.put_log_events(logGroupName=GROUP, logStreamName=first_stream, logEvents=[
            {"timestamp": int(time.time() * 1000), "message": "first attempt line"}])
        first_ready.set()
        run.wait_for("second attempt line", seconds=15)
        assert describe(boto, job["jobId"])["status"] == "RUNNING"
        code, output = run.finish()
    assert code == 0, output[-3000:]
    label = f"{definition} ({job['jobId']})"
    order = [run.wait_for(text) for text in (
        f"--- {label}, attempt 1: {GROUP} {first_stream}", "first attempt line",
        f"--- {label}, attempt 2: {GROUP} {stream_of(job)}", "second attempt line", "second attempt end",
        "SUCCEEDED, exit code 0")]
    assert order == sorted(order), "\n".join(run.lines)
    for line in ("first attempt line", "second attempt line", "second attempt end", "attempt 1:", "attempt 2:"):
        assert output.count(line) == 1, output
