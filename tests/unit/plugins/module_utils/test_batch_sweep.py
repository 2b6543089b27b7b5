"""The rules of sweeps (grids) and dependencies, and the code that runs in each child of an array job."""

import json
import os
import subprocess
import sys

import pytest
from ansible_collections.dockwright.toolkit.plugins.module_utils.batch_sweep import (
    GRID_VARIABLE,
    MAX_OVERRIDES_CHARS,
    WRAPPER,
    array_ended,
    array_failure_message,
    array_status,
    child_counts,
    child_index,
    dependency_errors,
    depends_on_errors,
    depends_on_request,
    failed_child_line,
    grid_conflicts,
    grid_errors,
    grid_rows,
    grid_size,
    progress_line,
    request_size_errors,
    substitute,
    sweep_request,
)

ID = "4b5f7c1e-1d2f-4b8a-9f5e-0c1d2e3f4a5b"
OTHER = "0c1d2e3f-4a5b-4b8a-9f5e-4b5f7c1e1d2f"


@pytest.mark.parametrize("grid, size", [
    ([{"LR": 0.1}], 1),
    ([{"LR": 0.1, "EPOCHS": 10}, {"LR": 0.01, "EPOCHS": 20}], 2),
    ({"LR": [0.1, 0.01], "EPOCHS": [10, 20, 30]}, 6),
    ({"LR": [0.1, 0.01], "MODE": "fast"}, 2),
    ({"FLAG": [True, False], "name_2": ["a"]}, 2),
    ([{"LR": i} for i in range(10_000)], 10_000),
])
def test_good_grids(grid, size):
    assert grid_errors(grid) == []
    assert grid_size(grid) == size == len(grid_rows(grid))


@pytest.mark.parametrize("grid, fragment", [
    ([], "grid is empty"),
    ({}, "grid is empty"),
    (None, "grid holds nothing"),
    ("LR=0.1", "grid holds str"),
    ([{"LR": i} for i in range(10_001)], "has 10001 rows; an AWS Batch array job has at most 10000 children"),
    ({"A": list(range(101)), "B": list(range(100))}, "expands to 10100 rows"),
    ({"LR": []}, "LR has an empty list of values"),
    ([{"LR": 0.1}, "LR=0.2"], "row 2 is not a map of names to values"),
    ([{"LR": 0.1}, {}], "row 2 is not a map"),
    ([{"LR": [0.1, 0.2]}], "row 1: LR must be a plain value"),
    ([{"LR": None}], "row 1: LR must be a plain value"),
    ({"LR": [0.1, {"x": 1}]}, "LR must be a plain value"),
    ([{"LR": 0.1}, {"LR": 0.2, "EPOCHS": 3}], "row 2 has other names than row 1 (adds EPOCHS)"),
    ([{"LR": 0.1, "EPOCHS": 3}, {"LR": 0.2}], "row 2 has other names than row 1 (lacks EPOCHS)"),
    ([{"1LR": 0.1}], "1LR is not a valid environment variable name"),
    ({"learning-rate": [1, 2]}, "learning-rate is not a valid environment variable name"),
    ([{1: "x"}], "1 is not a valid environment variable name"),
    ({"AWS_BATCH_X": [1, 2]}, "AWS_BATCH_X is reserved"),
    ({GRID_VARIABLE: [1, 2]}, f"{GRID_VARIABLE} is reserved"),
])
def test_bad_grids(grid, fragment):
    errors = grid_errors(grid)
    assert any(fragment in error for error in errors), errors


def test_the_grid_file_is_named():
    assert grid_errors([], "batch_job_grid_file sweep.yml")[0].startswith("batch_job_grid_file sweep.yml is empty")


def test_product_rows_vary_the_last_list_fastest_and_values_are_text():
    assert grid_rows({"LR": [0.1, 0.01], "E": [1, 2], "F": True}) == [
        {"LR": "0.1", "E": "1", "F": "true"}, {"LR": "0.1", "E": "2", "F": "true"},
        {"LR": "0.01", "E": "1", "F": "true"}, {"LR": "0.01", "E": "2", "F": "true"}]


@pytest.mark.parametrize("words, row, expected", [
    (["train.py", "--lr", "Ref::LR"], {"LR": "0.1"}, ["train.py", "--lr", "0.1"]),
    (["--lr=Ref::LR", "Ref::LR2", "Ref::other"], {"LR": "0.1"}, ["--lr=0.1", "Ref::LR2", "Ref::other"]),
    ([], {"LR": "1"}, []),
])
def test_substitute(words, row, expected):
    assert substitute(words, row) == expected


BASE = {"jobName": "sweep", "jobQueue": "q", "jobDefinition": "iris"}


def test_one_row_is_a_plain_job_with_its_row():
    request = sweep_request({**BASE, "containerOverrides": {"environment": [{"name": "KEPT", "value": "1"}]}},
                            [{"LR": 0.5}], ["python", "train.py", "Ref::LR"])
    assert "arrayProperties" not in request
    assert request["containerOverrides"] == {"command": ["python", "train.py", "0.5"],
                                             "environment": [{"name": "KEPT", "value": "1"},
                                                             {"name": "LR", "value": "0.5"}]}
    # The definition's command is kept when it has no Ref:: of the grid.
    assert "command" not in sweep_request(BASE, [{"LR": 0.5}], ["python", "train.py"])["containerOverrides"]


