"""The engine query against the real engine, and against sockets where no engine answers."""

import pytest
from ansible_collections.dockwright.toolkit.plugins.lookup.docker_engine import query_engine


def test_real_engine_lists_present_images_only(engine):
    result = query_engine(["python:3.11-slim", "dockwright-no-such-image:never"])
    assert result["answers"] is True and result["error"] == ""
    assert list(result["images"]) == ["python:3.11-slim"]
    assert result["images"]["python:3.11-slim"].startswith("sha256:")
    assert list(result["repo_digests"]) == ["python:3.11-slim"]


def test_real_engine_gives_every_repo_digest_of_an_image(engine):
    """The ecr role picks its repository's digests out of these (a pushed image has one per repository)."""
    import json
    import subprocess

    inspected = json.loads(subprocess.run(["docker", "image", "inspect", "-f", "{{json .RepoDigests}}",
                                           "python:3.11-slim"], capture_output=True, text=True, check=True).stdout)
    assert query_engine(["python:3.11-slim"])["repo_digests"] == {"python:3.11-slim": inspected}
    assert any(digest.split("@")[1].startswith("sha256:") for digest in inspected)  # the mirror gave it one


def test_real_engine_tells_each_image_s_architecture_and_its_own(engine):
    import subprocess

    result = query_engine(["python:3.11-slim"])
    inspected = subprocess.run(["docker", "image", "inspect", "-f", "{{.Architecture}}", "python:3.11-slim"],
                               capture_output=True, text=True, check=True).stdout.strip()
    assert result["architectures"] == {"python:3.11-slim": inspected}
    assert result["architecture"] in ("amd64", "arm64")


@pytest.mark.parametrize("host", ["unix:///nonexistent/docker.sock", "tcp://127.0.0.1:1"])
def test_no_engine_is_reported_not_raised(monkeypatch, host):
    monkeypatch.setenv("DOCKER_HOST", host)
    result = query_engine(["python:3.11-slim"], timeout=3)
    assert result["answers"] is False and result["images"] == {}
    assert result["host"] == host and result["error"]
    assert result["message"].startswith(f"No Docker engine answers at {host} (") and "'sudo make engine'" in result[
        "message"]

