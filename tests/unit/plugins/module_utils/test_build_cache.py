"""The registry as build cache: the cache_from values, and what a BuildKit plain-progress log says of the cache.

The logs are real ones (docker buildx build --progress plain, buildx 0.13.1 with the engine's own BuildKit), cut to
the lines that matter; PULLED sets the steps of one build between the opening and closing lines every build prints."""

from __future__ import annotations

import pytest
from ansible_collections.dockwright.toolkit.plugins.filter.build_cache_from import FilterModule
from ansible_collections.dockwright.toolkit.plugins.module_utils.build_cache import (
    cache_from,
    cache_miss,
    cache_report,
    cache_sentence,
    steps,
)

FILTERS = FilterModule().filters()
ECR = "123456789012.dkr.ecr.eu-west-1.amazonaws.com"
NOT_YET = "not in the registry yet (a push makes it)"
DENIED = "access denied (reading the cache needs ecr:BatchGetImage and ecr:GetDownloadUrlForLayer)"

# A cache that was missing and one that worked; one cached step pulled its layer from the registry.
PULLED = """\
#0 building with "default" instance using docker driver

#1 [internal] load build definition from Dockerfile
#1 transferring dockerfile: 88B done
#1 DONE 0.0s

#2 [internal] load .dockerignore
#2 transferring context: 2B done
#2 DONE 0.0s

#3 [internal] load metadata for docker.io/library/python:3.11-slim
#3 DONE 0.0s

#4 [1/3] FROM docker.io/library/python:3.11-slim
#4 DONE 0.0s

#5 importing cache manifest from 127.0.0.1:5099/t/x:nope
#5 ERROR: 127.0.0.1:5099/t/x:nope: not found

#6 importing cache manifest from 127.0.0.1:5099/t/x:cache
#6 DONE 0.0s

#7 [internal] load build context
#7 transferring context: 22B done
#7 DONE 0.0s

#8 [2/3] RUN echo a > /a
#8 pulling sha256:b32554a64366366feb410b86490007cf2bc2d68b369652a5647fded26fae9053 0.0s done
#8 CACHED

#9 [3/3] COPY x /x
#9 DONE 0.1s

#10 exporting to image
#10 exporting layers 0.0s done
#10 writing image sha256:e588f5cd69e2093b9c41fa3d18d2aecb17a8d11fa9e097064b2d1b29abf0d615 done
#10 naming to 127.0.0.1:5099/t/x:cache done
#10 DONE 0.0s
------
 > importing cache manifest from 127.0.0.1:5099/t/x:nope:
------
"""

# Two stages, every step from the registry's cache (its layers were still on the machine: none pulled).
ALL_CACHED = """\
#0 building with "default" instance using docker driver

#3 [internal] load metadata for docker.io/library/python:3.11-slim
#3 DONE 0.0s

#4 [stage-1 1/4] FROM docker.io/library/python:3.11-slim
#4 DONE 0.0s

#5 importing cache manifest from 127.0.0.1:5097/dwhelperd/ok:nope
#5 ERROR: 127.0.0.1:5097/dwhelperd/ok:nope: not found

#6 importing cache manifest from 127.0.0.1:5097/dwhelperd/ok:cache
#6 DONE 0.0s

#7 [internal] load build context
#7 transferring context: 22B done
#7 DONE 0.0s

#8 [stage-1 2/4] COPY --from=deps /deps /deps
#8 CACHED

#9 [stage-1 3/4] RUN echo a > /a
#9 CACHED

#10 [deps 2/2] RUN echo deps > /deps
#10 CACHED

#11 [stage-1 4/4] COPY x /x
#11 CACHED

#12 exporting to image
#12 exporting layers done
#12 DONE 0.0s
------
 > importing cache manifest from 127.0.0.1:5097/dwhelperd/ok:nope:
------
"""

