# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""Sweeps and dependencies of a Batch job: a grid file read as rows, how the rows travel with one array job, the
dependsOn list, and what an array job's children say about its end. Pure functions (no Ansible API, no boto3),
shared by the batch_job module and the role's preflight (filter batch_sweep_errors), table-tested.

How a grid travels. Batch tells each child of an array job only its index (AWS_BATCH_JOB_ARRAY_INDEX; moto sets
none, but a child's AWS_BATCH_JOB_ID is PARENT:INDEX there as on AWS). So the grid rides in one environment
variable, DOCKWRIGHT_GRID, as compact JSON: the names once and the rows' values as text, or, for a product grid,
only the lists. The command becomes `python3 -c WRAPPER COMMAND...`: the wrapper picks the child's row, exports it
as environment variables named by the grid's keys, replaces `Ref::NAME` in the command's words with the row's value
and execs the command (the job's own process, its exit code is the child's). A one-row grid is a plain job: the row
is sent as environment variables and the `Ref::` words are replaced before submitting."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from ansible_collections.dockwright.toolkit.plugins.module_utils.batch import (
    ENVIRONMENT_VARIABLE_PATTERN,
    as_text,
    namer,
)

# AWS Batch: an array job has 2 to 10,000 children; a job has at most 20 dependencies; a SubmitJob request is at
# most 30 KiB (service quotas). Batch starts an ECS task per job, and ECS takes at most 8192 characters of container
# overrides (RunTask), which is where the grid and the wrapper travel.
MIN_ARRAY_SIZE = 2
MAX_ROWS = 10_000
MAX_DEPENDENCIES = 20
MAX_REQUEST_BYTES = 30 * 1024
MAX_OVERRIDES_CHARS = 8192
GRID_VARIABLE = "DOCKWRIGHT_GRID"
DEPENDENCY_TYPES = ("N_TO_N", "SEQUENTIAL")
# Batch job IDs are UUIDs; an array job's child is PARENT:INDEX.
JOB_ID_PATTERN = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(:\d+)?$")
REF_PATTERN = re.compile(r"Ref::(\w+)")
# Children whose log lines are read back (beyond it, only the failed children's).
CHILD_LOGS_LIMIT = 100
# The order a count of children is told in.
CHILD_STATUSES = ("SUBMITTED", "PENDING", "RUNNABLE", "STARTING", "RUNNING", "SUCCEEDED", "FAILED")

# Run in each child by python3 (every dockwright image has it): the child's row, exported, and the command exec'd.
WRAPPER = (
    "import itertools as t,json,os,re,sys\n"
    f"g=json.loads(os.environ['{GRID_VARIABLE}'])\n"
    "i=int(os.environ.get('AWS_BATCH_JOB_ARRAY_INDEX') or os.environ['AWS_BATCH_JOB_ID'].rpartition(':')[2])\n"
    "r=dict(zip(g['k'],g['r'][i] if 'r' in g else next(t.islice(t.product(*g['p']),i,None))))\n"
    "os.environ.update(r)\n"
    "a=[re.sub(r'Ref::(\\w+)',lambda m:r.get(m[1],m[0]),w) for w in sys.argv[1:]]\n"
    "os.execvp(a[0],a)\n"
)


def _plain(value: Any) -> bool:
    return isinstance(value, (str, int, float, bool))


def _name_errors(names, what: str) -> list[str]:
    errors = []
    bad = [str(name) for name in names if not (isinstance(name, str) and ENVIRONMENT_VARIABLE_PATTERN.match(name))]
    if bad:
        errors.append(f"{what}: {', '.join(bad)} {'is not a valid' if len(bad) == 1 else 'are not valid'} environment"
                      " variable name(s): use letters, digits and underscores, not starting with a digit.")
    reserved = [name for name in names
                if isinstance(name, str) and (name.startswith("AWS_BATCH") or name == GRID_VARIABLE)]
    if reserved:
        errors.append(f"{what}: {', '.join(reserved)} {'is' if len(reserved) == 1 else 'are'} reserved (AWS_BATCH*"
                      f" by AWS Batch, {GRID_VARIABLE} by dockwright): rename.")
    return errors


def _value_errors(values, where: str) -> list[str]:
    bad = [name for name, value in values if not _plain(value)]
    if not bad:
        return []
    return [f"{where}: {', '.join(str(name) for name in bad)} must be a plain value (text, number, true/false), not"
            " a list, a map or nothing."]


