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

NOT_A_NAME = "is not a valid Docker image name: use lowercase letters, digits and . _ - between them (for example"


@pytest.mark.parametrize(("name", "errors"), [
    # A first part with a dot or a port, or localhost, is a registry host (uppercase allowed); any other is a path part.
    ("Registry.Example.com/team/iris", []),
    ("localhost/x", []),
    ("localhost:5000/x", []),
    ("Ab.c", [f"image_name 'Ab.c' {NOT_A_NAME} 'ab.c')."]),
    ("Team/x", [f"image_name 'Team/x' {NOT_A_NAME} 'team/x')."]),
    ("Team/a.b", [f"image_name 'Team/a.b' {NOT_A_NAME} 'team/a.b')."]),
    ("Team/localhost", [f"image_name 'Team/localhost' {NOT_A_NAME} 'team/localhost')."]),
    ("reg.io/Bad/x", [f"image_name 'reg.io/Bad/x' {NOT_A_NAME} 'reg.io/bad/x')."]),
    ("bad_host.io/x", ["image_name 'bad_host.io/x': registry 'bad_host.io' is not a valid host[:port]."]),
    ("-Bad Name!-", [f"image_name '-Bad Name!-' {NOT_A_NAME} 'bad-name')."]),
    ("!!!", [f"image_name '!!!' {NOT_A_NAME} 'my-model')."]),
    ("a" * 255, []),
    ("a" * 256, ["image_name is 256 characters long; Docker allows 255."]),
])
def test_image_name_problems_in_full(name, errors):
    assert image_ref_errors(name) == errors


def test_tag_problem_in_full():
    assert image_ref_errors("iris", ".x", tag_var="VERSION") == [
        "VERSION '.x' is not a valid Docker tag: up to 128 letters, digits, '_', '.' and '-', not starting with '.' or"
        " '-'."]


def test_everything_after_the_first_at_sign_is_the_digest():
    assert split_reference("iris:1@sha256:abc@x") == ("iris", "1")
