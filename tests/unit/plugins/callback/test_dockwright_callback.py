import pytest
from dockwright import failure_text


@pytest.mark.parametrize(
    "result, expected",
    [
        ({"msg": "program_path 'x' does not exist"}, "program_path 'x' does not exist"),
        ({"msg": "failed", "stderr": "line1\nline2"}, "failed\nline1\nline2"),
        ({"msg": "boom: line2", "stderr": "line2"}, "boom: line2"),
        ({"stderr": "\n".join(f"l{i}" for i in range(30))}, "\n".join(f"l{i}" for i in range(20, 30))),
        ({}, "the task failed without a message; rerun with -v for details"),
    ],
)
def test_failure_text(result, expected):
    assert failure_text(result) == expected
