# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""What the batch_lambda_environment module decides from a Lambda function's configuration: whether to wait for an
update still running before reading it, whether its variables can be trusted, and the update_function_configuration
request that sets some variables and keeps the others.

Pure functions (no Ansible API, no boto3), tested on the request they build: moto neither fails to decrypt variables
nor checks a RevisionId. A configuration that cannot be used raises ValueError saying why and what to do."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ansible_collections.dockwright.toolkit.plugins.module_utils.batch import as_text


def waiter_to_read(config: Mapping) -> str | None:
    """The boto3 waiter to run before the configuration can be trusted, or None: a function still being created
    (State Pending) or still applying a change (LastUpdateStatus InProgress) refuses another change, and the variables
    it answers may be the ones being replaced."""
    if config.get("State") == "Pending":
        return "function_active"
    if config.get("LastUpdateStatus") == "InProgress":
        return "function_updated"
    return None


def current_variables(name: str, config: Mapping) -> dict[str, str]:
    """The function's environment variables, from get_function_configuration's answer.

    When Lambda could not decrypt them (Environment.Error, a KMS key it may not use), it answers no variables: writing
    back only ours would delete every other one. That raises ValueError instead."""
    environment = config.get("Environment") or {}
    error = environment.get("Error") or {}
    if error:
        code, message = error.get("ErrorCode") or "Error", error.get("Message") or "no message"
        raise ValueError(f"Lambda cannot read the environment variables of function {name} ({code}: {message}), so"
                         " they cannot be kept: setting ours would delete the others. Fix the function's KMS key (or"
                         " Lambda's access to it) and rerun.")
    return {str(key): as_text(value) for key, value in (environment.get("Variables") or {}).items()}


def wanted_variables(variables: Mapping[str, Any]) -> dict[str, str]:
    return {str(key): as_text(value) for key, value in variables.items()}


def update_request(name: str, config: Mapping, variables: Mapping[str, Any], purge: bool = False) -> dict | None:
    """The keyword arguments of update_function_configuration that set the variables (keeping the function's others
    unless purge), or None when they hold these values already. RevisionId makes Lambda refuse the update
    (PreconditionFailedException) when the function changed since config was read, instead of losing that change."""
    before = current_variables(name, config)
    wanted = wanted_variables(variables)
    after = wanted if purge else {**before, **wanted}
    if after == before:
        return None
    request: dict[str, Any] = {"FunctionName": name, "Environment": {"Variables": after}}
    if config.get("RevisionId"):
        request["RevisionId"] = config["RevisionId"]
    return request