@pytest.mark.parametrize("grid", [
    [{"LR": 0.1, "NAME": "a b"}, {"LR": 0.01, "NAME": "c"}, {"LR": 0.001, "NAME": "d"}],
    {"LR": [0.1, 0.01, 0.001], "NAME": ["a b", "c"]},
])
def test_every_child_runs_its_own_row(grid, tmp_path):
    """The wrapper, run by a real python3 as Batch runs a child (with only its index), execs the command with the
    row exported and in the Ref:: words; moto gives only AWS_BATCH_JOB_ID=PARENT:INDEX, which is enough too."""
    request = sweep_request(BASE, grid, [sys.executable, "-c", "import os, sys; print(os.environ['LR'],"
                                         " os.environ['NAME'], sys.argv[1:])", "--lr", "Ref::LR"])
    assert request["arrayProperties"] == {"size": grid_size(grid)}
    command = request["containerOverrides"]["command"]
    assert command[:3] == ["python3", "-c", WRAPPER]
    environment = {item["name"]: item["value"] for item in request["containerOverrides"]["environment"]}
    for index, row in enumerate(grid_rows(grid)):
        told = ({"AWS_BATCH_JOB_ARRAY_INDEX": str(index)} if index % 2 else {"AWS_BATCH_JOB_ID": f"{ID}:{index}"})
        run = subprocess.run([sys.executable, "-c", *command[2:]], env={**os.environ, **environment, **told},
                             capture_output=True, text=True, check=True)
        assert run.stdout.strip() == f"{row['LR']} {row['NAME']} ['--lr', '{row['LR']}']"


def test_a_child_exits_with_its_command_s_code():
    request = sweep_request(BASE, {"CODE": [0, 3]}, [sys.executable, "-c", "import sys; sys.exit(int('Ref::CODE'))"])
    environment = {item["name"]: item["value"] for item in request["containerOverrides"]["environment"]}
    command = request["containerOverrides"]["command"]
    codes = [subprocess.run([sys.executable, "-c", *command[2:]], check=False,
                            env={**os.environ, **environment, "AWS_BATCH_JOB_ARRAY_INDEX": str(index)}).returncode
             for index in range(2)]
    assert codes == [0, 3]


def test_a_product_grid_sends_only_its_lists():
    request = sweep_request(BASE, {"A": list(range(100)), "B": list(range(100))}, ["run"])
    [grid] = [item["value"] for item in request["containerOverrides"]["environment"] if item["name"] == GRID_VARIABLE]
    assert json.loads(grid)["p"][0][:3] == ["0", "1", "2"] and request["arrayProperties"]["size"] == 10_000
    assert request_size_errors(request) == []


def test_a_grid_too_large_for_the_overrides_is_refused_naming_the_limit():
    rows = [{"TEXT": "x" * 40, "N": index} for index in range(200)]
    errors = request_size_errors(sweep_request(BASE, rows, ["run"]), "batch_job_grid_file big.yml")
    assert any(f"at most {MAX_OVERRIDES_CHARS} characters of overrides" in error for error in errors), errors
    assert errors[0].startswith("batch_job_grid_file big.yml makes the job's container overrides")
    rows = [{"TEXT": "x" * 200, "N": index} for index in range(200)]
    errors = request_size_errors(sweep_request(BASE, rows, ["run"]))
    assert any("at most 30720 bytes (30 KiB, the SubmitJob payload quota)" in error for error in errors), errors


@pytest.mark.parametrize("environment, parameters, command, fragment", [
    ({"LR": "1"}, {}, [], "grid and environment both set LR"),
    ({}, {"LR": "1"}, ["Ref::LR"], "grid sets LR, which parameters also gives"),
])
def test_grid_conflicts(environment, parameters, command, fragment):
    errors = grid_conflicts({"LR": [1, 2]}, environment, parameters, command)
    assert any(fragment in error for error in errors), errors


def test_a_parameter_the_command_does_not_use_is_no_conflict():
    assert grid_conflicts({"LR": [1, 2]}, {}, {"LR": "1"}, ["python", "train.py"]) == []


@pytest.mark.parametrize("value, kind, sequential, size, expected", [
    ([], "", False, 1, []),
    ("", "", False, 1, []),
    (ID, "", False, 1, [{"jobId": ID}]),
    (f"{ID}, {OTHER}", "", False, 1, [{"jobId": ID}, {"jobId": OTHER}]),
    ([ID, {"job_id": OTHER, "type": "N_TO_N"}], "", False, 3, [{"jobId": ID}, {"jobId": OTHER, "type": "N_TO_N"}]),
    ([ID], "N_TO_N", True, 3, [{"jobId": ID, "type": "N_TO_N"}, {"type": "SEQUENTIAL"}]),
    ([f"{ID}:2"], "", False, 1, [{"jobId": f"{ID}:2"}]),
])
def test_good_dependencies(value, kind, sequential, size, expected):
    assert depends_on_errors(value, kind, sequential, size) == []
    assert depends_on_request(value, kind, sequential) == expected


