import pytest
from ansible_collections.dockwright.toolkit.plugins.filter.batch_job_errors import FilterModule, batch_job_errors

# The batch_job role's defaults with a queue and a job definition.
GOOD = {"queue": "dw-queue", "job_definition": "iris", "name": "", "parameters": {}, "command": [],
        "environment": {}, "vcpus": "0", "memory": "0", "timeout": "3600", "poll_interval": "5"}


@pytest.mark.parametrize("settings", [GOOD, {**GOOD, "command": "python train.py", "job_definition": "iris:2"}])
def test_fine_jobs(settings):
    assert batch_job_errors(settings) == []


@pytest.mark.parametrize("change, fragment", [
    ({"queue": ""}, "batch_job_queue is empty"),
    ({"job_definition": "iris:0"}, "batch_job_definition 'iris:0' is neither"),
    ({"job_definition": ""}, "batch_job_definition is empty"),
    ({"name": "x"}, "The job name 'x' (batch_job_name"),
    ({"environment": {"1BAD": "v"}}, "batch_job_environment has invalid variable names (1BAD)"),
    ({"command": {"a": 1}}, "batch_job_command must be a list of strings or a string"),
    ({"timeout": "0"}, "batch_job_timeout and batch_job_poll_interval are seconds"),
])
def test_problems_name_the_role_variable(change, fragment):
    errors = batch_job_errors({**GOOD, **change})
    assert any(fragment in error for error in errors), errors


def test_prefix():
    assert batch_job_errors({**GOOD, "queue": ""}, prefix="job_")[0].startswith("job_queue is empty")


def test_filter_map():
    assert FilterModule().filters() == {"batch_job_errors": batch_job_errors}
