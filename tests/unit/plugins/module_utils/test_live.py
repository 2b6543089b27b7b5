import json
from pathlib import Path

import pytest
from ansible_collections.dockwright.toolkit.plugins.module_utils.live import SUFFIX, LiveWriter, decode, encode


@pytest.mark.parametrize(
    "buffer, records, rest",
    [
        ("", [], ""),
        ('{"line": "a"}\n', [{"line": "a"}], ""),
        # An unfinished last line waits for its end.
        ('{"line": "a"}\n{"line": "b', [{"line": "a"}], '{"line": "b'),
        ('{"note": "x"}\n\n{"job": {"id": "1"}}\n', [{"note": "x"}, {"job": {"id": "1"}}], ""),
        # What is not a JSON object is a line of text, never lost.
        ("plain text\n[1, 2]\n", [{"line": "plain text"}, {"line": "[1, 2]"}], ""),
    ],
)
def test_decode(buffer, records, rest):
    assert decode(buffer) == (records, rest)


@pytest.mark.parametrize("record", [{"line": "héllo\nworld"}, {"note": "--- a"}, {"job": {"id": "x", "name": "n"}},
                                    {"line": ""}])
def test_encode_is_one_line_decode_reads_back(record):
    text = encode(record)
    assert text.endswith("\n") and text.count("\n") == 1
    assert decode(text) == ([record], "")


def test_writer_appends_records_to_a_file_of_its_own(tmp_path):
    first, second = LiveWriter(str(tmp_path), prefix="batch_job-"), LiveWriter(str(tmp_path), prefix="batch_job-")
    assert first.path != second.path and first.path.endswith(SUFFIX)
    first.write({"job": {"id": "1"}})
    first.lines(["a", "b"])
    first.note("n")
    first.write()
    assert [json.loads(line) for line in Path(first.path).read_text(encoding="utf-8").splitlines()] == [
        {"job": {"id": "1"}}, {"line": "a"}, {"line": "b"}, {"note": "n"}]
    assert Path(second.path).read_text(encoding="utf-8") == ""
