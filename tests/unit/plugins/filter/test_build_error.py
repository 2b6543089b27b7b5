"""The build_error filter: a failed BuildKit build's plain-progress log, told to a human, every secret masked.

The logs are real ones (docker buildx build --progress plain, buildx 0.13.1 with the engine's own BuildKit), cut to
the lines that matter."""

from __future__ import annotations

import base64

import pytest
from ansible_collections.dockwright.toolkit.plugins.filter.build_error import FilterModule
from ansible_collections.dockwright.toolkit.plugins.module_utils.build_cache import build_error
from ansible_collections.dockwright.toolkit.plugins.module_utils.secrets import MASK, secret_forms

INDEX = "https://dockwright:tok%2Fen-4242@pypi.example.com/simple"
# What must never be shown of INDEX: the URL, its user:password, its password (as written and decoded).
INDEX_PARTS = ["pypi.example.com/simple", "dockwright:", "tok%2Fen", "tok/en", "tok%252Fen", "4242"]

# A step that writes to stdout and stderr, then fails.
FAILED = """\
#0 building with "default" instance using docker driver

#1 [internal] load build definition from Dockerfile
#1 transferring dockerfile: 142B done
#1 DONE 0.0s

#3 [internal] load metadata for docker.io/library/python:3.11-slim
#3 DONE 0.0s

#4 [1/4] FROM docker.io/library/python:3.11-slim
#4 CACHED

#6 [2/4] RUN echo base > /base
#6 DONE 0.5s

#7 [3/4] RUN echo line1; echo line2 >&2; exit 3
#7 0.237 line1
#7 0.238 line2
#7 ERROR: executor failed running [/bin/sh -c echo line1; echo line2 >&2; exit 3]: exit code: 3
------
 > [3/4] RUN echo line1; echo line2 >&2; exit 3:
0.237 line1
0.238 line2
------
ERROR: failed to solve: executor failed running [/bin/sh -c echo line1; echo line2 >&2; exit 3]: exit code: 3
"""
FAILED_TEXT = """\
The build failed at RUN echo line1; echo line2 >&2; exit 3
Its last 2 lines:
  line1
  line2
Error: failed to solve: executor failed running [/bin/sh -c echo line1; echo line2 >&2; exit 3]: exit code: 3"""

# A step of the dependency stage that reads the index URL from its secret mount and prints it, in several forms,
# after 20 lines of its own; pip's error comes first (stderr) and in colour.
SECRET_STEP = """\
#0 building with "default" instance using docker driver

#4 [stage-1 1/2] FROM docker.io/library/python:3.11-slim
#4 CACHED

#5 [deps 2/2] RUN --mount=type=secret,id=pip-index-url python -c "exec(open('/run/secrets/pip-index-url').read())"
#5 0.265 \x1b[31mERROR: No matching distribution found for nosuchpkg==9.9\x1b[0m
""" + "".join(f"#5 0.266 Collecting pkg{n}==1.0\n" for n in range(1, 21)) + """\
#5 0.266 Looking in indexes: https://dockwright:tok%2Fen-4242@pypi.example.com/simple
#5 0.266 url-encoded: https%3A%2F%2Fdockwright%3Atok%252Fen-4242%40pypi.example.com%2Fsimple
#5 0.266 json: {"PIP_INDEX_URL": "https://dockwright:tok%2Fen-4242@pypi.example.com/simple"}
#5 0.266 userinfo: dockwright:tok%2Fen-4242
#5 0.266 password: tok%2Fen-4242 tok/en-4242
#5 0.266 Authorization: Basic ZG9ja3dyaWdodDp0b2slMkZlbi00MjQy
#5 ERROR: executor failed running [/bin/sh -c python -c "exec(open('/run/secrets/pip-index-url').read())"]: exit code: 1
------
 > [deps 2/2] RUN --mount=type=secret,id=pip-index-url python -c "exec(open('/run/secrets/pip-index-url').read())":
0.266 Looking in indexes: https://dockwright:tok%2Fen-4242@pypi.example.com/simple
0.266 url-encoded: https%3A%2F%2Fdockwright%3Atok%252Fen-4242%40pypi.example.com%2Fsimple
0.266 json: {"PIP_INDEX_URL": "https://dockwright:tok%2Fen-4242@pypi.example.com/simple"}
0.266 userinfo: dockwright:tok%2Fen-4242
0.266 password: tok%2Fen-4242 tok/en-4242
0.266 Authorization: Basic ZG9ja3dyaWdodDp0b2slMkZlbi00MjQy
------
ERROR: failed to solve: executor failed running [/bin/sh -c python -c \
"exec(open('/run/secrets/pip-index-url').read())"]: exit code: 1
"""
SECRET_STEP_TITLE = ("The build failed at RUN --mount=type=secret,id=pip-index-url python -c"
                     " \"exec(open('/run/secrets/pip-index-url').read())\"")