NAMES = {key: f"batch_job_{key}" for key in ("depends_on", "depends_on_type", "sequential")}


@pytest.mark.parametrize("value, kind, sequential, size, fragment", [
    (["not-an-id"], "", False, 1, "batch_job_depends_on: not-an-id is not a Batch job ID"),
    ("12345", "", False, 1, "12345 is not a Batch job ID"),
    ([ID, ID], "", False, 1, f"batch_job_depends_on names {ID} more than once"),
    ([ID], "SEQUENTIAL", False, 1, "batch_job_depends_on_type 'SEQUENTIAL' is not a dependency type"),
    ([{"job_id": ID, "type": "ALL"}], "", False, 1, "type ALL is not N_TO_N"),
    ([{"id": ID}], "", False, 1, "a dependency is a job ID, or a map with job_id"),
    ({"job_id": ID}, "", False, 1, "batch_job_depends_on must be a list of job IDs"),
    ([ID], "N_TO_N", False, 1, "N_TO_N (batch_job_depends_on) is for an array job"),
    ([], "", True, 1, "batch_job_sequential runs an array job's children one after another"),
    ([f"{ID[:-3]}{n:03x}" for n in range(21)], "", False, 1, "has 21 dependencies; AWS Batch takes at most 20"),
])
def test_bad_dependencies(value, kind, sequential, size, fragment):
    errors = depends_on_errors(value, kind, sequential, size, NAMES)
    assert any(fragment in error for error in errors), errors


def test_what_describe_jobs_says_against_the_dependencies():
    described = [{"jobId": ID, "jobName": "prep", "status": "RUNNING"},
                 {"jobId": OTHER, "jobName": "sweep", "status": "FAILED", "arrayProperties": {"size": 2}}]
    assert dependency_errors([{"jobId": ID}], described, 1) == []
    errors = dependency_errors([{"jobId": ID[::-1]}, {"jobId": OTHER, "type": "N_TO_N"},
                                {"jobId": ID, "type": "N_TO_N"}, {"type": "SEQUENTIAL"}], described, 3)
    assert errors == [
        f"Job {ID[::-1]} (a dependency) does not exist in this region and account: check the ID (make submit prints"
        " it), the region and the endpoint.",
        f"Job sweep ({OTHER}) FAILED already: a job that depends on it would fail at once. Run it again first.",
        f"Job sweep ({OTHER}) is an array job of 2 children; N_TO_N needs an array job of 3 children, like this one.",
        f"Job prep ({ID}) is not an array job; N_TO_N needs an array job of 3 children, like this one."]


@pytest.mark.parametrize("job, size, ended, status", [
    ({"status": "PENDING", "arrayProperties": {"statusSummary": {"RUNNING": 2, "SUCCEEDED": 1}}}, 3, False, "PENDING"),
    ({"status": "PENDING", "arrayProperties": {"statusSummary": {"FAILED": 1, "SUCCEEDED": 2}}}, 3, True, "FAILED"),
    ({"status": "SUCCEEDED", "arrayProperties": {"statusSummary": {"SUCCEEDED": 3}}}, 3, True, "SUCCEEDED"),
    ({"status": "FAILED", "arrayProperties": {"statusSummary": {}}}, 3, True, "FAILED"),
    ({"status": "SUBMITTED"}, 3, False, "SUBMITTED"),
])
def test_array_end_and_status(job, size, ended, status):
    assert array_ended(job, size) is ended
    assert array_status(job, size) == status


def test_progress_and_failure_lines():
    counts = child_counts({"arrayProperties": {"statusSummary": {"SUCCEEDED": 2, "RUNNING": 1, "PENDING": 0}}})
    assert progress_line(counts, 3) == "children (3): 1 RUNNING, 2 SUCCEEDED"
    assert progress_line(child_counts({}), 3) == "children (3): none seen yet"
    assert child_index(f"{ID}:12") == 12 and child_index(ID) is None
    line = failed_child_line({"job_id": f"{ID}:1", "status_reason": "Essential container in task exited",
                              "exit_code": 3, "log_stream_name": "iris/default/x"}, "/aws/batch/job")
    assert line == (f"child 1 ({ID}:1) FAILED: Essential container in task exited, exit code 3; log stream"
                    " /aws/batch/job iris/default/x")
    assert failed_child_line({"job_id": f"{ID}:0"}, "/g") == f"child 0 ({ID}:0) FAILED; no log stream"
    message = array_failure_message("sweep", ID, {"FAILED": 1}, 3, [line], ["[1] boom"])
    assert message.startswith(f"Array job sweep ({ID}): 1 of 3 children FAILED.\nchild 1")
    assert message.endswith("Last log lines of the failed children:\n[1] boom")
