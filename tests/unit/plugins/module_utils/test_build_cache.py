"""The registry as build cache: its names, the stage it caches, what a failed pull means."""

from __future__ import annotations

import pytest
from ansible_collections.dockwright.toolkit.plugins.filter.build_cache import _build_cache
from ansible_collections.dockwright.toolkit.plugins.filter.build_cache_miss import _build_cache_miss
from ansible_collections.dockwright.toolkit.plugins.module_utils.build_cache import build_cache, cache_tags, has_stage

KEY = "0123456789abcdef" + "f" * 48
ECR = "123456789012.dkr.ecr.eu-west-1.amazonaws.com"


@pytest.mark.parametrize(
    "repository, key, deps, image, name",
    [
        ("127.0.0.1:5000/team/iris:1.0", KEY, "127.0.0.1:5000/team/iris:deps-0123456789abcdef",
         "127.0.0.1:5000/team/iris:deps-0123456789abcdef-image", "127.0.0.1:5000/team/iris"),
        (f"{ECR}/iris", KEY, f"{ECR}/iris:deps-0123456789abcdef", f"{ECR}/iris:deps-0123456789abcdef-image",
         f"{ECR}/iris"),
        ("localhost:5000/iris@sha256:" + "a" * 64, KEY, "localhost:5000/iris:deps-0123456789abcdef",
         "localhost:5000/iris:deps-0123456789abcdef-image", "localhost:5000/iris"),
        ("", KEY, "", "", ""),
        ("127.0.0.1:5000/team/iris:1.0", "", "", "", ""),
        (None, None, "", "", ""),
    ],
)
def test_references(repository, key, deps, image, name):
    cache = build_cache(repository, key)
    assert (cache["deps"], cache["image"], cache["name"]) == (deps, image, name)
    assert _build_cache(repository, key) == cache


def test_tags_are_named_by_the_first_16_digits():
    assert cache_tags(KEY) == {"deps": "deps-0123456789abcdef", "image": "deps-0123456789abcdef-image"}
    assert cache_tags("") == {"deps": "", "image": ""}


@pytest.mark.parametrize(
    "dockerfile, found",
    [
        ("ARG BASE_IMAGE=python:3.11-slim\nFROM ${BASE_IMAGE} AS deps\nRUN true\nFROM ${BASE_IMAGE}\n", True),
        ("from python:3.11-slim as DEPS\n", True),
        ("FROM python:3.11-slim AS build-deps\nFROM python:3.11-slim\n", False),
        ("FROM python:3.11-slim\nRUN echo AS deps\n", False),
        ("", False),
    ],
)
def test_the_stage_it_caches(dockerfile, found):
    assert has_stage(dockerfile) is found
    assert build_cache("r/x", KEY, dockerfile)["stage"] is found
    assert build_cache("r/x", KEY)["stage"] is True  # no Dockerfile given: nothing to look for


@pytest.mark.parametrize(
    "message, fragment",
    [
        ("Error pulling image r/x:deps-1 - 404 Client Error: Not Found (manifest unknown)", "not in the registry yet"),
        ("Error pulling r/x - manifest for r/x:deps-1 not found: manifest unknown", "not in the registry yet"),
        ("Error pulling r/x - pull access denied for r/x, repository does not exist or may require login",
         "not in the registry yet"),
        ("Error pulling r/x - 403 Client Error: Forbidden (denied: User is not authorized)", "access denied"),
        ("Error pulling r/x - unauthorized: authentication required", "access denied"),
        ("Error pulling r/x - Get https://r/v2/: dial tcp: connection refused\nmore", "connection refused"),
        ("", "no reason given"),
    ],
)
def test_what_a_failed_pull_means(message, fragment):
    assert fragment in _build_cache_miss(message)
    assert "\n" not in _build_cache_miss(message)
