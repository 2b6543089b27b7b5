from ansible_collections.dockwright.toolkit.plugins.filter.batch_job_control_errors import (
    FilterModule,
    batch_job_control_errors,
)

GOOD = {"action": "logs", "job_id": "4b5f7c1e-1d2f-4b8a-9f5e-0c1d2e3f4a5b", "timeout": "3600", "poll_interval": "5",
        "log_wait": "10", "log_tail": "1000", "reason": "Cancelled with make cancel", "endpoint_url": ""}


def test_fine():
    assert batch_job_control_errors(GOOD) == []


def test_problems_name_the_role_variables():
    errors = batch_job_control_errors({**GOOD, "job_id": "", "timeout": "0", "endpoint_url": "ftp://x"})
    assert errors[0].startswith("batch_job_control_job_id is empty")
    assert errors[1].startswith("batch_job_control_timeout is seconds")
    assert "batch_job_control_endpoint_url" in errors[2]


def test_prefix_and_map():
    assert batch_job_control_errors({**GOOD, "action": "x"}, prefix="p_")[0].startswith("p_action 'x'")
    assert FilterModule().filters() == {"batch_job_control_errors": batch_job_control_errors}
