# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""Reading a Batch job's CloudWatch Logs lines while it runs, for the modules batch_job (submit and follow) and
batch_job_logs (follow a job submitted earlier): every attempt's stream in order, each read on from CloudWatch's
forward token, the lines handed to a live file (module_utils/live.py) and a log file as they come."""

from __future__ import annotations

import time
from collections import deque

try:
    from botocore.exceptions import BotoCoreError, ClientError
except ImportError:
    pass  # AnsibleAWSModule reports a missing botocore

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.dockwright.toolkit.plugins.module_utils.aws_client import aws_client
from ansible_collections.dockwright.toolkit.plugins.module_utils.batch_job import (
    job_outcome,
    log_lines,
    log_target,
    log_warning,
)
from ansible_collections.dockwright.toolkit.plugins.module_utils.batch_job_logs import attempt_header, attempt_streams


def error_text(err):
    if isinstance(err, ClientError):
        error = err.response.get("Error", {})
        return f"{error.get('Code', 'error')}: {error.get('Message', '')}".rstrip(": ")
    return str(err)


def job_summary(module, client, job):
    """The list_jobs summary of an ended job (carries the exit code where describe_jobs leaves it out)."""
    try:
        pages = client.get_paginator("list_jobs").paginate(
            jobQueue=job["jobQueue"], filters=[{"name": "JOB_NAME", "values": [job["jobName"]]}]
        )
        for page in pages:
            for summary in page.get("jobSummaryList", []):
                if summary.get("jobId") == job["jobId"]:
                    return summary
    except (BotoCoreError, ClientError, KeyError) as err:
        module.warn(f"Could not read the summary of Batch job {job.get('jobId')}: {err}")
    return None


class _Stream:
    """Where the reading of one attempt's stream is."""

    def __init__(self, name):
        self.name, self.token, self.found, self.shown, self.closed = name, None, False, False, False


class LogFollower:
    """Follows the job's CloudWatch Logs streams while the job runs and briefly after its end (the last lines, even the
    stream, can appear late): keeps the last tail lines, appends every line to log_file and to live (a LiveWriter)
    as it comes, each attempt's lines after a header. A log that cannot be read is recorded as an error for a
    warning; it never fails the run."""

    def __init__(self, module, batch, default_group, tail, log_file, live=None):
        self.module, self.batch = module, batch
        self.default_group, self.log_file, self.live = default_group, log_file, live
        self.lines, self.count = deque(maxlen=tail), 0
        self.target, self.client, self.streams = None, None, []
        self.error = None
        if log_file:  # this job's lines only, even when it writes none
            with open(log_file, "w", encoding="utf-8"):
                pass

    @property
    def group(self):
        return (self.target or {}).get("group") or self.default_group

    @property
    def found(self):
        """Whether the latest attempt's stream was there."""
        return bool(self.streams) and self.streams[-1].found

    def locate(self, job):
        """Where the job's lines are: its log configuration, read once (the job definition's when describe_jobs has
        none)."""
        definition = None
        if not (job.get("container") or {}).get("logConfiguration") and job.get("jobDefinition"):
            try:
                found = self.batch.describe_job_definitions(jobDefinitions=[job["jobDefinition"]],
                                                            aws_retry=True)["jobDefinitions"]
                definition = found[0] if found else None
            except (BotoCoreError, ClientError) as err:
                self.module.warn(f"Could not read job definition {job['jobDefinition']} for its log configuration"
                                 f" ({error_text(err)}): reading the lines from {self.default_group}.")
        self.target = log_target(job, definition, self.default_group)
        if self.target["group"] is None:
            self.module.warn(f"Batch job {job.get('jobName')} ({job.get('jobId')}) logs with the"
                             f" {self.target['driver']} driver: its lines are not in CloudWatch Logs, none are shown.")
            return
        region = {"region": self.target["region"]} if self.target["region"] else {}
        self.client = aws_client(self.module, "logs", **region)

    def read(self, job):
        """Reads what the job's streams gained since the last read, oldest attempt first; returns the number of new
        lines. An attempt's stream is read to its end once a later attempt has one, and then no more (once it was
        found)."""
        names = attempt_streams(job)
        if not names or self.error is not None:
            return 0
        if self.target is None:
            self.locate(job)
        if self.client is None:
            return 0
        known = {stream.name for stream in self.streams}
        self.streams += [_Stream(name) for name in names if name not in known]
        order = {name: number for number, name in enumerate(names)}  # the job's order, whatever was seen first
        self.streams.sort(key=lambda stream: order.get(stream.name, len(order)))
        new = 0
        for number, stream in enumerate(self.streams, start=1):
            if stream.closed:
                continue
            new += self._read_stream(job, number, stream)
            if self.error is not None:
                return new
            if number < len(self.streams) and stream.found:
                stream.closed = True
        return new

    def _read_stream(self, job, number, stream):
        new = 0
        while True:
            request = {"logGroupName": self.group, "logStreamName": stream.name, "startFromHead": True}
            if stream.token:
                request["nextToken"] = stream.token
            try:
                page = self.client.get_log_events(aws_retry=True, **request)
            except is_boto3_error_code("ResourceNotFoundException"):
                return new  # not there yet: the stream is created with the first line
            except (BotoCoreError, ClientError) as err:  # pylint: disable=duplicate-except
                self.error = error_text(err)
                return new
            stream.found = True
            lines = log_lines(page.get("events", []))
            if lines and not stream.shown:
                stream.shown = True
                self._write([attempt_header(job, number, self.group, stream.name)], note=True)
            self.keep(lines)
            new += len(lines)
            following = page.get("nextForwardToken")
            if not following or following == stream.token:
                return new
            stream.token = following

    def _write(self, lines, note=False):
        if self.log_file:
            with open(self.log_file, "a", encoding="utf-8") as handle:
                handle.write("".join(line + "\n" for line in lines))
        if self.live is not None:
            if note:
                for line in lines:
                    self.live.note(line)
            else:
                self.live.lines(lines)

    def keep(self, lines):
        if not lines:
            return
        self.lines.extend(lines)
        self._write(lines)
        self.count += len(lines)

    def settle(self, job, seconds):
        """After the job's end: reads again, a second apart, until a read brings nothing new from a stream that
        exists, or seconds have passed."""
        if not job_outcome(job)["log_stream_name"] or self.client is None:
            return
        deadline, quiet = time.monotonic() + seconds, False
        while self.error is None and not (self.found and quiet) and time.monotonic() < deadline:
            time.sleep(min(1.0, max(deadline - time.monotonic(), 0)))
            quiet = self.read(job) == 0

    def warnings(self, outcome, seconds):
        if self.error is not None:
            return [log_warning(outcome, self.group, self.error)]
        if outcome["log_stream_name"] and self.client is not None and not self.found:
            return [log_warning(outcome, self.group, f"the stream did not appear within {seconds} s of the job's end"
                                " (the job may have failed before its container started)")]
        return []
