#!/usr/bin/python
# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""Documentation of the json_record action (it runs on the controller: plugins/action/json_record.py)."""

from __future__ import annotations

DOCUMENTATION = r"""
module: json_record
short_description: Merge a role's results into the run's JSON record
description:
  - Merges O(entries) into the JSON object held by the file O(path) (dictionaries key by key, other values replaced)
    and writes it back as stable text (sorted keys, two-space indent), only when the text changes.
  - The one writer of dockwright's record (C(out/dockwright.json)); each role passes the public facts it produced
    (the pushed image, the job definition's revision), so several roles fill one file.
  - The write is atomic (a temporary file in the same folder, then a rename), so an interrupted run leaves the old file
    or the new one. A missing folder is created when its parent exists.
  - Runs on the controller, where the record lives; fails naming the file when it holds anything but a JSON object,
    leaving it as it was.
version_added: 1.0.0
options:
  path:
    description: The record's path, relative to the directory ansible-playbook runs in.
    type: path
    required: true
  entries:
    description: The values to merge in, for example C(image) with the pushed image's C(uri) and C(digest).
    type: dict
    required: true
attributes:
  platform:
    platforms: all
  check_mode:
    support: full
  diff_mode:
    support: full
  idempotent:
    support: full
    description: A second run with the same entries changes nothing.
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
author:
  - dockwright contributors (@dockwright)
"""

EXAMPLES = r"""
- name: Ensure the record holds the pushed image
  dockwright.toolkit.json_record:
    path: out/dockwright.json
    entries:
      image:
        uri: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/iris:1.0
        digest: sha256:0123abcd
"""

RETURN = r"""
path:
  description: The record's absolute path.
  returned: always
  type: str
  sample: /work/project/out/dockwright.json
record:
  description: The whole record after the merge.
  returned: always
  type: dict
  sample: {"image": {"uri": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/iris:1.0", "digest": "sha256:0123abcd"}}
"""