SECRET_STEP_ERROR = ("Error: failed to solve: executor failed running [/bin/sh -c python -c"
                     " \"exec(open('/run/secrets/pip-index-url').read())\"]: exit code: 1")

# The Dockerfile does not parse: no step fails, BuildKit's last line says why.
PARSE = """\
#0 building with "default" instance using docker driver

#1 [internal] load build definition from Dockerfile
#1 transferring dockerfile: 71B done
#1 DONE 0.0s
ERROR: failed to solve: rpc error: code = Unknown desc = failed to solve with frontend dockerfile.v0: failed to create \
LLB definition: dockerfile parse error line 2: unknown instruction: RUNN
"""

# The base image cannot be resolved (no network here): the failing step is BuildKit's own, not the Dockerfile's.
BASE = """\
#2 [internal] load .dockerignore
#2 transferring context: 2B done
#2 DONE 0.0s

#3 [internal] load metadata for docker.io/library/python:3.99-slim
#3 ERROR: failed to do request: Head "https://registry-1.docker.io/v2/library/python/manifests/3.99-slim": dial tcp: \
lookup registry-1.docker.io on 10.255.255.53:53: no such host
------
 > [internal] load metadata for docker.io/library/python:3.99-slim:
------
ERROR: failed to solve: rpc error: code = Unknown desc = failed to solve with frontend dockerfile.v0: failed to create \
LLB definition: failed to do request: Head "https://registry-1.docker.io/v2/library/python/manifests/3.99-slim": dial \
tcp: lookup registry-1.docker.io on 10.255.255.53:53: no such host
"""
BASE_TEXT = (
    "The build failed at load metadata for docker.io/library/python:3.99-slim\n"
    "Error: failed to solve: rpc error: code = Unknown desc = failed to solve with frontend dockerfile.v0: failed to"
    ' create LLB definition: failed to do request: Head "https://registry-1.docker.io/v2/library/python/manifests/'
    '3.99-slim": dial tcp: lookup registry-1.docker.io on 10.255.255.53:53: no such host\n'
    "The base image python:3.99-slim could not be pulled: check its name and tag (base_image, BASE_IMAGE= or"
    " PYTHON_VERSION=) and that its registry can be reached from this machine (a proxy, a mirror in the engine's"
    " registry-mirrors, or docker login for a private one).")

NO_ENGINE = "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?"

# A missing cache is an ERROR of its own, before the step that fails.
CACHE_MISSING = """\
#5 importing cache manifest from 127.0.0.1:5099/t/x:nope
#5 ERROR: 127.0.0.1:5099/t/x:nope: not found

""" + FAILED[FAILED.index("#7 "):]


def test_the_filter_is_the_rule():
    assert FilterModule().filters() == {"build_error": build_error}


@pytest.mark.parametrize("log, text", [
    pytest.param(FAILED, FAILED_TEXT, id="failed-step"),
    pytest.param(CACHE_MISSING, FAILED_TEXT, id="a-missing-cache-is-not-the-failure"),
    pytest.param(BASE, BASE_TEXT, id="base-image"),
    pytest.param(PARSE, "failed to solve: rpc error: code = Unknown desc = failed to solve with frontend dockerfile.v0:"
                 " failed to create LLB definition: dockerfile parse error line 2: unknown instruction: RUNN",
                 id="no-failed-step: the last error"),
    pytest.param(FAILED[:FAILED.index("------")],
                 FAILED_TEXT.replace("Error: failed to solve: ", "Error: "), id="no-last-error: the step's own"),
    pytest.param("#3 [2/2] RUN true\n#3 ERROR: oops\nERROR: first\nERROR: last\n",
                 "The build failed at RUN true\nError: last", id="no-lines: the last error"),
    pytest.param("#3 resolve image config for docker.io/docker/dockerfile:1\n#3 ERROR: no such host\n",
                 "The build failed at resolve image config for docker.io/docker/dockerfile:1\nError: no such host",
                 id="untitled-step"),
    pytest.param("#3 [2/2] RUN a\n#3 ERROR: one\n#4 [2/2] RUN b\n#4 0.1 x\n#4 ERROR: two\n",
                 "The build failed at RUN b\nIts last 1 line:\n  x\nError: two", id="the-last-failed-step"),
])
def test_a_failed_build_for_a_human(log, text):
    assert build_error(log) == text


@pytest.mark.parametrize("log, text", [
    pytest.param("", "", id="empty"),
    pytest.param(None, "", id="none"),
    pytest.param(f"  {NO_ENGINE}\n", NO_ENGINE, id="not-buildkit"),
    pytest.param("\x1b[1mplain\x1b[0m", "plain", id="terminal-codes"),
    pytest.param("#5 importing cache manifest from r/x:c\n#5 ERROR: r/x:c: not found\n",
                 "#5 importing cache manifest from r/x:c\n#5 ERROR: r/x:c: not found", id="only-a-missing-cache"),
])
def test_a_log_without_a_failed_step_is_returned_as_it_is(log, text):
    assert build_error(log) == text


