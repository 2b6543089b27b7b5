import pytest
from ansible_collections.dockwright.toolkit.plugins.filter.batch_schedule_errors import (
    FilterModule,
    batch_schedule_errors,
)

# The batch_schedule role's defaults with a queue, a job definition and an expression.
GOOD = {"name": "nightly", "group": "default", "state": "present", "expression": "cron(0 3 * * ? *)",
        "timezone": "", "job_queue": "ml-queue", "job_definition": "iris-train", "job_name": "", "role_arn": "",
        "description": "", "endpoint_url": ""}


def test_a_fine_schedule():
    assert batch_schedule_errors(GOOD) == []


@pytest.mark.parametrize("change, fragment", [
    ({"expression": "cron(0 3 * * *)"}, "batch_schedule_expression 'cron(0 3 * * *)' has 5 fields"),
    ({"job_queue": ""}, "batch_schedule_job_queue is empty"),
    ({"job_definition": "iris:x"}, "batch_schedule_job_definition 'iris:x' is neither"),
    ({"role_arn": "role"}, "batch_schedule_role_arn 'role' is not an IAM role ARN"),
    ({"name": "night ly"}, "batch_schedule_name 'night ly' is not a valid schedule name"),
    ({"endpoint_url": "localhost:5000"}, "batch_schedule_endpoint_url"),
])
def test_problems_name_the_role_variable(change, fragment):
    errors = batch_schedule_errors({**GOOD, **change})
    assert any(fragment in error for error in errors), errors


def test_prefix_and_registration():
    assert batch_schedule_errors({**GOOD, "job_queue": ""}, prefix="s_")[0].startswith("s_job_queue is empty")
    assert FilterModule().filters()["batch_schedule_errors"] is batch_schedule_errors
