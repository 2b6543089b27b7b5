"""The right CPU: names, instance types, Batch targets and the guard's sentences."""

import pytest
from ansible_collections.dockwright.toolkit.plugins.module_utils.architecture import (
    architecture,
    check,
    config_targets,
    environment_architectures,
    environment_target,
    image_source,
    instance_type_architecture,
    job_definition_target,
    platform,
    platform_errors,
    target_architectures,
)

IMAGE = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/iris:1.0"
X86_ENV = {"name": "ml-x86", "type": "EC2", "instance_types": ["m5.large", "c5"]}
ARM_ENV = {"name": "ml-arm", "type": "SPOT", "instance_types": ["m7g", "c7g.xlarge"]}
EC2_JOB = {"name": "iris", "platform": "EC2"}


@pytest.mark.parametrize("name, expected", [
    ("amd64", "amd64"), ("x86_64", "amd64"), ("X86_64", "amd64"), ("linux/amd64", "amd64"), (" AMD64 ", "amd64"),
    ("arm64", "arm64"), ("aarch64", "arm64"), ("ARM64", "arm64"), ("linux/arm64", "arm64"),
    ("linux/arm64/v8", "arm64"),
    ("", ""), (None, ""), ("arm", ""), ("linux/arm/v7", ""), ("386", ""), ("windows/amd64", ""), ("s390x", ""),
])
def test_architecture_names(name, expected):
    assert architecture(name) == expected


@pytest.mark.parametrize("name, expected", [
    ("arm64", "linux/arm64"), ("x86_64", "linux/amd64"), ("linux/amd64", "linux/amd64"), ("", ""), ("ppc64le", ""),
])
def test_platform(name, expected):
    assert platform(name) == expected


@pytest.mark.parametrize("value, fragments", [
    ("", []), (None, []), ("linux/amd64", []), ("linux/arm64", []), ("arm64", []), ("x86_64", []),
    ("linux/arm", ["image_platform 'linux/arm' is not a platform dockwright builds for (did you mean linux/arm64?)",
                   "give linux/amd64", "PLATFORM=linux/arm64"]),
    ("linux/amd46", ["(did you mean linux/amd64?)"]),
    ("windows/amd64", ["dockwright builds Linux images only", "give linux/amd64 or linux/arm64"]),
    ("sparc", ["image_platform 'sparc' is not a platform dockwright builds for: give"]),
])
def test_platform_errors(value, fragments):
    errors = platform_errors(value)
    assert len(errors) == (1 if fragments else 0), errors
    for fragment in fragments:
        assert fragment in errors[0]


@pytest.mark.parametrize("instance_type, expected", [
    # Graviton: a g right after the generation, or a1.
    ("m6g.large", "arm64"), ("m6gd.xlarge", "arm64"), ("c6gn", "arm64"), ("c7g", "arm64"), ("r8g.2xlarge", "arm64"),
    ("t4g.micro", "arm64"), ("x2gd", "arm64"), ("im4gn.large", "arm64"), ("is4gen", "arm64"), ("g5g.xlarge", "arm64"),
    ("hpc7g", "arm64"), ("a1.medium", "arm64"), ("m7gd", "arm64"), ("default_arm64", "arm64"),
    # x86_64, GPU families included.
    ("m5.large", "amd64"), ("c5", "amd64"), ("g4dn.xlarge", "amd64"), ("g4ad", "amd64"), ("p4d.24xlarge", "amd64"),
    ("m5zn", "amd64"), ("x2iedn", "amd64"), ("inf2", "amd64"), ("m7a", "amd64"), ("m7i-flex.large", "amd64"),
    ("optimal", "amd64"), ("OPTIMAL", "amd64"), ("default_x86_64", "amd64"),
    # Not an instance type.
    ("", ""), (None, ""), ("m5 large", ""), ("6g", ""), ("m5.", "amd64"),
])
def test_instance_type_architecture(instance_type, expected):
    assert instance_type_architecture(instance_type) == expected


