import pytest
from ansible_collections.dockwright.toolkit.plugins.filter.ecr_repository import ecr_repository_errors
from ansible_collections.dockwright.toolkit.plugins.module_utils.ecr import suggest_repository_name


@pytest.mark.parametrize("name", [
    "ab", "iris", "team/iris", "team/ml/iris", "my-team/iris_model.v2", "a1/b2", "x" * 256, "a.b-c_d/e",
])
def test_valid_names(name):
    assert ecr_repository_errors(name) == []


@pytest.mark.parametrize("name, words", [
    ("Team/Iris", "(for example 'team/iris')"),
    ("iris!", "(for example 'iris')"),
    ("team//iris", "not a valid ECR repository name"),
    ("/iris", "not a valid ECR repository name"),
    ("iris/", "not a valid ECR repository name"),
    ("iris--model", "(for example 'iris-model')"),
    ("-iris", "(for example 'iris')"),
    ("iris.", "not a valid ECR repository name"),
    ("team/my iris", "(for example 'team/my-iris')"),
    ("a", "too short"),
    ("x" * 257, "at most 256"),
])
def test_invalid_names(name, words):
    errors = ecr_repository_errors(name)
    assert errors, name
    assert any(words in error for error in errors), errors
    assert all(error.startswith("ecr_repository") for error in errors)


@pytest.mark.parametrize("name", ["", None])
def test_empty(name):
    assert ecr_repository_errors(name) == [
        "ecr_repository is empty: name the ECR repository, e.g. 'team/iris'."]


def test_name_var():
    assert ecr_repository_errors("A", name_var="repository")[0].startswith("repository 'A'")


@pytest.mark.parametrize("name, suggestion", [
    ("Team/Iris", "team/iris"), ("a__b", "a_b"), ("//x//", "x"), ("!!!", ""), ("Ünïcode Model", "n-code-model"),
])
def test_suggestion(name, suggestion):
    assert suggest_repository_name(name) == suggestion


@pytest.mark.parametrize("name", ["Team/Iris", "iris--model", "team/my iris", "x!y/Z"])
def test_suggestions_are_valid(name):
    assert ecr_repository_errors(suggest_repository_name(name)) == []
