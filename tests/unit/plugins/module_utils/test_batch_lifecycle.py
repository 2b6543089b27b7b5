import pytest
from ansible_collections.dockwright.toolkit.plugins.module_utils.batch_lifecycle import gone, ready, settled


@pytest.mark.parametrize("item, is_ready, is_settled, is_gone", [
    (None, False, True, True),
    ({"status": "CREATING"}, False, False, False),
    ({"status": "UPDATING"}, False, False, False),
    ({"status": "DELETING"}, False, False, False),
    ({"status": "VALID"}, True, True, False),
    ({"status": "INVALID"}, True, True, False),
])
def test_statuses(item, is_ready, is_settled, is_gone):
    assert (ready(item), settled(item), gone(item)) == (is_ready, is_settled, is_gone)
