import pytest
from ansible_collections.dockwright.toolkit.plugins.filter.batch_config_errors import (
    FilterModule,
    batch_config_errors,
)


@pytest.mark.parametrize("data, what, expected", [
    ({"compute_environment": {"name": "x1"}}, "f", []),
    ({"compute_environment": {"max_cpus": 4}}, "batch_environment_config_file 'B.yml'",
     ["batch_environment_config_file 'B.yml' has unknown keys: compute_environment.max_cpus (did you mean max_vcpus?)."
      " Known keys: compute_environment: name, type, min_vcpus, max_vcpus, desired_vcpus, instance_types, subnets,"
      " security_group_ids, instance_role, service_role, spot_iam_fleet_role, allocation_strategy; job_queue: name,"
      " priority, compute_environments."]),
    ("text", "the file", ["the file must be a YAML mapping whose compute_environment and job_queue sections are"
                          " mappings."]),
])
def test_config_errors(data, what, expected):
    assert batch_config_errors(data, what) == expected


def test_filter_map():
    assert FilterModule().filters() == {"batch_config_errors": batch_config_errors}
