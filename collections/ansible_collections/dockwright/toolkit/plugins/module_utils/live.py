# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""Lines a module shows while it runs. An Ansible module cannot print: its result comes back when it ends. So a
module that follows something long (a Batch job) appends records to a file of its own in a live directory, and the
stdout callback (plugins/callback/dockwright.py) tails the files of that directory while the task runs and prints
their lines as they come.

The callback makes the directory for the run and names it in the environment (LIVE_DIR_VARIABLE), which the tasks'
processes inherit; a role hands it to its module (live_dir). No directory named: nobody prints live, and the role
shows the lines at the end instead.

A file holds one JSON object per line:
  {"line": "..."}                          a line the job wrote, printed as it is
  {"note": "..."}                          a line the module says (a header, a status), printed as a note
  {"job": {"id": ..., "name": ...}}        the thing followed (what to tell when the user stops the run)
"""

from __future__ import annotations

import json
import os
import tempfile

LIVE_DIR_VARIABLE = "DOCKWRIGHT_LIVE_DIR"
SUFFIX = ".live"


def encode(record: dict) -> str:
    """One record as a line of the file."""
    return json.dumps(record, sort_keys=True, ensure_ascii=False) + "\n"


def decode(buffer: str) -> tuple[list[dict], str]:
    """The complete records in buffer (text read from a live file) and what is left of an unfinished last line. A
    line that is not a JSON object is taken as a line of text (never lost, never fatal)."""
    *complete, rest = buffer.split("\n")
    records = []
    for text in complete:
        if not text.strip():
            continue
        try:
            record = json.loads(text)
        except ValueError:
            record = None
        records.append(record if isinstance(record, dict) else {"line": text})
    return records, rest


class LiveWriter:
    """Appends records to a new file in directory (flushed at once, so that a reader sees each as it is written)."""

    def __init__(self, directory: str, prefix: str = "task-"):
        handle, self.path = tempfile.mkstemp(prefix=prefix, suffix=SUFFIX, dir=directory)
        os.close(handle)

    def write(self, *records: dict) -> None:
        if records:
            with open(self.path, "a", encoding="utf-8") as handle:
                handle.write("".join(encode(record) for record in records))

    def lines(self, lines) -> None:
        self.write(*({"line": line} for line in lines))

    def note(self, text: str) -> None:
        self.write({"note": text})