def grid_errors(grid: Any, what: str = "grid") -> list[str]:
    """Sentences naming each problem of a grid (empty when there is none). A grid is a list of rows (maps of names
    to plain values, the same names in each) or a map of names to lists of values (a product; a plain value is a
    list of one); it expands to 1 to 10,000 rows."""
    if isinstance(grid, list):
        if not grid:
            return [f"{what} is empty: give a list of rows (maps of names to values) or a map of names to lists."]
        if len(grid) > MAX_ROWS:
            return [f"{what} has {len(grid)} rows; an AWS Batch array job has at most {MAX_ROWS} children: split it"
                    " into several files."]
        errors, names = [], None
        for number, row in enumerate(grid, 1):
            if not isinstance(row, Mapping) or not row:
                errors.append(f"{what}: row {number} is not a map of names to values (NAME: value).")
                continue
            if names is None:
                names = list(row)
                errors += _name_errors(names, what)
            elif set(row) != set(names):
                missing = [str(name) for name in names if name not in row]
                extra = [str(name) for name in row if name not in names]
                errors.append(f"{what}: row {number} has other names than row 1 ("
                              + "; ".join(([f"lacks {', '.join(missing)}"] if missing else [])
                                          + ([f"adds {', '.join(extra)}"] if extra else []))
                              + "): every row sets the same names.")
            errors += _value_errors(row.items(), f"{what}, row {number}")
        return errors
    if isinstance(grid, Mapping):
        if not grid:
            return [f"{what} is empty: give a list of rows (maps of names to values) or a map of names to lists."]
        errors = _name_errors(list(grid), what)
        size = 1
        for name, values in grid.items():
            values = values if isinstance(values, list) else [values]
            if not values:
                errors.append(f"{what}: {name} has an empty list of values, so the grid has no rows.")
            errors += _value_errors([(name, value) for value in values], what)
            size *= len(values)
        if size > MAX_ROWS:
            errors.append(f"{what} expands to {size} rows (the product of its lists); an AWS Batch array job has at"
                          f" most {MAX_ROWS} children: use fewer values.")
        return errors
    kind = "nothing" if grid is None else type(grid).__name__
    return [f"{what} holds {kind}: give a list of rows (maps of names to values) or a map of names to lists of"
            " values."]


def grid_names(grid: Any) -> list[str]:
    """The grid's names, in the file's order."""
    if isinstance(grid, list):
        return [str(name) for name in (grid[0] if grid else {})]
    return [str(name) for name in grid or {}]


def grid_size(grid: Any) -> int:
    if isinstance(grid, list):
        return len(grid)
    size = 1
    for values in (grid or {}).values():
        size *= len(values) if isinstance(values, list) else 1
    return size


def grid_payload(grid: Any) -> dict:
    """What travels in DOCKWRIGHT_GRID: the names (k) and the rows' values as text (r), or the lists (p)."""
    names = grid_names(grid)
    if isinstance(grid, list):
        return {"k": names, "r": [[as_text(row[name]) for name in names] for row in grid]}
    return {"k": names, "p": [[as_text(value) for value in (values if isinstance(values, list) else [values])]
                              for values in grid.values()]}


def grid_rows(grid: Any) -> list[dict[str, str]]:
    """Every row, in child-index order (a product varies its last list fastest), its values as text."""
    payload = grid_payload(grid)
    if "r" in payload:
        return [dict(zip(payload["k"], values, strict=True)) for values in payload["r"]]
    rows: list[list[str]] = [[]]
    for values in payload["p"]:
        rows = [[*row, value] for row in rows for value in values]
    return [dict(zip(payload["k"], row, strict=True)) for row in rows]


def substitute(words: list[str], row: Mapping[str, str]) -> list[str]:
    """The command's words with each Ref::NAME of the row's names replaced by its value (others kept)."""
    return [REF_PATTERN.sub(lambda match: row.get(match[1], match[0]), word) for word in words]


def grid_conflicts(grid: Any, environment: Mapping | None, parameters: Mapping | None, command: list[str],
                   names: Mapping[str, str] | None = None, what: str = "grid") -> list[str]:
    """Names the grid shares with the job's environment, or with parameters its command refers to (Batch would
    replace Ref::NAME with the parameter before the row could)."""
    call, keys, errors = namer(names), grid_names(grid), []
    both = [key for key in keys if key in (environment or {})]
    if both:
        errors.append(f"{what} and {call('environment')} both set {', '.join(both)}: keep each name in one place.")
    used = {match for word in command for match in REF_PATTERN.findall(word)}
    shadowed = [key for key in keys if key in (parameters or {}) and key in used]
    if shadowed:
        errors.append(f"{what} sets {', '.join(shadowed)}, which {call('parameters')} also gives: Batch would put the"
                      " parameter's value in the command's Ref:: words, not the row's. Drop the parameter or rename.")
    return errors


