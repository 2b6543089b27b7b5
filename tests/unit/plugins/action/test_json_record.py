import os

import pytest
from ansible_collections.dockwright.toolkit.plugins.action.json_record import read_text, write_atomically


def test_read_text_of_a_missing_file_is_empty(tmp_path):
    assert read_text(str(tmp_path / "none.json")) == ""


@pytest.mark.parametrize("relative", ["rec.json", "out/rec.json"])
def test_write_atomically_creates_the_folder_and_leaves_no_temporary(tmp_path, relative):
    path = tmp_path / relative
    write_atomically(str(path), '{"a": 1}\n')
    assert read_text(str(path)) == '{"a": 1}\n'
    assert oct(os.stat(path).st_mode & 0o777) == "0o644"
    assert sorted(p.name for p in path.parent.iterdir()) == ["rec.json"]


def test_write_atomically_keeps_the_old_file_when_it_cannot_write(tmp_path):
    path = tmp_path / "rec.json"
    path.write_text("old\n")
    with pytest.raises(TypeError):
        write_atomically(str(path), None)  # fails while writing the temporary file
    assert path.read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rec.json"]