# A registry that does not answer, next to one that does; the edited file's step ran. BuildKit repeats #3.
REFUSED = """\
#3 [internal] load metadata for docker.io/library/python:3.11-slim
#3 DONE 0.0s

#3 [internal] load metadata for docker.io/library/python:3.11-slim
#3 DONE 0.0s

#4 [deps 1/2] FROM docker.io/library/python:3.11-slim
#4 DONE 0.0s

#5 importing cache manifest from 127.0.0.1:1/dwhelperd/ok:cache
#5 ERROR: failed to do request: Head "http://127.0.0.1:1/v2/dwhelperd/ok/manifests/cache": dial tcp 127.0.0.1:1: \
connect: connection refused

#6 importing cache manifest from 127.0.0.1:5097/dwhelperd/ok:cache
#6 DONE 0.0s

#8 [deps 2/2] RUN echo deps > /deps
#8 CACHED

#9 [stage-1 2/4] COPY --from=deps /deps /deps
#9 CACHED

#10 [stage-1 3/4] RUN echo a > /a
#10 CACHED

#11 [stage-1 4/4] COPY x /x
#11 DONE 0.3s
"""
REFUSED_WHY = ('failed to do request: Head "http://127.0.0.1:1/v2/dwhelperd/ok/manifests/cache": dial tcp 127.0.0.1:1:'
               " connect: connection refused")