def sweep_request(request: dict, grid: Any, command: list[str]) -> dict:
    """The submit_job request carrying the grid: an array job of one child per row (the rows in DOCKWRIGHT_GRID,
    the command wrapped), or for one row a plain job with the row as environment and in the command's Ref:: words.
    command is the command to run (the override, else the job definition's); request is left unchanged."""
    request = json.loads(json.dumps(request))
    overrides = request.setdefault("containerOverrides", {})
    environment = overrides.get("environment", [])
    if grid_size(grid) == 1:
        [row] = grid_rows(grid)
        environment = environment + [{"name": key, "value": value} for key, value in row.items()]
        words = substitute(command, row)
        if words != command or "command" in overrides:
            overrides["command"] = words
    else:
        payload = json.dumps(grid_payload(grid), separators=(",", ":"))
        environment = [*environment, {"name": GRID_VARIABLE, "value": payload}]
        overrides["command"] = ["python3", "-c", WRAPPER, *command]
        request["arrayProperties"] = {"size": grid_size(grid)}
    overrides["environment"] = sorted(environment, key=lambda item: item["name"])
    return request


def request_size_errors(request: Mapping, what: str = "grid") -> list[str]:
    """The limits a request carrying a grid must fit in, named."""
    overrides = len(json.dumps(request.get("containerOverrides", {}), separators=(",", ":")))
    total = len(json.dumps(request, separators=(",", ":")).encode("utf-8"))
    errors = []
    if overrides > MAX_OVERRIDES_CHARS:
        errors.append(f"{what} makes the job's container overrides {overrides} characters long; Batch runs a job as"
                      f" an ECS task, which takes at most {MAX_OVERRIDES_CHARS} characters of overrides: use fewer"
                      " or shorter values, write the grid as a map of lists (only the lists travel), or split it.")
    if total > MAX_REQUEST_BYTES:
        errors.append(f"{what} makes the submit_job request {total} bytes; AWS Batch takes at most"
                      f" {MAX_REQUEST_BYTES} bytes (30 KiB, the SubmitJob payload quota): split the grid.")
    return errors


def depends_on_list(value: Any, default_type: str = "") -> list[dict]:
    """The dependencies given as a list of job IDs or {job_id, type} maps, or as text (IDs separated by commas),
    as {jobId, type} items for the request (type left out when empty)."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        value = [part.strip() for part in value.split(",") if part.strip()]
    items = []
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, Mapping):
            job_id, kind = item.get("job_id"), item.get("type", default_type)
        else:
            job_id, kind = item, default_type
        entry = {"jobId": job_id if isinstance(job_id, str) else as_text(job_id)}
        if kind:
            entry["type"] = str(kind)
        items.append(entry)
    return items


def depends_on_errors(value: Any, default_type: str = "", sequential: bool = False, size: int = 1,
                      names: Mapping[str, str] | None = None) -> list[str]:
    """Sentences naming each problem of the dependencies (empty when there is none), size being the number of
    rows of the job's grid (1 = a plain job)."""
    call, errors = namer(names), []
    if default_type not in ("", "N_TO_N"):
        errors.append(f"{call('depends_on_type')} '{default_type}' is not a dependency type: give N_TO_N (each child"
                      f" after the same child of an array job) or nothing; {call('sequential')} runs the children"
                      " one after another.")
    if value not in (None, "") and not isinstance(value, (str, list)):
        return [*errors, f"{call('depends_on')} must be a list of job IDs (or of maps with job_id and type), or"
                " IDs separated by commas."]
    items = value if isinstance(value, list) else []
    bad_items = [str(item) for item in items
                 if isinstance(item, Mapping) and (set(item) - {"job_id", "type"} or "job_id" not in item)]
    if bad_items:
        errors.append(f"{call('depends_on')}: {'; '.join(bad_items)}: a dependency is a job ID, or a map with job_id"
                      " and optionally type (N_TO_N).")
        return errors
    dependencies = depends_on_list(value, default_type if default_type in ("", "N_TO_N") else "")
    bad = [item["jobId"] for item in dependencies if not JOB_ID_PATTERN.match(item["jobId"])]
    if bad:
        errors.append(f"{call('depends_on')}: {', '.join(bad)} {'is not a' if len(bad) == 1 else 'are not'} Batch job"
                      " ID(s) (a UUID, as make submit prints, or PARENT:INDEX for a child).")
    kinds = [item["type"] for item in dependencies if item.get("type") not in (None, "N_TO_N")]
    if kinds:
        errors.append(f"{call('depends_on')}: type {', '.join(kinds)} is not N_TO_N: give N_TO_N or no type"
                      f" ({call('sequential')} runs the children one after another).")
    ids = [item["jobId"] for item in dependencies]
    twice = sorted({job_id for job_id in ids if ids.count(job_id) > 1})
    if twice:
        errors.append(f"{call('depends_on')} names {', '.join(twice)} more than once.")
    if len(dependencies) + bool(sequential) > MAX_DEPENDENCIES:
        errors.append(f"{call('depends_on')} has {len(dependencies) + bool(sequential)} dependencies; AWS Batch takes"
                      f" at most {MAX_DEPENDENCIES} per job: wait on fewer jobs (one job can depend on a job that"
                      " depends on others).")
    if size < MIN_ARRAY_SIZE and any(item.get("type") == "N_TO_N" for item in dependencies):
        errors.append(f"N_TO_N ({call('depends_on')}) is for an array job, whose children each wait for the same"
                      " child of another array job: give a grid of 2 rows or more, or drop the type.")
    if size < MIN_ARRAY_SIZE and sequential:
        errors.append(f"{call('sequential')} runs an array job's children one after another: give a grid of 2 rows"
                      " or more, or set it to false.")
    return errors


