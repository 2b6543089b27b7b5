import pytest
from ansible_collections.dockwright.toolkit.plugins.filter.image_reference import image_ref_errors


@pytest.mark.parametrize(
    "name, tag",
    [
        ("iris", "latest"),
        ("iris", "1.4.0"),
        ("team/iris", "2024-06-01"),
        ("a", ""),
        ("my.registry:5000/ml/churn_model", "v1_rc-2"),
        ("localhost/iris", "x"),
        ("a__b", "_tag"),
        ("a---b", "T" * 128),
    ],
)
def test_valid(name, tag):
    assert image_ref_errors(name, tag) == []


@pytest.mark.parametrize(
    "name, tag, fragment",
    [
        ("", "latest", "image_name is empty"),
        (None, "", "image_name is empty"),
        ("Iris", "latest", "for example 'iris'"),
        ("Iris Model", "latest", "for example 'iris-model'"),
        ("my model", "1", "not a valid Docker image name"),
        ("iris-", "1", "not a valid Docker image name"),
        ("-iris", "1", "not a valid Docker image name"),
        ("team//iris", "1", "not a valid Docker image name"),
        ("iris", ".hidden", "image_version '.hidden' is not a valid Docker tag"),
        ("iris", "-x", "not a valid Docker tag"),
        ("iris", "1.0/2", "not a valid Docker tag"),
        ("iris", "T" * 129, "not a valid Docker tag"),
        ("bad_host!:5000/iris", "1", "is not a valid host[:port]"),
        ("x" * 256, "1", "Docker allows 255"),
    ],
)
def test_invalid(name, tag, fragment):
    errors = image_ref_errors(name, tag)
    assert errors and any(fragment in error for error in errors), errors


def test_custom_variable_names_in_messages():
    assert image_ref_errors("Bad", "", name_var="dockerfile_base_image")[0].startswith(
        "dockerfile_base_image 'Bad'")


@pytest.mark.parametrize(
    "reference, ok",
    [("python:3.6", True), ("python:3.11-slim@sha256:" + "a" * 64, True), ("localhost:5000/py:3", True),
     ("localhost:5000/py", True), ("Python:3", False), ("python:.bad", False)],
)
def test_split_reference(reference, ok):
    assert (image_ref_errors(reference, split=True) == []) is ok