# The failed step's 27 lines, as build_error shows them: without their times, colours and secrets.
SECRET_STEP_LINES = [
    "ERROR: No matching distribution found for nosuchpkg==9.9", *[f"Collecting pkg{n}==1.0" for n in range(1, 21)],
    "Looking in indexes: *****", "url-encoded: *****", 'json: {"PIP_INDEX_URL": "*****"}', "userinfo: *****",
    "password: ***** *****", "Authorization: Basic *****"]


@pytest.mark.parametrize("lines, kept", [
    (1, ["Authorization: Basic *****"]),
    (2, ["password: ***** *****", "Authorization: Basic *****"]),
    (15, SECRET_STEP_LINES[-15:]),  # the default
    (26, SECRET_STEP_LINES[1:]),
    (27, SECRET_STEP_LINES),
    (100, SECRET_STEP_LINES),  # as many as there are
])
def test_the_last_lines_of_the_failed_step(lines, kept):
    text = build_error(SECRET_STEP, secrets=[INDEX], lines=lines).splitlines()
    heading = f"Its last {len(kept)} line{'s' if len(kept) > 1 else ''}:"
    assert text == [SECRET_STEP_TITLE, heading, *["  " + line for line in kept], SECRET_STEP_ERROR]


def test_fifteen_lines_by_default_without_terminal_codes():
    assert build_error(SECRET_STEP, secrets=[INDEX]) == build_error(SECRET_STEP, secrets=[INDEX], lines=15)
    assert "\x1b" not in build_error(SECRET_STEP, lines=30)


def test_a_secret_echoed_by_the_failing_step_is_masked():
    text = build_error(SECRET_STEP, secrets=[INDEX], lines=30)
    assert [part for part in INDEX_PARTS if part in text] == []
    assert text.count(MASK) == 7
    unmasked = build_error(SECRET_STEP, lines=30)
    assert all(part in unmasked for part in INDEX_PARTS)  # what the masking took away was there


@pytest.mark.parametrize("form", secret_forms(INDEX))
def test_every_form_of_a_secret_is_masked_wherever_the_log_holds_it(form):
    """In the failing step's title, its output lines and BuildKit's error; the form's neighbours are kept."""
    log = (f"#7 [3/4] RUN pip install --index-url '{form}' nosuchpkg\n#7 0.4 Looking in indexes: <{form}>\n"
           f"#7 ERROR: executor failed running [/bin/sh -c pip install --index-url '{form}' nosuchpkg]: exit code: 1\n"
           f"ERROR: failed to solve: executor failed running [/bin/sh -c pip install --index-url '{form}' nosuchpkg]:"
           " exit code: 1\n")
    assert build_error(log, secrets=["", None, "AKIADOCKWRIGHTTEST01", INDEX]) == (
        "The build failed at RUN pip install --index-url '*****' nosuchpkg\n"
        "Its last 1 line:\n"
        "  Looking in indexes: <*****>\n"
        "Error: failed to solve: executor failed running [/bin/sh -c pip install --index-url '*****' nosuchpkg]:"
        " exit code: 1")


@pytest.mark.parametrize("log", [
    pytest.param(f"Cannot connect to the Docker daemon: {INDEX}", id="not-buildkit"),
    pytest.param(f"#1 [internal] load build definition\n#1 DONE 0.0s\nERROR: failed to solve: {INDEX}: bad",
                 id="last-error"),
    pytest.param(f"#3 [2/2] RUN x\n#3 0.1 {INDEX}\n#3 ERROR: {INDEX}\n", id="step-error"),
])
def test_secrets_are_masked_on_every_path(log):
    text = build_error(log, secrets=[INDEX])
    assert MASK in text and [part for part in INDEX_PARTS if part in text] == []


@pytest.mark.xfail(strict=True, reason="known gap, reported: secret_forms has no base64 of the decoded user:password")
def test_a_basic_header_of_the_decoded_password_is_masked():
    """What pip and curl send for INDEX: the password's %2F decoded before it is base64-encoded."""
    header = base64.b64encode(b"dockwright:tok/en-4242").decode()
    log = f"#3 [2/2] RUN curl -v x\n#3 0.1 > Authorization: Basic {header}\n#3 ERROR: exit code: 22\n"
    assert header not in build_error(log, secrets=[INDEX])


def test_no_lines_asked_shows_none():
    assert build_error(FAILED, lines=0) == "\n".join(line for line in FAILED_TEXT.splitlines()
                                                     if line.startswith(("The build", "Error:")))


def test_a_text_that_is_not_buildkit_s_is_returned_whole():
    text = ("Could not lock requirements.in: Looking in indexes: https://pypi.org/simple\n"
            "ERROR: Could not find a version that satisfies the requirement nosuchpkg==9.9 (from versions: none)\n"
            "ERROR: No matching distribution found for nosuchpkg==9.9")
    assert build_error(text) == text
