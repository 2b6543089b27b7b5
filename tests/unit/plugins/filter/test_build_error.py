import pytest
from ansible_collections.dockwright.toolkit.plugins.filter.build_error import build_error

LOGS = [
    "Step 1/12 : FROM python:3.11-slim AS deps\n", " ---> 66c530760d00\n",
    "Step 7/12 : RUN pip install --requirement /tmp/requirements/requirements.txt\n", " ---> Running in 1f2\n",
    "Looking in indexes: https://user:s3cr3t@pypi.example.org/simple\n",
    "ERROR: Could not find a version that satisfies the requirement nosuchpkg==9.9\n",
    "ERROR: No matching distribution found for nosuchpkg==9.9\n",
]
MSG = ("Error building iris - code: 1, message: The command '/bin/sh -c pip install' returned a non-zero code: 1, "
       f"logs: {LOGS!r}")


def test_failing_step_and_tail():
    text = build_error(MSG)
    assert text.splitlines()[0] == "Building iris failed."
    assert "Failing step: Step 7/12 : RUN pip install" in text
    assert "No matching distribution found for nosuchpkg==9.9" in text
    assert "returned a non-zero code: 1" in text
    assert "66c530760d00" not in text  # engine noise is dropped


def test_secrets_are_masked():
    text = build_error(MSG, secrets=["s3cr3t", ""])
    assert "s3cr3t" not in text and "*****" in text


@pytest.mark.parametrize("lines, kept", [(1, 1), (2, 2), (15, 3)])
def test_tail_length(lines, kept):
    text = build_error(MSG, lines=lines)
    assert len(text.split("Last output lines:\n")[1].split("\nEngine says")[0].splitlines()) == kept


@pytest.mark.parametrize("msg", ["", None, "Cannot connect to the Docker daemon"])
def test_other_messages_pass_through(msg):
    assert build_error(msg) == ("" if msg is None else msg)


def test_message_without_code():
    msg = f"Error building iris - message: unknown instruction: RUNN, logs: {['Step 3/9 : RUNN x']!r}"
    text = build_error(msg)
    assert "Engine says: unknown instruction: RUNN" in text
    assert "Failing step: Step 3/9 : RUNN x" in text


def test_a_refused_build_request_carrying_the_build_arguments_url_encoded_is_masked():
    """The engine's refusal quotes the request, whose build arguments are URL-encoded JSON."""
    import json
    from urllib.parse import quote

    index = "https://dockwright:tok%2Fen-4242@pypi.example.com/simple"
    args = quote(json.dumps({"PIP_INDEX_URL": index}), safe="")
    msg = f"Error building iris - code: 400, message: bad request /build?buildargs={args}&t=iris, logs: []"
    text = build_error(msg, secrets=[index])
    assert "tok" not in text and "4242" not in text and "dockwright:" not in text
    assert "*****" in text


def test_terminal_colour_codes_are_removed():
    logs = ["Step 5/9 : RUN pip install -r r.txt", "\x1b[31mERROR: No matching distribution found for nope\x1b[0m"]
    msg = f"Error building iris - code: 1, message: The command returned a non-zero code: 1, logs: {logs!r}"
    text = build_error(msg)
    assert "\x1b" not in text and "ERROR: No matching distribution found for nope" in text
    assert build_error("\x1b[1mplain\x1b[0m") == "plain"


@pytest.mark.parametrize("engine_says", [
    'Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io: no such host',
    "manifest for python:3.99-slim not found: manifest unknown: manifest unknown",
])
def test_a_base_image_that_cannot_be_pulled_is_named(engine_says):
    logs = ["Step 1/22 : ARG BASE_IMAGE=python:3.99-slim", "Step 2/22 : ARG BUILD_CA_IMAGE=python:3.99-slim",
            "Step 3/22 : FROM ${BUILD_CA_IMAGE} AS ca", "Step 4/22 : FROM ${BASE_IMAGE} AS deps"]
    msg = f"Error building iris - code: None, message: {engine_says}, logs: {logs!r}"
    text = build_error(msg)
    assert "Failing step: Step 4/22 : FROM ${BASE_IMAGE} AS deps" in text
    assert "The base image python:3.99-slim could not be pulled: check its name and tag" in text


def test_other_failing_steps_name_no_base_image():
    assert "base image" not in build_error(MSG)


def test_lines_holding_only_terminal_codes_do_not_push_the_message_out():
    logs = ["Step 14/23 : RUN uv pip install --require-hashes -r requirements.lock",
            "\x1b[31mx\x1b[0m Failed to download `probe==1.0`", "\x1b[31m->\x1b[0m Hash mismatch for `probe==1.0`",
            *["\x1b[0m   \x1b[1m"] * 30, "      Expected:", "        sha256:aaaa", "      Computed:",
            "        sha256:bbbb"]
    msg = f"Error building m:1 - code: 1, message: The command returned a non-zero code: 1, logs: {logs!r}"
    text = build_error(msg, lines=15)
    assert "Hash mismatch for `probe==1.0`" in text and text.count("\n") < 12