# A build given no cache: the failing step's lines are kept, and its error.
FAILED = """\
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


def test_the_filters_roles_call_are_there():
    assert sorted(FILTERS) == ["build_cache_from", "build_cache_report"]
    assert FILTERS["build_cache_from"] is cache_from and FILTERS["build_cache_report"] is cache_sentence


@pytest.mark.parametrize("refs, values", [
    ([f"{ECR}/iris:buildcache"], [f"type=registry,ref={ECR}/iris:buildcache"]),
    (["127.0.0.1:5000/t/x:cache", "127.0.0.1:5000/t/x:1.0"],
     ["type=registry,ref=127.0.0.1:5000/t/x:cache", "type=registry,ref=127.0.0.1:5000/t/x:1.0"]),
    (["b:1", "a:1", "b:1"], ["type=registry,ref=b:1", "type=registry,ref=a:1"]),  # order kept, repeats dropped
    ([" r/x:1 ", "r/x:1", "", None], ["type=registry,ref=r/x:1"]),  # blanks stripped, empties dropped
    ([], []),
    (None, []),
])
def test_cache_from(refs, values):
    assert cache_from(refs) == values


@pytest.mark.parametrize("message, reason", [
    # BuildKit's own words (from a real log), then a registry's
    ("127.0.0.1:5099/t/x:nope: not found", NOT_YET),
    (f"{ECR}/iris:buildcache: not found", NOT_YET),
    ("unexpected status from HEAD request to https://r/v2/x/manifests/c: 404 Not Found", NOT_YET),
    ("MANIFEST_UNKNOWN: manifest unknown; map[Tag:buildcache]", NOT_YET),
    (f"name unknown: The repository with name 'iris' does not exist in the registry with id '{ECR[:12]}'", NOT_YET),
    ("failed to authorize: failed to fetch anonymous token: unexpected status: 401 Unauthorized", DENIED),
    ("unexpected status from HEAD request to https://r/v2/x/manifests/c: 403 Forbidden", DENIED),
    ("denied: User: arn:aws:iam::123456789012:user/ci is not authorized to perform: ecr:BatchGetImage", DENIED),
    ("UNAUTHORIZED: authentication required", DENIED),
    (REFUSED_WHY, REFUSED_WHY),  # anything else: its first line
    ("i/o timeout\nsecond line", "i/o timeout"),
    ("  \n x \n", "x"),
    ("e" * 250, "e" * 200),
    ("", "no reason given"),
    ("   ", "no reason given"),
    (None, "no reason given"),
])
def test_what_a_failed_cache_read_means(message, reason):
    assert cache_miss(message) == reason


@pytest.mark.parametrize("message", [
    'failed to do request: Head "http://10.0.0.4:5401/v2/x/manifests/c": dial tcp 10.0.0.4:5401: connect: refused',
    'failed to do request: Head "https://123404567890.dkr.ecr.eu-west-1.amazonaws.com/v2/": i/o timeout',
])
def test_a_number_inside_an_address_is_no_status(message):
    assert cache_miss(message) == message


def test_the_steps_of_a_log():
    found = steps(PULLED)
    assert list(found) == [str(number) for number in range(11)]  # in order; "#0" is BuildKit's own first line
    assert found["0"]["title"] == 'building with "default" instance using docker driver'
    assert found["5"] == {"title": "importing cache manifest from 127.0.0.1:5099/t/x:nope", "lines": [],
                          "status": "ERROR", "error": "127.0.0.1:5099/t/x:nope: not found", "pulled": 0}
    assert found["8"] == {"title": "[2/3] RUN echo a > /a", "lines": [], "status": "CACHED", "error": "",
                          "pulled": 1}
    assert found["9"] == {"title": "[3/3] COPY x /x", "lines": [], "status": "DONE", "error": "", "pulled": 0}
    assert found["1"]["lines"] == ["transferring dockerfile: 88B done"]
    assert found["10"]["lines"] == [
        "exporting layers 0.0s done",
        "writing image sha256:e588f5cd69e2093b9c41fa3d18d2aecb17a8d11fa9e097064b2d1b29abf0d615 done",
        "naming to 127.0.0.1:5099/t/x:cache done"]


def test_a_failed_step_keeps_its_lines_without_their_times_and_its_error():
    assert steps(FAILED)["7"] == {
        "title": "[3/4] RUN echo line1; echo line2 >&2; exit 3", "lines": ["line1", "line2"], "status": "ERROR",
        "error": "executor failed running [/bin/sh -c echo line1; echo line2 >&2; exit 3]: exit code: 3", "pulled": 0}
    assert list(steps(FAILED)) == ["4", "6", "7"]  # the summary box after "------" is no step


@pytest.mark.parametrize("log, merged", [
    # a number printed twice is one step (its title, printed again, is kept among its lines)
    (REFUSED, {"title": "[internal] load metadata for docker.io/library/python:3.11-slim",
               "lines": ["[internal] load metadata for docker.io/library/python:3.11-slim"], "status": "DONE",
               "error": "", "pulled": 0}),
    ("#3 [2/2] RUN x\n#3 0.1 \x1b[31mred\x1b[0m\r\n#3 \x1b[1mDONE 0.2s\x1b[0m\n",
     {"title": "[2/2] RUN x", "lines": ["red"], "status": "DONE", "error": "", "pulled": 0}),  # terminal codes go
    ("#3 [2/2] RUN x\n#3 ERROR\n", {"title": "[2/2] RUN x", "lines": [], "status": "ERROR", "error": "ERROR",
                                     "pulled": 0}),  # an error without words is named by itself
    ("#3 DONE 0.1s\n#3 [2/2] RUN x\n", {"title": "[2/2] RUN x", "lines": [], "status": "DONE", "error": "",
                                         "pulled": 0}),  # the title is the first line that is not a status
])
def test_step_edges(log, merged):
    assert steps(log)["3"] == merged


@pytest.mark.parametrize("log", ["", None, "Step 1/3 : FROM python:3.11-slim\n ---> 66c530760d00\n", "#x not a step\n",
                                 "##3 RUN x\n", " #3 RUN x\n"])
def test_a_log_without_buildkit_steps(log):
    assert steps(log) == {}


PULLED_REFS = ["127.0.0.1:5099/t/x:cache", "127.0.0.1:5099/t/x:nope"]
CACHE = "127.0.0.1:5097/dwhelperd/ok:cache"


@pytest.mark.parametrize("log, refs, report", [
    pytest.param(PULLED, PULLED_REFS, {"used": ["127.0.0.1:5099/t/x:cache"],
                                       "missing": {"127.0.0.1:5099/t/x:nope": NOT_YET},
                                       "cached": 1, "run": 1, "pulled": 1}, id="pulled"),
    pytest.param(ALL_CACHED, [CACHE], {"used": [CACHE], "missing": {"127.0.0.1:5097/dwhelperd/ok:nope": NOT_YET},
                                       "cached": 4, "run": 0, "pulled": 0}, id="two-stages-all-cached"),
    pytest.param(REFUSED, None, {"used": [CACHE], "missing": {"127.0.0.1:1/dwhelperd/ok:cache": REFUSED_WHY},
                                 "cached": 3, "run": 1, "pulled": 0}, id="refused"),
    pytest.param(FAILED, [], {"used": [], "missing": {}, "cached": 0, "run": 2, "pulled": 0}, id="failed-no-cache"),
    pytest.param(FAILED, [f"{ECR}/iris:buildcache"], {"used": [], "missing": {f"{ECR}/iris:buildcache":
                                                                              "not read by the build"},
                                                      "cached": 0, "run": 2, "pulled": 0}, id="given-but-not-read"),
    pytest.param("", None, {"used": [], "missing": {}, "cached": 0, "run": 0, "pulled": 0}, id="empty"),
    pytest.param(None, [], {"used": [], "missing": {}, "cached": 0, "run": 0, "pulled": 0}, id="none"),
])
def test_cache_report(log, refs, report):
    assert cache_report(log, refs) == report


def test_internal_steps_and_base_images_are_not_counted():
    """FROM steps (with or without a stage name), [internal] and untitled BuildKit work are not build steps."""
    log = ("#1 [internal] load build context\n#1 DONE 0.0s\n#2 [1/2] FROM docker.io/library/python:3.11-slim\n"
           "#2 CACHED\n#3 [deps 1/3] FROM docker.io/library/python:3.11-slim@sha256:abc\n#3 CACHED\n"
           "#4 exporting to image\n#4 DONE 0.1s\n#5 [deps 2/3] RUN pip install --no-deps -r r.txt\n#5 CACHED\n"
           "#6 [2/2] COPY --from=deps /venv /venv\n#6 DONE 0.3s\n#7 [deps 3/3] RUN echo FROM x\n#7 CACHED\n")
    assert cache_report(log) == {"used": [], "missing": {}, "cached": 2, "run": 1, "pulled": 0}


@pytest.mark.parametrize("log, refs, sentence", [
    (PULLED, PULLED_REFS,
     "Build cache: the inline cache of 127.0.0.1:5099/t/x:cache (registry): 1 of 2 steps cached, 1 layers pulled."),
    (ALL_CACHED, [CACHE],
     f"Build cache: the inline cache of {CACHE} (registry): 4 of 4 steps cached, 0 layers pulled."),
    (PULLED.replace(":nope", ":cache2").replace("#5 ERROR: 127.0.0.1:5099/t/x:cache2: not found", "#5 DONE 0.0s"), [],
     "Build cache: the inline cache of 127.0.0.1:5099/t/x:cache2 and 127.0.0.1:5099/t/x:cache (registry): 1 of 2 steps"
     " cached, 1 layers pulled."),
    (FAILED, [f"{ECR}/iris:buildcache", f"{ECR}/iris:1.0"],
     f"No registry build cache: {ECR}/iris:buildcache is not read by the build; {ECR}/iris:1.0 is not read by the"
     " build; built without it."),
    (PULLED.replace("#6 DONE 0.0s", "#6 ERROR: denied: Not Authorized"), PULLED_REFS,
     f"No registry build cache: 127.0.0.1:5099/t/x:nope is {NOT_YET}; 127.0.0.1:5099/t/x:cache is {DENIED}; built"
     " without it."),
    (FAILED, [], "No registry build cache: the run names no repository to take it from (make push and make ci do)."),
    ("", None, "No registry build cache: the run names no repository to take it from (make push and make ci do)."),
])
def test_cache_sentence(log, refs, sentence):
    assert cache_sentence(log, refs) == sentence
    assert FILTERS["build_cache_report"](log, refs) == sentence
