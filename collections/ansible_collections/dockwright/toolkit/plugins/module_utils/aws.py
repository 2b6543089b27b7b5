# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""What every dockwright AWS module shares: the botocore errors a call may raise, and the polling loop that waits
for Batch to reach a state (an environment to settle, jobs to end)."""

from __future__ import annotations

import time

try:
    from botocore.exceptions import BotoCoreError, ClientError

    AWS_ERRORS: tuple = (ClientError, BotoCoreError)
except ImportError:
    AWS_ERRORS = ()  # AnsibleAWSModule reports a missing botocore


def error_code(err) -> str:
    """The AWS error code of a ClientError ("ResourceNotFoundException", ...); "" for any other error."""
    return (getattr(err, "response", None) or {}).get("Error", {}).get("Code", "")


def poll_until(probe, done, deadline, first=1.0, factor=2.0, longest=10.0, clock=time.monotonic, sleep=time.sleep):
    """Calls probe() until done(value) holds or the clock passes deadline (a clock() value), pausing first seconds
    after the first look and factor times longer after each next one, up to longest; no pause runs past deadline.
    Returns (the last value, whether done(value) held)."""
    pause = first
    value = probe()
    while not done(value):
        left = deadline - clock()
        if left <= 0:
            return value, False
        sleep(min(pause, left))
        pause = min(pause * factor, longest)
        value = probe()
    return value, True