@pytest.mark.parametrize("kind, types, fargate, expected", [
    ("EC2", ["optimal"], "", ["amd64"]),
    ("SPOT", ["m6g", "c7g.large"], "", ["arm64"]),
    ("EC2", ["m5", "m6g"], "", ["amd64", "arm64"]),
    ("EC2", [], "", []),
    ("EC2", ["m5", "?!"], "", []),
    ("FARGATE", [], "", ["amd64"]),
    ("FARGATE_SPOT", [], "ARM64", ["arm64"]),
    (None, ["c5"], "", ["amd64"]),
])
def test_environment_architectures(kind, types, fargate, expected):
    assert environment_architectures(kind, types, fargate) == expected


@pytest.mark.parametrize("image_arch, job, environments, errors, warnings", [
    # An x86-only environment refuses an arm64 image, naming both.
    ("arm64", EC2_JOB, [X86_ENV], [f"Image {IMAGE} is built for arm64, but compute environment ml-x86 (instance"
                                   " types m5.large, c5: amd64) cannot run arm64 in queue ml-queue: build it for"
                                   " linux/amd64 (PLATFORM=linux/amd64)"], []),
    ("amd64", EC2_JOB, [X86_ENV], [], []),
    ("x86_64", EC2_JOB, [X86_ENV], [], []),
    ("arm64", EC2_JOB, [ARM_ENV], [], []),
    ("amd64", EC2_JOB, [ARM_ENV], ["cannot run amd64 in queue ml-queue: build it for linux/arm64"], []),
    # A queue whose environments differ: the job may land on either.
    ("arm64", EC2_JOB, [X86_ENV, ARM_ENV], [], ["compute environment ml-x86 (instance types m5.large, c5: amd64)"
                                                " cannot run arm64 in queue ml-queue: jobs placed there fail"]),
    # Fargate: the job definition's cpu_architecture decides (X86_64 when not said).
    ("arm64", {"name": "iris", "platform": "FARGATE"}, [],
     ["but job definition iris (Fargate, cpu_architecture X86_64) cannot run arm64"], []),
    ("arm64", {"name": "iris", "platform": "FARGATE", "cpu_architecture": "ARM64"},
     [{"name": "fg", "type": "FARGATE", "instance_types": []}], [], []),
    ("amd64", {"name": "iris", "platform": "FARGATE", "cpu_architecture": "ARM64"}, [],
     ["Image " + IMAGE + " is built for amd64, but job definition iris (Fargate, cpu_architecture ARM64) cannot run"
      " amd64 in queue ml-queue: build it for linux/arm64"], []),
    # A Fargate job definition on an EC2 queue: Batch's own refusal; the instance types are not the question.
    ("amd64", {"name": "iris", "platform": "FARGATE"}, [ARM_ENV], [], []),
    # Unknown architecture: a warning naming the target, no refusal.
    ("", EC2_JOB, [X86_ENV], [], [f"The architecture of image {IMAGE} is not known", "compute environment ml-x86",
                                  "built for amd64"]),
    # Nothing known about where it runs: nothing to say.
    ("arm64", EC2_JOB, [], [], []),
    ("arm64", EC2_JOB, [{"name": "custom", "type": "EC2", "instance_types": []}], [], []),
])
def test_check(image_arch, job, environments, errors, warnings):
    result = check(IMAGE, image_arch, job, environments, where="in queue ml-queue")
    assert len(result["errors"]) == (1 if errors else 0), result
    assert len(result["warnings"]) == (1 if warnings else 0), result
    for fragment in errors:
        assert fragment in result["errors"][0]
    for fragment in warnings:
        assert fragment in result["warnings"][0]


def test_refusal_says_the_fix_and_the_symptom():
    [error] = check(IMAGE, "arm64", EC2_JOB, [X86_ENV])["errors"]
    assert error.endswith("cannot run arm64: build it for linux/amd64 (PLATFORM=linux/amd64), or send it where arm64"
                          " runs (Graviton instance types such as m7g, c7g, r7g, or Fargate with cpu_architecture"
                          " ARM64). Its jobs would fail with 'exec format error'.")


