import pytest
from ansible_collections.dockwright.toolkit.plugins.filter.batch_job_definition_errors import (
    FilterModule,
    batch_job_definition_errors,
)

IMAGE = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/iris:1.0"


@pytest.mark.parametrize("section", [
    {"name": "iris-train"},
    {"name": "iris-train", "command": "python train.py", "vcpus": 2, "memory": 4096},
    {"name": "iris-train", "platform": "FARGATE", "vcpus": 0.25, "memory": 512,
     "execution_role_arn": "arn:aws:iam::123456789012:role/exec"},
])
def test_fine_sections(section):
    assert batch_job_definition_errors(section, IMAGE) == []


@pytest.mark.parametrize("section, image, fragments", [
    ({"name": "iris-train", "vcpu": 2}, IMAGE, ["Unknown key 'vcpu' in the job definition: did you mean 'vcpus'?"]),
    ({"name": "iris-train", "vcpu": 2, "memory": "lots"}, IMAGE, ["Unknown key 'vcpu'", "memory must be a number"]),
    ({"name": "iris train"}, IMAGE, ["name 'iris train' is not a valid Batch name"]),
    ({"name": "iris-train", "command": "python -c 'x"}, IMAGE, ["give it as a list instead"]),
    ({"name": "iris-train"}, "", ["image is empty"]),
    ([1, 2], IMAGE, ["must be a mapping of settings"]),
])
def test_problems_one_sentence_each(section, image, fragments):
    errors = batch_job_definition_errors(section, image)
    assert len(errors) == len(fragments), errors
    for error, fragment in zip(errors, fragments, strict=True):
        assert fragment in error


def test_filter_map():
    assert FilterModule().filters() == {"batch_job_definition_errors": batch_job_definition_errors}
