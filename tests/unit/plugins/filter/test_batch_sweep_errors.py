import pytest
from ansible_collections.dockwright.toolkit.plugins.filter.batch_sweep_errors import FilterModule, batch_sweep_errors

ID = "4b5f7c1e-1d2f-4b8a-9f5e-0c1d2e3f4a5b"
# The batch_job role's defaults with a queue, a job definition and a grid file.
GOOD = {"grid_file": "sweep.yml", "grid": {"LR": [0.1, 0.01]}, "depends_on": [], "depends_on_type": "",
        "sequential": False, "name": "sweep", "queue": "q", "job_definition": "iris", "command": [],
        "environment": {}, "parameters": {}}


@pytest.mark.parametrize("settings", [
    GOOD,
    {**GOOD, "grid_file": "", "grid": None},
    {**GOOD, "depends_on": f"{ID},{ID[:-1]}0", "sequential": True, "command": "python train.py --lr Ref::LR"},
])
def test_fine(settings):
    assert batch_sweep_errors(settings) == []


@pytest.mark.parametrize("change, fragment", [
    ({"grid": []}, "batch_job_grid_file sweep.yml is empty"),
    ({"grid": [{"bad-name": 1}]}, "batch_job_grid_file sweep.yml: bad-name is not a valid environment variable"),
    ({"grid": None}, "batch_job_grid_file sweep.yml holds nothing"),
    ({"environment": {"LR": "1"}}, "batch_job_grid_file sweep.yml and batch_job_environment both set LR"),
    ({"parameters": {"LR": "1"}, "command": "train Ref::LR"}, "which batch_job_parameters also gives"),
    ({"grid": {"T": ["x" * 50 + str(n) for n in range(200)]}}, "characters of overrides"),
    ({"depends_on": "nope"}, "batch_job_depends_on: nope is not a Batch job ID"),
    ({"grid_file": "", "grid": None, "sequential": True}, "batch_job_sequential runs an array job's children"),
])
def test_problems_name_the_role_variable(change, fragment):
    errors = batch_sweep_errors({**GOOD, **change})
    assert any(fragment in error for error in errors), errors


def test_registered():
    assert FilterModule().filters()["batch_sweep_errors"] is batch_sweep_errors