@pytest.mark.parametrize("given, engine, record, expected", [
    ("linux/arm64", {IMAGE: "amd64"}, {}, ("arm64", "the build of this run")),
    ("", {IMAGE: "arm64"}, {"image": {"uri": IMAGE, "architecture": "amd64"}}, ("arm64", "the Docker engine's copy")),
    ("", {}, {"image": {"uri": IMAGE, "architecture": "arm64"}}, ("arm64", "the run record")),
    ("", {}, {"image": {"uri": IMAGE + "x", "architecture": "arm64"}}, ("", "")),
    ("", {IMAGE: "s390x"}, {"image": {"uri": IMAGE}}, ("", "")),
    ("", {}, "not a mapping", ("", "")),
])
def test_image_source(given, engine, record, expected):
    assert image_source(IMAGE, engine, record, given) == expected


@pytest.mark.parametrize("config, job, environments, runs", [
    ({}, {"name": "", "platform": "EC2", "cpu_architecture": ""}, [], []),
    ({"job_definition": {"name": "iris", "platform": "FARGATE", "fargate": {"cpu_architecture": "ARM64"}}},
     {"name": "iris", "platform": "FARGATE", "cpu_architecture": "ARM64"}, [], ["arm64"]),
    ({"name": "iris"}, {"name": "iris", "platform": "EC2", "cpu_architecture": ""}, [], []),
    ({"job_definition": {"name": "iris"}, "compute_environment": {"name": "ml", "type": "EC2"}},
     {"name": "iris", "platform": "EC2", "cpu_architecture": ""},
     [{"name": "ml", "type": "EC2", "instance_types": ["optimal"]}], ["amd64"]),
    ({"job_definition": {"name": "iris"}, "compute_environment": {"name": "ml", "instance_types": ["m6g", "r7g"]}},
     {"name": "iris", "platform": "EC2", "cpu_architecture": ""},
     [{"name": "ml", "type": "EC2", "instance_types": ["m6g", "r7g"]}], ["arm64"]),
    ({"job_definition": {"name": "iris"}, "compute_environment": {"name": "fg", "type": "fargate"}},
     {"name": "iris", "platform": "EC2", "cpu_architecture": ""},
     [{"name": "fg", "type": "FARGATE", "instance_types": []}], ["amd64"]),
])
def test_config_targets(config, job, environments, runs):
    targets = config_targets(config)
    assert targets == {"job_definition": job, "environments": environments}
    assert target_architectures(**targets) == runs


@pytest.mark.parametrize("description, expected", [
    ({"jobDefinitionName": "iris", "revision": 3, "containerProperties": {"image": IMAGE}},
     {"name": "iris", "revision": 3, "image": IMAGE, "platform": "EC2", "cpu_architecture": ""}),
    ({"jobDefinitionName": "iris", "revision": 1, "platformCapabilities": ["FARGATE"],
      "containerProperties": {"image": IMAGE, "runtimePlatform": {"cpuArchitecture": "ARM64"}}},
     {"name": "iris", "revision": 1, "image": IMAGE, "platform": "FARGATE", "cpu_architecture": "ARM64"}),
    ({"jobDefinitionName": "mnp", "revision": 1, "type": "multinode"},
     {"name": "mnp", "revision": 1, "image": "", "platform": "EC2", "cpu_architecture": ""}),
])
def test_job_definition_target(description, expected):
    assert job_definition_target(description) == expected


@pytest.mark.parametrize("description, expected", [
    ({"computeEnvironmentName": "ml", "type": "MANAGED",
      "computeResources": {"type": "SPOT", "instanceTypes": ["m6g", "c7g.large"]}},
     {"name": "ml", "type": "SPOT", "instance_types": ["m6g", "c7g.large"]}),
    ({"computeEnvironmentName": "own", "type": "UNMANAGED"}, {"name": "own", "type": "", "instance_types": []}),
])
def test_environment_target(description, expected):
    assert environment_target(description) == expected
    assert check(IMAGE, "arm64", EC2_JOB, [environment_target(description)])["errors"] == []