def depends_on_request(value: Any, default_type: str = "", sequential: bool = False) -> list[dict]:
    """The dependsOn list of the submit_job request."""
    return depends_on_list(value, default_type) + ([{"type": "SEQUENTIAL"}] if sequential else [])


def dependency_errors(dependencies: list[dict], described: list[dict], size: int) -> list[str]:
    """What describe_jobs says against the dependencies: a job that does not exist, one that FAILED already (Batch
    would fail this job at once), an N_TO_N dependency that is not an array job of the same size."""
    known = {job.get("jobId"): job for job in described}
    errors = []
    for item in dependencies:
        job_id = item.get("jobId")
        if job_id is None:
            continue
        job = known.get(job_id)
        if job is None:
            errors.append(f"Job {job_id} (a dependency) does not exist in this region and account: check the ID"
                          " (make submit prints it), the region and the endpoint.")
            continue
        name = f"Job {job.get('jobName', '')} ({job_id})"
        if job.get("status") == "FAILED":
            errors.append(f"{name} FAILED already: a job that depends on it would fail at once. Run it again first.")
        if item.get("type") == "N_TO_N":
            other = (job.get("arrayProperties") or {}).get("size")
            if other != size:
                kind = f"an array job of {other} children" if other else "not an array job"
                errors.append(f"{name} is {kind}; N_TO_N needs an array job of {size} children, like this one.")
    return errors


def child_counts(job: Mapping) -> dict[str, int]:
    """The parent's count of children by status (its arrayProperties.statusSummary), in CHILD_STATUSES order."""
    summary = (job.get("arrayProperties") or {}).get("statusSummary") or {}
    return {status: int(summary.get(status) or 0) for status in CHILD_STATUSES}


def array_ended(job: Mapping, size: int) -> bool:
    """Whether every child has ended (the parent's own status can lag, and moto never ends a parent whose child
    failed)."""
    if job.get("status") in ("SUCCEEDED", "FAILED"):
        return True
    counts = child_counts(job)
    return size > 0 and counts["SUCCEEDED"] + counts["FAILED"] >= size


def array_status(job: Mapping, size: int) -> str:
    """The array job's status: FAILED once any child failed and all ended, SUCCEEDED once all succeeded."""
    if not array_ended(job, size):
        return job.get("status") or "SUBMITTED"
    return "FAILED" if child_counts(job)["FAILED"] or job.get("status") == "FAILED" else "SUCCEEDED"


def progress_line(counts: Mapping[str, int], size: int) -> str:
    """A count of children by status, e.g. "children (3): 1 RUNNING, 2 SUCCEEDED"."""
    parts = [f"{counts[status]} {status}" for status in CHILD_STATUSES if counts.get(status)]
    return f"children ({size}): " + (", ".join(parts) if parts else "none seen yet")


def child_index(job_id: str) -> int | None:
    head, colon, tail = str(job_id).rpartition(":")
    return int(tail) if colon and head and tail.isdigit() else None


def failed_child_line(outcome: Mapping, log_group: str) -> str:
    """One line for a failed child: its index and ID, reason, exit code and log stream."""
    index = child_index(outcome.get("job_id", ""))
    details = [outcome["status_reason"]] if outcome.get("status_reason") else []
    if outcome.get("exit_code") is not None:
        details.append(f"exit code {outcome['exit_code']}")
    stream = outcome.get("log_stream_name")
    where = f"; log stream {log_group} {stream}" if stream else "; no log stream"
    return (f"child {index} ({outcome.get('job_id')}) FAILED" + (f": {', '.join(details)}" if details else "")
            + where)


def array_failure_message(name: str, job_id: str, counts: Mapping[str, int], size: int, failed: list[str],
                          lines: list[str], tail: int = 20) -> str:
    """The sentence an array job with failed children fails with: a line per failed child, then the last of their
    log lines."""
    text = (f"Array job {name} ({job_id}): {counts.get('FAILED', 0)} of {size} children FAILED.\n"
            + "\n".join(failed))
    if lines:
        text += "\nLast log lines of the failed children:\n" + "\n".join(lines[-tail:])
    return text
