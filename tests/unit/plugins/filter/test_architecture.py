"""The architecture filters: the names roles call, reaching the rules of module_utils/architecture.py."""

import pytest
from ansible_collections.dockwright.toolkit.plugins.filter.architecture import FilterModule

FILTERS = FilterModule().filters()
IMAGE = "iris:1.0"


def test_the_filters_roles_call_are_there():
    assert sorted(FILTERS) == ["architecture_check", "architecture_targets", "cpu_architecture", "docker_platform",
                               "image_architecture", "platform_errors", "target_architectures"]


@pytest.mark.parametrize("name, args, expected", [
    ("docker_platform", ("aarch64",), "linux/arm64"),
    ("cpu_architecture", ("X86_64",), "amd64"),
    ("platform_errors", ("linux/arm64", "image_platform"), []),
    ("image_architecture", (IMAGE, {IMAGE: "arm64"}, {}, ""), ["arm64", "the Docker engine's copy"]),
    ("image_architecture", (IMAGE, None, None), ["", ""]),
    ("target_architectures", ({"job_definition": {"platform": "FARGATE", "cpu_architecture": "ARM64"}},), ["arm64"]),
    ("target_architectures", ("not a mapping",), []),
    ("architecture_check", (IMAGE, "amd64", {"name": "iris", "platform": "EC2"},
                            [{"name": "ml", "type": "EC2", "instance_types": ["m6g"]}]), None),
])
def test_filters(name, args, expected):
    result = FILTERS[name](*args)
    if expected is None:
        assert result["warnings"] == [] and len(result["errors"]) == 1
        assert result["errors"][0].startswith("Image iris:1.0 is built for amd64, but compute environment ml")
    else:
        assert result == expected


def test_a_batch_config_reaches_the_warning_of_the_image_role():
    config = {"job_definition": {"name": "iris"}, "compute_environment": {"name": "ml", "instance_types": ["c7g"]}}
    assert FILTERS["target_architectures"](FILTERS["architecture_targets"](config)) == ["arm64"]
