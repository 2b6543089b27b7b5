import pytest
from ansible_collections.dockwright.toolkit.plugins.filter.aws_region_errors import FilterModule, aws_region_errors


@pytest.mark.parametrize("region", ["eu-west-1", "us-gov-west-1", "cn-north-1", "il-central-1"])
def test_region_names(region):
    assert aws_region_errors(region) == []


@pytest.mark.parametrize("region, name_var, text", [
    ("europe", "batch_job_definition_region",
     "batch_job_definition_region 'europe' is not an AWS region name: give one like eu-west-1, or set AWS_REGION in"
     " the environment."),
    ("", "region", "region '' is not an AWS region name: give one like eu-west-1, or set AWS_REGION in the"
     " environment."),
])
def test_not_region_names(region, name_var, text):
    assert aws_region_errors(region, name_var) == [text]


def test_filter_map():
    assert FilterModule().filters() == {"aws_region_errors": aws_region_errors}
