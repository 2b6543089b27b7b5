import pytest
from ansible_collections.dockwright.toolkit.plugins.module_utils.image_reference import (
    image_ref_errors,
    is_valid_tag,
    name_from_folder,
    registry_digest,
    split_reference,
)


@pytest.mark.parametrize("reference, parts", [
    ("iris", ("iris", "")),
    ("iris:1.0", ("iris", "1.0")),
    ("localhost:5000/iris", ("localhost:5000/iris", "")),
    ("localhost:5000/iris:2", ("localhost:5000/iris", "2")),
    ("iris:3@sha256:" + "a" * 64, ("iris", "3")),
    ("iris@sha256:" + "a" * 64, ("iris", "")),
])
def test_split_reference(reference, parts):
    assert split_reference(reference) == parts


@pytest.mark.parametrize("tag, ok", [
    ("latest", True), ("_x", True), ("1.0-rc_1", True), ("T" * 128, True),
    ("", False), (".x", False), ("-x", False), ("T" * 129, False), ("a/b", False), ("a:b", False),
])
def test_is_valid_tag(tag, ok):
    assert is_valid_tag(tag) is ok


def test_filter_is_this_function():
    from ansible_collections.dockwright.toolkit.plugins.filter.image_reference import FilterModule

    assert FilterModule().filters()["image_ref_errors"] is image_ref_errors


@pytest.mark.parametrize("path, name", [
    ("/work/iris", "iris"), ("/work/My Model/", "my-model"), ("./Churn_v2", "churn_v2"), ("/x/--odd..", "odd"),
    ("/x/Ünïcode ML", "n-code-ml"),
])
def test_name_from_folder(path, name):
    assert name_from_folder(path) == name


def test_registry_digest_picks_the_images_own_repository():
    both = ["mirror.local:5000/python@sha256:aaa", "python@sha256:bbb"]
    assert registry_digest("python:3.11-slim", both) == "sha256:bbb"
    assert registry_digest("mirror.local:5000/python:3.11-slim", both) == "sha256:aaa"
    assert registry_digest("localhost:5000/base", ["localhost:5000/base@sha256:ccc"]) == "sha256:ccc"
    assert registry_digest("other:1", ["python@sha256:bbb"]) == ""  # another repository's digest pulls nothing here
    assert registry_digest("python:3.11-slim", ["127.0.0.1:5000/library/python@sha256:ccc"]) == ""
    assert registry_digest("python:3.11-slim", []) == ""
