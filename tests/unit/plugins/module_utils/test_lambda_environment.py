"""Unit tests of plugins/module_utils/lambda_environment.py: the update_function_configuration request the
batch_lambda_environment module builds (moto neither fails to decrypt variables nor checks a RevisionId)."""

from __future__ import annotations

import pytest
from ansible_collections.dockwright.toolkit.plugins.module_utils.lambda_environment import (
    current_variables,
    update_request,
    waiter_to_read,
)

REVISION = "5f1d4c2e-7a34-4b1e-9d3f-0a1b2c3d4e5f"


def configuration(variables=None, error=None, **fields):
    """What get_function_configuration answers (the fields that matter here)."""
    config = {"FunctionName": "submit", "RevisionId": REVISION, "State": "Active", "LastUpdateStatus": "Successful",
              **fields}
    if variables is not None or error is not None:
        config["Environment"] = {key: value for key, value in (("Variables", variables), ("Error", error))
                                 if value is not None}
    return config


def test_the_others_are_kept_and_the_revision_read_is_sent():
    request = update_request("submit", configuration({"API_TOKEN": "t", "JOB_QUEUE": "old"}),
                             {"JOB_QUEUE": "dw-queue", "JOB_DEFINITION": "iris"})
    assert request == {"FunctionName": "submit", "RevisionId": REVISION, "Environment": {"Variables": {
        "API_TOKEN": "t", "JOB_QUEUE": "dw-queue", "JOB_DEFINITION": "iris"}}}


def test_purge_drops_the_others():
    request = update_request("submit", configuration({"API_TOKEN": "t"}), {"JOB_QUEUE": "q"}, purge=True)
    assert request["Environment"] == {"Variables": {"JOB_QUEUE": "q"}}


@pytest.mark.parametrize("variables", [{"JOB_QUEUE": "q", "LEVEL": "1"}, {"JOB_QUEUE": "q"}])
def test_nothing_to_send_when_the_values_are_there(variables):
    assert update_request("submit", configuration(variables), {"JOB_QUEUE": "q"}) is None


def test_values_are_text():
    request = update_request("submit", configuration(), {"RETRIES": 3, "DEBUG": False})
    assert request["Environment"] == {"Variables": {"RETRIES": "3", "DEBUG": "false"}}
    assert update_request("submit", configuration({"RETRIES": "3"}), {"RETRIES": 3}) is None


def test_no_revision_id_is_sent_when_none_was_read():
    config = configuration()
    del config["RevisionId"]
    assert "RevisionId" not in update_request("submit", config, {"JOB_QUEUE": "q"})


@pytest.mark.parametrize("error", [
    {"ErrorCode": "KMSAccessDeniedException", "Message": "Lambda was unable to decrypt the environment variables"},
    {"ErrorCode": "KMSDisabledException"},
])
def test_variables_lambda_cannot_decrypt_fail_instead_of_being_deleted(error):
    # Lambda then answers Error and no Variables: taking them as empty would write back ours alone.
    config = configuration(error=error)
    with pytest.raises(ValueError) as raised:
        update_request("submit", config, {"JOB_QUEUE": "q"})
    assert str(raised.value).startswith(f"Lambda cannot read the environment variables of function submit"
                                        f" ({error['ErrorCode']}: ")
    assert "setting ours would delete the others" in str(raised.value)
    with pytest.raises(ValueError):
        current_variables("submit", config)


@pytest.mark.parametrize(("fields", "waiter"), [
    pytest.param({"State": "Pending", "LastUpdateStatus": "InProgress"}, "function_active", id="being-created"),
    pytest.param({"LastUpdateStatus": "InProgress"}, "function_updated", id="being-updated"),
    pytest.param({}, None, id="ready"),
    pytest.param({"LastUpdateStatus": "Failed"}, None, id="last-update-failed"),
])
def test_the_configuration_is_read_once_no_update_runs(fields, waiter):
    assert waiter_to_read(configuration(**fields)) == waiter
